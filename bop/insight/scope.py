"""Which BOPs a staff member may see in reports and outreach.

Organisations and per-staff scoping come later; this is the ONE place to narrow it then. Every
insight view asks here, never the Location table directly.
"""
from __future__ import annotations

from ..accounts.models import Location, Staff
from ..extensions import db


def visible_locations(staff: Staff) -> list[Location]:
    """Every location, for now, by name."""
    return list(db.session.execute(db.select(Location).order_by(Location.name)).scalars())
