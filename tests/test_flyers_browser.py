"""On Friday the welfare worker makes next week's flyer in a real Chromium: she picks A5, Arabic
and 200 copies, sees the preview of the printed page and downloads the PDF."""
from __future__ import annotations

import io
from datetime import time, timedelta
from pathlib import Path

import pypdf
import pytest

from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import ActivityTranslation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_make_preview_and_download_the_flyer(live_server, page, make_staff, make_location, make_activity, tmp_path):
    worker = make_staff(role="worker", name="Samira el Amrani")
    location = make_location(slug="rijn-en-vliet", name="BOP Rijn en Vliet", contact=worker)
    next_monday = schedule.monday_of(local_today()) + timedelta(days=7)
    walk = make_activity(location=location, title="Wandelclub", rrule="FREQ=WEEKLY;BYDAY=TU",
                         start_time=time(10, 0), first_date=next_monday - timedelta(weeks=2))
    db.session.add(ActivityTranslation(activity=walk, lang="ar", title="نادي المشي"))
    db.session.commit()

    page.goto(f"{live_server}/staff/login")
    page.get_by_label("E-mailadres").fill(worker.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/staff/**")

    page.get_by_role("link", name="Flyer").click()
    page.wait_for_url("**/staff/flyers")
    assert page.get_by_label("Week", exact=True).input_value() == schedule.iso_week_label(next_monday)
    page.get_by_label("Formaat").select_option("A5")
    page.get_by_label("Tweede taal").select_option("ar")
    page.get_by_label("Aantal exemplaren").fill("200")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.get_by_text("200 flyers op A5").wait_for()

    preview = page.locator("figure.flyer-preview img")
    preview.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())
    natural = preview.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert natural[0] == 900 and natural[0] > natural[1]  # the landscape A4 sheet with two A5 flyers
    page.screenshot(path=str(tmp_path / "flyer-page.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF downloaden").click()
    download = info.value
    assert download.suggested_filename == f"flyer-rijn-en-vliet-{schedule.iso_week_label(next_monday)}-A5.pdf"
    reader = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(reader.pages) % 100 == 0  # 200 flyers, two per sheet: 100 sheets per flyer page
    text = reader.pages[0].extract_text()
    assert "BOP Rijn en Vliet" in text and "Wandelclub" in text
