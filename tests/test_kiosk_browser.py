"""The kiosk and the phone page in a real headless Chromium.

(a) a fake camera fed a generated visitor card greets the visitor by name; (b) the same card shown
again says "Al aangemeld"; (c) with the network cut three typed scans are kept ("Nog te versturen") and
reach the staff list exactly once each after reconnecting, through a lost answer and a reload;
(d) the phone self check-in page: one tap, a greeting.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from datetime import time, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from support import checkins, make_kiosk, make_visitor, scans

from bop.clock import to_local, utcnow
from bop.printing.cards import CARD_H, CARD_W, CardFace, card_origin, card_sheet_pdf
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

pytestmark = pytest.mark.browser
# Screenshots to look at (not asserted): $BOP_SCREENSHOTS, else the system's temporary directory.
SHOTS = Path(os.environ.get("BOP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "bop-screenshots")


def card_image(code: str, name: str) -> Image.Image:
    """The visitor's card exactly as printed: the real card sheet PDF, rendered and cut out."""
    pdf = card_sheet_pdf([CardFace(code=code, bop_name="Rijn en Vliet", first_name=name)])
    document = pdfium.PdfDocument(pdf)
    try:
        scale = 150 / 72
        sheet = document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    x, y = card_origin(0)
    top = (A4[1] - y - CARD_H) * scale
    return sheet.crop((round(x * scale), round(top), round((x + CARD_W) * scale), round(top + CARD_H * scale)))


def card_video(path: Path, card: Image.Image, card_frames: int = 30, empty_frames: int = 90) -> Path:
    """An MJPEG clip (Chromium plays these at about 30 frames a second, looping): the card held up
    for about a second, then an empty table for three. Concatenated JPEG frames are valid MJPEG."""
    card = card.resize((440, round(440 * card.height / card.width)))

    def frame(with_card: bool) -> bytes:
        image = Image.new("RGB", (640, 480), (90, 96, 104))
        if with_card:
            image.paste(card, ((640 - card.width) // 2, (480 - card.height) // 2))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        return buffer.getvalue()

    shown, empty = frame(True), frame(False)
    path.write_bytes(shown * card_frames + empty * empty_frames)
    return path


def open_kiosk(page, live_server, token: str) -> None:
    page.goto(f"{live_server}/kiosk#token={token}")
    page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()


def feedback(page):
    return page.locator("#k-feedback-title")


# -- (a) and (b): the camera ----------------------------------------------------------------------

def test_camera_reads_a_printed_card_then_says_already(app, live_server, browser, bop, tmp_path):
    visitor, code = make_visitor("Fatima")
    _device, token = make_kiosk(bop)
    with app.test_request_context():  # the card's words are translated
        video = card_video(tmp_path / "card.mjpeg", card_image(code, "Fatima"))

    # A second Chromium with the fake camera, launched through the session's Playwright (a second
    # sync_playwright() cannot run beside it).
    with contextlib.closing(browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
            *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])) as camera_browser:
        context = camera_browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL",
                                             timezone_id="Europe/Amsterdam")
        page = context.new_page()
        page.set_default_timeout(20_000)
        open_kiosk(page, live_server, token)  # nothing on the programme: the drop-in

        # (a) The card is held up: a green welcome with her name.
        greeting = feedback(page).filter(has_text="Welkom, Fatima!")
        greeting.wait_for()
        assert "is-ok" in page.locator("#k-feedback").get_attribute("class")
        # Debian's Chromium on Linux has no BarcodeDetector of its own: the vendored ponyfill read it.
        decoder = page.locator("#k-camera").get_attribute("data-decoder")
        print(f"QR decoder used: {decoder}")
        assert decoder == "zxing-wasm"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / "kiosk-camera-welcome.png")

        # (b) She takes it away and shows it again: yellow, with the time of the first scan.
        already = feedback(page).filter(has_text="Al aangemeld om")
        already.wait_for()
        assert "is-already" in page.locator("#k-feedback").get_attribute("class")
        [row] = checkins(visitor_id=visitor.id)
        assert already.text_content() == f"Al aangemeld om {to_local(row.client_time):%H:%M}"
        assert row.slot == 0 and row.method == "card"
        page.screenshot(path=SHOTS / "kiosk-camera-already.png")
    assert len(checkins(visitor_id=visitor.id)) == 1
    assert Counter(s.status for s in scans())["ok"] == 1


