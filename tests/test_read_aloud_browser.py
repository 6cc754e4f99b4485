"""Read aloud ("Lees voor") on the public agenda and the phone check-in page, in Chromium.

Headless Chromium has no speech engine, so `speechSynthesis` is replaced before the page loads by a
stand-in that offers the voices a test asks for (asynchronously, with `voiceschanged`, as Chrome
does) and records what it is asked to say. What is tested is the page's own logic: the button
appears only with a voice for the page's language, reads the programme in that language, stops.
"""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

FAKE_SPEECH = """
(voices => {
  let loaded = false;
  const listeners = [];
  window.__spoken = [];
  window.__cancelled = 0;
  window.__voicesLoaded = false;
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; this.onend = null; this.onerror = null; }
  };
  const synth = {
    speaking: false, pending: false, paused: false,
    getVoices: () => (loaded ? voices : []),
    speak: u => window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}),
    cancel: () => { window.__cancelled += 1; },
    pause() {}, resume() {},
    addEventListener: (type, listener) => { if (type === "voiceschanged") listeners.push(listener); },
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  setTimeout(() => { loaded = true; listeners.forEach(l => l(new Event("voiceschanged"))); window.__voicesLoaded = true; }, 300);
})(%s);
"""


def voice(lang: str) -> dict:
    return {"name": f"Test {lang}", "lang": lang, "default": False, "localService": True, "voiceURI": lang}


@pytest.fixture
def speaking_page(browser):
    contexts = []

    def open_with(*voices: dict):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL",
                                      timezone_id="Europe/Amsterdam")
        contexts.append(context)
        context.add_init_script(FAKE_SPEECH % json.dumps(list(voices)))
        return context.new_page()

    yield open_with
    for context in contexts:
        context.close()


def button(page):
    return page.locator("#read-aloud")


def test_the_agenda_is_read_in_dutch_and_stops_on_a_second_press(live_server, speaking_page, bop, make_activity):
    make_activity(location=bop, title="Wandelclub")
    page = speaking_page(voice("de-DE"), voice("nl-NL"))
    page.goto(f"{live_server}/bop/rijn-en-vliet")
    read = page.get_by_role("button", name="Lees voor")
    read.wait_for()                                    # appears once the voices have arrived
    read.click()
    spoken = page.evaluate("window.__spoken")
    texts = [s["text"] for s in spoken]
    assert texts[0] == "Rijn en Vliet"
    today = texts.index(next(t for t in texts if t.startswith("Vandaag, ")))
    assert texts[today + 1] == "Wandelclub, van 10:00 tot 11:00"
    assert texts.count("Geen activiteiten") == 6       # the other six days say so
    assert {(s["lang"], s["voice"]) for s in spoken} == {("nl-NL", "Test nl-NL")}

    # Pressing again stops, and the button says what it will do next.
    stop = page.get_by_role("button", name="Stop met voorlezen")
    cancelled = page.evaluate("window.__cancelled")
    stop.click()
    assert page.evaluate("window.__cancelled") > cancelled
    read.wait_for()
    assert len(page.evaluate("window.__spoken")) == len(spoken)


def test_the_check_in_page_reads_its_tiles_in_arabic(live_server, speaking_page, bop, make_activity):
    make_activity(location=bop, title="Wandelclub")
    page = speaking_page(voice("nl-NL"), voice("ar-SA"))
    page.goto(f"{live_server}/bop/rijn-en-vliet/in?lang=ar")
    read = button(page)
    read.wait_for(state="visible")
    label = read.text_content().strip()
    assert label == "القراءة بصوت عالٍ"
    read.click()
    spoken = page.evaluate("window.__spoken")
    assert {s["lang"] for s in spoken} == {"ar-SA"}
    texts = [s["text"] for s in spoken]
    assert "Wandelclub، من 10:00 إلى 11:00" in texts   # the tile: title (not translated here) and time
    assert len(texts) == 4                             # greeting, instruction, the activity, drop-in
    assert read.text_content().strip() == "إيقاف القراءة"


@pytest.mark.parametrize("path", ["/bop/rijn-en-vliet?lang=en", "/bop/rijn-en-vliet/in?lang=en"])
def test_no_voice_for_the_language_no_button(live_server, speaking_page, bop, make_activity, path):
    make_activity(location=bop, title="Wandelclub")
    page = speaking_page(voice("nl-NL"), voice("ar-SA"))   # no English voice on this device
    page.goto(f"{live_server}{path}")
    page.wait_for_function("() => window.__voicesLoaded === true")
    page.wait_for_timeout(100)
    assert button(page).is_hidden()
    assert page.evaluate("window.__spoken") == []


def test_with_an_english_voice_the_english_page_reads_in_english(live_server, speaking_page, bop, make_activity):
    make_activity(location=bop, title="Wandelclub")
    page = speaking_page(voice("en-GB"))
    page.goto(f"{live_server}/bop/rijn-en-vliet?lang=en")
    page.get_by_role("button", name="Read aloud").click()
    spoken = page.evaluate("window.__spoken")
    assert "Wandelclub, from 10:00 to 11:00" in [s["text"] for s in spoken]
    assert {s["lang"] for s in spoken} == {"en-GB"}
