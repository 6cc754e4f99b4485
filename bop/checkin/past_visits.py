"""The past-visits version of a location: a counter that moves whenever a check-in of an earlier
day is added, changed or removed there.

Today's check-ins come and go all day; earlier days change only now and then: a tablet that was
offline uploads its queue (up to three days late), staff remove a wrong check-in, two visitors
turn out to be one. What shows counts of earlier days and is kept between requests (the week
planner's "laatste 4 weken", `bop.insight`) puts this counter in its state instead of counting
again on every request.

Who moves it:
- a `before_flush` listener for every CheckIn the ORM adds for an earlier day, changes or
  deletes (a change or removal of today's moves it too: rare, and simpler to get right);
- the kiosk's plain INSERT (`redeem`), for a scan of an earlier day;
- the bulk writers of the demo data, after their plain INSERTs.
Plain UPDATEs of check-ins elsewhere only unlink visitors (`visitors.records`), which no count
depends on; erasure and merging unlink or move a visitor's check-ins before the visitor goes, so
the database's cascade never removes one. A deleted activity takes its counts with it, and its
line on the planner with the programme version. `tests/test_page_cache.py` lists every plain
write to the table, so a new one is seen.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, event, update
from sqlalchemy.orm import Session

from ..accounts.models import Location
from ..clock import local_today
from .models import CheckIn

_BUMP = (
    update(Location.__table__)
    .where(Location.__table__.c.id.in_(bindparam("ids", expanding=True)))
    .values(past_visits_version=Location.__table__.c.past_visits_version + 1)
)


def bump(connection: Connection, location_ids: Iterable[int]) -> None:
    """Move the past-visits version of these locations on, in the current transaction."""
    ids = sorted(set(location_ids))
    if ids:
        connection.execute(_BUMP, {"ids": ids})


@event.listens_for(Session, "before_flush")
def _bump_for_checkins(session: Session, flush_context, instances) -> None:
    # Before the flush: a deleted check-in's row (and its location_id, if expired) is still there.
    added = [obj for obj in session.new if isinstance(obj, CheckIn)]
    changed = [obj for obj in (*session.dirty, *session.deleted)
               if isinstance(obj, CheckIn) and (obj in session.deleted or session.is_modified(obj))]
    if added:
        today = local_today()
        changed += [obj for obj in added if obj.day < today]
    with session.no_autoflush:
        ids = {location_id for obj in changed if (location_id := _location_id(obj)) is not None}
    if ids:
        bump(session.connection(), ids)
        # A Location of this session must not show its old number until the transaction ends.
        for location_id in ids:
            location = session.identity_map.get(session.identity_key(Location, location_id))
            if location is not None:
                session.expire(location, ["past_visits_version"])


def _location_id(checkin: CheckIn) -> int | None:
    """Its location's id, also when it was given as an object (a new BOP has no id yet: None)."""
    return checkin.location_id if checkin.location_id is not None else getattr(checkin.location, "id", None)
