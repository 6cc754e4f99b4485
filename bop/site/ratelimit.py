"""Rate limits, through Flask-Limiter, on everything a stranger can post: login, self check-in,
kiosk pairing and the kiosk API.

The counters live where `RATELIMIT_STORAGE_URI` (env `BOP_RATELIMIT_STORAGE_URI`) says: `memory://`
for the one-process demo, a `redis://` URL in production so that every gunicorn worker and every
server shares one count. Keys are hashed before they are stored: the storage holds no e-mail
address and no device token, and no client address for longer than its window.

Every limit is a fixed window that expires on its own: nobody is locked out for good, so a
stranger cannot lock a welfare worker out of her account by typing wrong passwords in her name
for longer than the window (and only from more than one address; see `login_limits`).
"""
from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULTS = {
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_STRATEGY": "fixed-window",
    "RATELIMIT_HEADERS_ENABLED": True,   # Retry-After tells a kiosk when to send its outbox again
    "RATELIMIT_KEY_PREFIX": "bop",
    # Redis down: count in this process meanwhile (with the same limits) rather than answer 500;
    # a kiosk's check-ins must not stop because the limiter's storage is away.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    # Failed logins from one address, whatever the account (an office shares one address).
    "LOGIN_LIMIT_ADDRESS": "30 per 15 minutes",
    # Failed logins for one account, from anywhere (NIST SP 800-63B: at most 100 in a row).
    "LOGIN_LIMIT_ACCOUNT": "100 per hour",
    # Many phones share the BOP's Wi-Fi and so one address, and one visit takes up to three posts
    # (tap, how-heard, remember me): generous, but a script cannot flood it.
    "SELFCHECKIN_LIMIT": "60 per 10 minutes",
    "PAIRING_LIMIT": "10 per 10 minutes",
    # A kiosk sends one request per scan, and its whole outbox after the network was down.
    "API_LIMIT": "300 per minute",
}

limiter = Limiter(key_func=get_remote_address)

TOO_MANY_LOGINS = _l("Te vaak een verkeerd wachtwoord. Wacht een kwartier en probeer het dan opnieuw.")
TOO_MANY_POSTS = _l("Even rustig aan: probeer het over een paar minuten opnieuw.")
TOO_MANY_PAIRINGS = _l("Te veel pogingen. Wacht tien minuten en probeer het opnieuw.")


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    limiter.init_app(app)


def configured(name: str):
    """A limit read from the configuration at request time, so tests and deployments can set it."""
    return lambda: current_app.config[name]


def hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def address_key() -> str:
    return hashed(get_remote_address() or "?")


def account_key() -> str:
    return "account:" + hashed(request.form.get("email", "").strip().lower())


def device_key() -> str:
    """The API counts per tablet (several share a BOP's address), and per address without a token."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "device:" + hashed(token.strip())
    return "address:" + address_key()


def login_failed(response) -> bool:
    # A successful login redirects; a refused one shows the form again.
    return response.status_code != 302


def login_limits(view):
    """Failed logins count per address and per account; a right password never counts."""
    view = limiter.limit(configured("LOGIN_LIMIT_ACCOUNT"), key_func=account_key, methods=["POST"],
                         deduct_when=login_failed, error_message=TOO_MANY_LOGINS, scope="login-account")(view)
    return limiter.limit(configured("LOGIN_LIMIT_ADDRESS"), key_func=address_key, methods=["POST"],
                         deduct_when=login_failed, error_message=TOO_MANY_LOGINS, scope="login-address")(view)
