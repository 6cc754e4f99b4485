"""JSON API for kiosks and integrations, `/api/v1` (documented in docs/api.md).

A kiosk authenticates with its own device token (`Authorization: Bearer …`), never a staff
password. Every answer is JSON, errors included: `{"error": {"code": ..., "message": ...}}`.
CSRF does not apply: there is no cookie-based session to ride on, only the bearer token.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps

from flask import Blueprint, g, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..accounts.models import Location
from ..clock import TZ, local_day, to_utc_naive, utcnow
from ..extensions import DbSession, csrf, db
from ..planning.programme import running_now, todays_programme
from ..site.inputs import parse_id, parse_timestamp
from ..site.ratelimit import TOO_MANY_PAIRINGS, address_key, configured, device_key, limiter
from ..visitors.codes import normalize_code
from . import kiosk
from . import redeem as semantics
from .answers import result_json, translated_activity_json
from .attendance import attendance
from .kiosk import PairedDevice
from .models import Method
from .redeem import Attempt, CardHolder, Kind, LocationRef, Status
from .sources import Source
from .statements import KIOSK_SCAN, activity_ref, takes_place, takes_place_unchanged

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_BODY_BYTES = 16 * 1024  # a check-in or pairing body is under 1 KiB
MAX_JSON_DEPTH = 8          # the deepest body the API reads is an object of plain values
NONCE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
# Every API request counts per tablet (API_LIMIT); pairing, which needs no token, per address.
limiter.limit(configured("API_LIMIT"), key_func=device_key)(bp)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(code)
        self.status, self.code, self.message, self.extra = status, code, message, extra


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    db.session.rollback()
    return jsonify(error={"code": error.code, "message": error.message, **error.extra}), error.status


def bearer_token() -> str:
    """The token of `Authorization: Bearer …`, or the 401 a request without one gets (no database)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if not header:
        raise ApiError(401, "token_missing", _("Deze tablet is niet gekoppeld. Koppel hem opnieuw."))
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "token_invalid", _("Deze tablet is niet gekoppeld. Koppel hem opnieuw."))
    return token.strip()


def checked_device(device: PairedDevice | None) -> PairedDevice:
    """The tablet that holds the token, or the 401 (unknown token) or 403 (revoked) its request gets."""
    if device is None:
        raise ApiError(401, "token_invalid", _("Deze tablet is niet (meer) gekoppeld. Koppel hem opnieuw."))
    if device.revoked:
        raise ApiError(403, "token_revoked", _("Deze tablet is losgekoppeld door een coördinator."))
    return device


def device_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        g.device = checked_device(kiosk.device_for_token(db.session, bearer_token()))
        return view(*args, **kwargs)

    return wrapped


