"""Printed things for the koffietafel: visitor card sheets and the self check-in poster.

Pure code: plain values in, PDF bytes out, no Flask. The few fixed words come in as `CardTexts`
and `PosterTexts`, translated by the caller (the views mark them for the catalogues); their
defaults are the Dutch texts.

Card sheet: ID-1 cards (85.6 x 54 mm, the size of a bank card, so they fit any card holder and
lamination pouch) in a 2 x 5 grid on A4. The cards touch each other, so one guillotine cut
separates two rows; the cut marks sit in the page margin on every cut line. Each card keeps its
content 4-5 mm away from its edges, so a cut that is a millimetre off loses nothing.

Fonts, Arabic shaping, the vector QR code and the pictogram forms are the shared drawing kit,
`bop.pdf_kit`, which the flyer uses too.
"""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .kit import Line, define_pictogram, draw_line, draw_qr, place_pictogram, qr_matrix, shape
from .text import fit_lines

CARD_W = 85.6 * mm
CARD_H = 54 * mm
COLS, ROWS = 2, 5
CARDS_PER_SHEET = COLS * ROWS
PAGE_W, PAGE_H = A4
# The grid is centred on the page: 19.4 mm left and right, 13.5 mm top and bottom.
GRID_X = (PAGE_W - COLS * CARD_W) / 2
GRID_Y = (PAGE_H - ROWS * CARD_H) / 2
CUT_MARK_GAP = 2 * mm      # marks start this far from the card edge, so a cut leaves no line
CUT_MARK_LENGTH = 7 * mm

QR_CARD_SIZE = 32 * mm     # 21 modules of 1.5 mm: read easily by a cheap tablet camera
ACCENT = HexColor("#0b5d5b").rgb()
GREY = HexColor("#555555").rgb()
BLACK = (0, 0, 0)

POSTER_SIZES = {"a4": A4, "a3": A3}


@dataclass(frozen=True)
class CardFace:
    """What goes on one card. `first_name` may be empty: some visitors want no name on it."""

    code: str              # what the QR code holds
    bop_name: str
    phone: str = ""
    first_name: str = ""
    code_label: str = ""   # the code as printed for typing ("MB73 PZKG ..."); the raw code if empty


@dataclass(frozen=True)
class CardTexts:
    """The fixed words of a card sheet, already translated."""

    title: str = "Bezoekerskaarten"          # the PDF's title
    card: str = "Bezoekerskaart"             # small, above the first name
    questions: str = "Vragen? Bel"           # small, above the phone number


@dataclass(frozen=True)
class PosterTexts:
    """The fixed words of the koffietafel poster, already translated."""

    title: str = "Poster aanmelden"          # the PDF's title, followed by " - <BOP name>"
    welcome: str = "Welkom bij"              # above the BOP's name
    instruction: str = "Scan mij met uw telefoon"
    questions: str = "Vragen? Bel %(phone)s"  # the bottom line, when there is a phone number


def card_origin(index: int) -> tuple[float, float]:
    """Bottom-left corner (points) of card `index` on its sheet, filled row by row from the top."""
    slot = index % CARDS_PER_SHEET
    row, col = divmod(slot, COLS)
    return GRID_X + col * CARD_W, PAGE_H - GRID_Y - (row + 1) * CARD_H


def card_sheet_pdf(faces: Sequence[CardFace], *, title: str = "", texts: CardTexts = CardTexts()) -> bytes:
    """One or more A4 sheets with up to ten cards each. An empty list gives no PDF."""
    if not faces:
        raise ValueError("no cards to print")
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(title or texts.title)
    c.setAuthor("BOP")
    for start in range(0, len(faces), CARDS_PER_SHEET):
        _draw_cut_marks(c)
        for i, face in enumerate(faces[start : start + CARDS_PER_SHEET]):
            x, y = card_origin(i)
            _draw_card(c, face, x, y, texts)
        c.showPage()
    c.save()
    return buf.getvalue()


