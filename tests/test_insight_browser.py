"""In a real browser: a worker opens "Uit beeld", checks the WhatsApp link, records "Bereikt", and the
visitor leaves the list. Screenshots of the report (with its chart) and "Uit beeld" on a phone."""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PASSWORD

from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.insight.models import OutreachContact
from tests.insight_support import person, visit

SHOTS = Path(os.environ.get("BOP_SCREENSHOTS", "/tmp/bop-insight-screenshots"))


def log_in(page, live_server, staff):
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.browser
def test_worker_reaches_someone_out_of_sight(live_server, page, make_staff, bop, walk):
    worker = make_staff(role="worker", name="Joke de Vries")
    fatima = person("Fatima", phone="06 12 34 56 78", phone_consent_at=utcnow(), language="ar")
    kees = person("Kees")
    for weeks in range(5, 9):
        visit(bop, local_today() - timedelta(weeks=weeks), fatima, walk)
        visit(bop, local_today() - timedelta(weeks=weeks - 1), kees, walk)
    log_in(page, live_server, worker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("nav >> text=Uit beeld")
    people = page.locator(".outreach-person h3")
    assert people.all_inner_texts() == ["Fatima", "Kees"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "outreach-390.png"), full_page=True)

    card = page.locator(".outreach-person", has_text="Fatima")
    href = card.get_by_role("link", name="WhatsApp").get_attribute("href")
    url = urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/31612345678")
    assert parse_qs(url.query)["text"][0].startswith("مرحبًا Fatima")
    assert card.get_by_role("link", name="Bellen").get_attribute("href") == "tel:+31612345678"

    card.get_by_role("button", name="Bereikt").click()
    assert "Opgeslagen: Fatima, bereikt." in page.locator(".flash").inner_text()
    assert page.locator(".outreach-person h3").all_inner_texts() == ["Kees"]
    with live_server.app.app_context():
        (contact,) = db.session.execute(db.select(OutreachContact)).scalars().all()
        assert (contact.visitor_id, contact.outcome, contact.staff_id) == (fatima.id, "reached", worker.id)


@pytest.mark.browser
def test_report_with_chart_on_a_phone(live_server, page, make_staff, bop, walk):
    coordinator = make_staff(role="coordinator")
    first = date(2026, 7, 1)
    for day in range(0, 92, 2):
        visit(bop, first + timedelta(days=day), None, walk, method="headcount", count=3 + day % 7)
    log_in(page, live_server, coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/staff/reports/rijn-en-vliet?from=2026-07-01&to=2026-09-30")
    chart = page.locator("img.insight-chart")
    chart.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", chart.element_handle())
    box = chart.bounding_box()
    assert box["width"] <= 390 and box["height"] > 100     # scaled down to the phone, not cut off
    assert page.evaluate("document.documentElement.scrollWidth") <= 390   # no sideways scrolling
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "report-390.png"), full_page=True)
