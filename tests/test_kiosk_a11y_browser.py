"""The kiosk with a keyboard and in the visitor's language, in a real headless Chromium.

(a) Tab reaches every control and keeps it (no return to the card field), with a visible focus
ring; "Nieuw? Tik hier" and "+1 bezoeker" work with Enter and Space; a scanner still lands in the
card field while a button has focus. (b) The kiosk in Arabic: right to left, the Arabic title,
Dutch titles marked as Dutch and wrapped rather than cut, an Arabic card holder greeted in Arabic
and a Dutch one in Dutch, each with the pictogram of the answer.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from support import checkins, make_kiosk, make_visitor

from bop.extensions import db
from bop.planning.models import ActivityTranslation

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("BOP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "bop-screenshots")

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {id: el.id, text: el.textContent.trim(), tag: el.tagName,
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def open_kiosk(page, url: str) -> None:
    page.goto(url)
    page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()


def tab_to(page, text: str, limit: int = 40, key: str = "Tab") -> list[dict]:
    """Press Tab (or `key`) until the control showing `text` has focus; returns every element passed."""
    passed = []
    for _press in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        passed.append(focused)
        if focused and focused["text"] == text:
            return passed
    raise AssertionError(f"{text!r} not reached with Tab; passed {passed}")


def test_keyboard_reaches_and_operates_every_control(live_server, page, bop, walk):
    _device, token = make_kiosk(bop)
    _visitor, code = make_visitor("Ans")
    page.set_viewport_size({"width": 1280, "height": 800})
    open_kiosk(page, f"{live_server}/kiosk#token={token}")
    assert page.evaluate(FOCUSED)["id"] == "k-code"   # ready for the scanner

    # Backwards: the activity tile; Enter chooses it and the focus stays on it.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["text"].startswith("Wandelclub")
    page.keyboard.press("Enter")
    tile = page.get_by_role("button", name="Wandelclub")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'")
    assert tile.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(1200)
    assert page.evaluate(FOCUSED)["text"].startswith("Wandelclub")

    # Back to the top bar, then forwards through everything to "Nieuw? Tik hier".
    back = [p["text"] for p in tab_to(page, "Volledig scherm", key="Shift+Tab") if p]
    assert {"Inloop", "English", "العربية"} <= set(back)
    texts = [p["text"] for p in tab_to(page, "Nieuw? Tik hier") if p]
    assert {"English", "Inloop", "Ik ben er", "Code typen"} <= set(texts)
    assert any(t.startswith("Wandelclub") for t in texts)
    page.wait_for_timeout(1200)                          # the old kiosk pulled focus back after 0.5 s
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Nieuw? Tik hier"
    assert focused["outline"] != "none" and focused["width"] >= 3   # a visible focus ring
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "kiosk-keyboard-focus.png")

    # Enter opens the question; focus moves into it, Tab stays inside, Space answers.
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for()
    assert page.evaluate(FOCUSED)["text"] == "Folder"
    tab_to(page, "Buren", limit=6)
    page.keyboard.press("Space")
    feedback = page.locator("#k-feedback")
    page.locator("#k-feedback-title").filter(has_text="Welkom! U bent als gast geteld.").wait_for()
    assert page.locator("#k-feedback-icon").get_attribute("src").endswith("/feedback/welcome.svg")
    page.keyboard.press("Escape")
    feedback.wait_for(state="hidden")
    assert page.evaluate(FOCUSED)["text"] == "Nieuw? Tik hier"   # back where the keyboard was

    tab_to(page, "+1 bezoeker", limit=2)
    page.keyboard.press("Enter")
    page.locator("#k-feedback-title").filter(has_text="+1 geteld").wait_for()
    page.keyboard.press("Escape")
    feedback.wait_for(state="hidden")
    assert page.evaluate(FOCUSED)["text"] == "+1 bezoeker"

    # A USB scanner types while a button has focus: the code still goes to the card field.
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    page.locator("#k-feedback-title").filter(has_text="Welkom, Ans!").wait_for()
    rows = checkins()
    assert [(r.method, r.source, r.activity_id) for r in rows] == [
        ("guest", "neighbour", walk.id), ("headcount", "", walk.id), ("card", "", walk.id)]


def test_arabic_kiosk_shows_arabic_titles_and_greets_in_the_visitors_language(app, live_server, page, bop, make_activity):
    walk = make_activity(location=bop, title="Wandelclub")
    walk.translations.append(ActivityTranslation(lang="ar", title="نادي المشي"))
    long_title = "Taalcafé: Nederlands oefenen zonder boeken, met koffie en de buren"
    make_activity(location=bop, title=long_title, category="language")
    yasmin, yasmin_code = make_visitor("Yasmin")
    yasmin.language = "ar"
    ans, ans_code = make_visitor("Ans")
    ans.language = "nl"
    db.session.commit()
    _device, token = make_kiosk(bop)
    page.set_viewport_size({"width": 1280, "height": 800})
    open_kiosk(page, f"{live_server}/kiosk?lang=ar#token={token}")

    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    arabic = page.locator(".k-tile-title", has_text="نادي المشي")
    arabic.wait_for()
    assert arabic.get_attribute("lang") is None      # the page's own language
    dutch = page.locator(".k-tile-title", has_text=long_title)
    assert dutch.get_attribute("lang") == "nl" and dutch.get_attribute("dir") == "ltr"
    # The whole title is shown, wrapped over lines, not cut off with "…".
    box = dutch.evaluate("el => ({sw: el.scrollWidth, cw: el.clientWidth, h: el.getBoundingClientRect().height,"
                         " line: parseFloat(getComputedStyle(el).lineHeight)})")
    assert box["sw"] <= box["cw"] and box["h"] > 1.5 * box["line"]
    assert page.get_by_role("link", name="Nederlands").get_attribute("href").endswith("lang=nl")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "kiosk-arabic.png")

    with app.test_request_context(), force_locale("ar"):
        greeting = _("Welkom, %(name)s!", name="Yasmin")
    page.keyboard.type(yasmin_code)
    page.keyboard.press("Enter")
    title = page.locator("#k-feedback-title")
    title.filter(has_text=greeting).wait_for()
    assert title.get_attribute("lang") is None       # Arabic, like the page
    assert page.locator("#k-feedback-icon").get_attribute("src").endswith("/feedback/welcome.svg")
    page.wait_for_timeout(300)  # the screen fades in
    page.screenshot(path=SHOTS / "kiosk-arabic-welcome.png")
    page.keyboard.press("Escape")

    # A card holder whose record says Dutch is greeted in Dutch, marked as such, on the Arabic kiosk.
    page.keyboard.type(ans_code)
    page.keyboard.press("Enter")
    title.filter(has_text="Welkom, Ans!").wait_for()
    assert title.get_attribute("lang") == "nl" and title.get_attribute("dir") == "ltr"
    page.keyboard.press("Escape")

    # Shown again: "already", with its own pictogram; then an unknown card.
    page.keyboard.type(yasmin_code)
    page.keyboard.press("Enter")
    page.locator("#k-feedback.is-already").wait_for()
    assert page.locator("#k-feedback-icon").get_attribute("src").endswith("/feedback/already.svg")
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / "kiosk-arabic-already.png")
    page.keyboard.press("Escape")
    page.keyboard.type("AAAA-BBBB-CCCC-DDDD")
    page.keyboard.press("Enter")
    page.locator("#k-feedback.is-bad").wait_for()
    assert page.locator("#k-feedback-icon").get_attribute("src").endswith("/feedback/unknown.svg")
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / "kiosk-arabic-unknown.png")

    # On a phone, with the language switch and the wrapped titles, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator(".k-tile-title", has_text="نادي المشي").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SHOTS / "kiosk-arabic-phone.png", full_page=True)
