"""Finding your way on the visitor pages, in a real headless Chromium: a skip link first, every link
and button at least 44 × 44 CSS px on a 390 px phone, a jump to today at the top of a long week, and
long Dutch words broken with a hyphen on phones and in the staff planner."""
from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from conftest import PASSWORD
from flask_babel import force_locale
from flask_babel import gettext as _
from test_reflow_browser import LANGUAGES, LONG_TITLE, open_page

from bop.extensions import db

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("BOP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "bop-screenshots")

SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input[type=submit], summary')].flatMap(el => {
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  if (style.display === 'none' || style.visibility === 'hidden' || (box.width === 0 && box.height === 0)) return [];
  return box.width < 43.5 || box.height < 43.5
    ? [`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ${box.width.toFixed(0)}×${box.height.toFixed(0)}`] : [];
})"""

# Where each line of an element's text ends: the character before every line break.
LINE_ENDS = """el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), ends = [];
  let previous = null, top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = [...range.getClientRects()].filter(r => r.width > 0).pop();  // the last: a shown hyphen comes first
      if (!rect) { previous = node.data[i]; continue; }
      if (top !== null && rect.top > top + 2) ends.push(previous);
      top = rect.top; previous = node.data[i];
    }
  }
  return ends;
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_first_and_targets_large_enough(app, live_server, browser, demo_bop, lang):
    location, token = demo_bop
    with app.test_request_context(), force_locale(lang):
        skip = _("Naar de inhoud")
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    small = []
    try:
        for which in ["chooser", "agenda", "checkin", "welcome", "error", "kiosk"]:
            open_page(page, live_server, which, lang, location.slug, token)
            small += [f"{which}: {target}" for target in page.evaluate(SMALL_TARGETS)]
            if which == "kiosk":
                continue
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.keyboard.press("Tab")
            first = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
            assert first == ["skip-link", skip], which
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main"
        assert not small, "\n".join(small)
        # The kiosk: the skip link is first too, and leads to the card scanner.
        page.goto(f"{live_server}/kiosk?lang={lang}#token={token}")
        page.locator(".k-tile").first.wait_for()
        assert page.locator("a, button, input").first.get_attribute("class") == "skip-link"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switch_compact_at_200_percent_and_one_tap_where_it_fits(app, live_server, browser, demo_bop, lang):
    """At 200 % text on a 390 px phone the six names took 60 % of the first screen: there they fold
    into one "Taal · Language" button, which opens them all (44 px each, in their own script); where
    the row fits (100 % text, a desktop) every language stays one tap away."""
    from bop.languages import LANGUAGE_NAMES
    location, _token = demo_bop
    with app.test_request_context(), force_locale(lang):
        label = _("Taal") + ("" if lang == "en" else " · Language")
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        for path in [f"/bop/{location.slug}", f"/bop/{location.slug}/in", "/", "/privacy"]:
            page.goto(f"{live_server}{path}?lang={lang}")
            button = page.locator(".language-menu summary")
            assert button.inner_text().replace("\n", " ") == label
            assert page.locator(".language-switch").is_hidden()
            assert button.bounding_box()["height"] >= 44
            header = page.locator(".site-header").bounding_box()
            assert header["height"] <= 844 * 0.45, f"{path}: the header takes {header['height']:.0f} px"
            heading = page.locator("h1").first.bounding_box()
            assert heading["y"] <= 844 * 2 / 3, f"{path}: the heading starts at {heading['y']:.0f} px"
            assert page.get_by_role("link", name=LANGUAGE_NAMES["pl"]).is_hidden()
            if path == "/privacy":
                SHOTS.mkdir(exist_ok=True)
                page.screenshot(path=SHOTS / f"language-button-{lang}-390-text200.png")
        button.click()
        links = page.locator(".language-list a")
        assert links.all_inner_texts() == list(LANGUAGE_NAMES.values())
        assert not page.evaluate(SMALL_TARGETS)
        assert page.locator(".language-list a[aria-current]").get_attribute("hreflang") == lang
        other = "ar" if lang != "ar" else "nl"
        page.get_by_role("link", name=LANGUAGE_NAMES[other]).click()
        page.wait_for_url(f"**/privacy?lang={other}")
        assert page.evaluate("document.documentElement.lang") == other

        # Where the row fits, it is shown as before: each language one tap away.
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        for viewport in ({"width": 390, "height": 844}, {"width": 1280, "height": 800}):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server}/bop/{location.slug}?lang={lang}")
            assert page.locator(".language-menu").is_hidden()
            assert page.locator(".language-switch a").count() == 6
            assert all(link.is_visible() for link in page.locator(".language-switch a").all())
    finally:
        context.close()


