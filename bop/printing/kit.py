"""The drawing parts every printed BOP document uses: the flyer (`bop/flyer_pdf/`), the visitor
cards and the koffietafel poster (`bop/card_pdf.py`).

Pure code for reportlab, no Flask: plain values in, drawing operators on a canvas out.

- Fonts: Noto Sans and Noto Sans Arabic (regular and bold), shipped in static/fonts/ as subsets;
  the system's Noto is a fallback for a checkout without them.
- Text: `clean` (one printable line, no tofu boxes), `shape` (Arabic joined with arabic-reshaper
  and put in visual order with python-bidi, split into runs per font) and `draw_line`.
- QR codes: the matrix (level M) and a vector symbol, one filled path with horizontal runs merged.
- Pictograms: an SVG (svglib) as a form XObject, drawn once per document and placed as often as
  needed; its PDF operators are converted once per process.
- `memo` and `clear_caches`: shaped text, QR matrices and measured layout blocks are remembered
  between documents; a benchmark can forget them.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import arabic_reshaper
import qrcode
from bidi import get_display
from reportlab.graphics import renderPDF
from reportlab.lib.colors import black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from svglib.svglib import svg2rlg

from ..paths import STATIC

FONT_DIRS = (STATIC / "fonts", Path("/usr/share/fonts/truetype/noto"))
NBSP = "\u00a0"

# ---------------------------------------------------------------- caches

_CACHED: list = []


def memo(function=None, *, size: int = 256):
    """Remember results of a pure function of frozen values. The flyer measures its blocks again
    for every layout it tries, so the same item in the same column width is built once; shaped
    text, QR codes and photos are reused between requests."""
    if function is None:
        return lambda f: memo(f, size=size)
    cached = lru_cache(maxsize=size)(function)
    _CACHED.append(cached)
    return cached


def clear_caches() -> None:
    """Forget everything `memo` remembered; fonts and pictograms stay loaded (for honest benchmarks)."""
    for cached in _CACHED:
        cached.cache_clear()


# ---------------------------------------------------------------- fonts

_FONT_FILES = {
    ("latin", False): ("BOPSans", "NotoSans-Regular.ttf"),
    ("latin", True): ("BOPSans-Bold", "NotoSans-Bold.ttf"),
    ("arabic", False): ("BOPArabic", "NotoSansArabic-Regular.ttf"),
    ("arabic", True): ("BOPArabic-Bold", "NotoSansArabic-Bold.ttf"),
}


@cache
def font(script: str, bold: bool = False) -> tuple[str, frozenset[int]]:
    """Register a Noto font once (`script` is "latin" or "arabic"); its name and the code points
    it can draw. Latin covers Dutch, Turkish, Polish and Cyrillic."""
    name, filename = _FONT_FILES[(script, bold)]
    if name not in pdfmetrics.getRegisteredFontNames():
        path = next((folder / filename for folder in FONT_DIRS if (folder / filename).exists()), None)
        if path is None:
            raise FileNotFoundError(f"{filename} is in none of {', '.join(map(str, FONT_DIRS))}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name, frozenset(pdfmetrics.getFont(name).face.charToGlyph)


# ---------------------------------------------------------------- text

_ARABIC = re.compile("[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def is_arabic(ch: str) -> bool:
    return _ARABIC.match(ch) is not None


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    # Turn on only the ligatures whose glyphs the shipped (subset) font has; lam-alef always is.
    _, glyphs = font("arabic", False)
    config = {"delete_harakat": True}
    for name, (_, forms) in arabic_reshaper.ligatures.LIGATURES:
        config[name] = all(ord(f) in glyphs for form in forms if form for f in form)
    return arabic_reshaper.ArabicReshaper(configuration=config)


@memo(size=4096)
def clean(text: str) -> str:
    """One line of printable text: whitespace collapsed, characters no font has (emoji) dropped,
    so the PDF never shows empty boxes."""
    _, latin = font("latin", False)
    _, arabic = font("arabic", False)
    text = unicodedata.normalize("NFC", text or "")
    kept = []
    for ch in text:
        if ch == NBSP:
            kept.append(ch)  # keeps "10:00 – 11:30" together when wrapping
        elif ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C" and (ord(ch) in latin or ord(ch) in arabic):
            kept.append(ch)
    return re.sub(" {2,}", " ", "".join(kept)).strip(" ")


@dataclass(frozen=True)
class Line:
    """One line ready to draw: runs in visual (left-to-right) order, width at 1 pt."""

    runs: tuple[tuple[bool, str], ...]  # (arabic font?, text)
    width1: float
    rtl: bool
    bold: bool

    def width(self, size: float) -> float:
        return self.width1 * size


@memo(size=4096)
def shape(text: str, bold: bool = False) -> Line:
    """Shape Arabic, reorder right-to-left runs for display and split into per-font runs.

    reportlab neither joins Arabic letters nor lays them out right to left, so arabic-reshaper
    turns them into their joined presentation forms and python-bidi puts them in visual order.
    Callers pass NFC text (`clean` makes it)."""
    if not has_arabic(text):
        name, _ = font("latin", bold)
        return Line(((False, text),), pdfmetrics.stringWidth(text, name, 1), False, bold)
    visual = get_display(_reshaper().reshape(text))
    latin_name, latin = font("latin", bold)
    arabic_name, _ = font("arabic", bold)
    runs: list[list] = []
    for ch in visual:
        use_arabic = is_arabic(ch) or ord(ch) not in latin
        if runs and (runs[-1][0] == use_arabic or ch == " "):
            runs[-1][1] += ch
        else:
            runs.append([use_arabic, ch])
    width = sum(pdfmetrics.stringWidth(t, arabic_name if a else latin_name, 1) for a, t in runs)
    rtl = next((is_arabic(ch) for ch in text if ch.isalpha()), False)
    return Line(tuple((a, t) for a, t in runs), width, rtl, bold)


def draw_line(c: Canvas, line: Line, x: float, y: float, size: float, width: float | None = None,
              align: str = "auto", color: tuple[float, float, float] = (0, 0, 0)) -> float:
    """Draw at baseline y in `color` (RGB, 0 to 1); right-to-left lines align right within
    `width`. Returns the left x."""
    if width is not None and (align == "right" or (align == "auto" and line.rtl)):
        x = x + width - line.width(size)
    c.setFillColorRGB(*color)
    cursor = x
    for arabic, text in line.runs:
        name, _ = font("arabic" if arabic else "latin", line.bold)
        c.setFont(name, size)
        c.drawString(cursor, y, text)
        cursor += pdfmetrics.stringWidth(text, name, size)
    return x


# ---------------------------------------------------------------- QR codes


@memo(size=16)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules without quiet zone. Level M survives a scratched card or a photocopy."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A vector QR code `size` wide without the quiet zone (the caller keeps four modules free):
    the dark modules as one filled path, horizontal runs merged so renderers show no seams. It
    stays sharp on any printer and the PDF stays small."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = size / n
    path = c.beginPath()
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * module
        col = 0
        while col < n:
            if cells[col]:
                start = col
                while col < n and cells[col]:
                    col += 1
                # A hair of overlap into the row above closes anti-aliasing gaps between rows.
                path.rect(x + start * module, top, (col - start) * module, module * 1.02)
            else:
                col += 1
    c.saveState()
    c.setFillColor(black)
    # Non-zero winding: with the even-odd rule the overlaps would cancel out as white lines.
    c.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    c.restoreState()


# ---------------------------------------------------------------- pictograms

FORM_UNIT = 100.0  # a pictogram form is drawn in a 100-unit box and scaled where it is placed


@cache
def _svg(path: str, pure_black: bool):
    drawing = svg2rlg(path)
    if pure_black:
        def blacken(node) -> None:
            for child in getattr(node, "contents", []):
                if getattr(child, "strokeColor", None) is not None:
                    child.strokeColor = black
                if getattr(child, "fillColor", None) is not None:
                    child.fillColor = black
                blacken(child)

        blacken(drawing)
    return drawing


_FORM_CODE: dict[tuple[str, bool], str | None] = {}
_PDF_NAME = re.compile(r"/[^\s/\[\]()<>{}%]+")


def _draw_svg(c: Canvas, drawing) -> None:
    c.saveState()
    scale = FORM_UNIT / max(drawing.width, drawing.height)
    c.scale(scale, scale)
    renderPDF.draw(drawing, c, 0, 0)
    c.restoreState()


def _form_operators(key: tuple[str, bool]) -> str | None:
    """The pictogram's PDF operators, drawn once per process on a scratch canvas and read back with
    reportlab's public `getCurrentPageContent`. None when they name a resource other than /F1:
    renderPDF sets Helvetica, which every reportlab canvas calls F1 (its initial font), while
    transparency, other fonts or images would have names that belong to the scratch document."""
    if key not in _FORM_CODE:
        scratch = Canvas(io.BytesIO())
        _draw_svg(scratch, _svg(*key))
        code = scratch.getCurrentPageContent()
        _FORM_CODE[key] = code if set(_PDF_NAME.findall(code)) <= {"/F1"} else None
    return _FORM_CODE[key]


def define_pictogram(c: Canvas, name: str, path: Path | str, *, pure_black: bool = False) -> bool:
    """Form XObject `name`: the SVG at `path` in a FORM_UNIT box, kept in proportion at its
    bottom left; `pure_black` turns every colour black so it survives a photocopier. Call it
    outside other forms, before placing it. False (and no form) when the file does not exist.

    svglib and renderPDF convert the SVG once per process; later documents copy those operators
    into their form with the canvas's public `addLiteral` (what cannot be copied is drawn again)."""
    path = Path(path)
    if not path.exists():
        return False
    key = (str(path), pure_black)
    c.beginForm(name, 0, 0, FORM_UNIT, FORM_UNIT)
    code = _form_operators(key)
    if code is not None:
        c.addLiteral(code)
    else:
        _draw_svg(c, _svg(*key))
    c.endForm()
    return True


def place_pictogram(c: Canvas, name: str, x: float, y: float, size: float) -> None:
    """Place form `name` (from `define_pictogram`) as a `size` square with its bottom left at x, y."""
    c.saveState()
    c.translate(x, y)
    c.scale(size / FORM_UNIT, size / FORM_UNIT)
    c.doForm(name)
    c.restoreState()
