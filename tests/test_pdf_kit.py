"""The drawing kit shared by the flyer, the visitor cards and the poster, on its own (no app):
small PDFs drawn with it and read back with pypdf, pypdfium2 and zxing-cpp."""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import ImageChops
from reportlab.pdfgen.canvas import Canvas

from bop.printing import kit as pdf_kit
from bop.printing.kit import (
    FORM_UNIT,
    clean,
    clear_caches,
    define_pictogram,
    draw_line,
    draw_qr,
    font,
    place_pictogram,
    qr_matrix,
    shape,
)

ROOT = Path(__file__).resolve().parent.parent
PICTOGRAMS = ROOT / "static" / "pictograms"
URL = "https://bop.example.nl/bop/rijn-en-vliet?week=2026-W48&bron=flyer"


def pdf_of(draw, size=(200, 200)) -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=size)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def render(pdf: bytes, scale: float = 2):
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=scale).to_pil()
    finally:
        document.close()


# ---------------------------------------------------------------- QR codes


@pytest.mark.parametrize("data", [URL, "K7M2QX9PW4RT8HJD"])
def test_qr_drawn_as_vectors_decodes(data):
    n = len(qr_matrix(data))
    module = 4.0
    pdf = pdf_of(lambda c: draw_qr(c, data, 4 * module, 4 * module, n * module),
                 size=((n + 8) * module, (n + 8) * module))  # four modules of quiet zone all round
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b"/Im" not in content and b" re" in content  # rectangles, not a bitmap
    codes = zxingcpp.read_barcodes(render(pdf, scale=3), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in codes] == [data]


def test_qr_is_one_path_of_merged_row_runs():
    data = "K7M2QX9PW4RT8HJD"
    matrix = qr_matrix(data)
    assert len(matrix) == 21  # a card code fits version 1: big modules
    runs = sum(1 for row in matrix for i, dark in enumerate(row) if dark and (i == 0 or not row[i - 1]))
    pdf = pdf_of(lambda c: draw_qr(c, data, 10, 10, 168))
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert content.count(b" re") == runs
    # Filled once, non-zero winding: the hair of overlap between rows must not cancel out.
    assert content.count(b"\nf\n") + content.count(b" f\n") == 1 and b"f*" not in content


# ---------------------------------------------------------------- fonts and text


def test_latin_font_has_turkish_polish_and_cyrillic_letters():
    for bold in (False, True):
        name, glyphs = font("latin", bold)
        assert name == ("BOPSans-Bold" if bold else "BOPSans")
        assert all(ord(ch) in glyphs for ch in "Şükrü Łucja Мария € –")
    pdf = pdf_of(lambda c: draw_line(c, shape("Şükrü Łucja Мария", True), 10, 100, 14))
    assert "Şükrü Łucja Мария" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_clean_drops_what_no_font_has_and_collapses_space():
    assert clean("Samen 🎉 koken\n\tvoor  iedereen ") == "Samen koken voor iedereen"
    assert clean("e\u0301en") == "éen"  # NFC: one glyph, not a letter and a floating accent
    assert clean("10:00\u00a0–\u00a011:30") == "10:00\u00a0–\u00a011:30"


def test_arabic_is_shaped_and_laid_out_right_to_left():
    line = shape("صباح القهوة", bold=True)
    assert line.rtl and line.bold
    assert all(arabic for arabic, _ in line.runs)
    drawn = "".join(text for _, text in line.runs)
    # Joined presentation forms (initial, medial, final), in visual order: the first letter of
    # the phrase (sad) is drawn last, at the right.
    assert all("\uFB50" <= ch <= "\uFEFF" or ch == " " for ch in drawn)
    assert unicodedata.normalize("NFKC", drawn[-1]) == "ص"
    assert unicodedata.normalize("NFKC", drawn)[::-1] == "صباح القهوة"
    # The lam-alef ligature of the shipped font is used.
    assert any("\uFEF5" <= ch <= "\uFEFC" for ch in "".join(t for _, t in shape("لا حاجة").runs))


