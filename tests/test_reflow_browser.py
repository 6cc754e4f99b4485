"""Reflow (WCAG 1.4.10), larger text (1.4.4) and text spacing (1.4.12) on every visitor page, in
all six languages, in a real headless Chromium.

Each page is judged three ways: at 320 CSS px wide (the width WCAG names for reflow), at 320 px with
WCAG's text spacing (line height 1.5, paragraphs 2em apart, letters 0.12em and words 0.16em), and on
a 390 px phone with text at 200 %. Judged means: the page does not scroll sideways
(`scrollWidth <= innerWidth`), no element sticks out of the viewport, and no box has text running
out of it (such as "Welkom!" out of its green box). Only a deliberate scroll region (an element
that scrolls or clips sideways on purpose, like the kiosk's row of tiles) is judged as a whole.

How the text becomes 200 %: with Chromium's own default font size (DevTools' `Page.setFontSizes`,
16 → 32 px), the setting Chrome's "Font size" / Android Chrome's "Text scaling" and Firefox's
"Size" change. That is what a visitor who turned up the text on their phone gives us: a larger
`medium`, which every size in rem, em or % follows and a size fixed in px ignores, so a page that
forgets the setting is caught rather than helped. Injecting `html { font-size: 200% }` would not
mirror any phone: it replaces our own root size (112.5 %, so the result is only 178 %), and it is
a stylesheet of ours, not the visitor's choice.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from bop.extensions import db

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("BOP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "bop-screenshots")
LANGUAGES = ["nl", "en", "tr", "pl", "uk", "ar"]
PAGES = ["chooser", "agenda", "checkin", "welcome", "error", "kiosk"]
LONG_TITLE = "Gezondheidsspreekuur met de wijkverpleegkundige"

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""

# Every visible element inside the viewport and no box with text running out of it; the contents of
# an element that scrolls or clips sideways on purpose are that element's own business.
OVERFLOWS = """() => {
  const doc = document.documentElement, width = doc.clientWidth, problems = [];
  if (doc.scrollWidth > window.innerWidth) problems.push(`page ${doc.scrollWidth} px wide in ${window.innerWidth}`);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ` "${(el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40)}"`;
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden, [hidden]')) continue;
    if (scrolls(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1)
      problems.push(`${name(el)} from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
    if (style.display !== 'inline' && style.overflowX === 'visible' && el.clientWidth > 0
        && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)}: content ${el.scrollWidth} px wide in its ${el.clientWidth} px box`);
  }
  return problems;
}"""


def open_page(page, base: str, which: str, lang: str, slug: str, token: str) -> None:
    query = f"?lang={lang}"
    if which == "chooser":
        page.goto(f"{base}/{query}")
    elif which == "agenda":
        page.goto(f"{base}/bop/{slug}{query}")
    elif which == "checkin":
        page.goto(f"{base}/bop/{slug}/in{query}")
    elif which == "welcome":
        page.goto(f"{base}/bop/{slug}/in{query}")
        page.locator(".sc-tile").first.click()
        page.locator(".sc-welcome").wait_for()
    elif which == "error":
        page.goto(f"{base}/bop/bestaat-niet{query}")
    elif which == "kiosk":
        page.goto(f"{base}/kiosk{query}#token={token}")
        page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()
        page.locator(".k-tile").first.wait_for()


def judge(page, label: str) -> list[str]:
    return [f"{label}: {problem}" for problem in page.evaluate(OVERFLOWS)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("which", PAGES)
def test_no_sideways_scrolling(live_server, browser, demo_bop, which, lang):
    location, token = demo_bop
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 320, "height": 640},
                                  is_mobile=True, has_touch=True, bypass_csp=True)  # for the text spacing sheet
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        problems = []
        open_page(page, live_server, which, lang, location.slug, token)
        problems += judge(page, "320 px")
        page.add_style_tag(content=TEXT_SPACING)
        problems += judge(page, "320 px, text spacing")

        page.set_viewport_size({"width": 390, "height": 844})
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        page.reload()
        if which == "kiosk":
            page.locator(".k-tile").first.wait_for()
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        problems += judge(page, "390 px, text 200 %")
        if which != "kiosk":  # the visitor pages fold their languages into one button here; open, too
            page.locator(".language-menu summary").click()
            problems += judge(page, "390 px, text 200 %, languages open")
            page.locator(".language-menu summary").click()
        if which == "agenda" and lang in ("nl", "ar"):
            SHOTS.mkdir(exist_ok=True)
            # The first screen only: a full-page screenshot resizes the view and drops the font setting.
            page.screenshot(path=SHOTS / f"agenda-{lang}-390-text200.png")
            assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_phone_agenda_screenshots_at_320(live_server, browser, demo_bop, lang):
    """The phone agenda as a visitor sees it, for people to look at; and it does not scroll sideways."""
    location, _token = demo_bop
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 320, "height": 640},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/bop/{location.slug}?lang={lang}")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / f"agenda-{lang}-320.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_staff_tables_usable_at_320(live_server, browser, demo_bop):
    """Staff lists stack at 320 px, each cell named by its column; the visitor comparison scrolls
    inside its own labelled, focusable region; no staff page scrolls sideways."""
    from conftest import PASSWORD
    from support import make_visitor

    from bop.accounts.models import Staff
    location, _token = demo_bop
    coordinator = db.session.execute(db.select(Staff).filter_by(email="coordinator@example.org")).scalar_one()
    coordinator.set_password(PASSWORD)
    ans, _code = make_visitor("Ans Wijkverpleegkundige-de Boer", location=location)
    bea, _code = make_visitor("Bea", location=location)
    db.session.commit()
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server}/staff/login")
        page.get_by_label("E-mailadres").fill(coordinator.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/staff/**")
        problems = []
        for path in ["/staff/people/", "/staff/kiosks", "/staff/visitors/", f"/staff/visitors/{ans.id}",
                     f"/staff/visitors/{ans.id}/merge/{bea.id}", f"/staff/plan/{location.slug}", "/staff/checkin/today"]:
            page.goto(f"{live_server}{path}")
            problems += judge(page, path)
        assert not problems, "\n".join(problems)

        # The staff list: stacked, every cell with its column's name beside it.
        page.goto(f"{live_server}/staff/people/")
        cell = page.locator("td[data-label=Telefoon]").first
        assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"Telefoon"'
        assert page.locator("thead").first.evaluate("el => el.getBoundingClientRect().height") <= 1
        # The comparison: a region with a name that the keyboard can scroll.
        page.goto(f"{live_server}/staff/visitors/{ans.id}/merge/{bea.id}")
        region = page.get_by_role("region", name="Vergelijking van de twee bezoekers")
        assert region.get_attribute("tabindex") == "0"
        assert region.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    finally:
        context.close()
