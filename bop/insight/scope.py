"""Which BOPs a staff member may see in reports and outreach: the ones `accounts.access` allows.

Every insight view asks here, never the Location table directly.
"""
from __future__ import annotations

from ..accounts import access
from ..accounts.models import Location, SignedIn, Staff


def visible_locations(staff: Staff | SignedIn) -> list[Location]:
    """The BOPs the staff member works at (every BOP of the organisation for a coordinator), by name."""
    return access.locations(staff)
