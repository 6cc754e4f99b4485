"""axe-core on every page of BOP, in a real headless Chromium: 0 violations (issue 11).

- Every visitor page at 390 × 844 (a phone), in each of the six languages: the chooser `/`, the
  agenda (this week and the other weeks the demo has something special in: a moved hour, a
  cancellation, the Christmas closure), another BOP's agenda, the privacy page, the 404 page and
  the self check-in with every page after a tap (the welcome with "Hoe kent u ons?", the thanks,
  "Onthoud mij" opened, with and without an error, greeted by name, "al aangemeld"); and the agenda
  with the text at 200 %, where the languages fold into one button, closed and open.
- The kiosk at 1280 × 800 in each language: unpaired (the pairing code, and a wrong code), paired,
  and each answer a scan can give (welcome, already, unknown card, revoked card, a typed code, the
  guest's "Hoe kent u ons?" dialog, the guest counted, "+1", offline "Opgeslagen").
- Every staff page at 1280 × 800, derived from `app.url_map` as the route walk does, so a new page is
  checked without anyone adding it here: logged in as the demo coordinator, and as the administrator
  for what only the administrator sees; anything that is not HTML (PDF, JSON, iCalendar, CSV,
  XLSX, images) is left out by its extension or Content-Type. Plus the login page, its error, a
  form with errors and a search. A redirect only (`/staff/` to one's week) is not a page of its own.

The app's Content-Security-Policy forbids inline scripts, and axe is injected as one, so these pages
are opened in a context with `bypass_csp=True` (only here; tests/test_csp_browser.py checks the CSP).

Which rules: the WCAG 2.0 and 2.1 A and AA rules, WCAG 2.2 AA (target size) and axe's best
practices (landmarks, heading order, one main, region...). The issue asks for WCAG AA; the best
practices are what a screen reader user meets on top of it, and they pass, so they are kept: a page
that breaks one fails here. The experimental rules and AAA are left out (AAA is not our promise;
experimental rules change between axe releases).
"""
from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import PASSWORD
from support import log_in, make_visitor
from test_reflow_browser import LANGUAGES

from bop.accounts.models import Location, Staff
from bop.checkin.kiosk import create_pairing
from bop.checkin.models import CheckIn
from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.insight.models import FlyerRound
from bop.planning import schedule
from bop.visitors.models import Visitor

pytestmark = pytest.mark.browser

JS = Path(__file__).parent / "js"
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NOT_HTML = re.compile(r"\.(pdf|ics|json|png|jpg|svg|csv|xlsx|js)$")

RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)}))})))"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe-core from tests/js, installed from the lockfile if `make test` has not done so."""
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(JS), "--no-audit", "--no-fund"], check=True, capture_output=True)
    return AXE


class Axe:
    """Runs axe on whatever a page shows now and keeps what it found, labelled."""

    def __init__(self, script: Path):
        self.script, self.found, self.checked = script, [], []

    def __call__(self, page, label: str) -> None:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.add_script_tag(path=str(self.script))
        self.checked.append(label)
        for violation in page.evaluate(RUN_AXE, TAGS):
            nodes = "".join(f"\n    at {node['target']}: {node['html']}\n      "
                            + node["summary"].replace("\n", "\n      ") for node in violation["nodes"])
            self.found.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']}"
                              f" ({violation['url'].split('?')[0]}){nodes}")

    def report(self) -> str:
        return f"{len(self.found)} violations on {len(self.checked)} pages:\n" + "\n".join(self.found)


@pytest.fixture
def axe(axe_script):
    return Axe(axe_script)


def new_page(browser, viewport: dict, phone: bool):
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport,
                                  is_mobile=phone, has_touch=phone, bypass_csp=True)  # for axe (see above)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def in_language(page, lang: str, label: str) -> None:
    assert page.evaluate("document.documentElement.lang") == lang, f"{label} is not in {lang}"


