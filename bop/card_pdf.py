"""Printed things for the koffietafel: visitor card sheets and the self check-in poster.

Pure code: plain values in, PDF bytes out, no Flask. Texts are marked with flask_babel's gettext,
which returns the Dutch msgid unchanged when there is no app (as in the unit tests).

Card sheet: ID-1 cards (85.6 x 54 mm, the size of a bank card, so they fit any card holder and
lamination pouch) in a 2 x 5 grid on A4. The cards touch each other, so one guillotine cut
separates two rows; the cut marks sit in the page margin on every cut line. Each card keeps its
content 4-5 mm away from its edges, so a cut that is a millimetre off loses nothing.

QR codes are drawn as vector rectangles (one path, row runs merged), not as a bitmap: they stay
sharp on any printer and the PDF stays small.
"""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import qrcode
from flask_babel import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from svglib.svglib import svg2rlg

from .cards import format_code

ROOT = Path(__file__).resolve().parent.parent
# The project ships its fonts in static/fonts/; the system's Noto is a fallback for a bare checkout.
FONT_DIRS = (ROOT / "static" / "fonts", Path("/usr/share/fonts/truetype/noto"))

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
ACCENT = HexColor("#0b5d5b")
GREY = HexColor("#555555")

POSTER_SIZES = {"a4": A4, "a3": A3}


@dataclass(frozen=True)
class CardFace:
    """What goes on one card. `first_name` may be empty: some visitors want no name on it."""

    code: str
    bop_name: str
    phone: str = ""
    first_name: str = ""


def card_origin(index: int) -> tuple[float, float]:
    """Bottom-left corner (points) of card `index` on its sheet, filled row by row from the top."""
    slot = index % CARDS_PER_SHEET
    row, col = divmod(slot, COLS)
    return GRID_X + col * CARD_W, PAGE_H - GRID_Y - (row + 1) * CARD_H


def card_sheet_pdf(faces: Sequence[CardFace], *, title: str = "") -> bytes:
    """One or more A4 sheets with up to ten cards each. An empty list gives no PDF."""
    if not faces:
        raise ValueError("no cards to print")
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(title or _("Bezoekerskaarten"))
    c.setAuthor("BOP")
    for start in range(0, len(faces), CARDS_PER_SHEET):
        _draw_cut_marks(c)
        for i, face in enumerate(faces[start : start + CARDS_PER_SHEET]):
            x, y = card_origin(i)
            _draw_card(c, face, x, y)
        c.showPage()
    c.save()
    return buf.getvalue()


def poster_pdf(
    *, url: str, bop_name: str, pictograms: Sequence[Path] = (), phone: str = "", size: str = "a4"
) -> bytes:
    """The koffietafel poster: the self check-in QR, the BOP's name, the pictograms of what
    happens there and one line of instruction in large type. A3 is the A4 layout scaled up."""
    page_w, page_h = POSTER_SIZES[size.lower()]
    s = page_w / A4[0]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), pageCompression=1)
    c.setTitle(_("Poster aanmelden") + f" - {bop_name}")
    c.setAuthor("BOP")
    cx = page_w / 2
    margin = 16 * mm * s
    usable = page_w - 2 * margin

    # The name of the place, as large as fits on at most two lines.
    y = page_h - margin
    c.setFillColor(ACCENT)
    welcome = _("Welkom bij")
    _draw_centered(c, welcome, cx, y - 20 * s, _fonts().bold, 22 * s, usable)
    y -= 28 * s
    size_pt, lines = _fit_lines(bop_name, _fonts().bold, 40 * s, 24 * s, usable, max_lines=2)
    for line in lines:
        y -= size_pt * 1.05
        _draw_centered(c, line, cx, y, _fonts().bold, size_pt, usable)
    y -= 10 * mm * s

    # Pictograms of the activities, one row, so the poster says "coffee, walking, ..." without words.
    icons = list(pictograms)[:6]
    if icons:
        icon = 22 * mm * s
        gap = 8 * mm * s
        row_w = len(icons) * icon + (len(icons) - 1) * gap
        x = cx - row_w / 2
        for path in icons:
            _draw_svg(c, path, x, y - icon, icon)
            x += icon + gap
        y -= icon + 2 * mm * s

    # The bottom block, laid out from the bottom margin up: phone, address, instruction.
    bottom = margin + 2 * mm * s
    if phone:
        c.setFillColor(ACCENT)
        _draw_centered(c, _("Vragen? Bel %(phone)s", phone=phone), cx, bottom, _fonts().bold, 16 * s, usable)
        bottom += 11 * mm * s
    # For the few who type the address rather than scan it.
    c.setFillColor(GREY)
    _draw_centered(c, _display_url(url), cx, bottom, _fonts().regular, 13 * s, usable)
    bottom += 16 * mm * s

    # One line of instruction in large type, a phone pictogram in front of it.
    instruction = _("Scan mij met uw telefoon")
    icon_h = 18 * mm * s
    icon_w, icon_gap = icon_h * 0.6, 6 * mm * s
    font_size = _fit_size(instruction, _fonts().bold, 40 * s, 20 * s, usable - icon_w - icon_gap)
    text_w = _text_width(instruction, _fonts().bold, font_size)
    left = cx - (icon_w + icon_gap + text_w) / 2
    _draw_phone_icon(c, left, bottom - icon_h * 0.25, icon_h)
    c.setFillColor(black)
    _draw_text(c, instruction, left + icon_w + icon_gap, bottom, _fonts().bold, font_size)
    text_top = bottom + max(font_size * 0.75, icon_h * 0.75)

    # The QR code fills the space left, keeping a quiet zone of four modules on every side.
    n = len(qr_matrix(url))
    module = min((y - text_top) / (n + 8), 135 * mm * s / n)
    qr_size = n * module
    qr_y = text_top + (y - text_top - qr_size) / 2
    _draw_qr(c, url, cx - qr_size / 2, qr_y, qr_size)
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


