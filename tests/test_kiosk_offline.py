"""Finding 8: a kiosk reloaded while the network is down still opens, scans into its outbox and
sends when the network is back. The service worker (static/js/kiosk-sw.js, served at /kiosk-sw.js)
keeps the page and its files; the check-ins wait in the kiosk's own outbox."""
from __future__ import annotations

from datetime import timedelta

import pytest
from support import checkins, make_kiosk, make_visitor

from bop.checkin import kiosk
from bop.clock import to_local, utcnow

# -- the worker script and its manifest -----------------------------------------------------------


def manifest_of(body: str) -> dict:
    import json

    first, _rest = body.split("\n", 1)
    return json.loads(first.removeprefix("self.BOP_KIOSK = ").removesuffix(";"))


def test_the_worker_is_served_from_the_root_with_what_the_kiosk_needs(client):
    response = client.get("/kiosk-sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"   # every load asks for a new release
    body = response.get_data(as_text=True)
    manifest = manifest_of(body)
    assert manifest["page"] == "/kiosk" and manifest["api"] == "/api/"
    assert body.endswith(kiosk.SERVICE_WORKER.read_text())
    files = manifest["files"]
    for needed in ("/static/css/kiosk.css", "/static/js/kiosk.js", "/static/pictograms/coffee.svg",
                   "/static/feedback/saved.svg"):
        assert needed in files
    assert {"/static/vendor/barcode-detector/ponyfill.js",
            "/static/vendor/barcode-detector/zxing_reader.wasm"} <= set(files), "the QR decoder"
    for url in files:                       # every file it will cache exists
        assert client.get(url).status_code == 200, url
    # The kiosk page registers it with a scope that covers /kiosk.
    page = client.get("/kiosk").get_data(as_text=True)
    assert '"serviceWorker": "/kiosk-sw.js"' in page and '"serviceWorkerScope": "/kiosk"' in page


def test_a_changed_file_gives_a_new_cache_version(tmp_path, monkeypatch):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "kiosk.js").write_text("one")
    monkeypatch.setattr(kiosk, "STATIC", tmp_path)
    before = kiosk.offline_version(["js/kiosk.js"])
    assert kiosk.offline_version(["js/kiosk.js"]) == before
    (tmp_path / "js" / "kiosk.js").write_text("two")
    assert kiosk.offline_version(["js/kiosk.js"]) != before


# -- in Chromium: reload without a network, scan, reconnect -----------------------------------------

@pytest.mark.browser
def test_a_kiosk_reloaded_offline_opens_scans_and_sends_once(live_server, browser, bop):
    _visitor, code = make_visitor("Ans")
    _device, token = make_kiosk(bop)
    # 127.0.0.1 is a secure context for Chromium: service workers run on it without https.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    try:
        page = context.new_page()
        page.goto(f"{live_server}/kiosk#token={token}")
        page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)

        context.set_offline(True)
        response = page.reload()
        assert response is not None and response.from_service_worker, "the page came from the worker's cache"
        page.locator("#k-net").filter(has_text="Geen internet").wait_for()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)", \
            "the kiosk's styles came from the cache too"
        page.keyboard.type(code.lower())    # a USB scanner: keystrokes, then Enter
        page.keyboard.press("Enter")
        page.locator("#k-feedback-title").filter(has_text="Opgeslagen").wait_for()
        assert page.locator("#k-feedback-icon").evaluate("img => img.complete && img.naturalWidth > 0")
        page.locator("#k-net").filter(has_text="Nog te versturen: 1").wait_for()
        # The camera's decoder is there for an offline start too (this Chromium has no camera).
        assert page.evaluate("""() => caches.match('/static/vendor/barcode-detector/zxing_reader.wasm')
                                      .then(r => !!r && r.headers.get('Content-Type') === 'application/wasm')""")
        assert checkins() == []

        context.set_offline(False)           # fires `online`: the kiosk flushes its outbox
        page.wait_for_function("() => JSON.parse(localStorage.getItem('bop.kiosk.outbox')).length === 0")
        page.locator("#k-net").filter(has_text="Verbonden").wait_for()
        page.reload()                        # online again: the page from the server, nothing sent twice
        page.locator("#k-place").filter(has_text="Rijn en Vliet").wait_for()
        [row] = checkins()
        assert row.visitor.name == "Ans" and row.method == "card"
    finally:
        context.close()


@pytest.mark.browser
def test_offline_the_running_activity_is_still_chosen(live_server, browser, bop, make_activity):
    """Reloaded offline, the kiosk shows today's programme as last heard and puts a scan on the
    activity that is on now, not on the drop-in."""
    now = to_local(utcnow())
    if now.hour == 0 and now.minute < 11:
        pytest.skip("just after midnight the activity would have started yesterday")
    walk = make_activity(location=bop, title="Wandelclub", duration_minutes=120,
                         start_time=(now - timedelta(minutes=10)).time().replace(second=0, microsecond=0))
    _visitor, code = make_visitor("Bram")
    _device, token = make_kiosk(bop)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    try:
        page = context.new_page()
        page.goto(f"{live_server}/kiosk#token={token}")
        page.get_by_role("button", name="Wandelclub").wait_for()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)

        context.set_offline(True)
        page.reload()
        page.locator("#k-net").filter(has_text="Geen internet").wait_for()
        tile = page.get_by_role("button", name="Wandelclub")
        tile.wait_for()
        assert tile.get_attribute("aria-pressed") == "true"
        assert page.locator("#k-place").text_content() == "Rijn en Vliet"
        page.keyboard.type(code.lower())
        page.keyboard.press("Enter")
        page.locator("#k-feedback-title").filter(has_text="Opgeslagen").wait_for()

        context.set_offline(False)
        page.wait_for_function("() => JSON.parse(localStorage.getItem('bop.kiosk.outbox')).length === 0")
        [row] = checkins()
        assert row.activity_id == walk.id and row.visitor.name == "Bram"
    finally:
        context.close()