# -- visitor pages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_visitor_pages(live_server, browser, demo_bop, axe, lang):
    location, _token = demo_bop
    today = local_today()
    monday = schedule.monday_of(today)
    christmas = next(c for c in location.closures if c.reason == "Kerstvakantie").first_date
    weeks = {"next week": monday + timedelta(weeks=1), "in two weeks": monday + timedelta(weeks=2),
             "last week": monday - timedelta(weeks=1), "Christmas": christmas}
    base, slug = live_server, location.slug
    context, page = new_page(browser, PHONE, phone=True)
    try:
        def check(path: str, label: str) -> None:
            if path:
                response = page.goto(f"{base}{path}")
                assert response.status in (200, 404), f"{label}: {response.status}"
            in_language(page, lang, label)
            axe(page, label)

        check(f"/?lang={lang}", "chooser /")
        check(f"/bop/{slug}", "agenda, this week")
        for label, day in weeks.items():
            check(f"/bop/{slug}?week={schedule.iso_week_label(day)}", f"agenda, {label}")
        check("/bop/slaaghwijk", "agenda of another BOP")
        check("/bop/slaaghwijk/in", "check-in at another BOP")
        check("/privacy", "privacy")
        check("/bop/bestaat-niet", "404")

        check(f"/bop/{slug}/in", "check-in")
        page.locator(".sc-tile").first.click()
        page.locator(".sc-welcome").wait_for()
        check("", "welcome, with 'how did you hear of us'")
        page.locator(".sc-answer").first.click()
        page.locator(".flash").wait_for()
        check("", "welcome, thanks for the answer")
        page.locator(".sc-remember summary").click()
        check("", "welcome, 'remember me' opened")
        page.locator(".sc-remember button[type=submit]").click()
        page.locator(".flash-error").wait_for()
        page.locator(".sc-remember summary").click()
        check("", "welcome, 'remember me' without a name")
        page.locator(".sc-remember input[name=name]").fill("Fatima")
        page.locator(".sc-remember button[type=submit]").click()
        page.locator(".sc-remember").wait_for(state="detached")
        check("", "welcome by name")
        check(f"/bop/{slug}/in", "check-in, greeted by name")
        page.locator(".sc-tile").first.click()
        page.locator(".sc-welcome.is-already").wait_for()
        check("", "welcome, already checked in")
        # With the text at 200 % the languages fold into one button (see test_wayfinding_browser.py).
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        check(f"/bop/{slug}", "agenda at 200 % text, languages folded")
        page.locator(".language-menu summary").click()
        check("", "agenda at 200 % text, languages open")
        assert not axe.found, axe.report()
        assert len(axe.checked) == 20
    finally:
        context.close()


# -- the kiosk ------------------------------------------------------------------------------------------

