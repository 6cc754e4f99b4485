"""Who is out of sight and who is new at a BOP: aggregate queries per visitor, never per check-in.

- Out of sight: regulars (at least `min_visits` days in the last `window_weeks` weeks) whose last
  visit here is `away_weeks` weeks ago or longer, longest away first. Someone who said they want
  no contact is left off until they come back (a visit after that date); someone who was reached
  stays off for `FOLLOW_UP_WEEKS` weeks; "no answer" stays on the list, with that note.
- New faces: visitors whose first visit here falls in the last `weeks` weeks, with their first
  activity and how they heard of the BOP.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..checkin.models import CheckIn
from ..planning.models import Activity
from ..visitors.models import Visitor
from .models import Outcome, OutreachContact

FOLLOW_UP_WEEKS = 4


@dataclass
class Absentee:
    visitor: Visitor
    visits: int
    last_visit: date
    activities: list[str] = field(default_factory=list)
    last_contact: OutreachContact | None = None

    def weeks_away(self, today: date) -> int:
        return (today - self.last_visit).days // 7


@dataclass
class Newcomer:
    visitor: Visitor
    first_visit: date
    activity: str
    source: str


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Activity.id, Activity.title).where(Activity.id.in_(ids))).all())


def out_of_sight(session: Session, location_id: int, today: date, *, min_visits: int = 3, window_weeks: int = 12,
                 away_weeks: int = 3) -> list[Absentee]:
    since = today - timedelta(weeks=window_weeks)
    cutoff = today - timedelta(weeks=away_weeks)
    rows = session.execute(
        select(CheckIn.visitor_id, func.count(distinct(CheckIn.day)), func.max(CheckIn.day))
        .where(CheckIn.location_id == location_id, CheckIn.visitor_id.is_not(None), CheckIn.day >= since,
               CheckIn.day <= today)
        .group_by(CheckIn.visitor_id)
        .having(func.count(distinct(CheckIn.day)) >= min_visits, func.max(CheckIn.day) <= cutoff)
    ).all()
    if not rows:
        return []
    ids = [visitor_id for visitor_id, _, _ in rows]
    # Seen at another BOP since: not out of sight (one index probe per person on the list).
    elsewhere = set(session.execute(
        select(CheckIn.visitor_id).where(CheckIn.visitor_id.in_(ids), CheckIn.day > cutoff).distinct()).scalars())
    contacts: dict[int, OutreachContact] = {}
    for contact in session.execute(select(OutreachContact).where(OutreachContact.visitor_id.in_(ids))
                                   .order_by(OutreachContact.day, OutreachContact.id)).scalars():
        contacts[contact.visitor_id] = contact   # the latest one wins
    visitors = {v.id: v for v in session.execute(select(Visitor).where(Visitor.id.in_(ids))).scalars()}
    found = []
    for visitor_id, visits, last in rows:
        if visitor_id in elsewhere:
            continue
        contact = contacts.get(visitor_id)
        if contact is not None and contact.day >= last:
            if contact.outcome == Outcome.NO_CONTACT:
                continue
            if contact.outcome == Outcome.REACHED and contact.day > today - timedelta(weeks=FOLLOW_UP_WEEKS):
                continue
        found.append(Absentee(visitors[visitor_id], visits, last, last_contact=contact))
    found.sort(key=lambda a: (a.last_visit, a.visitor.name))
    _usual_activities(session, location_id, since, found)
    return found


def _usual_activities(session: Session, location_id: int, since: date, people: list[Absentee], top: int = 2) -> None:
    """Each person's most visited activities in the window (the drop-in not counted)."""
    by_id = {a.visitor.id: a for a in people}
    rows = session.execute(
        select(CheckIn.visitor_id, Activity.title, func.count())
        .join(Activity, Activity.id == CheckIn.activity_id)
        .where(CheckIn.location_id == location_id, CheckIn.visitor_id.in_(by_id), CheckIn.day >= since)
        .group_by(CheckIn.visitor_id, Activity.id, Activity.title)
    ).all()
    for visitor_id, title, _n in sorted(rows, key=lambda r: (-r[2], r[1])):
        chosen = by_id[visitor_id].activities
        if len(chosen) < top:
            chosen.append(title)


def new_faces(session: Session, location_id: int, today: date, weeks: int = 4) -> list[Newcomer]:
    since = today - timedelta(weeks=weeks)
    firsts = dict(session.execute(
        select(CheckIn.visitor_id, func.min(CheckIn.day)).where(CheckIn.location_id == location_id,
                                                                 CheckIn.visitor_id.is_not(None))
        .group_by(CheckIn.visitor_id).having(func.min(CheckIn.day) >= since, func.min(CheckIn.day) <= today)
    ).all())
    if not firsts:
        return []
    rows = session.execute(
        select(CheckIn.visitor_id, CheckIn.day, CheckIn.activity_id, CheckIn.source)
        .where(CheckIn.location_id == location_id, CheckIn.visitor_id.in_(firsts), CheckIn.day >= since)
        .order_by(CheckIn.day, CheckIn.id)
    ).all()
    titles = _titles(session, {r.activity_id for r in rows if r.activity_id})
    visitors = {v.id: v for v in session.execute(select(Visitor).where(Visitor.id.in_(firsts))).scalars()}
    first_activity: dict[int, str] = {}
    source: dict[int, str] = {}
    for visitor_id, day, activity_id, answer in rows:   # a few rows per newcomer
        if day == firsts[visitor_id] and activity_id and visitor_id not in first_activity:
            first_activity[visitor_id] = titles.get(activity_id, "")
        if answer and visitor_id not in source:
            source[visitor_id] = answer
    found = [Newcomer(visitors[vid], first, first_activity.get(vid, ""), source.get(vid, ""))
             for vid, first in firsts.items()]
    return sorted(found, key=lambda n: (n.first_visit, n.visitor.name), reverse=True)


def new_guests(session: Session, location_id: int, today: date, weeks: int = 4) -> int:
    """Guests without a name in the same weeks: counted, never listed."""
    since = today - timedelta(weeks=weeks)
    return session.execute(
        select(func.coalesce(func.sum(CheckIn.count), 0)).where(
            CheckIn.location_id == location_id, CheckIn.visitor_id.is_(None), CheckIn.method == "guest",
            CheckIn.day >= since, CheckIn.day <= today)
    ).scalar_one()
