"""Finding 4: security headers on every response, a strict CSP the templates can live with (no
inline script, style or event handler anywhere), and no-store on pages with personal data."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import make_visitor

from bop.checkin.kiosk import create_pairing
from bop.checkin.models import CheckIn
from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.planning import schedule
from bop.site.demo import DEMO_PASSWORD, load_demo
from bop.site.headers import HEADERS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.fixture
def world(app):
    """The demo BOP, plus a visitor with a card, a check-in and a tablet waiting to be paired:
    something to fill in for every argument of every GET route."""
    location = load_demo()
    db.session.commit()
    visitor, _code = make_visitor("Fatima")
    other, _other_code = make_visitor("Fatma")
    activity = location.activities[0]
    checkin = CheckIn(location_id=location.id, day=local_today(), visitor_id=visitor.id, method="staff")
    db.session.add(checkin)
    device = create_pairing(db.session, location, "Tablet", None, utcnow())
    db.session.commit()
    coordinator = location.contact
    from bop.insight.models import FlyerRound

    first_round = db.session.execute(db.select(FlyerRound.id).order_by(FlyerRound.id)).scalars().first()
    return {
        "round_id": first_round,
        "slug": location.slug, "week": schedule.iso_week_label(local_today()), "size": "a4",
        "activity_id": activity.id, "day": activity.first_date.isoformat(), "checkin_id": checkin.id,
        "device_id": device.id, "staff_id": coordinator.id, "visitor_id": visitor.id, "other_id": other.id,
        "card_id": visitor.cards[0].id, "filename": "css/bop.css", "email": coordinator.email,
    }


def get_routes(app, world) -> list[str]:
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(world[name]), path)
        paths.append(path)
    return paths


def assert_security_headers(response, path):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, f"{path}: {name}"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    if path.startswith(("/staff", "/api/")) or re.fullmatch(r"/bop/[\w-]+/in(/.*)?", path):
        assert response.headers.get("Cache-Control") == "no-store", path


def test_the_policy_is_strict():
    policy = dict(part.split(" ", 1) for part in HEADERS["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == policy["style-src"] == "'self'"
    # One addition to 'self' for scripts, and only this one: 'wasm-unsafe-eval' lets a page compile
    # WebAssembly (the kiosk's vendored ZXing QR decoder, where the browser has no BarcodeDetector).
    # It does not allow eval(), new Function() or inline script, which 'unsafe-eval' and
    # 'unsafe-inline' would; WebAssembly code can only call what our own scripts hand it.
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == policy["form-action"] == "'self'"
    assert HEADERS["X-Frame-Options"] == "DENY" and HEADERS["X-Content-Type-Options"] == "nosniff"
    assert "camera=(self)" in HEADERS["Permissions-Policy"]


def test_every_get_route_answers_with_the_headers_anonymous(client, world, app):
    statuses = {}
    for path in get_routes(app, world):
        response = client.get(path)
        statuses[path] = response.status_code
        assert response.status_code < 500, path
        assert_security_headers(response, path)
    assert len(statuses) >= 45
    assert statuses["/staff/visitors/"] == 302 and statuses["/bop/rijn-en-vliet"] == 200


def test_every_get_route_answers_with_the_headers_as_coordinator(client, world, app):
    assert client.post("/staff/login", data={"email": world["email"], "password": DEMO_PASSWORD}).status_code == 302
    statuses = {}
    for path in get_routes(app, world):
        response = client.get(path)
        statuses[path] = response.status_code
        assert response.status_code < 500, path
        assert_security_headers(response, path)
    ok = [path for path, status in statuses.items() if status == 200]
    assert len(ok) >= 40, {p: s for p, s in statuses.items() if s != 200}
    for path in ("/staff/visitors/", f"/staff/visitors/{world['visitor_id']}", "/staff/checkin/today"):
        assert statuses[path] == 200


def test_posts_errors_and_api_answers_carry_them_too(client, world):
    answers = {
        "/staff/login": client.post("/staff/login", data={"email": "x@example.org", "password": "nope"}),
        "/bop/rijn-en-vliet/in": client.post("/bop/rijn-en-vliet/in", data={"activity": "x"}),
        "/api/v1/kiosk/pair": client.post("/api/v1/kiosk/pair", json={"code": "NOPE"}),
        "/api/v1/kiosk/today": client.get("/api/v1/kiosk/today"),
        "/no/such/page": client.get("/no/such/page"),
    }
    for path, response in answers.items():
        assert_security_headers(response, path)
    assert answers["/no/such/page"].status_code == 404


def test_public_pages_stay_cacheable(client, world):
    agenda = client.get("/bop/rijn-en-vliet/agenda.ics")
    assert agenda.headers["Cache-Control"] == "public, max-age=60"  # a cancellation shows within a minute
    assert "no-store" not in client.get("/bop/rijn-en-vliet").headers.get("Cache-Control", "")


def test_https_gets_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_has_inline_script_style_or_handlers(path):
    source = path.read_text()
    assert not re.search(r"\sstyle\s*=", source), "style= attribute: use a class in static/css"
    assert "<style" not in source, "style block: move it to static/css"
    for tag in re.findall(r"<script\b[^>]*>", source):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", source), "event handler attribute: use static/js"
    assert "javascript:" not in source
