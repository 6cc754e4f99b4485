"""Finding 4 in a real Chromium: under the strict Content-Security-Policy the pages raise no
violation, and the behaviour that moved out of inline code into static/js still works."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bop.checkin.kiosk import create_pairing
from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.planning.models import Closure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """Every CSP violation the page reports, from the DOM event and from the console."""
    found: list[str] = []
    page.expose_function("reportCspViolation", lambda text: found.append(text))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", function (e) {
        window.reportCspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.documentURI);
    });""")
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    return found


def log_in(page, live_server, staff):
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/staff/plan/**")


def test_the_activity_form_shows_only_the_questions_of_the_chosen_repetition(live_server, page, violations, make_staff, bop):
    log_in(page, live_server, make_staff(role="worker"))
    response = page.goto(f"{live_server}/staff/plan/{bop.slug}/activities/new")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    weekly, monthly = page.locator(".repeat-weekly"), page.locator(".repeat-monthly")
    assert weekly.is_visible() and not monthly.is_visible()  # the default is weekly
    page.get_by_label("Eén keer per maand").check()
    assert monthly.is_visible() and not weekly.is_visible()
    page.get_by_label("Eén keer", exact=True).check()
    assert not monthly.is_visible() and not weekly.is_visible()
    page.get_by_label("Elke week (of om de paar weken)").check()
    assert weekly.is_visible()
    page.wait_for_timeout(200)  # let any late violation report arrive
    assert violations == []


def test_the_location_switch_keeps_the_week(live_server, page, violations, make_staff, bop, make_location):
    """The planner's BOP switch is a row of links, as on today's list and the reports: it works
    without JavaScript, and the other BOP opens at the week being looked at."""
    other = make_location(slug="slaaghwijk", name="Slaaghwijk")
    log_in(page, live_server, make_staff(role="coordinator"))
    page.goto(f"{live_server}/staff/plan/{bop.slug}?week=2027-W03")
    switch = page.get_by_role("navigation", name="Kies een BOP")
    assert switch.get_by_role("link", name=bop.name).get_attribute("aria-current") == "page"
    switch.get_by_role("link", name="Slaaghwijk").click()
    page.wait_for_url(f"**/staff/plan/{other.slug}?week=2027-W03")
    assert "Slaaghwijk" in page.locator("h1").inner_text()
    assert "Week 3:" in page.locator(".week-title").inner_text()
    assert violations == []


def test_removing_a_closure_asks_first(live_server, page, violations, make_staff, bop):
    today = local_today()
    db.session.add(Closure(location_id=bop.id, first_date=today, last_date=today + timedelta(days=7), reason="Kerstvakantie"))
    db.session.commit()
    log_in(page, live_server, make_staff(role="worker"))
    page.goto(f"{live_server}/staff/plan/{bop.slug}/closures")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Weghalen").click()
    page.wait_for_timeout(300)
    assert questions == ["Deze sluiting weghalen? De activiteiten gaan dan weer door."]
    assert "Kerstvakantie" in page.locator("ul.closures").inner_text()  # "no" keeps it

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Weghalen").click()
    page.get_by_text("Er zijn geen sluitingen.").wait_for()
    assert len(questions) == 2
    assert violations == []


def test_the_kiosk_the_pairing_page_and_the_public_pages_raise_no_violation(live_server, page, violations, make_staff, bop, walk):
    device = create_pairing(db.session, bop, "Tablet koffietafel", None, utcnow())
    db.session.commit()
    page.goto(f"{live_server}/kiosk")
    page.locator("body").wait_for()
    page.wait_for_timeout(500)  # kiosk.js starts (camera, outbox) after load
    page.goto(f"{live_server}/bop/{bop.slug}")
    page.goto(f"{live_server}/bop/{bop.slug}/in")
    page.get_by_role("button", name="Wandelclub").click()
    page.get_by_text("Welkom").first.wait_for()
    log_in(page, live_server, make_staff(role="coordinator"))
    page.goto(f"{live_server}/staff/kiosks/{device.id}/pairing")
    qr = page.locator(".pairing-qr svg")
    assert qr.bounding_box()["width"] > 150  # the moved style block still sizes the QR code
    assert page.locator(".pairing-code").evaluate("e => getComputedStyle(e).fontWeight") == "800"
    for path in ("/staff/visitors/", "/staff/checkin/today?bop=rijn-en-vliet", "/staff/flyers"):
        page.goto(live_server + path)
    page.wait_for_timeout(300)
    assert violations == []


def test_the_detector_does_see_a_violation(live_server, page, violations, bop):
    """The empty lists above mean something: inline code under this policy is reported."""
    page.goto(f"{live_server}/bop/{bop.slug}")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in text for text in violations), violations
