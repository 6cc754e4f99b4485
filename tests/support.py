"""The one home of the test helpers: visitors with cards, paired kiosks, API calls, reading PDFs
and QR codes back, weekday codes. Fixtures live in conftest.py; plain functions live here."""
from __future__ import annotations

import io
import json
import secrets
import unicodedata
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pypdf
import pypdfium2 as pdfium
import zxingcpp

from bop.accounts.models import Organisation
from bop.checkin.kiosk import pair_directly
from bop.checkin.models import CheckIn, Scan
from bop.clock import utcnow
from bop.extensions import db
from bop.visitors.models import Visitor
from bop.visitors.records import issue_card

BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # RFC 5545 weekday codes, Monday first


def make_visitor(name: str = "Fatima", *, revoked: bool = False, location=None, **fields) -> tuple[Visitor, str]:
    """A visitor with one card, issued as the staff pages issue it; returns the visitor and the code."""
    if "organisation_id" not in fields and "organisation" not in fields:
        if location is not None:
            fields["organisation_id"] = location.organisation_id
        else:  # the test's organisation, or a first one when the test made none
            fields["organisation"] = (db.session.execute(db.select(Organisation).order_by(Organisation.id)).scalars().first()
                                      or Organisation(name="Welzijn Testdorp"))
    visitor = Visitor(name=name, home_location=location, **fields)
    db.session.add(visitor)
    card = issue_card(db.session, visitor)
    if revoked:
        card.revoked_at = utcnow()
    db.session.commit()
    return visitor, card.code


def make_kiosk(location, name: str = "Tablet koffietafel"):
    device, token = pair_directly(db.session, location, name, utcnow())
    db.session.commit()
    return device, token


def nonce() -> str:
    return secrets.token_hex(12)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def ago(**delta) -> str:
    return iso(datetime.now(UTC) - timedelta(**delta))


def checkins(**filters) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.execute(db.select(CheckIn).filter_by(**filters).order_by(CheckIn.id)).scalars())


def scans(**filters) -> list[Scan]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Scan).filter_by(**filters).order_by(Scan.id)).scalars())


def post_json(url: str, body, token: str | None = None, timeout: float = 30) -> tuple[int, dict]:
    """A real HTTP request (for live-server tests); returns status and decoded JSON."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# -- reading documents back ------------------------------------------------------------------------

def flat(text: str) -> str:
    """Text as a reader sees it: Arabic presentation forms folded back (NFKC), whitespace single."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(pdf: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def render_pages(pdf: bytes, dpi: int = 200) -> list:
    """Each page of a PDF as a PIL image, as a printer or a phone camera would see it."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def read_qr(image) -> list:
    """The QR codes found in an image, with their positions."""
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def decode_qr(image) -> list[str]:
    """What the QR codes in an image say."""
    return [result.text for result in read_qr(image)]


# -- browsers ----------------------------------------------------------------------------------------

def log_in(page, base: str, email: str, password: str) -> None:
    """Log a Playwright page in on the staff login form, as a person would."""
    page.goto(f"{base}/staff/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/staff/**")
