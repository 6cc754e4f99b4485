"""Which visitors a staff member sees.

A visitor belongs to the organisation that issued their card. A coordinator sees every visitor of
their organisation; a worker or volunteer those who call one of their BOPs home or came to one of
them, and those who have no home BOP yet (just registered, not tied to any BOP, so nobody's in
particular). An administrator sees no visitors.
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import exists, false, or_

from ..accounts.access import location_ids
from ..accounts.models import Role, SignedIn, Staff
from ..checkin.models import CheckIn  # the check-in table only: a visitor's history is their visits
from ..extensions import db
from .models import Visitor


def visible_visitors(staff: Staff | SignedIn):
    """A WHERE clause for the Visitor rows `staff` may see."""
    if staff.is_admin or staff.organisation_id is None:
        return false()
    same_organisation = Visitor.organisation_id == staff.organisation_id
    if staff.role == Role.COORDINATOR:
        return same_organisation
    ids = location_ids(staff)
    came = exists().where(CheckIn.visitor_id == Visitor.id, CheckIn.location_id.in_(ids))
    return same_organisation & or_(Visitor.home_location_id.in_(ids), Visitor.home_location_id.is_(None), came)


def visitor_or_404(staff: Staff | SignedIn, visitor_id: int) -> Visitor:
    """The visitor if `staff` may see them; a 404 otherwise, so no other organisation's ids leak."""
    visitor = db.session.execute(
        db.select(Visitor).where(Visitor.id == visitor_id, visible_visitors(staff))).scalar_one_or_none()
    if visitor is None:
        abort(404)
    return visitor