def json_body() -> dict:
    """The request's JSON object. Size and nesting are checked before parsing: 100,000 nested
    brackets would otherwise exhaust Python's recursion limit inside the JSON parser."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large()
    data = request.get_data(cache=True)
    if len(data) > MAX_BODY_BYTES:
        raise too_large()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", _("De gegevens zijn geen geldige JSON.")) from None
    # Nesting cannot go deeper than there are opening brackets: counting them (in C) spares a kiosk
    # scan's body the walk character by character.
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        raise ApiError(400, "malformed_json", _("De gegevens zijn te diep genest."))
    try:
        body = json.loads(text)
    except ValueError:
        raise ApiError(400, "malformed_json", _("De gegevens zijn geen geldige JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", _("De gegevens moeten een JSON-object zijn."))
    return body


def too_large() -> ApiError:
    return ApiError(413, "body_too_large", _("De gegevens zijn te groot (hooguit %(size)d KiB).",
                                             size=MAX_BODY_BYTES // 1024))


def json_depth(text: str) -> int:
    """How deep brackets nest in a JSON text, brackets inside strings not counted (no parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def field_error(name: str, message: str) -> ApiError:
    return ApiError(422, "invalid_field", message, field=name)


# -- check-ins ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScanRequest:
    """What a check-in request's body says, every field checked; the database not asked yet."""

    kind: Kind
    code: str | None
    nonce: str | None
    count: int
    source: str
    client_time: datetime | None   # aware, as sent
    day: date                      # the local date the check-in counts for
    activity_id: int | None


@bp.post("/checkins")
def create_checkin():
    """A kiosk scan. The tablet, the activity, whether it takes place today and the card are read
    in one statement (`statements.KIOSK_SCAN`) before the write lock; see `redeem` for the rest."""
    token = bearer_token()
    now = utcnow()
    try:
        scan = parse_scan(json_body(), now)
    except ApiError:
        # The token is checked before the body: without a working token the answer is 401 or 403,
        # whatever the body holds. Only a refused body pays for this separate look-up.
        checked_device(kiosk.device_for_token(db.session, token))
        raise
    code = normalize_code(scan.code) if scan.kind == Kind.CARD and scan.code is not None else None
    row = kiosk_scan(db.session, token, scan.activity_id, code, scan.day)
    device = checked_device(kiosk.paired_device(row) if row is not None else None)
    activity = None
    if scan.activity_id is not None:
        if row.activity_id is None:
            raise ApiError(404, "activity_not_found", _("Deze activiteit is er niet bij deze BOP."))
        activity = activity_ref(row, device.location_id)
        # A change or closure on the day: the whole schedule check, reading them; else the rule alone.
        on = (takes_place(db.session, activity, scan.day) if row.changed or row.closed
              else takes_place_unchanged(activity, scan.day))
        if not on:
            raise ApiError(404, "activity_not_today",
                           _("Deze activiteit is er niet op %(day)s.", day=scan.day.isoformat()))
    card = (CardHolder(row.card_revoked_at is not None, row.visitor_id, row.visitor_name, bool(row.here),
                       row.language or "") if row.visitor_id is not None else None)
    attempt = Attempt(
        location=LocationRef(device.location_id), day=scan.day, activity=activity, kind=scan.kind, code=scan.code,
        count=scan.count, source=scan.source,
        method={Kind.CARD: Method.CARD, Kind.GUEST: Method.GUEST}.get(scan.kind, Method.HEADCOUNT),
        nonce=scan.nonce, client_time=to_utc_naive(scan.client_time) if scan.client_time else None,
        device_id=device.id,
    )
    result = semantics.redeem_with_card(db.session, attempt, card, now)
    if result.reason == "nonce_reused":
        db.session.rollback()
        message = _("Deze aanmelding is al eerder met andere gegevens verstuurd.")
        return jsonify(result_json(result, attempt.nonce) | {
            "error": {"code": "nonce_reused", "message": message}}), 409
    kiosk.touch(db.session, device, now)
    db.session.commit()  # first: it releases SQLite's write lock, which the other kiosks wait for
    return jsonify(result_json(result, attempt.nonce)), 201 if result.status == Status.OK else 200


def kiosk_scan(session: DbSession, token: str, activity_id: int | None, code: str | None, day: date):
    """KIOSK_SCAN's row for this token, or None when no tablet holds it."""
    if len(token) > kiosk.MAX_TOKEN_LENGTH:
        return None
    return session.connection().execute(KIOSK_SCAN, {
        "token_hash": kiosk.hash_token(token), "activity_id": activity_id, "code": code, "day": day,
    }).one_or_none()


def parse_scan(body: dict, now: datetime) -> ScanRequest:
    unknown = set(body) - {"code", "kind", "activity", "nonce", "scanned_at", "count", "source"}
    if unknown:
        raise field_error(sorted(unknown)[0], _("Onbekend veld: %(name)s.", name=sorted(unknown)[0]))

    kind = body.get("kind", "card" if "code" in body else None)
    if kind is None:
        raise ApiError(422, "code_required", _("Stuur een kaartcode, of kind guest of headcount."))
    if kind not in (Kind.CARD, Kind.GUEST, Kind.HEADCOUNT):
        raise field_error("kind", _("kind moet card, guest of headcount zijn."))
    kind = Kind(kind)

    code = body.get("code")
    if kind == Kind.CARD:
        if code is None or (isinstance(code, str) and not code.strip()):
            raise ApiError(422, "code_required", _("Er is geen kaartcode gescand."))
        if not isinstance(code, str):
            raise field_error("code", _("De kaartcode moet tekst zijn."))
    elif code is not None:
        raise field_error("code", _("Een gast of telling heeft geen kaartcode."))

    nonce = body.get("nonce")
    if nonce is not None and (not isinstance(nonce, str) or not 8 <= len(nonce) <= 64
                              or not set(nonce) <= NONCE_CHARS):
        raise field_error("nonce", _("nonce moet 8 tot 64 letters, cijfers, - of _ zijn."))

    count = body.get("count", 1)
    if kind == Kind.HEADCOUNT:
        if type(count) is not int or not 1 <= count <= semantics.MAX_HEADCOUNT:
            raise field_error("count", _("count moet een getal van 1 tot %(max)d zijn.", max=semantics.MAX_HEADCOUNT))
    elif "count" in body:
        raise field_error("count", _("Alleen een telling heeft een count."))

    source = body.get("source", "") or ""
    if source and (kind != Kind.GUEST or source not in set(Source)):
        raise field_error("source", _("source moet een van %(values)s zijn.", values=", ".join(Source)))

    client_time = parse_time(body.get("scanned_at"))
    try:
        moment = semantics.accepted_time(client_time, now)
    except semantics.TimeRefused as refused:
        message = (_("Het tijdstip van de scan ligt in de toekomst. Staat de klok van de tablet goed?")
                   if refused.code == "scanned_at_in_future"
                   else _("Deze scan is te oud om nog mee te tellen."))
        raise ApiError(422, refused.code, message, field="scanned_at") from None

    activity_id = body.get("activity")
    if activity_id is not None and (type(activity_id) is not int or parse_id(activity_id) is None):
        # JSON: a number, not "1"
        raise field_error("activity", _("activity moet het nummer van een activiteit zijn, of null voor de inloop."))

    return ScanRequest(kind=kind, code=code, nonce=nonce, count=count if kind == Kind.HEADCOUNT else 1,
                       source=source, client_time=client_time, day=local_day(moment), activity_id=activity_id)


def parse_time(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            plain = datetime.fromisoformat(value)
        except ValueError:
            plain = None
        if plain is not None and plain.tzinfo is None:
            raise field_error("scanned_at", _("scanned_at mist de tijdzone, zoals +01:00 of Z."))
    try:
        return parse_timestamp(value)
    except ValueError:
        message = _("scanned_at moet een ISO 8601-tijd zijn, zoals 2026-03-03T10:02:00+01:00, tussen 2000 en 2999.")
        raise field_error("scanned_at", message) from None


# -- the kiosk's view of today -----------------------------------------------------------------------

@bp.get("/kiosk/today")
@device_required
def kiosk_today():
    device: PairedDevice = g.device
    now = datetime.now(UTC)
    local_now = now.astimezone(TZ)
    day = local_now.date()
    location = db.session.get(Location, device.location_id)
    if location is None:  # removed between the token check and now
        raise ApiError(404, "not_found", _("Deze plek bestaat niet meer."))
    programme = todays_programme(location, day)
    running = running_now(programme, local_now)
    counted = attendance(db.session, location, day)
    lang = str(get_locale())
    kiosk.touch(db.session, device, utcnow())
    db.session.commit()
    return jsonify({
        "location": {"slug": location.slug, "name": location.name},
        "device": {"id": device.id, "name": device.name},
        "day": day.isoformat(),
        "now": local_now.isoformat(timespec="seconds"),
        "running": running.activity.id if running else None,
        "lang": lang,
        "activities": [{
            **translated_activity_json(s.activity, lang),
            "pictogram": url_for("static", filename=f"pictograms/{s.activity.category}.svg"),
            "start": s.occurrence.start.isoformat(timespec="minutes"),
            "end": s.occurrence.end.isoformat(timespec="minutes"),
            "running": s is running,
            "count": counted[s.activity.id].total if s.activity.id in counted else 0,
        } for s in programme],
        "drop_in": {"count": counted[semantics.DROP_IN].total if semantics.DROP_IN in counted else 0},
    })


# -- pairing a tablet -------------------------------------------------------------------------------

@bp.post("/kiosk/pair")
@limiter.limit(configured("PAIRING_LIMIT"), key_func=address_key, error_message=TOO_MANY_PAIRINGS)
def pair():
    body = json_body()
    code = body.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > 40:
        raise ApiError(422, "code_required", _("Vul de koppelcode in die op het scherm van de coördinator staat."))
    paired = kiosk.complete_pairing(db.session, code, utcnow())
    if paired is None:
        db.session.rollback()
        raise ApiError(404, "pairing_code_unknown",
                       _("Deze koppelcode klopt niet of is verlopen. Maak een nieuwe code aan."))
    device, token = paired
    db.session.commit()
    return jsonify({
        "token": token,
        "device": {"id": device.id, "name": device.name},
        "location": {"slug": device.location.slug, "name": device.location.name},
    }), 201

