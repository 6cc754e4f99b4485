"""Reading what a request names: a location by its slug, a week, the query to carry over.

Public and staff pages share these, so a bad slug or week is the same clear 404 everywhere.
"""
from __future__ import annotations

from datetime import date

from flask import abort, request

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..planning import schedule


def location_or_404(slug: str) -> Location:
    return db.one_or_404(db.select(Location).filter_by(slug=slug))


def monday_or_404(week: str) -> date:
    """The Monday of an ISO week label (2026-W48); anything else is a 404, never a 500."""
    try:
        return schedule.parse_iso_week(week)
    except ValueError:
        abort(404)


def week_from_request() -> date:
    """The Monday of ?week=YYYY-Www, or of this week; a bad week is a 404, never a 500."""
    text = request.args.get("week")
    if not text:
        return schedule.monday_of(local_today())
    return monday_or_404(text)


def query_args() -> dict[str, str]:
    """The query string to carry over a redirect; never url_for's own keywords (slug, _external...)."""
    return {k: v for k, v in request.args.items() if k != "slug" and not k.startswith("_")}
