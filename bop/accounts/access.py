"""Who may do what, and where: the one place every staff view asks.

- A coordinator works at every BOP of their organisation: looks, plans and manages (staff, BOPs,
  tablets).
- A worker plans, and a volunteer looks, at the BOPs they are assigned to; nothing elsewhere.
- A city-wide administrator creates organisations and their first coordinator; they see no BOP's
  visitors, plans or check-ins.
- Which visitors a staff member sees follows from this: `bop/visitors/scope.py`.
"""
from __future__ import annotations

from enum import StrEnum

from flask import abort
from sqlalchemy import Row, Select, bindparam, select

from ..extensions import db
from ..site.args import location_or_404
from .models import Location, Role, SignedIn, Staff, staff_location


class Can(StrEnum):
    VIEW = "view"      # the programme, visitors, today's list, flyers and reports of a BOP
    PLAN = "plan"      # change activities, dates and closures; record check-ins; edit visitors
    MANAGE = "manage"  # the BOP itself, its tablets, and the organisation's staff


def may(staff: Staff | SignedIn, can: Can, location: Location) -> bool:
    """May `staff` do `can` at `location`?"""
    if not staff.is_authenticated or staff.is_admin or staff.organisation_id is None:
        return False
    if location.organisation_id != staff.organisation_id:
        return False
    if staff.role == Role.COORDINATOR:
        return True
    if can == Can.MANAGE or location.id not in location_ids(staff):
        return False
    return can == Can.VIEW or staff.can_plan


def require(staff: Staff | SignedIn, can: Can, location: Location) -> Location:
    """The location, or a 403 for whoever may not do `can` there."""
    if not may(staff, can, location):
        abort(403)
    return location


def chosen(slug: str, mine: list[Row]) -> Row:
    """The row of BOP `slug` in `mine` (from `choices`, which holds exactly the BOPs the staff member
    may view, or from `choice`); a BOP outside it is a 403, a slug of no BOP a 404."""
    for choice in mine:
        if choice.slug == slug:
            return choice
    location_or_404(slug)
    abort(403)


def choices(staff: Staff | SignedIn) -> list[Row]:
    """Each BOP a staff member reaches, by name, as a plain row: the id, slug and name a page's BOP
    chooser shows, and the versions that key a kept page of the chosen BOP, so that a page served
    from memory loads no location (a coordinator of fifty BOPs would otherwise load fifty)."""
    return _reachable(staff, _CHOICES, plain=True)


def choice(staff: Staff | SignedIn, slug: str | None) -> Row | None:
    """The one row `choices` would give for BOP `slug`, or without a slug for the first BOP by name:
    for a page with no chooser (`today.json`), so that a coordinator of fifty BOPs reads one row, not
    fifty. A BOP the staff member may not view is a 403, a slug of no BOP a 404."""
    if not slug:
        first = _reachable(staff, _FIRST_CHOICE, plain=True)
        return first[0] if first else None
    return chosen(slug, _reachable(staff, _ONE_CHOICE, plain=True, slug=slug))


def location_ids(staff: Staff | SignedIn) -> set[int]:
    """The BOPs a staff member reaches (all of the organisation for a coordinator)."""
    return set(_reachable(staff, _IDS))


def locations(staff: Staff | SignedIn, can: Can = Can.VIEW) -> list[Location]:
    """The BOPs where `staff` may do `can`, by name."""
    if (can == Can.PLAN and not staff.can_plan) or (can == Can.MANAGE and not staff.can_manage):
        return []
    return _reachable(staff, _LOCATIONS)


def _reach(*what) -> tuple[Select, Select]:
    """The statements for `what` of the BOPs of an organisation, and of those a staff member is
    assigned to. Built once: every staff page asks, and building a statement cost more than running it."""
    everywhere = select(*what).where(Location.organisation_id == bindparam("organisation"))
    assigned = (everywhere.join(staff_location, staff_location.c.location_id == Location.id)
                .where(staff_location.c.staff_id == bindparam("staff")))
    return everywhere, assigned


_IDS = _reach(Location.id)
_LOCATIONS = tuple(statement.order_by(Location.name) for statement in _reach(Location))
# The versions are those of the kept pages with a BOP chooser: the programme's (planner, today's
# list) and the past visits' (the planner's last four weeks).
_CHOICES = tuple(statement.order_by(Location.name) for statement in _reach(
    Location.id, Location.slug, Location.name, Location.programme_version, Location.programme_changed_at,
    Location.past_visits_version))
_ONE_CHOICE = tuple(statement.where(Location.slug == bindparam("slug")) for statement in _CHOICES)
_FIRST_CHOICE = tuple(statement.limit(1) for statement in _CHOICES)


def _reachable(staff: Staff | SignedIn, statements: tuple[Select, ...], *, plain: bool = False,
               **values: object) -> list:
    """What the statement of `statements` that applies to `staff` gives: locations or ids through the
    session, or (`plain`) rows from its connection, skipping the ORM."""
    if staff.is_admin or staff.organisation_id is None:
        return []
    everywhere, assigned = statements
    statement = everywhere if staff.role == Role.COORDINATOR else assigned
    values |= {"organisation": staff.organisation_id, "staff": staff.id}
    if plain:
        return list(db.session.connection().execute(statement, values).all())  # one fetch, not one per row
    return list(db.session.execute(statement, values).scalars())