def kiosk_answer(page, axe, label: str, act, kind: str, text: str = "") -> None:
    """Axe on the answer screen that `act` brings up, while it shows. The kiosk hides an answer after
    1.5 to 5 seconds, and axe's own timers forbid stopping the page's clock (Playwright's clock would
    stop axe too); axe takes a few hundred milliseconds here, and if the answer is gone before it
    finished, the scan is made again (at most three times) rather than judging the wrong screen."""
    for _attempt in range(3):
        act()
        page.locator(f"#k-feedback.is-{kind}").filter(has_text=text).wait_for()
        looked = Axe(axe.script)
        looked(page, label)
        if page.locator("#k-feedback").is_visible():
            axe.found += looked.found
            axe.checked += looked.checked
            break
    else:
        raise AssertionError(f"{label}: the answer was gone three times before axe finished")
    page.locator("#k-feedback").click()
    page.locator("#k-feedback").wait_for(state="hidden")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kiosk(app, live_server, browser, demo_bop, axe, lang):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    location, _token = demo_bop
    pairing = create_pairing(db.session, location, "Tablet koffietafel", None, utcnow())
    _visitor, code = make_visitor("Fatima", location=location)
    _revoked, revoked_code = make_visitor("Bram", location=location, revoked=True)
    with app.test_request_context(), force_locale(lang):
        unknown = _("Deze kaart kennen we niet. Vraag het een medewerker.")
        revoked = _("Deze kaart doet het niet meer. Vraag een medewerker om een nieuwe kaart.")
    context, page = new_page(browser, DESKTOP, phone=False)
    try:
        page.goto(f"{live_server}/kiosk?lang={lang}")
        page.locator("#k-pair").wait_for()
        in_language(page, lang, "kiosk")
        axe(page, "kiosk, not paired")
        page.locator("#k-pair-code").fill("nope-nope")
        page.locator("#k-pair-form button").click()
        page.locator("#k-pair-error").wait_for()
        axe(page, "kiosk, wrong pairing code")
        page.locator("#k-pair-code").fill(pairing.pairing_code)
        page.locator("#k-pair-form button").click()
        page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()
        page.locator(".k-tile").first.wait_for()
        axe(page, "kiosk, paired")
        page.locator(".k-tile").nth(1).click()
        axe(page, "kiosk, an activity chosen")

        def scan(value: str):
            def act() -> None:
                page.locator("#k-code").fill(value)
                page.locator("#k-code").press("Enter")
            return act

        def guest() -> None:
            page.locator("#k-guest").click()
            page.locator("#k-source [data-source]").first.click()

        kiosk_answer(page, axe, "kiosk, welcome", scan(code), "ok", "Fatima")
        kiosk_answer(page, axe, "kiosk, already", scan(code), "already", "Fatima")
        kiosk_answer(page, axe, "kiosk, unknown card", scan("MB73PZKG4PMQW4SF"), "bad", unknown)
        kiosk_answer(page, axe, "kiosk, revoked card", scan(revoked_code), "bad", revoked)
        page.locator("#k-type").click()
        axe(page, "kiosk, typing a code")
        page.locator("#k-guest").click()
        page.locator("#k-source").wait_for()
        axe(page, "kiosk, guest: how did you hear of us")
        page.locator("#k-source .k-skip").click()
        page.locator("#k-feedback").click()
        kiosk_answer(page, axe, "kiosk, guest counted", guest, "ok")
        kiosk_answer(page, axe, "kiosk, +1", lambda: page.locator("#k-plus").click(), "ok", "+1")
        context.set_offline(True)
        kiosk_answer(page, axe, "kiosk, offline: saved", scan(code), "saved")
        page.locator("#k-net").filter(has_text="1").wait_for()
        axe(page, "kiosk, offline with a scan to send")
        context.set_offline(False)
        assert not axe.found, axe.report()
        assert len(axe.checked) == 14
    finally:
        context.close()


# -- staff pages ----------------------------------------------------------------------------------------

def demo_values(location: Location) -> dict[str, object]:
    """A value that exists in the demo for every URL variable of a staff route."""
    today = local_today()
    activity = next(a for a in location.activities if a.title == "Inloopochtend met koffie")
    visitors = list(db.session.execute(db.select(Visitor).filter_by(home_location_id=location.id)
                                       .order_by(Visitor.id).limit(2)).scalars())
    checkin = db.session.execute(db.select(CheckIn).filter_by(location_id=location.id)
                                 .order_by(CheckIn.id.desc()).limit(1)).scalar_one()
    worker = db.session.execute(db.select(Staff).filter_by(email="worker@example.org")).scalar_one()
    device = create_pairing(db.session, location, "Tablet nieuw", None, utcnow())  # its pairing page shows a code
    db.session.commit()
    flyer_round = db.session.execute(db.select(FlyerRound).filter_by(location_id=location.id).limit(1)).scalar_one()
    day = next(today + timedelta(days=n) for n in range(7) if (today + timedelta(days=n)).weekday() < 5)
    return {"slug": location.slug, "activity_id": activity.id, "day": day.isoformat(), "staff_id": worker.id,
            "visitor_id": visitors[0].id, "other_id": visitors[1].id, "card_id": visitors[0].cards[0].id,
            "checkin_id": checkin.id, "device_id": device.id, "round_id": flyer_round.id,
            "week": schedule.iso_week_label(schedule.monday_of(today)), "size": "a4"}


