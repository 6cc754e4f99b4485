"""A city's worth of data on top of the demo: `flask bop demo --city`.

By default 50 BOPs in 5 organisations, 1,500 activities, 5,000 visitors with cards and 1,000,000
check-ins over five years, counted with the demo's own: the demo's two organisations and three BOPs
stay as they are (their logins, `rijn-en-vliet`'s programme this week) and get the same five years
of history as the new ones. Each new organisation has a coordinator, workers and volunteers; each
BOP a paired tablet, closures (Christmas, summer) and changed dates on real dates of its rules.

Deterministic (a seeded generator) and relative to `today`. Organisations, staff, BOPs and
activities go through the ORM; changes, closures, visitors, cards, check-ins and scans through
bulk Core inserts in batches (`demo_visits.py`), so a million check-ins take minutes on SQLite.
No Flask here beyond the session: the caller (the CLI) commits and reports progress.
"""
from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from ..accounts.models import Location, Organisation, Role, Staff
from ..checkin import past_visits
from ..checkin.kiosk import hash_token
from ..checkin.models import CheckIn, KioskDevice
from ..clock import local_today, utcnow
from ..extensions import db
from ..planning.models import Activity, ActivityChange, Closure
from ..visitors.codes import generate_code
from ..visitors.models import Card, Visitor
from . import demo_city_words as words
from .demo import DEMO_PASSWORD, demo_portrait
from .demo_history import WEEKS as DEMO_WEEKS
from .demo_visits import BATCH, History, Place, PlannedVisitor, Visits, occurrence_days, todays_slots

SEED = 2031
Progress = Callable[[str], None]


@dataclass(frozen=True)
class CitySize:
    organisations: int = 5
    locations: int = 50
    activities_per_location: int = 30   # on average: the demo's BOPs keep their own programme
    visitors: int = 5_000
    checkins: int = 1_000_000           # in all, the demo's and today's included
    years: int = 5
    today_per_location: int = 25        # of which 20 named, so today's list has content

    def check(self) -> None:
        if self.organisations < 2 or self.locations <= self.organisations:
            raise ValueError("a city has at least the demo's 2 organisations, and more BOPs than organisations "
                             "(the demo's first organisation has two)")
        if self.visitors < 0 or self.checkins < 0 or not 1 <= self.years <= 20:
            raise ValueError("visitors and check-ins cannot be negative; 1 to 20 years")


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("ë", "e")).strip("-")


