"""The demo BOP's six months of visits: every insight page shows something on first run."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from bop.checkin.models import CheckIn
from bop.extensions import db
from bop.site.demo import DEMO_PASSWORD, load_demo
from tests.insight_support import figure


def demo_login(client, email="worker@example.org"):
    load_demo()
    db.session.commit()
    assert client.post("/staff/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302


def test_demo_history_is_deterministic_and_realistic(app):
    load_demo()
    db.session.commit()
    rows = db.session.execute(db.select(CheckIn.method, db.func.count(), db.func.sum(CheckIn.count))
                              .group_by(CheckIn.method)).all()
    methods = {method: (n, total) for method, n, total in rows}
    assert {"card", "phone", "guest", "headcount"} <= set(methods)
    assert sum(n for n, _ in methods.values()) > 1000


def test_demo_report_outreach_and_planner_show_something(client):
    demo_login(client)
    page = client.get("/staff/reports/rijn-en-vliet").get_data(as_text=True)
    assert figure(page, "visits") > 50 and figure(page, "unique") > 10 and figure(page, "guests") > 0
    assert figure(page, "headcount") > 0
    page = client.get("/staff/reports/rijn-en-vliet?period=quarter").get_data(as_text=True)
    assert figure(page, "first_time") > 0
    page = client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)
    listed = re.findall(r'<li class="outreach-person"[^>]*>\s*<h3><a [^>]*>([^<]+)</a>', page)
    assert {"Emine", "Piet", "Halima", "Stanisław"} <= set(listed)
    assert "wa.me/31612345671" in page                                  # Emine gave her number
    new_faces = page.split('id="new-title"')[1]
    assert new_faces.count("Folder") >= 3                               # the flyer round three weeks ago
    page = client.get("/staff/plan/rijn-en-vliet").get_data(as_text=True)
    assert "laatste 4 weken:" in page
    pdf = client.get("/staff/reports/rijn-en-vliet.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Inloopochtend met koffie" in text and "Per weekdag" in text


def test_demo_rounds_and_highlights_show_on_first_run(client):
    demo_login(client, "coordinator@example.org")
    page = client.get("/staff/rounds/rijn-en-vliet").get_data(as_text=True)
    assert "Flat Vlietzicht" in page and "400 folders" in page
    recent = page.split("Flat Vlietzicht")[1].split("</li>")[0]
    assert re.search(r'data-field="opens">[1-9]\d*<', recent) and re.search(r'data-field="flyer">[1-9]\d*<', recent)
    pdf = client.get("/staff/reports/rijn-en-vliet.pdf")
    assert "Drie buurvrouwen" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_demo_has_two_visitors_measured_on_the_ladder(client):
    demo_login(client)
    page = client.get("/staff/reports/rijn-en-vliet").get_data(as_text=True)
    section = page.split('id="ladder-title"')[1].split("</section>")[0]
    assert "<td>Totaal</td><td>&lt;5</td>" in section and "te weinig metingen" in section
