"""Helpers for the report and outreach tests: check-ins written straight into the database."""
from __future__ import annotations

import re
from datetime import date

from support import make_visitor

from bop.checkin.models import CheckIn
from bop.extensions import db
from bop.visitors.models import Visitor


def visit(location, day: date, visitor: Visitor | None = None, activity=None, *, method: str = "card",
          count: int = 1, source: str = "") -> CheckIn:
    checkin = CheckIn(location_id=location.id, day=day, visitor_id=visitor.id if visitor else None,
                      activity_id=activity.id if activity else None, slot=activity.id if activity else 0,
                      method=method if visitor or method in ("guest", "headcount") else "guest",
                      count=count, source=source)
    db.session.add(checkin)
    db.session.commit()
    return checkin


def person(name: str, **fields) -> Visitor:
    """A visitor of the BOP's organisation (support.make_visitor), without caring for the card."""
    return make_visitor(name, location=fields.pop("home_location", None), **fields)[0]


def figure(page: str, key: str) -> int:
    """The big number of one key figure on the report page."""
    match = re.search(rf'data-figure="{key}">.*?<strong>(-?\d+)</strong>', page, re.S)
    assert match, key
    return int(match.group(1))
