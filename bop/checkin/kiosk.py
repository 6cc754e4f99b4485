"""Kiosk tablets: pairing one to a BOP, the staff list of tablets, and the kiosk page itself.

Pairing: a coordinator creates a pairing on /staff/kiosks and gets a short code (and a QR code of
the kiosk address with that code) valid for 15 minutes. The tablet opens /kiosk, enters or scans
the code once, and receives its own random device token, kept in the browser's localStorage. Only
a hash of the token is stored, so a database leak does not hand out working tokens; a lost tablet
is revoked here without touching anyone's password.
"""
from __future__ import annotations

import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..accounts import access
from ..accounts.access import Can
from ..accounts.auth import coordinator_required
from ..accounts.models import Location
from ..clock import to_local, utcnow
from ..extensions import DbSession, db
from ..paths import STATIC
from ..planning.programme import RUNNING_LEAD
from ..site.args import page_from_request
from ..site.cli import bop_cli
from ..site.urls import public_url
from ..visitors.codes import ALPHABET
from .models import KioskDevice
from .sources import Source

bp = Blueprint("kiosk", __name__)

PAIRING_TTL = timedelta(minutes=15)
PAIRING_CODE_LENGTH = 8   # 40 bits, valid 15 minutes, rate-limited: not guessable in time
TOUCH_EVERY = timedelta(minutes=1)  # "last seen" is for staff, not worth a write per scan


# -- pairing (no Flask request in here; the callers commit) ------------------------------------------

def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def format_pairing_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def create_pairing(session: DbSession, location: Location, name: str, staff_id: int | None,
                   now: datetime) -> KioskDevice:
    device = KioskDevice(
        location=location, name=name, created_by_id=staff_id, created_at=now,
        pairing_code="".join(secrets.choice(ALPHABET) for _ in range(PAIRING_CODE_LENGTH)),
        pairing_expires_at=now + PAIRING_TTL,
    )
    session.add(device)
    return device


def complete_pairing(session: DbSession, raw_code: str, now: datetime) -> tuple[KioskDevice, str] | None:
    """Exchange a pairing code for the device's token, once. None when unknown or expired."""
    code = "".join(c for c in raw_code.upper() if c.isalnum())
    device = session.execute(select(KioskDevice).filter_by(pairing_code=code)).scalar_one_or_none()
    if (device is None or device.revoked_at is not None or device.pairing_expires_at is None
            or device.pairing_expires_at < now):
        return None
    return device, _issue_token(device, now)


def pair_directly(session: DbSession, location: Location, name: str, now: datetime) -> tuple[KioskDevice, str]:
    """For headless set-ups (`flask bop pair-kiosk`): a paired device without the code step."""
    device = KioskDevice(location=location, name=name, created_at=now)
    session.add(device)
    return device, _issue_token(device, now)


