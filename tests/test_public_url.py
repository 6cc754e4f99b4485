"""Finding 5: behind the TLS proxy, the app sees the client's address (BOP_PROXY_HOPS) and prints
and sends one public address (BOP_PUBLIC_URL), never the internal host name a request came in on."""
from __future__ import annotations

import pytest
from support import decode_qr, pdf_text, render_pages

from bop import create_app
from bop.checkin.kiosk import create_pairing, qr_svg
from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.planning import schedule
from bop.site.urls import InvalidPublicUrl
from tests.conftest import PASSWORD, config_for

PUBLIC = "https://bop.example.nl"
INTERNAL = "http://bop-app.internal:8000"  # what the proxy passes on as Host


def served(app, **config):
    return create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"], **config))


@pytest.fixture
def public_app(app):
    other = served(app, PUBLIC_URL=PUBLIC)
    yield other
    with other.app_context():
        db.engine.dispose()


def qr_codes(pdf: bytes) -> list[str]:
    return [code for page in render_pages(pdf, dpi=216) for code in decode_qr(page)]


def test_the_flyer_qr_code_carries_the_public_host(public_app, walk):
    week = schedule.iso_week_label(local_today())
    response = public_app.test_client().get(f"/bop/rijn-en-vliet/flyer/{week}.pdf", base_url=INTERNAL)
    assert response.status_code == 200
    [code] = qr_codes(response.data)
    assert code == f"{PUBLIC}/bop/rijn-en-vliet?week={week}&bron=flyer"
    assert "bop-app.internal" not in pdf_text(response.data)


def test_the_poster_qr_code_carries_the_public_host(public_app, bop, make_staff):
    client = public_app.test_client()
    worker = make_staff(role="worker")
    client.post("/staff/login", data={"email": worker.email, "password": PASSWORD}, base_url=INTERNAL)
    response = client.get("/staff/locations/rijn-en-vliet/poster-a4.pdf", base_url=INTERNAL)
    assert response.status_code == 200
    assert qr_codes(response.data) == [f"{PUBLIC}/bop/rijn-en-vliet/in"]
    assert "bop.example.nl/bop/rijn-en-vliet/in" in pdf_text(response.data)


def test_the_kiosk_pairing_qr_code_and_text_carry_the_public_host(public_app, bop, make_staff):
    client = public_app.test_client()
    coordinator = make_staff(role="coordinator")
    client.post("/staff/login", data={"email": coordinator.email, "password": PASSWORD}, base_url=INTERNAL)
    device = create_pairing(db.session, bop, "Tablet", coordinator.id, utcnow())
    db.session.commit()
    page = client.get(f"/staff/kiosks/{device.id}/pairing", base_url=INTERNAL).text
    assert f"Open op de tablet het adres {PUBLIC}/kiosk," in page
    assert str(qr_svg(f"{PUBLIC}/kiosk#pair={device.pairing_code}")) in page  # the very same QR code
    assert "bop-app.internal" not in page


def test_the_calendar_feed_links_the_public_agenda(public_app, walk):
    feed = public_app.test_client().get("/bop/rijn-en-vliet/agenda.ics", base_url=INTERNAL).text
    unfolded = feed.replace("\r\n ", "")
    assert f"URL:{PUBLIC}/bop/rijn-en-vliet" in unfolded
    assert f"UID:activity-{walk.id}@bop.example.nl" in unfolded
    assert "bop-app.internal" not in unfolded


def test_without_a_public_url_the_request_host_is_used(client, bop, make_staff):
    coordinator = make_staff(role="coordinator")
    client.post("/staff/login", data={"email": coordinator.email, "password": PASSWORD}, base_url="http://bop.local:5000")
    device = create_pairing(db.session, bop, "Tablet", None, utcnow())
    db.session.commit()
    page = client.get(f"/staff/kiosks/{device.id}/pairing", base_url="http://bop.local:5000").text
    assert "Open op de tablet het adres http://bop.local:5000/kiosk," in page


@pytest.mark.parametrize("value", ["bop.example.nl", "ftp://bop.example.nl", "https://", "https://bop.example.nl/sub",
                                   "https://bop.example.nl?x=1"])
def test_a_public_url_that_is_not_an_address_is_refused(app, value):
    with pytest.raises(InvalidPublicUrl, match="BOP_PUBLIC_URL"):
        served(app, PUBLIC_URL=value)


def test_a_trailing_slash_is_fine(app):
    assert served(app, PUBLIC_URL="https://bop.example.nl/").config["PUBLIC_URL"] == PUBLIC


def phone_check_in(app, walk, forwarded_for: str):
    """A new phone: its own cookies, through the proxy at 127.0.0.1."""
    return app.test_client().post("/bop/rijn-en-vliet/in", data={"activity": walk.id},
                                  headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"})


def test_behind_one_proxy_130_phones_from_different_addresses_are_not_refused(app, walk):
    proxied = served(app, PROXY_HOPS=1)
    answers = [phone_check_in(proxied, walk, f"198.51.100.{n % 250 + 1}, 203.0.{n // 250}.{n % 250 + 1}").status_code
               for n in range(130)]
    assert answers == [302] * 130


def test_without_proxy_hops_the_proxy_is_one_bucket_for_the_whole_city(app, walk):
    """What the setting fixes: the proxy's own address counts for everyone (the 61st is refused)."""
    answers = [phone_check_in(app, walk, f"203.0.113.{n + 1}").status_code for n in range(61)]
    assert answers.count(429) == 1 and answers[-1] == 429


def test_a_client_cannot_dodge_the_limit_with_a_forged_forwarded_for(app, walk):
    proxied = served(app, PROXY_HOPS=1, SELFCHECKIN_LIMIT="3 per 10 minutes")
    # The client sends its own X-Forwarded-For; the proxy appends the real address, which is what counts.
    answers = [phone_check_in(proxied, walk, f"10.0.0.{n}, 203.0.113.50").status_code for n in range(5)]
    assert answers == [302, 302, 302, 429, 429]


def test_behind_the_proxy_https_is_recognised(app, walk):
    proxied = served(app, PROXY_HOPS=1)
    response = proxied.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    direct = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in direct.headers  # not trusted without PROXY_HOPS
