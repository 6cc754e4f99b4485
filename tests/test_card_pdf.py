"""The card sheet and poster PDFs, read back: page sizes, card geometry, text and decoded QR codes.

Pure tests, no app. Pages are rendered with pdfium at 200 dpi and decoded with zxing-cpp, as a
tablet camera would read a printed card.
"""
import io
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from support import decode_qr, render_pages

from bop.categories import Category
from bop.printing import cards as card_pdf
from bop.printing.cards import (
    CARD_H,
    CARD_W,
    CardFace,
    CardTexts,
    PosterTexts,
    card_origin,
    card_sheet_pdf,
    poster_pdf,
)
from bop.visitors.codes import format_code, generate_code

DPI = 200


def crop_card(page_image, index: int, dpi: int = DPI):
    """The part of a rendered A4 sheet that is card `index`."""
    x, y = card_origin(index)
    k = dpi / 72
    top = (A4[1] - y - CARD_H) * k
    return page_image.crop((round(x * k), round(top), round((x + CARD_W) * k), round(top + CARD_H * k)))


def face(code: str | None = None, **kw) -> CardFace:
    """A card as the visitors module makes one: the code printed in groups of four."""
    code = code or generate_code()
    values = {"bop_name": "BOP Rijn en Vliet", "phone": "071 512 34 56", **kw}
    return CardFace(code=code, code_label=format_code(code), **values)


def faces(n: int, **kw) -> list[CardFace]:
    return [face(first_name=f"Bezoeker{i}", **kw) for i in range(n)]


def test_card_is_id1_and_ten_fit_on_a4_with_room_for_cut_marks():
    assert pytest.approx(85.6 * mm) == CARD_W and pytest.approx(54 * mm) == CARD_H
    boxes = [(*card_origin(i), CARD_W, CARD_H) for i in range(10)]
    for x, y, w, h in boxes:
        # Inside the page with at least 10 mm of margin for the marks and the printer's edge.
        assert x >= 10 * mm and y >= 10 * mm
        assert x + w <= A4[0] - 10 * mm and y + h <= A4[1] - 10 * mm
    # Two columns, five rows, touching, so one cut separates neighbours; no overlap.
    assert card_origin(1)[0] == pytest.approx(card_origin(0)[0] + CARD_W)
    assert card_origin(2)[1] == pytest.approx(card_origin(0)[1] - CARD_H)
    assert len({(round(x), round(y)) for x, y, *_ in boxes}) == 10
    # The eleventh card starts the next sheet in the first slot.
    assert card_origin(10) == card_origin(0)


def test_sheet_pages_are_a4_and_hold_ten_cards_each():
    reader = PdfReader(io.BytesIO(card_sheet_pdf(faces(11))))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.5)
    assert len(PdfReader(io.BytesIO(card_sheet_pdf(faces(10)))).pages) == 1


def test_every_card_shows_its_code_name_bop_and_phone_and_its_qr_decodes_to_the_bare_code():
    cards = faces(10)
    cards[3] = face(cards[3].code, phone="", first_name="")
    pdf = card_sheet_pdf(cards)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for card in cards:
        assert format_code(card.code) in text
        if card.first_name:
            assert card.first_name in text
    assert "BOP Rijn en Vliet" in text and "071 512 34 56" in text

    page = render_pages(pdf)[0]
    for i, card in enumerate(cards):
        # Each card's own rectangle holds exactly its own QR: the payload the kiosk expects.
        assert decode_qr(crop_card(page, i)) == [card.code]
    assert sorted(decode_qr(page)) == sorted(f.code for f in cards)


def test_a_single_card_and_names_in_other_scripts():
    names = ["Şükrü", "Łucja", "Мария", "فاطمة"]
    cards = [face(first_name=n) for n in names]
    pdf = card_sheet_pdf(cards)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # Turkish, Polish and Cyrillic letters are embedded (Noto Sans), not dropped or boxed; the
    # Arabic name is drawn in its joined forms, which NFKC maps back to the letters.
    for name in names[:3]:
        assert name in text
    assert names[3] in unicodedata.normalize("NFKC", text)
    assert any("\uFE70" <= char <= "\uFEFF" for char in text)
    page = render_pages(pdf)[0]
    for i, card in enumerate(cards):
        assert decode_qr(crop_card(page, i)) == [card.code]

    one = card_sheet_pdf(cards[:1])
    assert len(PdfReader(io.BytesIO(one)).pages) == 1
    assert decode_qr(render_pages(one)[0]) == [cards[0].code]


