"""The secret key that signs sessions and remember-me cookies: a real one, or no start at all.

Anyone who knows the key can forge a staff session, so outside debug and testing the app refuses
to start with no key, with the old published default, or with one too short to be random.
The local demo (`make run`) writes a random key to `instance/secret_key` on first start; this
module reads that file when no key is configured otherwise.
"""
from __future__ import annotations

import os
import secrets

from flask import Flask

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
