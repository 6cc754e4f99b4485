"""Finding 9: the kiosk decodes QR codes with the maintained barcode-detector ponyfill (ZXing-C++
in WebAssembly), vendored with its .wasm, licences and version, loaded from our own server. That it
reads a printed card before Chromium's fake camera is tests/test_kiosk_browser.py's camera test."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor" / "barcode-detector"


def test_the_ponyfill_and_its_wasm_belong_together():
    ponyfill = (VENDOR / "ponyfill.js").read_text()
    # The minified bundle exports ZXING_WASM_SHA256 from a variable; it is its only 64-hex-digit string.
    assert "ZXING_WASM_SHA256" in ponyfill
    digests = set(re.findall(r"[0-9a-f]{64}", ponyfill))
    actual = hashlib.sha256((VENDOR / "zxing_reader.wasm").read_bytes()).hexdigest()
    assert digests == {actual}, "zxing_reader.wasm is not the build this ponyfill.js expects"
    readme = (VENDOR / "README.md").read_text()
    assert actual in readme and "3.2.2" in readme, "README.md records the versions and the hash"
    for licence in ("LICENSE", "LICENSE.zxing-wasm", "LICENSE.zxing-cpp"):
        assert (VENDOR / licence).stat().st_size > 500, licence


def test_no_cdn_and_no_jsqr():
    assert not (ROOT / "static" / "vendor" / "jsqr").exists()
    kiosk_js = (ROOT / "static" / "js" / "kiosk.js").read_text()
    assert "jsQR" not in kiosk_js and "locateFile" in kiosk_js and "config.urls.zxingWasm" in kiosk_js


def test_the_kiosk_loads_the_decoder_from_our_server(client):
    page = client.get("/kiosk").get_data(as_text=True)
    assert '<script src="/static/vendor/barcode-detector/ponyfill.js" defer></script>' in page
    assert '"zxingWasm": "/static/vendor/barcode-detector/zxing_reader.wasm"' in page
    assert "jsdelivr" not in page and "unpkg" not in page
    wasm = client.get("/static/vendor/barcode-detector/zxing_reader.wasm")
    # WebAssembly.instantiateStreaming insists on this type.
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm"
    assert "'wasm-unsafe-eval'" in wasm.headers["Content-Security-Policy"]
    wasm.close()