def test_cut_marks_stay_out_of_the_cards():
    """Render the sheet: a band just inside every card edge is white, the margins have marks."""
    page = render_pages(card_sheet_pdf(faces(10)), dpi=100)[0].convert("L")
    k = 100 / 72
    for i in range(10):
        x, y = card_origin(i)
        top = (A4[1] - y - CARD_H) * k
        # A 1.5 mm band just inside each card's edge must be blank (no marks, no content).
        band = 1.5 * mm * k
        box = (x * k, top, (x + CARD_W) * k, top + CARD_H * k)
        strips = [
            (box[0] + 1, box[1] + 1, box[2] - 1, box[1] + band),
            (box[0] + 1, box[3] - band, box[2] - 1, box[3] - 1),
            (box[0] + 1, box[1] + 1, box[0] + band, box[3] - 1),
            (box[2] - band, box[1] + 1, box[2] - 1, box[3] - 1),
        ]
        for strip in strips:
            assert page.crop(tuple(round(v) for v in strip)).getextrema()[0] > 200
    # ...while the margins do carry the marks.
    left_margin = page.crop((0, 0, round(card_origin(0)[0] * k) - 2, page.height))
    assert left_margin.getextrema()[0] < 100


def test_empty_batch_is_refused():
    with pytest.raises(ValueError):
        card_sheet_pdf([])


@pytest.mark.parametrize("size, pagesize", [("a4", A4), ("a3", A3)])
def test_poster_has_the_self_checkin_qr_name_and_instruction(size, pagesize):
    url = "https://bop.example.nl/bop/rijn-en-vliet/in"
    pdf = poster_pdf(url=url, bop_name="BOP Rijn en Vliet", phone="071 512 34 56", size=size,
                     pictograms=[Category.COFFEE.pictogram_path, Category.WALK.pictogram_path])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(pagesize, abs=0.5)
    text = reader.pages[0].extract_text()
    assert "Scan mij met uw telefoon" in text
    assert "BOP Rijn en Vliet" in text
    assert "bop.example.nl/bop/rijn-en-vliet/in" in text
    assert "071 512 34 56" in text
    # Low resolution on purpose: a poster must read from across the table.
    assert decode_qr(render_pages(pdf, dpi=40)[0]) == [url]


def test_poster_pictograms_are_drawn():
    """With pictograms, the band between the name and the QR code has ink; without, it is blank."""
    url = "https://bop.example.nl/bop/x/in"

    def band(pictograms):
        img = render_pages(poster_pdf(url=url, bop_name="X", pictograms=pictograms), dpi=50)[0]
        k = 50 / 72
        y0 = round((16 * mm + 28 + 44) * k)          # under the name
        return img.convert("L").crop((0, y0, img.width, y0 + round(20 * mm * k)))

    assert band([Category.COFFEE.pictogram_path]).getextrema()[0] < 100
    assert band([]).getextrema()[0] > 200


def test_qr_payload_is_the_bare_code_in_alphanumeric_mode():
    code = generate_code()
    # 16 characters from the code alphabet fit QR version 1 (21 modules): big modules on a card.
    assert len(card_pdf.qr_matrix(code)) == 21


def test_fixed_words_are_dutch_by_default_and_otherwise_come_from_the_caller():
    cards = faces(1)
    dutch = PdfReader(io.BytesIO(card_sheet_pdf(cards))).pages[0].extract_text()
    assert "Bezoekerskaart" in dutch and "Vragen? Bel" in dutch

    texts = CardTexts(title="Visitor cards", card="Visitor card", questions="Questions? Call")
    reader = PdfReader(io.BytesIO(card_sheet_pdf(cards, texts=texts)))
    text = reader.pages[0].extract_text()
    assert "Visitor card" in text and "Questions? Call" in text and "Bezoekerskaart" not in text
    assert reader.metadata.title == "Visitor cards"
    assert PdfReader(io.BytesIO(card_sheet_pdf(cards, title="One card", texts=texts))).metadata.title == "One card"

    url = "https://bop.example.nl/bop/rijn-en-vliet/in"
    texts = PosterTexts(title="Check-in poster", welcome="Welcome to", instruction="Scan me with your phone",
                        questions="Questions? Call %(phone)s")
    reader = PdfReader(io.BytesIO(poster_pdf(url=url, bop_name="BOP Rijn en Vliet", phone="071 512 34 56",
                                             texts=texts)))
    text = reader.pages[0].extract_text()
    for words in ("Welcome to", "Scan me with your phone", "Questions? Call 071 512 34 56"):
        assert words in text
    assert "Scan mij" not in text
    assert reader.metadata.title == "Check-in poster - BOP Rijn en Vliet"