def load_city(size: CitySize = CitySize(), today: date | None = None, progress: Progress = lambda _: None,
              seed: int = SEED) -> dict[str, int]:
    """Grow the loaded demo into a city of `size` (the caller commits). Returns what is there."""
    size.check()
    today = today or local_today()
    rnd = random.Random(seed)
    started = today - timedelta(days=365 * size.years)
    demo_start = today - timedelta(weeks=DEMO_WEEKS)
    password_hash = _one_hash()

    organisations = list(db.session.execute(select(Organisation).order_by(Organisation.id)).scalars())
    names = iter(n for n in words.ORGANISATIONS if n not in {o.name for o in organisations})
    while len(organisations) < size.organisations:
        organisations.append(Organisation(name=next(names, f"Welzijnsorganisatie {len(organisations) + 1}")))
    db.session.add_all(organisations)
    db.session.flush()
    demo_locations = list(db.session.execute(select(Location).order_by(Location.id)).scalars())

    # 50 BOPs in 5 organisations: 10 each, the demo's three among them.
    places = neighbourhoods()
    locations: list[Location] = []
    for number, organisation in enumerate(organisations):
        want = size.locations // size.organisations + (number < size.locations % size.organisations)
        have = [loc for loc in demo_locations if loc.organisation_id == organisation.id]
        new = [_location(organisation, next(places)) for _ in range(max(0, want - len(have)))]
        locations += have + new
        _staff(number + 1, organisation, have, new, password_hash)
    db.session.flush()
    progress(f"{len(organisations)} organisations, {len(locations)} BOPs")

    new_ids = {loc.id for loc in locations} - {loc.id for loc in demo_locations}
    demo_activities = db.session.execute(select(func.count()).select_from(Activity)).scalar_one()
    share = max(0, size.activities_per_location * size.locations - demo_activities)
    new_locations = [loc for loc in locations if loc.id in new_ids]
    for k, location in enumerate(new_locations):
        count = share // len(new_locations) + (k < share % len(new_locations)) if new_locations else 0
        add_programme(rnd, location, count, started, today)
    for location in demo_locations:   # the demo's programme ran for years, not months
        for activity in location.activities:
            if "COUNT=" not in activity.rrule:
                activity.first_date = min(activity.first_date, started)
    db.session.flush()

    history = History(started=started, today=today)
    history.load_existing()
    for location in locations:
        # The demo's own changed dates and closures (its last months) stay as they are.
        until = demo_start if location.id not in new_ids else today + timedelta(weeks=8)
        _changes_and_closures(rnd, location, started, until, today, history)
    progress(f"{sum(len(loc.activities) for loc in locations)} activities, "
             f"{history.changes:,} changed dates, {history.closures:,} closures")

    existing_visitors = db.session.execute(select(func.count()).select_from(Visitor)).scalar_one()
    planned = add_visitors(rnd, locations, max(0, size.visitors - existing_visitors), started, today)
    progress(f"{existing_visitors + len(planned):,} visitors with cards")

    existing = db.session.execute(select(func.count()).select_from(CheckIn)).scalar_one()
    remaining = max(0, size.checkins - existing)
    todays = min(remaining, size.today_per_location * len(locations))
    past = remaining - todays
    visits = Visits(rnd, today, progress)
    for k, location in enumerate(locations):
        place = Place(location.id, location.organisation_id, occurrence_days(location, history, started, today),
                      [p for p in planned if p.home_id == location.id],
                      [p for p in planned if p.organisation_id == location.organisation_id],
                      todays_slots(location, today))
        visits.history(place, past // len(locations) + (k < past % len(locations)))
        visits.today(place, todays // len(locations) + (k < todays % len(locations)))
    visits.flush()
    _kiosks(rnd, locations)
    for location in locations:   # the bulk inserts bypass the ORM's programme versioning
        location.programme_version = (location.programme_version or 0) + 1
        location.programme_changed_at = utcnow()
    past_visits.bump(db.session.connection(), [location.id for location in locations])  # and its past visits
    progress(f"{existing + visits.written:,} check-ins, {visits.scans:,} scans")
    return counts()


def counts() -> dict[str, int]:
    def n(model) -> int:
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()
    return {"organisations": n(Organisation), "locations": n(Location), "activities": n(Activity),
            "staff": n(Staff), "visitors": n(Visitor), "cards": n(Card), "checkins": n(CheckIn)}


def neighbourhoods() -> Iterator[str]:
    """Names for new BOPs: Leiden's neighbourhoods, then numbered ones."""
    yield from words.NEIGHBOURHOODS
    number = 2
    while True:
        yield from (f"{name} {number}" for name in words.NEIGHBOURHOODS)
        number += 1


def _location(organisation: Organisation, name: str) -> Location:
    street = f"{name.split()[0]}{words.STREETS[len(name) % len(words.STREETS)]}"
    return Location(organisation=organisation, slug=slug_of(f"bop {name}"), name=f"BOP {name}",
                    address=f"{street} {len(name) * 3 % 90 + 1}, Leiden", phone=f"071 5{len(name) % 10}0 00 00",
                    opening_hours="maandag tot en met vrijdag 9:30 tot 16:00",
                    description=f"Een huiskamer in de {name}. Kom binnen voor koffie, een praatje of een activiteit.")


def _one_hash() -> str:
    probe = Staff(password_hash="")
    probe.set_password(DEMO_PASSWORD)   # the demo's password, hashed once for every city account
    return probe.password_hash


def _staff(number: int, organisation: Organisation, have: list[Location], new: list[Location],
           password_hash: str) -> None:
    """A coordinator for a new organisation; a worker per three new BOPs and a volunteer per five.
    The demo's organisations keep their coordinators and get workers for their new BOPs."""
    people = []
    if not have:
        people.append(Staff(email=f"coordinator{number}@example.org", name=f"Coördinator {organisation.name}",
                            role=Role.COORDINATOR, organisation=organisation, password_hash=password_hash,
                            phone="071 500 00 00", photo=demo_portrait("#2a6f97")))
    for k in range(0, len(new), 3):
        n = k // 3 + 1
        people.append(Staff(email=f"worker{number}-{n}@example.org", name=f"Welzijnswerker {number}-{n}",
                            role=Role.WORKER, organisation=organisation, password_hash=password_hash,
                            phone="071 500 00 01", whatsapp="06 10 00 00 01", locations=new[k:k + 3]))
    for k in range(0, len(new), 5):
        n = k // 5 + 1
        people.append(Staff(email=f"volunteer{number}-{n}@example.org", name=f"Vrijwilliger {number}-{n}",
                            role=Role.VOLUNTEER, organisation=organisation, password_hash=password_hash,
                            locations=new[k:k + 2]))
    for location, host in zip(new, [p for p in people if p.role != Role.VOLUNTEER] * len(new), strict=False):
        location.contact = host
    db.session.add_all(people)


def _rule(rnd: random.Random) -> str:
    day = rnd.choice(["MO", "TU", "WE", "TH", "FR", "FR", "SA"][: 6 if rnd.random() < 0.9 else 7])
    kind = rnd.random()
    if kind < 0.65:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if kind < 0.8:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if kind < 0.9:
        return f"FREQ=MONTHLY;BYDAY={rnd.choice(['1', '2', '3', '-1'])}{day}"
    return "FREQ=WEEKLY;BYDAY=" + ",".join(rnd.sample(["MO", "TU", "WE", "TH", "FR"], 2))


def add_programme(rnd: random.Random, location: Location, count: int, started: date, today: date) -> None:
    """`count` activities of the city's programme; a few started later, a few have ended."""
    hosts = [location.contact] if location.contact is not None else []
    chosen = []
    while len(chosen) < count:
        chosen += rnd.sample(words.PROGRAMME, min(len(words.PROGRAMME), count - len(chosen)))
    seen: dict[str, int] = {}
    for template in chosen:
        seen[template.title] = seen.get(template.title, 0) + 1
        title = template.title if seen[template.title] == 1 else f"{template.title} ({seen[template.title]})"
        first = started if rnd.random() < 0.8 else started + timedelta(days=rnd.randrange((today - started).days))
        ended = rnd.random() < 0.08 and first < today - timedelta(days=120)
        last = first + timedelta(days=rnd.randrange(60, (today - first).days)) if ended else None
        host = rnd.choice(hosts) if hosts and rnd.random() < 0.6 else None
        location.activities.append(Activity(
            title=title, category=template.category, summary=template.summary, description=template.description,
            start_time=time(template.start.hour, template.start.minute), duration_minutes=template.minutes,
            rrule=_rule(rnd), first_date=first, last_date=last, price_cents=template.price_cents,
            bring=template.bring, host=host, host_name="" if host else rnd.choice(["Vrijwilliger", "Buurtbewoner"]),
            threshold_note="U hoeft zich niet aan te melden. Geen ervaring nodig."))


def _changes_and_closures(rnd: random.Random, location: Location, started: date, until: date, today: date,
                          history: History) -> None:
    """Christmas and two summer weeks closed every year; about one changed date per activity per
    two months, on real dates of its rule (cancelled, or moved to the next day)."""
    closures = []
    for year in range(started.year, today.year + 1):
        for first, last, reason in ((date(year, 7, 20), date(year, 8, 2), "Zomervakantie"),
                                    (date(year, 12, 24), date(year + 1, 1, 3), "Kerstvakantie")):
            if started <= first and last < until:
                closures.append({"location_id": location.id, "first_date": first, "last_date": last, "reason": reason})
    history.add_closures(location.id, closures)
    changes = []
    for activity in location.activities:
        dates = [d for d in history.rule_dates(activity) if d < until]
        existing = {c.original_date for c in history.changes_of(activity)}
        for day in rnd.sample(dates, len(dates) // 30):
            if day in existing:
                continue
            moved = rnd.random() < 0.25
            changes.append({"activity_id": activity.id, "original_date": day, "cancelled": not moved,
                            "reason": rnd.choice(words.MOVE_REASONS if moved else words.CANCEL_REASONS),
                            "new_date": day + timedelta(days=1) if moved else None, "new_start_time": None})
    history.add_changes(changes)
    for start in range(0, len(closures), BATCH):
        db.session.execute(insert(Closure.__table__), closures[start:start + BATCH])
    for start in range(0, len(changes), BATCH):
        db.session.execute(insert(ActivityChange.__table__), changes[start:start + BATCH])


def add_visitors(rnd: random.Random, locations: list[Location], count: int, started: date,
                 today: date) -> list[PlannedVisitor]:
    """`count` visitors spread over the BOPs (their home), each with a card and a span of weeks or
    years in which they come; a few gave their phone number, a few lost a card."""
    now = utcnow()
    planned = []
    for n in range(count):
        home = locations[n % len(locations)]
        first = started + timedelta(days=rnd.randrange((today - started).days + 1))
        stays = today if rnd.random() < 0.3 else first + timedelta(days=14 + int(rnd.expovariate(1 / 400)))
        name, language = rnd.choice(words.FIRST_NAMES)
        planned.append(PlannedVisitor(0, home.id, home.organisation_id, first, min(stays, today),
                                      f"{name} {rnd.choice(words.INITIALS)}.", language,
                                      f"06 {rnd.randrange(10_000_000, 99_999_999)}" if rnd.random() < 0.1 else ""))
    for start in range(0, len(planned), BATCH):
        batch = planned[start:start + BATCH]
        table = Visitor.__table__
        ids = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), [
            {"name": p.name, "language": p.language, "phone": p.phone, "phone_consent_at": now if p.phone else None,
             "home_location_id": p.home_id, "organisation_id": p.organisation_id,
             "created_at": datetime.combine(p.first, time(9))} for p in batch]).scalars().all()
        for person, visitor_id in zip(batch, ids, strict=True):
            person.id = visitor_id
        cards = [{"visitor_id": p.id, "code": generate_code(), "issued_at": datetime.combine(p.first, time(9)),
                  "revoked_at": None} for p in batch]
        cards += [{"visitor_id": p.id, "code": generate_code(), "issued_at": datetime.combine(p.first, time(8)),
                   "revoked_at": datetime.combine(p.first, time(9))} for p in batch if p.id % 29 == 0]
        db.session.execute(insert(Card.__table__), cards)
    return planned


def _kiosks(rnd: random.Random, locations: list[Location]) -> None:
    """A paired tablet at every BOP (nobody knows its token), and an old revoked one at some."""
    now = utcnow()
    rows = []
    for location in locations:
        rows.append({"location_id": location.id, "name": "Tablet koffietafel", "created_at": now, "paired_at": now,
                     "token_hash": hash_token(secrets.token_urlsafe(32)), "last_seen_at": now})
        if rnd.random() < 0.3:
            rows.append({"location_id": location.id, "name": "Oude tablet", "created_at": now - timedelta(days=400),
                         "paired_at": now - timedelta(days=400), "revoked_at": now - timedelta(days=30),
                         "token_hash": hash_token(secrets.token_urlsafe(32)), "last_seen_at": now - timedelta(days=31)})
    db.session.execute(insert(KioskDevice.__table__), [{"revoked_at": None, **row} for row in rows])