# -- (c): offline ---------------------------------------------------------------------------------

def test_offline_scans_are_kept_and_arrive_exactly_once(live_server, page, bop, make_staff):
    visitors = [make_visitor(name) for name in ("Ans", "Bram", "Cem")]
    _device, token = make_kiosk(bop)
    page.set_viewport_size({"width": 1280, "height": 800})
    open_kiosk(page, live_server, token)

    page.context.set_offline(True)
    for _visitor, code in visitors:
        page.keyboard.type(code.lower())     # as a USB scanner would: keystrokes, then Enter
        page.keyboard.press("Enter")
        feedback(page).filter(has_text="Opgeslagen").wait_for()
        page.locator("#k-feedback").click()  # dismiss, as a volunteer would
    page.locator("#k-net").filter(has_text="Nog te versturen: 3").wait_for()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "kiosk-offline.png")
    assert checkins() == []

    # The first upload reaches the server but its answer is lost on the way back.
    calls = []

    def lose_first_answer(route):
        calls.append(route.request.post_data_json["nonce"])
        if len(calls) == 1:
            route.fetch()      # the server stores it...
            route.abort()      # ...and the kiosk never hears back
        else:
            route.continue_()

    page.route("**/api/v1/checkins", lose_first_answer)
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)  # fires `online`: the kiosk flushes its outbox
    page.locator("#k-net").filter(has_text="Nog te versturen: 3").wait_for()
    assert len(checkins()) == 1          # stored once; still in the outbox, as the kiosk knows nothing

    # A reload: the outbox survives in localStorage and is sent again; the replayed nonce counts once.
    page.reload()
    page.locator("#k-net").filter(has_text="Verbonden").wait_for()
    page.wait_for_function("() => !document.getElementById('k-net').textContent.includes('Nog te versturen')")
    assert page.evaluate("JSON.parse(localStorage.getItem('bop.kiosk.outbox'))") == []
    assert calls[0] == calls[1]           # the lost one was retried with its own nonce

    rows = checkins()
    assert sorted(r.visitor.name for r in rows) == ["Ans", "Bram", "Cem"]
    assert all(r.client_time < r.server_time for r in rows)  # the real scan times were kept
    assert len(scans()) == 3

    # The welfare worker's list shows each of them exactly once.
    staff = make_staff(role="worker")
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{live_server}/staff/checkin/today?bop=rijn-en-vliet")
    names = page.locator('#slot-0 [data-list="named"] li > a:first-child').all_text_contents()
    assert sorted(names) == ["Ans", "Bram", "Cem"]
    page.screenshot(path=SHOTS / "staff-today.png", full_page=True)


