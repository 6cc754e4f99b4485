"""What a request may bring in, bounded so every database can hold it.

SQLite takes any integer and any text; PostgreSQL refuses an integer beyond its column type
("integer out of range") and any text with a NUL character. A bad address or a stray NUL in a form
must be a 404 or plain text, never a database error, on either database:

* `<int:...>` in a route only matches ids an id column can hold, else the page is a 404;
* `<slug>` (and any other plain path part) never matches a NUL;
* NUL in query strings and form fields arrives as U+FFFD, as `clean_raw` stores a scanned code;
* every whole number from outside (a query, a form, a JSON body) goes through `parse_int`: ASCII
  digits only (`"²".isdigit()` is True, but `int("²")` fails), within what a column holds;
* times from kiosks and phones go through `parse_timestamp`: with a time zone, in a sane range.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.wrappers import Request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError
from wtforms import IntegerField

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER (SQLAlchemy's Integer), the narrowest id column BOP runs on
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


class IdConverter(IntegerConverter):
    """`<int:...>`: 404 for a number no id column holds (a plain 404, as for an id not in use)."""

    regex = r"[0-9]{1,10}"  # ASCII only: `\d` also matches other scripts' digits

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """The default path part (`<slug>`), without NUL."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


def _without_nul(value):
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


class TextOnlyDict(ImmutableMultiDict):
    """Query and form values (and their keys) with NUL replaced by U+FFFD."""

    def __init__(self, mapping=None) -> None:
        if mapping is not None:
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class BopRequest(Request):
    parameter_storage_class = TextOnlyDict


def init_app(app: Flask) -> None:
    app.request_class = BopRequest
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
