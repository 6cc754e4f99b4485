"""Six months of visits for the demo BOP, so every report and "Uit beeld" shows something at once.

Deterministic (a seeded random generator) and relative to `today`: regulars with their favourite
activities, four who stopped coming a few weeks ago (two of them gave their phone number), a flyer
round three weeks ago that brought newcomers, newcomers through neighbours and the welfare worker,
guests without a name and headcounts. Check-ins are written with one bulk insert.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert

from ..checkin import past_visits
from ..checkin.models import CheckIn
from ..clock import TZ, to_utc_naive, utcnow
from ..extensions import db
from ..planning.models import Activity
from ..visitors.codes import generate_code
from ..visitors.models import Card, Visitor

WEEKS = 26
SEED = 2026

# (name, language, phone or "")
REGULARS = [
    ("Fatima", "ar", ""), ("Henk", "", ""), ("Ayşe", "tr", ""), ("Gerda", "", ""), ("Mohamed", "ar", ""),
    ("Ria", "", ""), ("Jan", "", ""), ("Olena", "uk", ""), ("Kees", "", ""), ("Mehmet", "tr", ""),
    ("Wil", "", ""), ("Anneke", "", ""), ("Agnieszka", "pl", ""), ("Sandra", "", ""), ("Bram", "", ""),
    ("Nadia", "ar", ""), ("Truus", "", ""), ("Youssef", "ar", ""),
]
STOPPED = [  # (name, language, phone, weeks since the last visit)
    ("Emine", "tr", "06 1234 5671", 7), ("Piet", "", "06 1234 5672", 5), ("Halima", "ar", "", 4),
    ("Stanisław", "pl", "", 9),
]
FLYER_NEWCOMERS = [("Ingrid", "", ""), ("Oksana", "uk", ""), ("Rachid", "ar", ""), ("Lies", "", ""),
                   ("Dewi", "", ""), ("Tomasz", "pl", "")]
OTHER_NEWCOMERS = [("Marja", "", "", "neighbour"), ("Hatice", "tr", "", "worker"), ("Joop", "", "", "other"),
                   ("Samir", "ar", "", "neighbour"), ("Els", "", "", "")]


@dataclass
class Person:
    visitor: Visitor
    likes: dict[str, float]          # activity key -> chance of coming to each occurrence
    first: date
    last: date
    source: str = ""
    days: list[date] = field(default_factory=list)


def _visitor(name: str, language: str, phone: str, bop) -> Visitor:
    visitor = Visitor(name=name, language=language, phone=phone, home_location=bop,
                      organisation_id=bop.organisation_id,
                      phone_consent_at=utcnow() if phone else None)
    visitor.cards.append(Card(code=generate_code()))
    return visitor


def _occurrences(day: date) -> list[str]:
    """Which demo activities take place on a day (the demo's weekly rhythm)."""
    found = []
    if day.weekday() < 5:
        found.append("coffee")
    found += {1: ["walk"], 2: ["talk"], 3: ["health"]}.get(day.weekday(), [])
    if day.weekday() == 4 and day.day <= 7:
        found.append("create")
    return found


def flyer_round_day(today: date) -> date:
    """The demo's door-to-door round: the Monday three weeks ago."""
    return today - timedelta(weeks=3, days=today.weekday())


def load_history(bop, activities: dict[str, Activity], today: date) -> int:
    """Add visitors and ~six months of check-ins before `today`; returns the number of check-ins."""
    rng = random.Random(SEED)
    first_day = today - timedelta(weeks=WEEKS)
    flyer_round = flyer_round_day(today)
    people: list[Person] = []
    favourites = ["walk", "talk", "health", "create"]
    for name, language, phone in REGULARS:
        likes = {"coffee": rng.uniform(0.25, 0.6)}
        for key in rng.sample(favourites, rng.randint(1, 2)):
            likes[key] = rng.uniform(0.6, 0.9)
        start = first_day + timedelta(days=rng.randint(0, 60))
        source = rng.choice(["", "worker", "neighbour"])
        people.append(Person(_visitor(name, language, phone, bop), likes, start, today, source))
    for name, language, phone, away in STOPPED:
        likes = {"coffee": 0.5, rng.choice(favourites): 0.9}
        people.append(Person(_visitor(name, language, phone, bop), likes, first_day,
                             today - timedelta(weeks=away), rng.choice(["", "neighbour"])))
    for name, language, phone in FLYER_NEWCOMERS:
        start = flyer_round + timedelta(days=rng.randint(1, 12))
        likes = {"coffee": rng.uniform(0.3, 0.6), rng.choice(favourites): 0.7}
        people.append(Person(_visitor(name, language, phone, bop), likes, start, today, "flyer"))
    for name, language, phone, source in OTHER_NEWCOMERS:
        start = first_day + timedelta(days=rng.randint(20, WEEKS * 7 - 3))
        people.append(Person(_visitor(name, language, phone, bop), {"coffee": 0.4, "talk": 0.5}, start, today, source))
    db.session.add_all([p.visitor for p in people])
    db.session.flush()

    rows = []
    day = first_day
    while day < today:
        if not (day.month == 12 and day.day >= 24 or day.month == 1 and day.day <= 4):   # Christmas break
            for key in _occurrences(day):
                activity = activities[key]
                moment = to_utc_naive(datetime.combine(day, activity.start_time, tzinfo=TZ)) + timedelta(minutes=5)
                came = [p for p in people if p.first <= day <= p.last and rng.random() < p.likes.get(key, 0.0)]
                for person in came:
                    first_visit = not person.days
                    person.days.append(day)
                    rows.append(dict(location_id=bop.id, day=day, slot=activity.id, activity_id=activity.id,
                                     visitor_id=person.visitor.id, count=1,
                                     method=rng.choice(["card", "card", "phone"]),
                                     source=person.source if first_visit else "",
                                     server_time=moment + timedelta(minutes=rng.randint(0, 40))))
                if key == "coffee" and rng.random() < 0.45:
                    rows.append(dict(location_id=bop.id, day=day, slot=activity.id, activity_id=activity.id,
                                     visitor_id=None, count=1, method="guest",
                                     source="flyer" if flyer_round <= day < flyer_round + timedelta(weeks=2)
                                     else rng.choice(["", "", "neighbour", "poster"]), server_time=moment))
                if key in ("walk", "health", "coffee") and rng.random() < 0.5:
                    rows.append(dict(location_id=bop.id, day=day, slot=activity.id, activity_id=activity.id,
                                     visitor_id=None, count=rng.randint(1, 4), method="headcount", source="",
                                     server_time=moment))
        day += timedelta(days=1)
    for person in people:   # someone who never came after all
        if person.days:
            person.visitor.created_at = to_utc_naive(datetime.combine(min(person.days), time(9, 30), tzinfo=TZ))
    db.session.execute(insert(CheckIn), rows)
    past_visits.bump(db.session.connection(), [bop.id])  # a bulk INSERT: the ORM's listener never sees it
    return len(rows)
