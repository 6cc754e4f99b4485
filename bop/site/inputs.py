"""What a request may bring in, bounded so every database can hold it.

SQLite takes any integer and any text; PostgreSQL refuses an integer beyond its column type
("integer out of range") and any text with a NUL character. A bad address or a stray NUL in a form
must be a 404 or plain text, never a database error, on either database:

* `<int:...>` in a route only matches ids an id column can hold, else the page is a 404;
* `<slug>` (and any other plain path part) never matches a NUL;
* NUL in query strings and form fields arrives as U+FFFD, as `clean_raw` stores a scanned code.
"""
from __future__ import annotations

from flask import Flask
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

# The largest id: PostgreSQL's `integer` (SQLAlchemy's Integer) is 32 bits.
MAX_ID = 2**31 - 1


def parse_id(text: str | None) -> int | None:
    """The id a form field or query argument names, or None for anything else."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>`: 404 for a number no id column holds (a plain 404, as for an id not in use)."""

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