def _draw_card(c: Canvas, face: CardFace, x: float, y: float) -> None:
    fonts = _fonts()
    c.saveState()
    # Left: the QR code with the code in readable text under it, for typing at the kiosk.
    qr_x, qr_top = x + 5 * mm, y + CARD_H - 5 * mm
    c.setFillColor(black)
    _draw_qr(c, face.code, qr_x, qr_top - QR_CARD_SIZE, QR_CARD_SIZE)
    code_text = format_code(face.code)
    code_size = _fit_size(code_text, "Courier-Bold", 8.5, 6, QR_CARD_SIZE + 3 * mm)
    c.setFont("Courier-Bold", code_size)
    c.drawCentredString(qr_x + QR_CARD_SIZE / 2, y + 8 * mm, code_text)

    # Right: the BOP's name on top, the first name large, the phone number at the bottom.
    col_x = x + 42 * mm
    col_w = x + CARD_W - 4.5 * mm - col_x
    c.setFillColor(ACCENT)
    name_size, lines = _fit_lines(face.bop_name, fonts.bold, 10.5, 7.5, col_w, max_lines=2)
    line_y = y + CARD_H - 6 * mm - name_size * 0.75
    for line in lines:
        _draw_text(c, line, col_x, line_y, fonts.bold, name_size)
        line_y -= name_size * 1.15

    c.setFillColor(GREY)
    _draw_text(c, _("Bezoekerskaart"), col_x, y + 33 * mm, fonts.regular, 7)
    c.setFillColor(black)
    if face.first_name:
        size, lines = _fit_lines(face.first_name, fonts.bold, 18, 10, col_w, max_lines=2)
        line_y = y + (25 * mm if len(lines) == 1 else 27 * mm)
        for line in lines:
            _draw_text(c, line, col_x, line_y, fonts.bold, size)
            line_y -= size * 1.1
    else:
        # A line to write a name on by hand, for whoever wants one.
        c.setStrokeColor(HexColor("#999999"))
        c.setLineWidth(0.5)
        c.line(col_x, y + 24 * mm, col_x + col_w, y + 24 * mm)

    if face.phone:
        c.setFillColor(GREY)
        _draw_text(c, _("Vragen? Bel"), col_x, y + 12.5 * mm, fonts.regular, 7)
        c.setFillColor(ACCENT)
        size = _fit_size(face.phone, fonts.bold, 11, 7, col_w)
        _draw_text(c, face.phone, col_x, y + 8 * mm, fonts.bold, size)
    c.restoreState()


