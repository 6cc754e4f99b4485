"""Conditional and briefly cacheable public answers: ETag, Last-Modified and 304 Not Modified.

A public page's ETag is a hash of everything its body depends on: the location's programme
version (`bop.planning.versioning` moves it on with every change), the language, the week, the
query string, the host (absolute links), the date where "today" shows, and the release (the
code, templates and translations, so a deploy never answers 304 with an old page). A matching
If-None-Match (or, without one, an If-Modified-Since not older than Last-Modified) answers 304
before anything is rendered. Signed-in staff and pending flash messages get no ETag: their pages
carry a CSRF token and one-time messages.

Cache-Control is short (max-age 60) so that a cancellation shows within a minute anywhere.

The bodies themselves are kept in a small per-process cache keyed by the ETag (`body`). The key
holds the programme version (read from the database on every request) and the time the location
was created or last changed, so a change is visible on the very next request and a cached page
can never outlive the programme it shows.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.http import is_resource_modified

from ..clock import TZ, local_today

MAX_AGE = 60
ROOT = Path(__file__).resolve().parent.parent.parent


@lru_cache(maxsize=1)
def release() -> tuple[str, datetime]:
    """A token and the time of the newest code, template or catalogue file of this install."""
    files = [*ROOT.joinpath("bop").rglob("*.py"), *ROOT.joinpath("bop").rglob("*.mo"),
             *ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("static").rglob("*.*")]
    stamps = sorted((str(f.relative_to(ROOT)), f.stat().st_mtime_ns) for f in files)
    token = hashlib.sha1(repr(stamps).encode()).hexdigest()[:12]
    newest = max((s for _, s in stamps), default=0) // 1_000_000_000
    return token, datetime.fromtimestamp(newest, UTC).replace(microsecond=0)


def applies() -> bool:
    """Whether this request may get an ETag: anonymous, and no flash message waiting."""
    return not current_user.is_authenticated and "_flashes" not in session


class Validators:
    """The ETag and Last-Modified of one public answer."""

    def __init__(self, location, kind: str, *parts: object, daily: bool = False, weak: bool = False):
        token, released = release()
        today = local_today() if daily else None
        key = repr((token, current_app.config["SQLALCHEMY_DATABASE_URI"], kind, location.id,
                    location.programme_version, location.programme_changed_at, str(get_locale()), request.host,
                    sorted(request.args.items(multi=True)), today, *parts))
        self.etag = hashlib.sha1(key.encode()).hexdigest()[:27]
        self.weak = weak
        moments = [released, (location.programme_changed_at or released).replace(tzinfo=UTC)]
        if today is not None:  # "Vandaag" moves at midnight
            moments.append(datetime.combine(today, time.min, tzinfo=TZ).astimezone(UTC))
        self.last_modified = max(moments).replace(microsecond=0)

    def not_modified(self) -> Response | None:
        """A 304 answer when the client's copy is current, else None."""
        if is_resource_modified(request.environ, etag=self.etag, last_modified=self.last_modified):
            return None
        return self.finish(Response(status=304))

    def finish(self, response: Response) -> Response:
        response.set_etag(self.etag, weak=self.weak)
        response.last_modified = self.last_modified
        return public(response)


_BODIES: OrderedDict[str, bytes] = OrderedDict()
_LOCK = threading.Lock()
BODIES_KEPT = 128


def body(validators: Validators, build: Callable[[], bytes | str]) -> bytes:
    """The body for these validators: built once, then kept (least recently used goes first)."""
    key = validators.etag
    with _LOCK:
        if key in _BODIES:
            _BODIES.move_to_end(key)
            return _BODIES[key]
    built = build()
    data = built.encode() if isinstance(built, str) else built
    with _LOCK:
        _BODIES[key] = data
        while len(_BODIES) > BODIES_KEPT:
            _BODIES.popitem(last=False)
    return data


def public(response: Response) -> Response:
    """Short caching: a cancellation shows within a minute."""
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response