def poster_pdf(
    *, url: str, bop_name: str, pictograms: Sequence[Path] = (), phone: str = "", size: str = "a4",
    texts: PosterTexts = PosterTexts(), texts2: PosterTexts | None = None,
) -> bytes:
    """The koffietafel poster: the self check-in QR, the BOP's name, the pictograms of what
    happens there and one line of instruction in large type. A3 is the A4 layout scaled up.
    With `texts2` (a second language, like the bilingual flyer) each phrase is printed twice: in
    Dutch, and in the second language under it, a little smaller."""
    page_w, page_h = POSTER_SIZES[size.lower()]
    s = page_w / A4[0]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), pageCompression=1)
    c.setTitle(texts.title + (f" / {texts2.title}" if texts2 else "") + f" - {bop_name}")
    c.setAuthor("BOP")
    icons = list(pictograms)[:6]
    defined = [define_pictogram(c, f"pict-{i}", path) for i, path in enumerate(icons)]
    cx = page_w / 2
    margin = 16 * mm * s
    usable = page_w - 2 * margin

    # The name of the place, as large as fits on at most two lines.
    y = page_h - margin
    _draw_centered(c, texts.welcome, cx, y - 20 * s, True, 22 * s, usable, ACCENT)
    y -= 28 * s
    if texts2:
        _draw_centered(c, texts2.welcome, cx, y - 16 * s, True, 18 * s, usable, ACCENT)
        y -= 24 * s
    size_pt, lines = fit_lines(bop_name, 40 * s, 24 * s, usable, bold=True, max_lines=2)
    for line in lines:
        y -= size_pt * 1.05
        draw_line(c, line, cx - line.width(size_pt) / 2, y, size_pt, color=ACCENT)
    y -= 10 * mm * s

    # Pictograms of the activities, one row, so the poster says "coffee, walking, ..." without words.
    if icons:
        icon = 22 * mm * s
        gap = 8 * mm * s
        row_w = len(icons) * icon + (len(icons) - 1) * gap
        x = cx - row_w / 2
        for i, ok in enumerate(defined):
            if ok:
                place_pictogram(c, f"pict-{i}", x, y - icon, icon)
            x += icon + gap
        y -= icon + 2 * mm * s

    # The bottom block, laid out from the bottom margin up: phone, address, instruction.
    bottom = margin + 2 * mm * s
    if phone:
        if texts2:
            # No-break spaces join the digit groups into one number (Unicode bidi rule W4), so that in
            # an Arabic line they keep their order: 071 512 34 56, not 56 34 512 071.
            joined = phone.replace(" ", "\u00a0")
            _draw_centered(c, texts2.questions % {"phone": joined}, cx, bottom, True, 14 * s, usable, ACCENT)
            bottom += 8 * mm * s
        _draw_centered(c, texts.questions % {"phone": phone}, cx, bottom, True, 16 * s, usable, ACCENT)
        bottom += 11 * mm * s
    # For the few who type the address rather than scan it.
    _draw_centered(c, _display_url(url), cx, bottom, False, 13 * s, usable, GREY)
    bottom += 16 * mm * s
    if texts2:  # the instruction in the second language, under the Dutch one
        second = _line(texts2.instruction, True)
        size2 = _fit_size(second.width1, 28 * s, 14 * s, usable)
        draw_line(c, second, cx - second.width(size2) / 2, bottom, size2)
        bottom += size2 + 8 * mm * s

    # One line of instruction in large type, a phone pictogram in front of it.
    instruction = _line(texts.instruction, True)
    icon_h = 18 * mm * s
    icon_w, icon_gap = icon_h * 0.6, 6 * mm * s
    font_size = _fit_size(instruction.width1, 40 * s, 20 * s, usable - icon_w - icon_gap)
    left = cx - (icon_w + icon_gap + instruction.width(font_size)) / 2
    _draw_phone_icon(c, left, bottom - icon_h * 0.25, icon_h)
    draw_line(c, instruction, left + icon_w + icon_gap, bottom, font_size)
    text_top = bottom + max(font_size * 0.75, icon_h * 0.75)

    # The QR code fills the space left, keeping a quiet zone of four modules on every side.
    n = len(qr_matrix(url))
    module = min((y - text_top) / (n + 8), 135 * mm * s / n)
    qr_size = n * module
    qr_y = text_top + (y - text_top - qr_size) / 2
    draw_qr(c, url, cx - qr_size / 2, qr_y, qr_size)
    c.showPage()
    c.save()
    return buf.getvalue()


# -- cards -------------------------------------------------------------------------------------


def _draw_cut_marks(c: Canvas) -> None:
    """Short lines in the margin on every cut line; none inside the card area."""
    c.saveState()
    c.setStrokeColor(black)
    c.setLineWidth(0.3)
    top, bottom = PAGE_H - GRID_Y, GRID_Y
    left, right = GRID_X, GRID_X + COLS * CARD_W
    for col in range(COLS + 1):
        x = left + col * CARD_W
        c.line(x, top + CUT_MARK_GAP, x, top + CUT_MARK_GAP + CUT_MARK_LENGTH)
        c.line(x, bottom - CUT_MARK_GAP, x, bottom - CUT_MARK_GAP - CUT_MARK_LENGTH)
    for row in range(ROWS + 1):
        y = bottom + row * CARD_H
        c.line(left - CUT_MARK_GAP, y, left - CUT_MARK_GAP - CUT_MARK_LENGTH, y)
        c.line(right + CUT_MARK_GAP, y, right + CUT_MARK_GAP + CUT_MARK_LENGTH, y)
    c.restoreState()


