"""In a real browser: a worker adds a visitor and prints the card; the PDF link gives the card."""
import re

import pytest
from conftest import PASSWORD
from support import decode_qr, render_pages

from bop.extensions import db
from bop.visitors.models import Visitor


@pytest.mark.browser
def test_create_a_visitor_and_print_the_card(live_server, page, make_staff, make_location):
    make_location(name="BOP Rijn en Vliet", slug="rijn-en-vliet", phone="071 512 34 56")
    worker = make_staff(role="worker")
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", worker.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")

    page.click("nav >> text=Bezoekers")
    page.click("text=Bezoeker toevoegen")
    page.fill("#name", "Ayşe")
    page.select_option("#language", "tr")
    page.fill("#phone", "06 12345678")
    page.click("main button[type=submit]")
    # A number without consent is refused next to the field, and what was typed stays.
    expect_error = page.locator(".field-error")
    assert "Zonder toestemming" in expect_error.inner_text()
    assert page.input_value("#name") == "Ayşe"
    page.check("#phone_consent")
    page.click("main button[type=submit]")

    assert "Ayşe is toegevoegd" in page.locator(".flash").inner_text()
    shown_code = page.locator("code.card-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", shown_code)

    link = page.get_by_role("link", name="Kaart printen", exact=True)
    response = page.request.get(live_server + link.get_attribute("href"))  # the browser's own session
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert decode_qr(render_pages(response.body())[0]) == [shown_code.replace("-", "")]

    with live_server.app.app_context():
        visitor = db.session.execute(db.select(Visitor).filter_by(name="Ayşe")).scalar_one()
        assert visitor.phone == "06 12345678" and visitor.language == "tr"
