"""Rendered pages kept per process, for the screens opened or polled most: today's list and its
`today.json` (every staff screen asks every five seconds), the week planner and the self check-in
page on the koffietafel poster.

A page is kept under a key that holds everything its body can depend on. This module adds what
every page shares: the release (code, templates, catalogues), the database, the address with its
query string, the host, the language, today's date and who asks (the staff member's id, name,
role and organisation, or the visitor's session). The view adds what only it knows, as plain
values read fresh on every request: the programme version, today's check-ins with the names
shown, the activity running now, the BOPs in the chooser. Any change of those is a new key, so a
kept page can never show an older state than a freshly built one; the request still passes every
check of access before it gets here.

The CSRF token is the one part of a page that differs per session: it is kept as a hole and
filled with this session's token on the way out. A page with a flash message waiting is neither
kept nor served from here (the message shows once). At most PAGES_KEPT pages, and none older
than MAX_SECONDS, so a name erased from the database does not linger in memory.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..clock import local_today
from ..extensions import unsaved_changes
from .conditional import release

PAGES_KEPT = 256
MAX_SECONDS = 600
HOLE = f"csrf-{secrets.token_hex(16)}"  # random per process: no page text can contain it

_PAGES: OrderedDict[tuple, tuple[float, str, str]] = OrderedDict()
_LOCK = threading.Lock()


def page(state: tuple, render: Callable[[], str]) -> str:
    """The body `render` makes for this request, kept under `state` (plain values) and the rest."""
    return _kept(state, render)[0]


def answer(state: tuple, render: Callable[[], str], mimetype: str) -> Response:
    """The same as a response with an ETag, and a bodiless 304 when the client already has it: the
    staff screen's poller sends the ETag of its last answer, so an unchanged list costs no redraw."""
    body, etag = _kept(state, render)
    if etag is not None and etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(body, mimetype=mimetype)
    if etag is not None:
        response.set_etag(etag)
    return response


def _kept(state: tuple, render: Callable[[], str]) -> tuple[str, str | None]:
    if "_flashes" in session or unsaved_changes():
        return render(), None  # a message shows once; unsaved changes could still be rolled back
    key = _key(state)
    now = time.monotonic()
    with _LOCK:
        kept = _PAGES.get(key)
        if kept is not None and now - kept[0] < MAX_SECONDS:
            _PAGES.move_to_end(key)
            _made, body, etag = kept
            return (body.replace(HOLE, generate_csrf()) if HOLE in body else body), etag
    body = render()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    # The same state gives the same ETag in every worker process (the values' repr is stable).
    etag = hashlib.sha1(repr(key).encode()).hexdigest()[:27]
    with _LOCK:
        for old in [k for k, (made, _body, _etag) in _PAGES.items() if now - made >= MAX_SECONDS]:
            del _PAGES[old]
        _PAGES[key] = (now, body.replace(token, HOLE) if token else body, etag)
        _PAGES.move_to_end(key)
        while len(_PAGES) > PAGES_KEPT:
            _PAGES.popitem(last=False)
    return body, etag


def _key(state: tuple) -> tuple:
    # The values themselves are the key (a dict compares them in full): no digest that two states
    # could share.
    return (release()[0], current_app.config["SQLALCHEMY_DATABASE_URI"], request.host, request.script_root,
            request.full_path, str(get_locale()), local_today(), _who(), state)


def _who() -> tuple:
    if current_user.is_authenticated:
        return ("staff", current_user.id, current_user.name, current_user.role, current_user.organisation_id)
    return ("visitor",)


def clear() -> None:
    """Forget every kept page (tests)."""
    with _LOCK:
        _PAGES.clear()
