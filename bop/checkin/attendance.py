"""Who came on one day: check-ins per slot, named visitors, guests and headcounts kept apart.

Read by the staff list and the kiosk's today answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import Location
from ..extensions import DbSession
from .models import CheckIn, Method
from .redeem import checkin_time


@dataclass
class SlotAttendance:
    """Who came to one activity (or the drop-in) on one day."""

    named: list[CheckIn] = field(default_factory=list)
    guests: int = 0
    headcount: int = 0

    @property
    def total(self) -> int:
        return len(self.named) + self.guests + self.headcount


def attendance(session: DbSession, location: Location, day: date) -> dict[int, SlotAttendance]:
    """Check-ins per slot: named visitors, guests and headcounts kept apart."""
    rows = session.execute(
        # With the visitor (for the names on the staff list) in the same query.
        select(CheckIn).filter_by(location_id=location.id, day=day)
        .options(joinedload(CheckIn.visitor)).order_by(CheckIn.id)
    ).scalars()
    slots: dict[int, SlotAttendance] = {}
    for checkin in rows:
        slot = slots.setdefault(checkin.slot, SlotAttendance())
        if checkin.visitor_id is not None:
            slot.named.append(checkin)
        elif checkin.method == Method.HEADCOUNT:
            slot.headcount += checkin.count
        else:
            slot.guests += checkin.count
    for slot in slots.values():
        slot.named.sort(key=checkin_time)
    return slots
