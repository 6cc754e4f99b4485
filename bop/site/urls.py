"""One public address for the site, and the proxy in front of it.

`PUBLIC_URL` (env `BOP_PUBLIC_URL`, e.g. https://bop.example.nl) is the address people use. Every
URL that is printed or sent (flyer QR codes, visitor cards, koffietafel posters, kiosk pairing
codes) is built on it, never on the Host header of the request that happened to make it, which
behind a proxy can be an internal name. When it is https, cookies are sent over https only.

`PROXY_HOPS` (env `BOP_PROXY_HOPS`) is the number of trusted proxies in front of the app (nginx:
1). With it, Werkzeug's ProxyFix takes the client's address and the scheme from that many
X-Forwarded-* entries, so rate limits count per visitor instead of per proxy.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for
from werkzeug.middleware.proxy_fix import ProxyFix


class InvalidPublicUrl(ValueError):
    pass


def configure(app: Flask) -> None:
    public = (app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if public:
        parts = urlsplit(public)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise InvalidPublicUrl(
                f"BOP_PUBLIC_URL must be a scheme and a host, like https://bop.example.nl; not {public!r}")
    app.config["PUBLIC_URL"] = public or None
    if public.startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ValueError("BOP_PROXY_HOPS is the number of trusted proxies: 0, 1, 2 …")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops,  # type: ignore[method-assign]
                                x_prefix=hops)


def public_url(endpoint: str, **values) -> str:
    """An absolute URL for something printed or sent: on PUBLIC_URL when set, else on this request's host."""
    path = url_for(endpoint, **values)
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public + path
    return url_for(endpoint, _external=True, **values)