def test_mixed_line_keeps_latin_and_arabic_runs_in_their_fonts():
    line = shape("Koffie قهوة en thee")
    assert not line.rtl  # it starts in Dutch
    assert [arabic for arabic, _ in line.runs] == [False, True, False]
    assert line.runs[0][1].startswith("Koffie") and line.runs[2][1].endswith("en thee")
    assert line.width(10) == pytest.approx(line.width1 * 10)


def test_right_to_left_line_is_aligned_right_within_its_width():
    line = shape("قهوة وشاي وحديث")
    pdf = pdf_of(lambda c: draw_line(c, line, 20, 100, 14, width=160), size=(200, 200))
    document = pdfium.PdfDocument(pdf)
    textpage = document[0].get_textpage()
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    textpage.close()
    document.close()
    assert max(box[2] for box in boxes) == pytest.approx(180, abs=1.5)
    assert min(box[0] for box in boxes) > 40


def test_clear_caches_forgets_shaped_text():
    shape("Iedereen is welkom")
    assert shape.cache_info().currsize > 0
    clear_caches()
    assert shape.cache_info().currsize == 0 and qr_matrix.cache_info().currsize == 0


# ---------------------------------------------------------------- pictograms


def _pictogram_pdf(path, pure_black: bool = False) -> bytes:
    def draw(c):
        assert define_pictogram(c, "pict", path, pure_black=pure_black)
        for x in (10, 110):
            place_pictogram(c, "pict", x, 50, 80)

    return pdf_of(draw, size=(200, 200))


def test_pictogram_is_one_form_placed_as_often_as_needed():
    pdf = _pictogram_pdf(PICTOGRAMS / "walk.svg")
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.get_contents().get_data().count(b"/FormXob.pict Do") == 2
    form = page["/Resources"]["/XObject"]["/FormXob.pict"].get_object()
    assert [float(v) for v in form["/BBox"]] == [0, 0, FORM_UNIT, FORM_UNIT]
    image = render(pdf).convert("L")
    left, right = image.crop((20, 100, 180, 300)), image.crop((220, 100, 380, 300))
    assert left.getextrema()[0] < 100
    assert ImageChops.difference(left, right).getextrema()[1] < 16  # the same drawing, twice


def test_pictogram_operators_are_converted_once_and_copied_into_later_documents():
    path = PICTOGRAMS / "health.svg"
    pdf_kit._FORM_CODE.pop((str(path), False), None)
    first = _pictogram_pdf(path)
    assert (str(path), False) in pdf_kit._FORM_CODE  # remembered: no resource names in it but /F1
    second = _pictogram_pdf(path)
    assert ImageChops.difference(render(first), render(second)).getbbox() is None


def test_pure_black_pictogram_and_missing_file():
    # The website's pictograms are drawn in #111111; for the photocopier they become pure black.
    assert render(_pictogram_pdf(PICTOGRAMS / "coffee.svg")).convert("L").getextrema()[0] > 5
    assert render(_pictogram_pdf(PICTOGRAMS / "coffee.svg", pure_black=True)).convert("L").getextrema()[0] < 5
    canvas = Canvas(io.BytesIO())
    assert define_pictogram(canvas, "nothing", PICTOGRAMS / "no-such-pictogram.svg") is False


# ---------------------------------------------------------------- fitting names


def test_fit_lines_prints_a_long_name_smaller_rather_than_cutting_it():
    from bop.printing.text import fit_lines

    name = "Buurtontmoetingsplek Rijn en Vliet Zuidwest"
    size, lines = fit_lines(name, 40, 10, 300, bold=True, max_lines=2)
    printed = " ".join(text for line in lines for _, text in line.runs)
    assert 10 <= size < 40 and len(lines) == 2 and printed == name
    assert all(line.width(size) <= 300 for line in lines)
    # Where even the smallest size cannot hold it, the end is cut with an ellipsis, never overflows.
    size, lines = fit_lines(name * 5, 40, 10, 100, bold=True, max_lines=2)
    assert size == 10 and len(lines) == 2 and lines[-1].runs[-1][1].endswith("…")
    assert all(line.width(size) <= 100 for line in lines)