def test_jump_to_today_on_a_sunday(app, live_server, browser):
    """On Sunday today is the last of seven days: the top of the agenda jumps there."""
    from bop.site.demo import load_demo
    sunday = date(2026, 12, 6)
    with time_machine.travel(datetime(2026, 12, 6, 10, 0, tzinfo=UTC), tick=True):
        db.session.add(load_demo(sunday))
        db.session.commit()
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                      viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        try:
            page.goto(f"{live_server}/bop/rijn-en-vliet")
            jump = page.get_by_role("link", name="Naar vandaag")
            assert jump.bounding_box()["y"] < 844                     # on the first screen
            assert page.evaluate("document.documentElement.scrollHeight") > 3 * 844   # a long page
            jump.click()
            heading = page.locator(f"#d-{sunday.isoformat()}")
            assert heading.inner_text().startswith("Vandaag")
            # Scrolled down to it (as far as the page goes: Sunday is near its end), in view.
            page.wait_for_function(f"() => window.scrollY > 844 && (r => r.top >= 0 && r.bottom <= innerHeight)"
                                   f"(document.getElementById('d-{sunday.isoformat()}').getBoundingClientRect())")
        finally:
            context.close()


def test_long_dutch_words_break_with_a_hyphen(live_server, browser, demo_bop):
    """On a 390 px phone with text at 200 %, "Gezondheidsspreekuur" and "wijkverpleegkundige" break only at
    a hyphen (a soft hyphen, shown as "-" at the end of the line), on the agenda, the check-in page
    in Polish (the Dutch title marked Dutch) and in the staff planner."""
    location, _token = demo_bop
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    try:
        checked = []
        for url, selector in [(f"/bop/{location.slug}?lang=nl", "h4.activity-title"),
                              (f"/bop/{location.slug}/in?lang=pl", ".sc-tile-title bdi")]:
            page.goto(f"{live_server}{url}")
            for title in page.locator(selector, has_text="Gezondheids").all():
                assert "\u00ad" in title.inner_html()
                ends = title.evaluate(LINE_ENDS)
                assert ends and set(ends) <= {" ", "\u00ad"}, (url, ends)
                checked.append(url)
        assert len(checked) >= 2
        assert page.locator(".sc-tile-title bdi", has_text="Gezondheids").first.get_attribute("lang") == "nl"

        from bop.accounts.models import Staff
        coordinator = db.session.execute(db.select(Staff).filter_by(email="coordinator@example.org")).scalar_one()
        coordinator.set_password(PASSWORD)
        db.session.commit()
        page.goto(f"{live_server}/staff/login")
        page.get_by_label("E-mailadres").fill(coordinator.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/staff/**")
        page.goto(f"{live_server}/staff/plan/{location.slug}")
        hosts = page.locator(".planner-item p.muted", has_text="wijkverpleeg").all()
        titles = page.locator(".planner-item .title", has_text=LONG_TITLE[:12]).all()
        assert hosts and titles
        broken = 0
        for element in hosts + titles:
            ends = element.evaluate(LINE_ENDS)
            assert set(ends) <= {" ", "\u00ad", ","}, ends
            broken += "\u00ad" in ends
        assert broken
    finally:
        context.close()
