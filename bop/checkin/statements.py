"""The SQL of the kiosk's hot path, built once.

Every kiosk scan runs these, so they are built once and executed with a dict of parameters on the
session's connection, reading only the columns needed. Building a statement per request, running it
through Session.execute and loading entities (Activity with its changes, Card with its Visitor)
costs about 0.1 ms more per statement in SQLAlchemy; the writes among them run while SQLite's
write lock is held, which every other kiosk waits for (measured with bench/bench.py).
No cache: each scan reads the database, so a cancelled date, a closure or a revoked card counts
from the very next scan.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Insert, Table, and_, bindparam, delete, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..accounts.models import Location
from ..extensions import DbSession
from ..planning import schedule
from ..planning.models import Activity, ActivityChange, Closure
from ..visitors.models import Card, Visitor
from .models import CheckIn, KioskDevice, Scan


@dataclass(frozen=True)
class ActivityRef:
    """The facts of an activity a check-in and its answer need, read with one Core query.

    Loading the Activity entity (and its changes) costs several times more, on every kiosk scan.
    """

    id: int
    location_id: int
    title: str
    category: str
    series: schedule.Series


# For a one-day window only the changes from that day or moved onto it, and the closures covering
# it, can matter.
CHANGES_ON = (
    select(ActivityChange.original_date, ActivityChange.cancelled, ActivityChange.reason,
           ActivityChange.new_date, ActivityChange.new_start_time)
    .where(ActivityChange.activity_id == bindparam("activity_id"),
           or_(ActivityChange.original_date == bindparam("day"), ActivityChange.new_date == bindparam("day")))
)
CLOSURES_ON = (
    select(Closure.first_date, Closure.last_date, Closure.reason)
    .where(Closure.location_id == bindparam("location_id"),
           Closure.first_date <= bindparam("day"), Closure.last_date >= bindparam("day"))
)
# `here` says whether the card's organisation runs the location: a card works at its own
# organisation's BOPs only.
CARD_HOLDER = (
    select(Card.revoked_at, Visitor.id, Visitor.name, Visitor.language,
           (Visitor.organisation_id == select(Location.organisation_id)
            .where(Location.id == bindparam("location_id")).scalar_subquery()).label("here"))
    .join(Card.visitor).where(Card.code == bindparam("code"))
)


# A kiosk scan reads everything it needs in this one statement, before the write lock: the tablet
# by its token's hash; on the same row the activity asked for (when it is at the tablet's BOP),
# whether any date change or closure can touch that activity on the day; and the card's holder,
# with whether the card's organisation runs this BOP. One statement instead of five (tablet,
# activity, changes, closures, card): each costs about 35 µs in SQLAlchemy on top of SQLite's own
# few. Nothing is cached: a revoked tablet or card, a cancelled date or a closure counts from the
# very next scan. The activity and the card are LEFT JOINs (NULL when absent or not asked for);
# every join is on a unique key, so there is at most one row.
KIOSK_SCAN = (
    select(
        KioskDevice.id, KioskDevice.location_id, KioskDevice.name, KioskDevice.revoked_at, KioskDevice.last_seen_at,
        Activity.id.label("activity_id"), Activity.title, Activity.category, Activity.rrule, Activity.first_date,
        Activity.last_date, Activity.start_time, Activity.duration_minutes,
        exists().where(ActivityChange.activity_id == Activity.id,
                       or_(ActivityChange.original_date == bindparam("day"),
                           ActivityChange.new_date == bindparam("day"))).label("changed"),
        exists().where(Closure.location_id == KioskDevice.location_id, Closure.first_date <= bindparam("day"),
                       Closure.last_date >= bindparam("day")).label("closed"),
        Card.revoked_at.label("card_revoked_at"), Visitor.id.label("visitor_id"), Visitor.name.label("visitor_name"),
        Visitor.language, (Visitor.organisation_id == Location.organisation_id).label("here"),
    )
    .select_from(KioskDevice)
    .join(Location, Location.id == KioskDevice.location_id)
    .outerjoin(Activity, and_(Activity.id == bindparam("activity_id"), Activity.location_id == KioskDevice.location_id))
    .outerjoin(Card, Card.code == bindparam("code"))
    .outerjoin(Visitor, Visitor.id == Card.visitor_id)
    .where(KioskDevice.token_hash == bindparam("token_hash"))
)


def _insert_unless_taken(table: Table, *unique: str) -> dict[str, Insert]:
    """`INSERT ... ON CONFLICT (unique) DO NOTHING RETURNING id`, per dialect: the id of the new row,
    or no row when one with the same key is there (or being inserted by a concurrent transaction,
    which PostgreSQL waits for). No error, so no SAVEPOINT to roll back, and nothing in the
    server's error log. Both SQLite (3.35 and later) and PostgreSQL have it; the syntax is theirs.
    NULLs never conflict: guests and headcounts (no visitor), scans without a nonce.
    """
    return {dialect.__name__.rsplit(".", 1)[-1]:
            dialect.insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)
            for dialect in (sqlite, postgresql)}


# A named visitor counts once per location, day and slot: the unique constraint of CheckIn.
_INSERT_CHECKIN = _insert_unless_taken(CheckIn.__table__, "visitor_id", "location_id", "day", "slot")
# A nonce is answered once: whoever inserts its Scan row first owns the request.
_INSERT_SCAN = _insert_unless_taken(Scan.__table__, "nonce")
# A check-in inserted by a request whose nonce turns out to be answered already (see redeem).
DELETE_CHECKIN = delete(CheckIn.__table__).where(CheckIn.__table__.c.id == bindparam("checkin_id"))


def insert_checkin(connection: Connection, values: dict) -> int | None:
    """The id of the new check-in, or None when this visitor is already in for the slot."""
    return connection.execute(_INSERT_CHECKIN[connection.dialect.name], values).scalar_one_or_none()


def insert_scan(connection: Connection, values: dict) -> int | None:
    """The id of the new scan, or None when a scan with this nonce is already there."""
    return connection.execute(_INSERT_SCAN[connection.dialect.name], values).scalar_one_or_none()


def activity_ref(row, location_id: int) -> ActivityRef:
    """An ActivityRef from a KIOSK_SCAN row (the activity asked for, at the tablet's BOP)."""
    series = schedule.Series(key=row.activity_id, rrule=row.rrule, first_date=row.first_date, last_date=row.last_date,
                             start_time=row.start_time, duration=timedelta(minutes=row.duration_minutes))
    return ActivityRef(row.activity_id, location_id, row.title, row.category, series)


# Whether a rule produces a date depends only on these values, which every scan reads afresh: the
# answer may be kept. Walking the rule with dateutil costs about 0.1 ms, on every kiosk scan.
_is_rule_date = lru_cache(maxsize=1024)(schedule.is_rule_date)


def takes_place_unchanged(activity: ActivityRef, day: date) -> bool:
    """`takes_place` for a day without any change or closure touching the activity (KIOSK_SCAN says
    so): then it takes place exactly when its rule produces the day, as `schedule.expand` finds."""
    return _is_rule_date(activity.series, day)


def takes_place(session: DbSession, activity: ActivityRef, day: date) -> bool:
    """Whether the activity has a (not cancelled) occurrence on `day`: `occurrence_on`'s answer,
    from `schedule.expand` as for the agenda, with only the changes and closures that can matter."""
    connection = session.connection()
    changes = [
        schedule.DateChange(key=activity.id, original_date=row.original_date, cancelled=row.cancelled,
                            reason=row.reason, new_date=row.new_date, new_start_time=row.new_start_time)
        for row in connection.execute(CHANGES_ON, {"activity_id": activity.id, "day": day})
    ]
    closures = [
        schedule.ClosureSpan(row.first_date, row.last_date, row.reason)
        for row in connection.execute(CLOSURES_ON, {"location_id": activity.location_id, "day": day})
    ]
    found = schedule.expand([activity.series], changes, closures, day, day)
    return any(not o.cancelled for o in found)