ARGUMENT = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def staff_paths(app, values: dict) -> list[tuple[str, str]]:
    """(endpoint, path) of every staff GET route, its variables filled with demo values."""
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/staff") or "GET" not in rule.methods or NOT_HTML.search(rule.rule):
            continue
        missing = [name for name in ARGUMENT.findall(rule.rule) if name not in values]
        assert not missing, f"{rule.rule}: give the demo a value for {missing} in demo_values()"
        path = ARGUMENT.sub(lambda m: quote(str(values[m.group(1)]), safe=""), rule.rule)
        paths.append((rule.endpoint, path))
    return paths


def test_staff_pages(live_server, browser, demo_bop, axe):
    location, _token = demo_bop
    for email in ("coordinator@example.org", "admin@example.org"):
        db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one().set_password(PASSWORD)
    db.session.commit()
    values = demo_values(location)
    paths = staff_paths(live_server.app, values)
    assert len(paths) >= 35
    checked: dict[str, list[str]] = {}
    redirects: dict[str, str] = {}
    context, page = new_page(browser, DESKTOP, phone=False)
    try:
        page.goto(f"{live_server}/staff/login")
        axe(page, "login")
        page.get_by_label("E-mailadres").fill("coordinator@example.org")
        page.get_by_label("Wachtwoord").fill("wrong password")
        page.get_by_role("button", name="Inloggen").click()
        page.locator(".flash, .field-error").first.wait_for()
        axe(page, "login, wrong password")

        for who in ("coordinator@example.org", "admin@example.org"):
            log_in(page, live_server, who, PASSWORD)
            me = db.session.execute(db.select(Staff).filter_by(email=who)).scalar_one()
            # The coordinator looks at a worker's page, the administrator at their own.
            for endpoint, path in staff_paths(live_server.app, values | ({"staff_id": me.id} if me.is_admin else {})):
                if endpoint == "auth.login":
                    continue
                response = page.request.get(f"{live_server}{path}", max_redirects=0)
                if response.status in (301, 302, 303):
                    redirects[endpoint] = response.headers["location"]
                if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
                    continue
                page.goto(f"{live_server}{path}")
                axe(page, f"{who.split('@')[0]} {path}")
                checked.setdefault(endpoint, []).append(who)
            if who.startswith("coordinator"):
                # A few states a GET alone does not show: a search, a form with errors.
                page.goto(f"{live_server}/staff/visitors/?q=a")
                axe(page, "coordinator, visitors search")
                page.goto(f"{live_server}/staff/plan/{location.slug}/activities/new")
                page.locator(".activity-form button[type=submit]").click()
                page.locator(".field-error").first.wait_for()
                axe(page, "coordinator, new activity with errors")
            page.locator(".staff-nav button").click()
            page.wait_for_url("**/")
        assert not axe.found, axe.report()
        # Every staff page was judged, by one of the two, or only leads on to another page.
        unchecked = {endpoint for endpoint, _path in paths} - set(checked) - set(redirects) - {"auth.login"}
        assert not unchecked, f"no HTML page for {sorted(unchecked)}: give demo_values() what they need"
        assert {"organisations.index", "planning.location_week", "visitors.show", "kiosk.pairing"} <= set(checked)
        print(f"\naxe: {len(axe.checked)} staff pages, 0 violations; {sorted(redirects)} only redirect")
    finally:
        context.close()


def test_axe_sees_what_is_wrong(live_server, browser, demo_bop, axe):
    """The check itself: on a real page broken four ways, axe (as run above) names each way."""
    location, _token = demo_bop
    context, page = new_page(browser, PHONE, phone=True)
    try:
        page.goto(f"{live_server}/bop/{location.slug}")
        page.evaluate("""() => {
          document.documentElement.removeAttribute('lang');                           // html-has-lang
          document.querySelector('img.pictogram').removeAttribute('alt');             // image-alt
          document.querySelector('.skip-link').textContent = '';                      // link-name
          Object.assign(document.querySelector('h1').style, {color: '#999', background: '#aaa'});     // color-contrast
        }""")
        axe(page, "broken agenda")
        found = "\n".join(axe.found)
        for rule in ("html-has-lang", "image-alt", "link-name", "color-contrast"):
            assert f": {rule} (" in found, f"axe did not report {rule}:\n{found}"
    finally:
        context.close()
