"""The funder export over HTTP: CSV, XLSX and PDF hold the same suppressed counts, never a name."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from openpyxl import load_workbook
from pypdf import PdfReader
from test_insight_browser import SHOTS
from test_insight_suppress import reader_possibilities

from bop.insight.suppress import HIDDEN, SMALL
from tests.insight_support import person, visit

RANGE = "from=2026-10-01&to=2026-10-31"


def history(bop, make_activity):
    """October: a busy coffee morning, a walking club of 3 visits, the language café with 6; named
    visitors, guests and headcounts; and September to compare with."""
    coffee = make_activity(location=bop, title="Inloopochtend met koffie", category="coffee")
    walk = make_activity(location=bop, title="Wandelclub")
    talk = make_activity(location=bop, title="Taalcafé")
    names = [person(n) for n in ("Anna", "Bert", "Cas", "Dina", "Eva", "Fenna", "Gert")]
    for day in range(1, 29, 1):
        when = date(2026, 10, day)
        if when.weekday() < 5:
            visit(bop, when, names[day % 7], coffee, source="flyer" if day < 8 else "")
            visit(bop, when, None, coffee, method="headcount", count=2)
    for day in (6, 13, 20):
        visit(bop, date(2026, 10, day), names[0], walk)
    for day in (7, 14, 21, 28):
        visit(bop, date(2026, 10, day), names[1], talk)
    visit(bop, date(2026, 10, 7), names[2], talk)
    visit(bop, date(2026, 10, 14), None, talk, method="guest", source="neighbour")
    visit(bop, date(2026, 9, 10), names[3], coffee)
    return names


def table_rows(rows: list[list[str]], title: str) -> list[list[str]]:
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    found = []
    for row in rows[start + 2:]:
        if not row or not any(row):
            break
        found.append(row)
    return found


def assert_no_small_cell_is_recoverable(rows: list[list[str]]) -> None:
    """Every additive table: parts plus a `Totaal` row; a reader cannot pin down any `<5`."""
    for title, column in (("Per activiteit", 1), ("Per weekdag", 1), ("Hoe nieuwe bezoekers van de BOP hoorden", 1),
                          ("Verloop", 1)):
        table = table_rows(rows, title)
        *parts, total = table
        assert total[0] == "Totaal"
        shown = [str(p[column]) for p in parts]
        total_shown = str(total[column])
        bound = int(total_shown) + 6 if total_shown.isdigit() else 60
        worlds = reader_possibilities(shown, total_shown, bound)
        assert worlds, title
        for i, cell in enumerate(shown):
            if cell in (SMALL, HIDDEN):
                assert len({w[i] for w in worlds}) >= 2, (title, shown, total_shown)


def every_cell(rows) -> list[str]:
    return [str(c) for row in rows for c in row[1:] if c is not None]


def test_csv_export_parses_and_never_shows_a_small_cell(client, login, bop, make_activity):
    names = history(bop, make_activity)
    login("coordinator")
    response = client.get(f"/staff/reports/rijn-en-vliet.csv?{RANGE}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "bop-rijn-en-vliet-2026-10-01-2026-10-31.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    for cell in every_cell(rows):
        assert not (cell.isdigit() and 0 < int(cell) < 5), cell
    assert all(n.name not in text for n in names)
    activities = {row[0]: row[1:] for row in table_rows(rows, "Per activiteit")}
    assert activities["Wandelclub"] == [SMALL, SMALL]         # 3 visits by 1 person
    assert activities["Taalcafé"][0] == HIDDEN                 # 6 visits: hidden, or Wandelclub's 3 would follow
    coffee_people = len({day % 7 for day in range(1, 29) if date(2026, 10, day).weekday() < 5})
    assert activities["Inloopochtend met koffie"] == ["60", str(coffee_people)] and activities["Totaal"][0] == "69"
    headline = {row[0].strip(): row[1:] for row in table_rows(rows, "Kerncijfers · Rijn en Vliet")}
    assert headline["Bezoeken"] == ["69", SMALL]
    assert_no_small_cell_is_recoverable(rows)


def test_xlsx_has_the_same_numbers_as_the_csv(client, login, bop, make_activity):
    history(bop, make_activity)
    login("worker")
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/reports/rijn-en-vliet.csv?{RANGE}").data.decode("utf-8-sig")),
                           delimiter=";"))
    response = client.get(f"/staff/reports/rijn-en-vliet.xlsx?{RANGE}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    trimmed = [row[:len(csv_row)] for row, csv_row in zip(cells, rows, strict=True)]
    assert trimmed == [[c for c in row] for row in rows]
    assert any(isinstance(c, int) and c == 69 for row in sheet.iter_rows(values_only=True) for c in row)


def test_pdf_holds_the_figures_the_highlights_and_a_drawn_chart(client, login, bop, make_activity):
    history(bop, make_activity)
    login("worker")
    story = "Drie buren gingen samen naar de markt.\nDe wandelclub loopt nu ook op zaterdag."
    response = client.post("/staff/reports/rijn-en-vliet/highlights",
                           data={"first": "2026-10-01", "last": "2026-10-31", "text": story})
    assert response.status_code == 302
    response = client.get(f"/staff/reports/rijn-en-vliet.pdf?{RANGE}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Bezoekcijfers Rijn en Vliet" in text and "oktober 2026" in text
    assert "Drie buren gingen samen naar de markt." in text and "De wandelclub loopt nu ook op zaterdag." in text
    assert "69" in text and "Inloopochtend met koffie" in text and "<5" in text
    assert "Anna" not in text
    # The chart is drawn: bars in BOP blue on the first page.
    image = pdfium.PdfDocument(response.data)[0].render(scale=1).to_pil().convert("RGB")
    blue = dict((colour, n) for n, colour in image.getcolors(maxcolors=1 << 24)).get((0x2a, 0x6f, 0x97), 0)
    assert blue > 2000
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    (SHOTS / "funder.pdf").write_bytes(response.data)   # for a person to look at
    image.save(SHOTS / "funder-page1.png")


def test_highlights_are_bounded_and_kept_when_too_long(client, login, bop):
    login("worker")
    response = client.post("/staff/reports/rijn-en-vliet/highlights",
                           data={"first": "2026-10-01", "last": "2026-10-31", "text": "Lang verhaal. " * 200})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Schrijf hooguit 2000 tekens." in page and "Lang verhaal." in page
    assert client.post("/staff/reports/rijn-en-vliet/highlights",
                       data={"first": "nooit", "last": "2026-10-31", "text": "x"}).status_code == 400
    page = client.get(f"/staff/reports/rijn-en-vliet?{RANGE}").get_data(as_text=True)
    assert "Lang verhaal." not in page


def test_volunteers_cannot_write_highlights(client, login, bop):
    login("volunteer")
    assert client.post("/staff/reports/rijn-en-vliet/highlights",
                       data={"first": "2026-10-01", "last": "2026-10-31", "text": "x"}).status_code == 403


def test_all_bops_together_in_every_format(client, login, bop, make_activity, make_location):
    history(bop, make_activity)
    other = make_location(slug="slaaghwijk", name="Slaaghwijk")
    visit(other, date(2026, 10, 8), None, method="headcount", count=2)
    login("coordinator")
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/reports/all.csv?{RANGE}").data.decode("utf-8-sig")),
                           delimiter=";"))
    places = {row[0]: row[1] for row in table_rows(rows, "Per BOP")}
    assert places["Slaaghwijk"] == SMALL and places["Rijn en Vliet"] == HIDDEN and places["Totaal"] == "71"
    assert_no_small_cell_is_recoverable(rows)
    assert client.get(f"/staff/reports/all.xlsx?{RANGE}").status_code == 200
    pdf = client.get(f"/staff/reports/all.pdf?{RANGE}")
    assert pdf.status_code == 200 and "alle BOP's samen" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
