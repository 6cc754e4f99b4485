"""The secret key that signs sessions and remember-me cookies: a real one, or no start at all.

Anyone who knows the key can forge a staff session, so outside debug and testing the app refuses
to start with no key, with the old published default, or with one too short to be random.
The local demo (`make run`) writes a random key to `instance/secret_key` on first start; this
module reads that file when no key is configured otherwise.
"""
from __future__ import annotations

import os
import secrets
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

OLD_DEFAULT = "dev-only-change-me"  # shipped in earlier versions, so known to everyone
MIN_LENGTH = 32                     # e.g. secrets.token_hex(16); the README suggests token_hex(32)
KEY_FILE = "secret_key"             # in the instance folder, written by `make run`


class InsecureConfiguration(RuntimeError):
    """The app would run with a configuration that lets anyone in; it refuses to start."""


def configure(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if not key:
        key = read_key_file(os.path.join(app.instance_path, KEY_FILE))
    if app.debug or app.testing:
        # A developer's own machine: any key will do, and without one a random key per process.
        app.config["SECRET_KEY"] = key or secrets.token_hex(32)
        return
    problem = weakness(key)
    if problem:
        raise InsecureConfiguration(
            f"BOP will not start: {problem}. Set BOP_SECRET_KEY to a long random value, for example "
            "export BOP_SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\" "
            f"(or put it in {os.path.join(app.instance_path, KEY_FILE)}, readable only by BOP). "
            "Keep it the same across restarts and for every worker, or everyone is logged out."
        )
    app.config["SECRET_KEY"] = key


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, made cheaper for the cookie a staff screen sends every five
    seconds: the signer is built once per key (building one serialises an empty dict to learn what
    the serializer gives), and a cookie once verified is kept with its values, so the next request
    with the very same cookie skips the HMAC, the inflating and the JSON (together about a tenth of
    a staff page served from memory). The signature is part of the kept cookie, so a changed
    cookie is verified afresh; its age is checked on every request."""

    KEPT = 1024  # cookies per process; the oldest goes first

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        return self._signer(app)[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        _keys, serializer, opened = self._signer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        kept = opened.get(value)
        if kept is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            kept = (data, signed_at.timestamp())
            # Only plain values are kept: a list in the session (flash messages) is changed in place.
            if all(isinstance(v, str | int | float | bool | None) for v in data.values()):
                if len(opened) >= self.KEPT:
                    opened.pop(next(iter(opened), None), None)
                opened[value] = kept
        data, signed_at = kept
        if time.time() - signed_at > max_age:
            return self.session_class()
        return self.session_class(data)

    def _signer(self, app: Flask) -> tuple:
        """(keys, signer, cookies verified with it); another key gets a signer and cookies of its own."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = app.extensions.get("bop.session_signer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["bop.session_signer"] = (keys, super().get_signing_serializer(app), {})
        return kept


def weakness(key: str | bytes | None) -> str | None:
    """Why a key is unfit, in words for the log; None when it is fine."""
    if not key:
        return "BOP_SECRET_KEY is not set"
    if key in (OLD_DEFAULT, OLD_DEFAULT.encode()):
        return "BOP_SECRET_KEY is the published example 'dev-only-change-me'"
    if len(key) < MIN_LENGTH:
        return f"BOP_SECRET_KEY is {len(key)} characters long, shorter than the minimum of {MIN_LENGTH}"
    return None


def read_key_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read().strip() or None
    except FileNotFoundError:
        return None