def _issue_token(device: KioskDevice, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_token(token)
    device.pairing_code = None  # one use only
    device.pairing_expires_at = None
    device.paired_at = now
    device.last_seen_at = now
    return token


@dataclass(frozen=True)
class PairedDevice:
    """What a kiosk request needs to know about the tablet that sent it."""

    id: int
    location_id: int
    name: str
    revoked: bool
    last_seen_at: datetime | None


# Every kiosk request starts with this query, so it is built once and reads only these columns
# (on the unique token_hash index) instead of loading the KioskDevice entity and its location.
DEVICE_FOR_TOKEN = (
    select(KioskDevice.id, KioskDevice.location_id, KioskDevice.name, KioskDevice.revoked_at,
           KioskDevice.last_seen_at)
    .where(KioskDevice.token_hash == bindparam("token_hash"))
)


MAX_TOKEN_LENGTH = 200  # ours are 43 characters; a longer one is not worth hashing


def device_for_token(session: DbSession, token: str) -> PairedDevice | None:
    """The device holding this token (revoked or not), or None. Not cached: a revoked tablet is
    refused from its very next request."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.connection().execute(DEVICE_FOR_TOKEN, {"token_hash": hash_token(token)}).one_or_none()
    return paired_device(row) if row is not None else None


def paired_device(row) -> PairedDevice:
    """A PairedDevice from a row with DEVICE_FOR_TOKEN's columns (the kiosk scan's statement has them too)."""
    return PairedDevice(row.id, row.location_id, row.name, row.revoked_at is not None, row.last_seen_at)


def touch(session: DbSession, device: PairedDevice, now: datetime) -> None:
    """Record that the tablet was seen, at most once a minute (a write per scan is not worth it)."""
    if device.last_seen_at is None or now - device.last_seen_at > TOUCH_EVERY:
        session.connection().execute(
            update(KioskDevice.__table__).where(KioskDevice.__table__.c.id == device.id).values(last_seen_at=now))


def qr_svg(data: str) -> Markup:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return Markup(svg[svg.index("<svg"):])  # drop the XML declaration for inline use


# -- staff: the tablets of all BOPs ----------------------------------------------------------------

@bp.context_processor
def template_helpers() -> dict:
    return {"local": to_local}


class PairingForm(FlaskForm):
    location_id = SelectField(_l("Voor welke BOP?"), coerce=int, validate_choice=True)
    name = StringField(_l("Naam van de tablet"),
                       validators=[DataRequired(_l("Geef de tablet een naam.")), Length(max=80)],
                       description=_l("Bijvoorbeeld: Tablet koffietafel"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managed = access.locations(current_user, Can.MANAGE)
        self.location_id.choices = [SelectChoice(loc.id, loc.name) for loc in managed]


class ConfirmForm(FlaskForm):
    pass


@bp.route("/staff/kiosks", methods=["GET", "POST"])
@coordinator_required
def devices():
    form = PairingForm()
    if not form.location_id.choices:
        return render_template("kiosk/devices.html", form=None, devices=[], page=None, now=utcnow())
    if form.validate_on_submit():
        location = access.require(current_user, Can.MANAGE, db.get_or_404(Location, form.location_id.data))
        device = create_pairing(db.session, location, form.name.data.strip(), current_user.id, utcnow())
        db.session.commit()
        return redirect(url_for(".pairing", device_id=device.id))
    # A page at a time (revoked tablets pile up over the years), each with its BOP in one query.
    page = db.paginate(
        select(KioskDevice).where(KioskDevice.location_id.in_([choice.value for choice in form.location_id.choices]))
        .options(selectinload(KioskDevice.location))
        .order_by(KioskDevice.revoked_at.is_not(None), KioskDevice.created_at.desc(), KioskDevice.id.desc()),
        page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("kiosk/devices.html", form=form, devices=page.items, page=page, now=utcnow())


@bp.route("/staff/kiosks/<int:device_id>/pairing")
@coordinator_required
def pairing(device_id: int):
    device = _device_or_403(device_id)
    now = utcnow()
    if device.pairing_code is None or device.pairing_expires_at is None or device.pairing_expires_at < now:
        flash(_("Deze koppelcode is al gebruikt of verlopen."), "warning")
        return redirect(url_for(".devices"))
    # The code travels in the fragment: it never reaches a server log, and the page reads it.
    kiosk_url = public_url(".page")
    link = kiosk_url + "#pair=" + device.pairing_code
    minutes_left = max(1, int((device.pairing_expires_at - now).total_seconds() // 60))
    return render_template("kiosk/pairing.html", device=device, link=link, qr=qr_svg(link), kiosk_url=kiosk_url,
                           code=format_pairing_code(device.pairing_code), minutes_left=minutes_left)


@bp.route("/staff/kiosks/<int:device_id>/revoke", methods=["GET", "POST"])
@coordinator_required
def revoke(device_id: int):
    device = _device_or_403(device_id)
    if device.revoked_at is not None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        device.revoked_at = utcnow()
        device.pairing_code = None
        db.session.commit()
        flash(_("%(name)s is losgekoppeld. Die tablet kan niemand meer aanmelden.", name=device.name), "success")
        return redirect(url_for(".devices"))
    return render_template("kiosk/revoke.html", device=device, form=form)


def _device_or_403(device_id: int) -> KioskDevice:
    device = db.get_or_404(KioskDevice, device_id)
    access.require(current_user, Can.MANAGE, device.location)
    return device


# -- the tablet ------------------------------------------------------------------------------------

@bp.route("/kiosk")
def page():
    """The kiosk itself. Public on purpose: it does nothing until it holds a device token."""
    strings = {
        "welcome": _("Welkom, %(name)s!"),
        "welcomeAnonymous": _("Welkom!"),
        "already": _("Al aangemeld om %(time)s"),
        "unknown": _("Deze kaart kennen we niet. Vraag het een medewerker."),
        "revoked": _("Deze kaart doet het niet meer. Vraag een medewerker om een nieuwe kaart."),
        "invalid": _("Dit is geen kaart van de BOP."),
        "saved": _("Opgeslagen"),
        "savedDetail": _("Er is nu geen internet. Uw bezoek is bewaard. De tablet stuurt het later zelf."),
        "queued": _("Nog te versturen: %(count)s"),
        "online": _("Verbonden"),
        "offline": _("Geen internet"),
        "guestCounted": _("Welkom! U bent als gast geteld."),
        "headcount": _("+1 geteld"),
        "dropIn": _("Inloop"),
        "now": _("Nu"),
        "visitorsOne": _("%(count)s bezoeker vandaag"),
        "visitors": _("%(count)s bezoekers vandaag"),
        "serverError": _("Dat lukte niet. Probeer het nog een keer."),
        "pairFailed": _("Deze koppelcode klopt niet of is verlopen. Maak een nieuwe code aan."),
        "unpaired": _("Deze tablet is losgekoppeld. Koppel hem opnieuw."),
        "cameraOff": _("De camera doet het niet. Gebruik de scanner of typ de code."),
        "pairing": _("Bezig met koppelen…"),
    }
    sources = Source.asked()
    return render_template("kiosk/kiosk.html", strings=strings, sources=sources,
                           running_lead_minutes=RUNNING_LEAD // timedelta(minutes=1))


# -- offline: the kiosk's service worker -----------------------------------------------------------

# What a kiosk needs to open and scan without a network (static/js/kiosk-sw.js keeps them).
OFFLINE_FILES = ("css/kiosk.css", "js/kiosk.js", "pictograms/*.svg", "feedback/*.svg",
                 "vendor/barcode-detector/*.js", "vendor/barcode-detector/*.wasm")
SERVICE_WORKER = STATIC / "js" / "kiosk-sw.js"


def offline_files() -> list[str]:
    """The static files of OFFLINE_FILES, relative to static/, in a stable order."""
    return sorted({str(path.relative_to(STATIC)) for pattern in OFFLINE_FILES for path in STATIC.glob(pattern)})


def offline_version(files: list[str]) -> str:
    """A hash of the worker and every file it keeps: any change in a release means a new cache."""
    digest = hashlib.sha256(SERVICE_WORKER.read_bytes())
    for name in files:
        digest.update(name.encode() + b"\0" + (STATIC / name).read_bytes())
    return digest.hexdigest()[:16]


@bp.route("/kiosk-sw.js")
def service_worker():
    """The kiosk's service worker, served from the root so that its scope can cover /kiosk. The
    static file gets its manifest (version, page, files, API prefix) in front."""
    files = offline_files()
    manifest = {"version": offline_version(files), "page": url_for(".page"),
                "files": [url_for("static", filename=name) for name in files],
                "api": request.script_root + "/api/"}
    body = f"self.BOP_KIOSK = {json.dumps(manifest)};\n" + SERVICE_WORKER.read_text()
    # no-cache: the browser asks every time whether there is a new release.
    return Response(body, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


# -- command line ----------------------------------------------------------------------------------

@bop_cli.command("pair-kiosk")
@click.argument("slug")
@click.argument("name")
@click.option("--token-only", is_flag=True, help="Print only the token, for scripts.")
def pair_kiosk_command(slug: str, name: str, token_only: bool) -> None:
    """Pair a kiosk for the BOP SLUG and print its device token (for headless set-ups)."""
    location = db.session.execute(select(Location).filter_by(slug=slug)).scalar_one_or_none()
    if location is None:
        raise click.ClickException(f"There is no BOP with the slug {slug!r}.")
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise click.BadParameter("a name of 1 to 80 characters", param_hint="NAME")
    device, token = pair_directly(db.session, location, name, utcnow())
    db.session.commit()
    if token_only:
        click.echo(token)
        return
    click.echo(f"Kiosk {device.name!r} paired to {location.name} (device {device.id}).")
    click.echo(f"Token: {token}")
    kiosk = (current_app.config.get("PUBLIC_URL") or "") + "/kiosk#token=<token>"
    click.echo(f"Use it as 'Authorization: Bearer <token>', or open {kiosk} on the tablet once.")