def _draw_card(c: Canvas, face: CardFace, x: float, y: float, texts: CardTexts) -> None:
    c.saveState()
    # Left: the QR code with the code in readable text under it, for typing at the kiosk.
    qr_x, qr_top = x + 5 * mm, y + CARD_H - 5 * mm
    draw_qr(c, face.code, qr_x, qr_top - QR_CARD_SIZE, QR_CARD_SIZE)
    code_text = face.code_label or face.code
    code_size = _fit_size(pdfmetrics.stringWidth(code_text, "Courier-Bold", 1), 8.5, 6, QR_CARD_SIZE + 3 * mm)
    c.setFillColor(black)
    c.setFont("Courier-Bold", code_size)
    c.drawCentredString(qr_x + QR_CARD_SIZE / 2, y + 8 * mm, code_text)

    # Right: the BOP's name on top, the first name large, the phone number at the bottom.
    col_x = x + 42 * mm
    col_w = x + CARD_W - 4.5 * mm - col_x
    name_size, lines = fit_lines(face.bop_name, 10.5, 7.5, col_w, bold=True, max_lines=2)
    line_y = y + CARD_H - 6 * mm - name_size * 0.75
    for line in lines:
        draw_line(c, line, col_x, line_y, name_size, color=ACCENT)
        line_y -= name_size * 1.15

    _draw_text(c, texts.card, col_x, y + 33 * mm, False, 7, GREY)
    if face.first_name:
        size, lines = fit_lines(face.first_name, 18, 10, col_w, bold=True, max_lines=2)
        line_y = y + (25 * mm if len(lines) == 1 else 27 * mm)
        for line in lines:
            draw_line(c, line, col_x, line_y, size, color=BLACK)
            line_y -= size * 1.1
    else:
        # A line to write a name on by hand, for whoever wants one.
        c.setStrokeColor(HexColor("#999999"))
        c.setLineWidth(0.5)
        c.line(col_x, y + 24 * mm, col_x + col_w, y + 24 * mm)

    if face.phone:
        _draw_text(c, texts.questions, col_x, y + 12.5 * mm, False, 7, GREY)
        phone = _line(face.phone, True)
        draw_line(c, phone, col_x, y + 8 * mm, _fit_size(phone.width1, 11, 7, col_w), color=ACCENT)
    c.restoreState()


# -- the phone pictogram, shaped text and fitting ----------------------------------------------


def _draw_phone_icon(c: Canvas, x: float, y: float, height: float) -> None:
    """A smartphone outline in the lucide style (rounded body, dot for the button)."""
    w = height * 0.6
    c.saveState()
    c.setStrokeColor(HexColor("#111111"))
    c.setLineWidth(height / 12)
    c.setLineJoin(1)
    c.roundRect(x, y, w, height, height / 8, stroke=1, fill=0)
    c.setFillColor(HexColor("#111111"))
    c.circle(x + w / 2, y + height * 0.13, height / 22, stroke=0, fill=1)
    c.restoreState()


def _display_url(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://")


def _line(text: str, bold: bool) -> Line:
    """A name or phrase shaped for drawing (Arabic joined, right to left), NFC as typed."""
    return shape(unicodedata.normalize("NFC", text), bold)


def _draw_text(c: Canvas, text: str, x: float, y: float, bold: bool, size: float,
               color: tuple[float, float, float]) -> None:
    draw_line(c, _line(text, bold), x, y, size, color=color)


def _draw_centered(c: Canvas, text: str, cx: float, y: float, bold: bool, size: float, room: float,
                   color: tuple[float, float, float]) -> None:
    line = _line(text, bold)
    size = _fit_size(line.width1, size, size * 0.5, room)
    draw_line(c, line, cx - line.width(size) / 2, y, size, color=color)


def _fit_size(width_at_1: float, size: float, smallest: float, width: float) -> float:
    """The largest size from `size` down to `smallest` at which a text `width_at_1` wide at 1 pt
    fits `width`."""
    return max(smallest, min(size, width / (width_at_1 or 1)))

