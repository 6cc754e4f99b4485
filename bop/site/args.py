"""Reading what a request names: a location by its slug, a week, a page, the query to carry over.

Public and staff pages share these, so a bad slug, week or page is the same clear 404 everywhere,
never a 500. The bounds on what may come in at all are `inputs.py`'s.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, bindparam, select

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..planning import schedule
from .inputs import parse_int

# Built once: nearly every page starts here, and building the statement anew each time cost more
# than running it.
_LOCATION_BY_SLUG = select(Location).where(Location.slug == bindparam("slug"))


def location_or_404(slug: str) -> Location:
    location = db.session.execute(_LOCATION_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    if location is None:
        abort(404)
    return location


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


def page_from_request() -> int:
    """?page=N of a long list (1 when absent); a page that cannot exist is a 404."""
    text = request.args.get("page")
    if text is None:
        return 1
    page = parse_int(text, minimum=1)
    if page is None:
        abort(404)
    return page


class _RowPagination(SelectPagination):
    """A page of a select's rows (Flask-SQLAlchemy's own keeps only each row's first column), and
    the total from a count of its own."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())

    def _query_count(self) -> int:
        return self._query_args["session"].execute(self._query_args["total"]).scalar_one()


def page_of_rows(statement: Select, total: Select, per_page: int) -> Pagination:
    """?page=N of `statement`'s rows as plain values; `total` counts them all for the pager, without
    the joins that only add what a row shows (counting a regular's 700 visits through them cost
    1 ms)."""
    return _RowPagination(select=statement, total=total, session=db.session(), page=page_from_request(),
                          per_page=per_page, error_out=False)


def query_string() -> str:
    """The request's query string, to append as is to a redirect's address ("" or "?...").

    Never spread the query into url_for's keywords: `?endpoint=x`, `?_external=1` or `?slug=` would
    collide with url_for's own arguments or the route's."""
    text = urlencode(list(request.args.items(multi=True)))
    return "?" + text if text else ""
