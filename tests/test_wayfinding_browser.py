"""Finding your way on the visitor pages, in a real headless Chromium: a skip link first, every link
and button at least 44 × 44 CSS px on a 390 px phone, a jump to today at the top of a long week, and
long Dutch words broken with a hyphen on phones and in the staff planner."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from conftest import PASSWORD
from flask_babel import force_locale
from flask_babel import gettext as _
from test_reflow_browser import LANGUAGES, LONG_TITLE, open_page

from bop.extensions import db

pytestmark = pytest.mark.browser

SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input[type=submit]')].flatMap(el => {
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