def test_staff_list_updates_without_reload(live_server, page, bop, make_staff, client):
    staff = make_staff(role="worker")
    _device, token = make_kiosk(bop)
    _visitor, code = make_visitor("Dewi")
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    polls: list[int] = []
    page.on("response", lambda r: polls.append(r.status) if "today.json" in r.url else None)
    page.goto(f"{live_server}/staff/checkin/today?bop=rijn-en-vliet")
    assert page.locator("#slot-0 [data-empty]").is_visible()
    # While nothing changes the poller gets 304s (no body, no redraw) and still says it is current.
    page.wait_for_function("() => document.getElementById('ct-status').textContent.includes('Bijgewerkt')",
                           timeout=15_000)
    page.wait_for_timeout(5_500)
    assert polls[0] == 200 and 304 in polls[1:], polls
    response = client.post("/api/v1/checkins", json={"code": code}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    page.locator('#slot-0 [data-list="named"]').filter(has_text="Dewi").wait_for(timeout=15_000)
    assert page.locator('#slot-0 [data-field="total"]').text_content() == "1"
    assert polls[-1] == 200


def test_kiosk_guest_and_plus_one(live_server, page, bop):
    _device, token = make_kiosk(bop)
    open_kiosk(page, live_server, token)
    page.get_by_role("button", name="Nieuw? Tik hier").click()
    page.get_by_role("button", name="Buren").click()
    feedback(page).filter(has_text="Welkom! U bent als gast geteld.").wait_for()
    page.locator("#k-feedback").click()
    page.get_by_role("button", name="+1 bezoeker").click()
    feedback(page).filter(has_text="+1 geteld").wait_for()
    page.locator("#k-count").filter(has_text="2 bezoekers vandaag").wait_for()
    rows = checkins()
    assert [(r.method, r.source) for r in rows] == [("guest", "neighbour"), ("headcount", "")]


def test_kiosk_pairing_with_a_code(live_server, page, bop):
    from bop.checkin.kiosk import create_pairing
    from bop.clock import utcnow
    from bop.extensions import db
    device = create_pairing(db.session, bop, "Tablet koffietafel", None, utcnow())
    db.session.commit()
    page.goto(f"{live_server}/kiosk")
    page.get_by_label("Koppelcode").fill("nope-nope")
    page.get_by_role("button", name="Koppelen").click()
    page.locator("#k-pair-error").filter(has_text="klopt niet").wait_for()
    page.get_by_label("Koppelcode").fill(device.pairing_code.lower())
    page.get_by_role("button", name="Koppelen").click()
    page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()
    assert page.evaluate("localStorage.getItem('bop.kiosk.token')")


def test_kiosk_preselects_the_running_activity_on_a_phone_sized_screen(live_server, browser, bop, make_activity):
    now = to_local(utcnow())
    if now.hour == 0 and now.minute < 11:
        pytest.skip("just after midnight the activity would have started yesterday")
    make_activity(location=bop, title="Taalcafé", category="language", start_time=time(0, 0), duration_minutes=5)
    make_activity(location=bop, title="Wandelclub", start_time=(now - timedelta(minutes=10)).time().replace(second=0, microsecond=0),
                  duration_minutes=120)
    _device, token = make_kiosk(bop)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    try:
        page = context.new_page()
        open_kiosk(page, live_server, token)
        running = page.get_by_role("button", name="Wandelclub")
        running.wait_for()
        assert running.get_attribute("aria-pressed") == "true" and "Nu" in running.text_content()
        assert page.get_by_role("button", name="Inloop").get_attribute("aria-pressed") == "false"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the kiosk must not scroll sideways on a phone"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / "kiosk-phone.png", full_page=True)
    finally:
        context.close()


# -- (d): the visitor's own phone -----------------------------------------------------------------

def test_phone_self_check_in_one_tap(live_server, browser, bop, make_activity):
    make_activity(location=bop, title="Wandelclub")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/bop/rijn-en-vliet/in")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / "selfcheckin-phone.png", full_page=True)
        page.get_by_role("button", name="Wandelclub").tap()
        page.get_by_role("heading", name="Welkom!").wait_for()
        assert page.get_by_text("Wandelclub").is_visible()
        page.screenshot(path=SHOTS / "selfcheckin-welcome.png", full_page=True)
        [row] = checkins()
        assert row.method == "phone" and row.visitor_id is None

        # "Onthoud mij": next time the phone greets her by name.
        page.get_by_text("Onthoud mij op deze telefoon").click()
        page.get_by_label("Uw voornaam").fill("Samira")
        page.get_by_role("button", name="Onthoud mij", exact=True).click()
        page.get_by_role("heading", name="Welkom, Samira!").wait_for()
        page.goto(f"{live_server}/bop/rijn-en-vliet/in")
        page.get_by_role("heading", name="Hallo Samira!").wait_for()
    finally:
        context.close()
