"""Helpers shared by the check-in tests: visitors with cards, paired kiosks, API calls."""
from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from bop.checkin.kiosk import pair_directly
from bop.checkin.models import CheckIn, Scan
from bop.clock import utcnow
from bop.extensions import db
from bop.visitors.codes import generate_code
from bop.visitors.models import Card, Visitor


def make_visitor(name: str = "Fatima", *, revoked: bool = False) -> tuple[Visitor, str]:
    """A visitor with one card; returns the visitor and the card code."""
    visitor = Visitor(name=name)
    db.session.add(visitor)
    code = generate_code()
    visitor.cards.append(Card(code=code, revoked_at=utcnow() if revoked else None))
    db.session.commit()
    return visitor, code


def make_kiosk(location, name: str = "Tablet koffietafel"):
    device, token = pair_directly(db.session, location, name, utcnow())
    db.session.commit()
    return device, token


def nonce() -> str:
    return secrets.token_hex(12)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def ago(**delta) -> str:
    return iso(datetime.now(UTC) - timedelta(**delta))


def checkins(**filters) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.execute(db.select(CheckIn).filter_by(**filters).order_by(CheckIn.id)).scalars())


def scans(**filters) -> list[Scan]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Scan).filter_by(**filters).order_by(Scan.id)).scalars())


def post_json(url: str, body, token: str | None = None, timeout: float = 30) -> tuple[int, dict]:
    """A real HTTP request (for live-server tests); returns status and decoded JSON."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
