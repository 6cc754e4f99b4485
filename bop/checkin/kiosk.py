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
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import bindparam, select, update
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..accounts import access
from ..accounts.access import Can
from ..accounts.auth import coordinator_required
from ..accounts.models import Location
from ..clock import to_local, utcnow
from ..extensions import DbSession, db
from ..site.cli import bop_cli
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


def device_for_token(session: DbSession, token: str) -> PairedDevice | None:
    """The device holding this token (revoked or not), or None. Not cached: a revoked tablet is
    refused from its very next request."""
    if len(token) > 200:
        return None
    row = session.connection().execute(DEVICE_FOR_TOKEN, {"token_hash": hash_token(token)}).one_or_none()
    if row is None:
        return None
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
        self.location_id.choices = [(loc.id, loc.name) for loc in access.locations(current_user, Can.MANAGE)]


class ConfirmForm(FlaskForm):
    pass


@bp.route("/staff/kiosks", methods=["GET", "POST"])
@coordinator_required
def devices():
    form = PairingForm()
    if not form.location_id.choices:
        return render_template("kiosk/devices.html", form=None, devices=[], now=utcnow())
    if form.validate_on_submit():
        location = access.require(current_user, Can.MANAGE, db.get_or_404(Location, form.location_id.data))
        device = create_pairing(db.session, location, form.name.data.strip(), current_user.id, utcnow())
        db.session.commit()
        return redirect(url_for(".pairing", device_id=device.id))
    listed = db.session.execute(
        select(KioskDevice).where(KioskDevice.location_id.in_([loc_id for loc_id, _name in form.location_id.choices]))
        .order_by(KioskDevice.revoked_at.is_not(None), KioskDevice.created_at.desc())
    ).scalars().all()
    return render_template("kiosk/devices.html", form=form, devices=listed, now=utcnow())


@bp.route("/staff/kiosks/<int:device_id>/pairing")
@coordinator_required
def pairing(device_id: int):
    device = _device_or_403(device_id)
    now = utcnow()
    if device.pairing_code is None or device.pairing_expires_at is None or device.pairing_expires_at < now:
        flash(_("Deze koppelcode is al gebruikt of verlopen."), "warning")
        return redirect(url_for(".devices"))
    # The code travels in the fragment: it never reaches a server log, and the page reads it.
    link = url_for(".page", _external=True) + "#pair=" + device.pairing_code
    minutes_left = max(1, int((device.pairing_expires_at - now).total_seconds() // 60))
    return render_template("kiosk/pairing.html", device=device, link=link, qr=qr_svg(link),
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
        "savedDetail": _("Geen internet. De aanmelding wordt verstuurd zodra het weer kan."),
        "queued": _("%(count)s opgeslagen, nog niet verstuurd"),
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
    return render_template("kiosk/kiosk.html", strings=strings, sources=sources)


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
    click.echo("Use it as 'Authorization: Bearer <token>', or open /kiosk#token=<token> on the tablet once.")
