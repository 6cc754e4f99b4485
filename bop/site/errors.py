"""Error pages in the site's style, and JSON errors under /api/ — never a bare 500."""
from __future__ import annotations

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db

MESSAGES = {
    400: _l("Daar klopt iets niet in de vraag aan de website."),
    403: _l("U mag deze pagina niet gebruiken. Vraag het de coördinator als u denkt dat dit wel moet."),
    404: _l("Deze pagina is er niet. Kijk in de agenda wat er deze week is."),
    405: _l("Zo kunt u deze pagina niet gebruiken."),
    413: _l("Dit bestand is te groot. Kies een kleiner bestand."),
    415: _l("Deze pagina leest alleen gewone formulieren."),
    429: _l("Even rustig aan: probeer het over een minuut opnieuw."),
    500: _l("Er ging iets mis bij ons. Probeer het straks nog eens."),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(refuse_json_forms)


def refuse_json_forms():
    """Pages take HTML forms; only /api/ reads JSON. Flask-WTF would otherwise feed any JSON body
    (a list, `true`, 100,000 nested brackets) to every form as if it were form data."""
    if request.method != "GET" and request.is_json and not wants_json():
        abort(415)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, code: str, message: str):
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    if isinstance(error, CSRFError):
        message = str(_l("Dit formulier was verlopen. Ga terug en probeer het nog een keer."))
        return render_error(400, "csrf", message)
    if isinstance(error, RateLimitExceeded):
        # The limit's own Dutch message (login, pairing, check-in); the API keeps its error code.
        message = str(error.limit.error_message or MESSAGES[429])
        return render_error(429, "too_many_attempts", message)
    # abort(400, _("...")) gives its own message; werkzeug's English default text never shows.
    custom = error.description if error.description != type(error).description else None
    message = str(custom or MESSAGES.get(status, error.description or MESSAGES[500]))
    code = (error.name or "error").lower().replace(" ", "_")
    return render_error(status, code, message)


def handle_unexpected(error: Exception):
    # Logged with the traceback; the visitor gets a calm page, the API a JSON error.
    current_app.logger.exception("Unhandled error on %s", request.path)
    db.session.rollback()
    if current_app.testing:  # let tests see the real error
        raise error
    return render_error(500, "internal_server_error", str(MESSAGES[500]))