# -- QR codes and pictograms -------------------------------------------------------------------


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules without quiet zone. Level M survives a scratched or bent laminated card."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def _draw_qr(c: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Dark modules as one filled path; horizontal runs merged so renderers show no seams."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = size / n
    path = c.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                # A hair of overlap into the next row closes anti-aliasing gaps between rows.
                path.rect(x + start * module, top, (col - start) * module, module * 1.02)
            else:
                col += 1
    c.saveState()
    c.setFillColor(black)
    # Non-zero winding: with the default even-odd rule the overlaps would cancel out as white lines.
    c.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    c.restoreState()


def _draw_svg(c: Canvas, path: Path, x: float, y: float, size: float) -> None:
    drawing = _load_svg(str(path))
    if drawing is None:
        return
    scale = size / max(drawing.width, drawing.height)
    c.saveState()
    c.translate(x, y)
    c.scale(scale, scale)
    renderPDF.draw(drawing, c, 0, 0)
    c.restoreState()


@cache
def _load_svg(path: str):
    return svg2rlg(path) if Path(path).exists() else None


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


# -- text: fonts, right-to-left names, fitting --------------------------------------------------


@dataclass(frozen=True)
class _FontSet:
    regular: str
    bold: str
    arabic: str | None   # used for runs of Arabic script inside a text


@cache
def _fonts() -> _FontSet:
    """Noto Sans where available (it has Turkish, Polish, Cyrillic ... letters), else Helvetica."""

    def register(name: str, filename: str) -> str | None:
        for folder in FONT_DIRS:
            path = folder / filename
            if path.exists():
                pdfmetrics.registerFont(TTFont(name, str(path)))
                return name
        return None

    regular = register("BOP-Sans", "NotoSans-Regular.ttf") or "Helvetica"
    bold = register("BOP-Sans-Bold", "NotoSans-Bold.ttf") or "Helvetica-Bold"
    arabic = register("BOP-Arabic-Bold", "NotoSansArabic-Bold.ttf")
    return _FontSet(regular, bold, arabic)


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split a text into (run, font) pieces in visual order.

    Arabic letters must be joined (reshaped) and laid out right to left; reportlab does neither,
    so arabic_reshaper and python-bidi do it first, and Arabic runs get an Arabic font.
    """
    text = unicodedata.normalize("NFC", text)
    if not any(_is_arabic(ch) for ch in text):
        return [(text, font)]
    import arabic_reshaper
    from bidi import get_display

    visual = get_display(arabic_reshaper.reshape(text))
    arabic_font = _fonts().arabic or font
    runs: list[tuple[str, str]] = []
    for ch in visual:
        f = arabic_font if _is_arabic(ch) else font
        if runs and runs[-1][1] == f:
            runs[-1] = (runs[-1][0] + ch, f)
        else:
            runs.append((ch, f))
    return runs


def _text_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, f, size) for run, f in _runs(text, font))


def _draw_text(c: Canvas, text: str, x: float, y: float, font: str, size: float) -> None:
    for run, f in _runs(text, font):
        c.setFont(f, size)
        c.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, f, size)


def _draw_centered(c: Canvas, text: str, cx: float, y: float, font: str, size: float, room: float) -> None:
    size = _fit_size(text, font, size, size * 0.5, room)
    _draw_text(c, text, cx - _text_width(text, font, size) / 2, y, font, size)


def _fit_size(text: str, font: str, size: float, smallest: float, width: float) -> float:
    """The largest size from `size` down to `smallest` at which the text fits `width`."""
    width_at_1 = _text_width(text, font, 1) or 1
    return max(smallest, min(size, width / width_at_1))


def _fit_lines(
    text: str, font: str, size: float, smallest: float, width: float, *, max_lines: int
) -> tuple[float, list[str]]:
    """Wrap on spaces into at most `max_lines`, shrinking the type before truncating."""
    words = text.split()
    if not words:
        return size, []
    current = size
    while True:
        lines = _wrap(words, font, current, width)
        if len(lines) <= max_lines or current <= smallest:
            break
        current = max(smallest, current - 0.5)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    # A single word longer than the line (a long compound name) is shrunk to fit.
    widest = max(_text_width(line, font, current) for line in lines)
    if widest > width:
        current = max(smallest * 0.7, current * width / widest)
    return current, lines


def _wrap(words: list[str], font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and _text_width(lines[-1] + " " + word, font, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
