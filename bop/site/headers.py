"""Security headers on every response, in one `after_request`.

A strict Content-Security-Policy without 'unsafe-inline': scripts and styles come only from our own
static files (data blocks `<script type="application/json">` are not executed, so they need no
entry); the one addition, 'wasm-unsafe-eval', allows compiling WebAssembly (the kiosk's QR
decoder). The kiosk's camera is getUserMedia, which needs no CSP entry but the Permissions-Policy.
Nothing may frame a page (a staff confirm page in a hidden frame is a click-jacking trap), and pages
with personal data (every staff page, every API answer, the self check-in that greets a visitor by
name) are never stored in a cache, so the browser's back button after logout shows nothing.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # 'wasm-unsafe-eval' lets a page compile WebAssembly, and nothing else: no eval(), no new
    # Function(), no inline script. The kiosk's QR decoder (static/vendor/barcode-detector, ZXing-C++
    # in WebAssembly) needs it where the browser has no BarcodeDetector of its own; the .wasm itself
    # still comes only from 'self' (connect-src).
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Other sites learn nothing of our addresses (they can hold a visitor's or a BOP's id). Not
    # no-referrer: over https Flask-WTF checks that a form post's Referer is this same site.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PERSONAL_PREFIXES = ("/staff", "/api/")


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def holds_personal_data() -> bool:
    return request.path.startswith(PERSONAL_PREFIXES) or request.blueprint == "selfcheckin"


def add_security_headers(response: Response) -> Response:
    wanted = HEADERS
    if request.is_secure or (current_app.config.get("PUBLIC_URL") or "").startswith("https://"):
        wanted = {**HEADERS, "Strict-Transport-Security": "max-age=31536000"}
    # One pass over the headers a view set itself (setdefault would scan them all once per header).
    present = {name.lower() for name, _value in response.headers}
    for name, value in wanted.items():
        if name.lower() not in present:
            response.headers.add(name, value)
    if holds_personal_data():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response
