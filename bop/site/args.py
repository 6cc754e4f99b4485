"""Reading what a request names: a location by its slug, a week, ids, counts, pages and times.

Public and staff pages share these, so a bad slug, week or number is the same clear 4xx everywhere,
never a 500. Every whole number that comes from outside (a path, a query, a form, a JSON body)
goes through `parse_int`: ASCII digits only (`"²".isdigit()` is True, but `int("²")` fails) and
no larger than a database column holds (SQLite refuses to bind above 2**63, PostgreSQL's INTEGER
stops at 2**31 - 1).
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..planning import schedule

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER, the narrowest id column BOP runs on
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,10}")
# Times from kiosks and phones: anything outside these years is a wrong clock or an attack, and
# near year 1 or 9999 a time-zone shift overflows Python's datetime.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number from a query, a form or JSON, within [minimum, maximum]; else None.

    Text must be plain ASCII digits (an optional minus, surrounding spaces allowed); JSON gives a
    real int (never a bool or a float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE_NUMBER.fullmatch(text):
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if minimum <= value <= maximum else None


def parse_id(value) -> int | None:
    """A database id (1 and up) from outside, or None."""
    return parse_int(value, minimum=1)


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 time with a time zone, between EARLIEST and LATEST; ValueError otherwise."""
    if not isinstance(text, str) or len(text) > 40:
        raise ValueError("not an ISO 8601 time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    # Compare the naive wall time first: converting 0001-01-01T00:00+14:00 to UTC overflows.
    if not EARLIEST.replace(tzinfo=None) <= moment.replace(tzinfo=None) <= LATEST.replace(tzinfo=None) \
            or not EARLIEST <= moment <= LATEST:
        raise ValueError("out of range")
    return moment


class BoundedIntConverter(IntegerConverter):
    """The app's `<int:...>` in routes: ids from 1 to MAX_ID, so a huge number is a 404, not a 500."""

    regex = r"[0-9]{1,10}"  # ASCII only: `\d` also matches other scripts' digits

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class BoundedIntegerField(IntegerField):
    """A form's whole number: ASCII digits between minimum and maximum, else `message`."""

    def __init__(self, label=None, validators=None, *, minimum: int = 0, maximum: int = MAX_ID,
                 message=None, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.message = message or _l("Vul een getal in van %(minimum)d tot %(maximum)d.", minimum=minimum,
                                     maximum=maximum)

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = parse_int(valuelist[0], minimum=self.minimum, maximum=self.maximum)
        if self.data is None:
            raise ValueError(str(self.message))


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


def page_from_request() -> int:
    """?page=N of a long list (1 when absent); a page that cannot exist is a 404."""
    text = request.args.get("page")
    if text is None:
        return 1
    page = parse_int(text, minimum=1)
    if page is None:
        abort(404)
    return page


def query_string() -> str:
    """The request's query string, to append as is to a redirect's address ("" or "?...").

    Never spread the query into url_for's keywords: `?endpoint=x`, `?_external=1` or `?slug=` would
    collide with url_for's own arguments or the route's."""
    text = urlencode(list(request.args.items(multi=True)))
    return "?" + text if text else ""
