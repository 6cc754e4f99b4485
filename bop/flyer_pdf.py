"""The weekly flyer as a PDF: pure layout with reportlab, no Flask and no database.

The Flask layer (`bop/flyers.py`) turns the agenda's occurrences into plain `FlyerContent`, with
every fixed phrase already translated; this module only places things on paper.

Readability follows Makkelijk Lezen and Pharos: body text 14 pt or more, headings larger,
left-aligned, times as digits, bold never italics, black on white (photocopies well), the website's
pictogram per activity and at most ten of them on a page. A week that does not fit on one page
first goes to two columns and then to a second page; it never runs off the paper.

Copies: each flyer page is drawn once as a form XObject and placed N times, so every extra copy
costs a few dozen bytes and almost no time.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Callable

import arabic_reshaper
import qrcode
from bidi import get_display
from PIL import Image, ImageOps
from reportlab.graphics import renderPDF
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A3, A4, A5, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "static" / "fonts"
PICTOGRAM_DIR = ROOT / "static" / "pictograms"

FORMATS = ("A4", "A5", "A3")
MAX_COPIES = 500
MAX_PICTOGRAMS_PER_PAGE = 10  # Pharos: more pictures than this on one page stop helping

MM = 72 / 25.4
NBSP = "\u00a0"


# ---------------------------------------------------------------- input: plain values


@dataclass(frozen=True)
class Phrases:
    """The fixed phrases of the flyer in one language, already translated by the caller."""

    cancelled: str = "Gaat niet door"
    moved: str = "Let op: andere dag of tijd"
    empty: str = "Deze week geen activiteiten — de koffie staat wel klaar"
    contact: str = "Vragen? Bel of app mij:"
    phone: str = "Bel"
    whatsapp: str = "WhatsApp"
    where: str = "Adres"
    opening: str = "Open"
    scan: str = "Scan de code: het programma op uw telefoon"
    more: str = "Kijk ook op de volgende bladzijde"


@dataclass(frozen=True)
class FlyerItem:
    start: str                 # "10:00": digits, as printed
    end: str = ""
    title: str = ""
    summary: str = ""
    category: str = "other"    # a Category value; picks the pictogram
    price: str = ""            # "€ 2,50"; empty when free (the banner says so)
    cancelled: bool = False
    reason: str = ""           # why it is cancelled, in Dutch as staff typed it
    moved: bool = False
    title2: str = ""           # the staff's translation; empty when there is none
    summary2: str = ""


@dataclass(frozen=True)
class FlyerDay:
    label: str                 # "Maandag 23 november"
    label2: str = ""           # the same in the second language
    items: tuple[FlyerItem, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    whatsapp: str = ""
    photo: bytes | None = None  # any image Pillow reads; anything else gets the placeholder


@dataclass(frozen=True)
class FlyerContent:
    location_name: str
    week_label: str            # "Programma week 48: 23 tot en met 29 november"
    agenda_url: str            # what the QR code opens; carries ?bron=flyer
    days: tuple[FlyerDay, ...] = ()
    address: str = ""
    opening_hours: str = ""
    banner: str = ""           # "Gratis — u hoeft zich niet aan te melden"
    contact: Contact | None = None
    phrases: Phrases = field(default_factory=Phrases)
    week_label2: str = ""
    banner2: str = ""
    phrases2: Phrases | None = None  # None: a Dutch-only flyer
    lang2: str = ""

    @property
    def item_count(self) -> int:
        return sum(len(day.items) for day in self.days)


# ---------------------------------------------------------------- caches

_CACHED: list = []


def _memo(function=None, *, size: int = 256):
    """Remember results of a pure function of frozen values. Blocks are measured again for every
    layout tried, so the same item in the same column width is built once; shaped text, QR codes
    and photos are reused between requests."""
    if function is None:
        return lambda f: _memo(f, size=size)
    cached = lru_cache(maxsize=size)(function)
    _CACHED.append(cached)
    return cached


def clear_caches() -> None:
    """Forget everything but the loaded fonts and pictograms (for honest benchmarks)."""
    for cached in _CACHED:
        cached.cache_clear()


# ---------------------------------------------------------------- fonts and text


_FONT_FILES = {
    ("latin", False): ("BOPSans", "NotoSans-Regular.ttf"),
    ("latin", True): ("BOPSans-Bold", "NotoSans-Bold.ttf"),
    ("arabic", False): ("BOPArabic", "NotoSansArabic-Regular.ttf"),
    ("arabic", True): ("BOPArabic-Bold", "NotoSansArabic-Bold.ttf"),
}


@cache
def _font(script: str, bold: bool) -> tuple[str, frozenset[int]]:
    """Register a shipped TTF once; its name and the code points it can draw."""
    name, filename = _FONT_FILES[(script, bold)]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    return name, frozenset(pdfmetrics.getFont(name).face.charToGlyph)


_ARABIC = re.compile("[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def _is_arabic(ch: str) -> bool:
    return _ARABIC.match(ch) is not None


def _has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    # Turn on only the ligatures whose glyphs the shipped (subset) font has; lam-alef always is.
    _, glyphs = _font("arabic", False)
    config = {"delete_harakat": True}
    for name, (_, forms) in arabic_reshaper.ligatures.LIGATURES:
        config[name] = all(ord(f) in glyphs for form in forms if form for f in form)
    return arabic_reshaper.ArabicReshaper(configuration=config)


@_memo(size=4096)
def clean(text: str) -> str:
    """One line of printable text: whitespace collapsed, characters no font has (emoji) dropped,
    so the PDF never shows empty boxes."""
    _, latin = _font("latin", False)
    _, arabic = _font("arabic", False)
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


@_memo(size=4096)
def shape(text: str, bold: bool = False) -> Line:
    """Shape Arabic, reorder right-to-left runs for display and split into per-font runs."""
    if not _has_arabic(text):
        name, _ = _font("latin", bold)
        return Line(((False, text),), pdfmetrics.stringWidth(text, name, 1), False, bold)
    visual = get_display(_reshaper().reshape(text))
    latin_name, latin = _font("latin", bold)
    arabic_name, _ = _font("arabic", bold)
    runs: list[list] = []
    for ch in visual:
        use_arabic = _is_arabic(ch) or ord(ch) not in latin
        if runs and (runs[-1][0] == use_arabic or ch == " "):
            runs[-1][1] += ch
        else:
            runs.append([use_arabic, ch])
    width = sum(pdfmetrics.stringWidth(t, arabic_name if a else latin_name, 1) for a, t in runs)
    rtl = next((_is_arabic(ch) for ch in text if ch.isalpha()), False)
    return Line(tuple((a, t) for a, t in runs), width, rtl, bold)


@_memo(size=4096)
def _word_width(word: str, bold: bool) -> float:
    return pdfmetrics.stringWidth(word, _font("latin", bold)[0], 1)


def wrap(text: str, size: float, width: float, bold: bool = False, max_lines: int = 3) -> list[Line]:
    """Greedy word wrap in logical order (so Arabic wraps correctly), at most `max_lines`;
    a longer text ends in an ellipsis rather than running off the page."""
    text = clean(text)
    if not text:
        return []
    words = text.split(" ")
    limit = width / size  # compare widths at 1 pt
    if _has_arabic(text):
        def fits(line: str) -> bool:
            return shape(line, bold).width1 <= limit
    else:  # Latin: no shaping and no kerning, so a line is as wide as its words and spaces
        space = _word_width(" ", bold)

        def fits(line: str) -> bool:
            parts = line.split(" ")
            return sum(_word_width(part, bold) for part in parts) + space * (len(parts) - 1) <= limit
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while not fits(current) and len(current) > 1:
            cut = len(current) - 1  # break an over-long word (a URL, a 300-letter typo)
            while cut > 1 and not fits(current[:cut]):
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    if len(lines) > 1 and len(lines[-1]) <= 4 and " " in lines[-2]:
        # No lonely "km." on the last line: take the word before it along ("2 km.").
        head, moved = lines[-2].rsplit(" ", 1)
        if fits(f"{moved} {lines[-1]}"):
            lines[-2:] = [head, f"{moved} {lines[-1]}"]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last.rstrip() + "…"):
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    return [shape(line, bold) for line in lines]


def draw_line(c: Canvas, line: Line, x: float, y: float, size: float, width: float | None = None,
              align: str = "auto", color=(0, 0, 0)) -> float:
    """Draw at baseline y; right-to-left lines align right within `width`. Returns the left x."""
    if width is not None and (align == "right" or (align == "auto" and line.rtl)):
        x = x + width - line.width(size)
    c.setFillColorRGB(*color)
    cursor = x
    for arabic, text in line.runs:
        name, _ = _font("arabic" if arabic else "latin", line.bold)
        c.setFont(name, size)
        c.drawString(cursor, y, text)
        cursor += pdfmetrics.stringWidth(text, name, size)
    return x


# ---------------------------------------------------------------- pictures


@cache
def _pictogram(category: str):
    """The website's SVG, made pure black so it survives a photocopier."""
    path = PICTOGRAM_DIR / f"{category}.svg"
    drawing = svg2rlg(str(path if path.exists() else PICTOGRAM_DIR / "other.svg"))

    def blacken(node) -> None:
        for child in getattr(node, "contents", []):
            if getattr(child, "strokeColor", None) is not None:
                child.strokeColor = black
            if getattr(child, "fillColor", None) is not None:
                child.fillColor = black
            blacken(child)

    blacken(drawing)
    return drawing


def _draw_pictogram(c: Canvas, category: str, x: float, y: float, size: float) -> None:
    name = f"pict-{category}"
    c.saveState()
    c.translate(x, y)
    c.scale(size / _PICT_UNIT, size / _PICT_UNIT)
    c.doForm(name)
    c.restoreState()


_PICTOGRAM_CODE: dict[str, list[str]] = {}


def _define_pictograms(c: Canvas, categories: set[str]) -> None:
    """One form XObject per pictogram. The SVG is converted to PDF operators once per process;
    later flyers copy those operators into their form (the canvas keeps them in `_code`)."""
    for category in sorted(categories):
        c.beginForm(f"pict-{category}", 0, 0, _PICT_UNIT, _PICT_UNIT)
        if category not in _PICTOGRAM_CODE:
            drawing = _pictogram(category)
            start = len(c._code)
            c.saveState()
            c.scale(_PICT_UNIT / drawing.width, _PICT_UNIT / drawing.height)
            renderPDF.draw(drawing, c, 0, 0)
            c.restoreState()
            _PICTOGRAM_CODE[category] = c._code[start:]
        else:
            c._code.extend(_PICTOGRAM_CODE[category])
        c.endForm()


@_memo(size=8)
def _photo(data: bytes | None) -> bytes | None:
    """A small portrait JPEG, or None (placeholder) when missing or not a readable image."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
            img = ImageOps.fit(img, (360, 450))  # 4:5 portrait, centred crop
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85)
    except Exception:  # Pillow raises many kinds for a damaged upload; all mean "no photo"
        return None
    return out.getvalue()


def _draw_placeholder(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A neutral outline of a person, so the layout is the same with or without a photo."""
    c.saveState()
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(1.5)
    c.rect(x, y, w, h)
    c.circle(x + w / 2, y + h * 0.62, w * 0.2)
    p = c.beginPath()
    p.moveTo(x + w * 0.18, y + h * 0.12)
    p.curveTo(x + w * 0.18, y + h * 0.42, x + w * 0.82, y + h * 0.42, x + w * 0.82, y + h * 0.12)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


@_memo(size=16)
def _qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def _draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Vector QR code, `size` wide without the quiet zone (the caller keeps 4 modules free)."""
    matrix = _qr_matrix(url)
    n = len(matrix)
    module = size / n
    path = c.beginPath()
    for row, cells in enumerate(matrix):
        col = 0
        while col < n:
            if cells[col]:
                start = col
                while col < n and cells[col]:
                    col += 1
                path.rect(x + start * module, y + size - (row + 1) * module, (col - start) * module, module)
            else:
                col += 1
    c.setFillColorRGB(0, 0, 0)
    c.drawPath(path, stroke=0, fill=1)


_PICT_UNIT = 100.0  # pictogram forms are drawn in a 100-unit box and scaled where placed


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Style:
    margin: float
    name: float = 26
    week: float = 18
    day: float = 18
    time: float = 16
    title: float = 16
    body: float = 14           # never below 14 pt
    icon: float = 40
    gap: float = 10
    item_space: float = 10
    time_col: float = 112
    qr: float = 30 * MM        # the symbol itself; the quiet zone comes on top
    photo_w: float = 76

    def lead(self, size: float) -> float:
        return size * 1.3


NORMAL = Style(margin=15 * MM)
COMPACT = Style(margin=15 * MM, day=16, time=15, title=15, icon=30, gap=8, item_space=6, time_col=104)
A5_NORMAL = Style(margin=10 * MM, name=22, week=16, day=16, time=15, title=15, icon=32, gap=8,
                  item_space=8, time_col=104, qr=25 * MM, photo_w=60)
A5_COMPACT = Style(margin=10 * MM, name=20, week=15, day=15, time=14, title=14, icon=26, gap=6,
                   item_space=5, time_col=96, qr=25 * MM, photo_w=56)


Draw = Callable[[Canvas, float, float], None]  # (canvas, left x, top y)



@dataclass
class Block:
    height: float
    draw: Draw
    items: int = 0             # activities (= pictograms) in this block


class _Stack:
    """Collects lines top-down, then draws them relative to a top-left corner."""

    def __init__(self) -> None:
        self.y = 0.0
        self.ops: list[Callable[[Canvas, float, float], None]] = []

    def text(self, lines: list[Line], size: float, dx: float, width: float, strike: bool = False,
             lead: float | None = None) -> None:
        lead = lead or size * 1.3
        for line in lines:
            baseline = self.y + size * 1.02

            def op(c, x, top, line=line, baseline=baseline):
                left = draw_line(c, line, x + dx, top - baseline, size, width)
                if strike:
                    c.setLineWidth(max(1.2, size / 10))
                    c.line(left, top - baseline + size * 0.3, left + line.width(size), top - baseline + size * 0.3)

            self.ops.append(op)
            self.y += lead

    def tags(self, texts: list[str], size: float, dx: float, width: float, filled: bool) -> None:
        """Boxed phrases: white on black for "cancelled", outlined for "moved". A translation
        shares the row when both fit, right-aligned if it is right-to-left."""
        pad, lead = 3, size * 1.3
        boxes = [wrap(text, size, width - 10, bold=True, max_lines=2) for text in texts if clean(text)]
        widths = [max(ln.width(size) for ln in lines) + 10 for lines in boxes]
        one_row = len(boxes) == 2 and len(boxes[0]) == len(boxes[1]) == 1 and sum(widths) + 12 <= width
        placed = []  # (lines, box width, left offset, top offset)
        y = self.y + 2
        for i, (lines, box_w) in enumerate(zip(boxes, widths)):
            if one_row and i == 1:
                y -= lead + 2 * pad + 3
                left = width - box_w if lines[0].rtl else widths[0] + 12
            else:
                left = width - box_w if lines[0].rtl else 0
            placed.append((lines, box_w, left, y))
            y += len(lines) * lead + 2 * pad + 3

        def op(c, x, top):
            c.saveState()
            c.setLineWidth(1.5)
            for lines, box_w, left, box_top in placed:
                height = len(lines) * lead + 2 * pad
                c.setFillColorRGB(0, 0, 0)
                c.rect(x + dx + left, top - box_top - height, box_w, height, stroke=1, fill=1 if filled else 0)
                for i, line in enumerate(lines):
                    draw_line(c, line, x + dx + left + 5, top - box_top - pad - i * lead - size * 1.02, size,
                              color=(1, 1, 1) if filled else (0, 0, 0))
            c.restoreState()

        self.ops.append(op)
        self.y = y

    def labelled(self, label: str, value: str, dx: float, width: float, label_size: float,
                 value_size: float, label_bold: bool, value_bold: bool) -> None:
        """"Bel: 06 1234 5678" on one baseline in two weights. When the pair does not fit, the value
        gets lines of its own: a phone number is never cut off."""
        label_line = shape(clean(label) + ":", label_bold)
        value_lines = wrap(value, value_size, width, bold=value_bold, max_lines=2)
        if not value_lines:
            return
        gap = value_size * 0.3
        if len(value_lines) == 1 and label_line.width(label_size) + gap + value_lines[0].width(value_size) <= width:
            size = max(label_size, value_size)
            baseline = self.y + size * 1.02

            def op(c, x, top):
                draw_line(c, label_line, x + dx, top - baseline, label_size)
                draw_line(c, value_lines[0], x + dx + label_line.width(label_size) + gap, top - baseline, value_size)

            self.ops.append(op)
            self.y += size * 1.3
        else:
            self.text([label_line], label_size, dx, width)
            self.text(value_lines, value_size, dx, width)

    def space(self, h: float) -> None:
        self.y += h

    def block(self, min_height: float = 0, items: int = 0, extra: list[Draw] = ()) -> Block:
        ops = list(extra) + self.ops

        def draw(c, x, top):
            for op in ops:
                op(c, x, top)

        return Block(max(self.y, min_height), draw, items)


@_memo
def item_block(item: FlyerItem, width: float, st: Style, ph: Phrases, ph2: Phrases | None) -> Block:
    text_x = st.icon + st.gap
    text_w = width - text_x
    time_text = f"{item.start}{NBSP}–{NBSP}{item.end}" if item.end else item.start
    stack = _Stack()
    if text_w >= 300:  # wide column: time beside the title, like a timetable
        title_x, title_w = text_x + st.time_col, text_w - st.time_col
        stack.text(wrap(time_text, st.time, st.time_col - 6, bold=True, max_lines=1), st.time, text_x,
                   st.time_col, strike=item.cancelled)
        stack.y = 0
        stack.text(wrap(item.title, st.title, title_w, bold=True), st.title, title_x, title_w, strike=item.cancelled)
    else:  # narrow column: the title runs on after the time, both bold, saving a line
        title_x, title_w = text_x, text_w
        stack.text(wrap(f"{time_text}  {item.title}", st.title, text_w, bold=True, max_lines=3), st.title, text_x,
                   text_w, strike=item.cancelled)
    if item.cancelled:
        tag = ph.cancelled + (f": {item.reason}" if clean(item.reason) else "")
        stack.tags([tag] + ([ph2.cancelled] if ph2 else []), st.body, title_x, title_w, filled=True)
    elif item.moved:
        stack.tags([ph.moved] + ([ph2.moved] if ph2 else []), st.body, title_x, title_w, filled=False)
    stack.text(wrap(item.summary, st.body, title_w, max_lines=2), st.body, title_x, title_w)
    if item.price:
        stack.text(wrap(item.price, st.body, title_w, bold=True, max_lines=1), st.body, title_x, title_w)
    if ph2 and item.title2:
        stack.space(2)
        stack.text(wrap(item.title2, st.body, title_w, bold=True, max_lines=2), st.body, title_x, title_w)
        stack.text(wrap(item.summary2, st.body, title_w, max_lines=2), st.body, title_x, title_w)

    def icon(c, x, top):
        _draw_pictogram(c, item.category, x, top - st.icon, st.icon)

    block = stack.block(min_height=st.icon, items=1, extra=[icon])
    block.height += st.item_space
    return block


@_memo
def day_block(day: FlyerDay, width: float, st: Style) -> Block:
    stack = _Stack()
    label = wrap(day.label, st.day, width, bold=True, max_lines=1)
    label2 = wrap(day.label2, st.body, width, max_lines=1) if day.label2 else []
    stack.text(label, st.day, 0, width)
    if label2 and label and label[0].width(st.day) + label2[0].width(st.body) + 20 <= width:
        # The translation on the same line, at the right, sharing the Dutch baseline.
        def beside(c, x, top, line=label2[0]):
            draw_line(c, line, x, top - st.day * 1.02, st.body, width, align="right")

        stack.ops.append(beside)
    else:
        stack.text(label2, st.body, 0, width)
    rule_y = stack.y + 1

    def rule(c, x, top):
        c.setLineWidth(1.5)
        c.setStrokeColorRGB(0, 0, 0)
        c.line(x, top - rule_y, x + width, top - rule_y)

    stack.ops.append(rule)
    stack.y += 8
    return stack.block()


@_memo
def empty_block(content: FlyerContent, width: float, st: Style) -> Block:
    stack = _Stack()
    size = st.day + 4
    icon = st.icon * 1.6
    text_w = width - icon - 16
    stack.text(wrap(content.phrases.empty, size, text_w, bold=True), size, icon + 16, text_w)
    if content.phrases2:
        stack.space(4)
        stack.text(wrap(content.phrases2.empty, st.day, text_w), st.day, icon + 16, text_w)

    def pict(c, x, top):
        _draw_pictogram(c, "coffee", x, top - icon, icon)

    return stack.block(min_height=icon, extra=[pict])


@_memo
def header_block(content: FlyerContent, width: float, st: Style) -> Block:
    stack = _Stack()
    stack.text(wrap(content.location_name, st.name, width, bold=True, max_lines=2), st.name, 0, width)
    stack.space(2)
    stack.text(wrap(content.week_label, st.week, width, bold=True, max_lines=2), st.week, 0, width)
    if content.phrases2 and content.week_label2:
        stack.text(wrap(content.week_label2, st.body + 2, width, max_lines=2), st.body + 2, 0, width)
    for label, value in ((content.phrases.where, content.address), (content.phrases.opening, content.opening_hours)):
        stack.labelled(label, value, 0, width, st.body, st.body, True, False)
    if content.banner:
        stack.space(6)
        size, pad = st.body + 2, 6
        lines = wrap(content.banner, size, width - 2 * pad, bold=True, max_lines=2)
        if content.phrases2 and content.banner2:
            lines += wrap(content.banner2, size, width - 2 * pad, bold=True, max_lines=2)
        top_y = stack.y
        height = len(lines) * size * 1.3 + 2 * pad

        def banner(c, x, top):
            c.setFillColorRGB(0, 0, 0)
            c.rect(x, top - top_y - height, width, height, stroke=0, fill=1)
            for i, line in enumerate(lines):
                draw_line(c, line, x + pad, top - top_y - pad - i * size * 1.3 - size * 1.02, size,
                          width - 2 * pad, color=(1, 1, 1))

        stack.ops.append(banner)
        stack.y += height
    stack.space(10)
    return stack.block()


@_memo
def continued_header_block(content: FlyerContent, width: float, st: Style) -> Block:
    stack = _Stack()
    text = f"{content.location_name} — {content.week_label}"
    stack.text(wrap(text, st.week, width, bold=True, max_lines=2), st.week, 0, width)
    stack.space(10)
    return stack.block()


@_memo
def footer_block(content: FlyerContent, width: float, st: Style) -> Block:
    """Contact person (photo, name, phone, WhatsApp) at the left, QR code at the right."""
    ph, ph2 = content.phrases, content.phrases2
    quiet = 4 * st.qr / len(_qr_matrix(content.agenda_url))  # the standard four-module quiet zone
    qr_box = st.qr + 2 * quiet
    photo_w, photo_h = st.photo_w, st.photo_w * 1.25
    text_x = photo_w + 10 if content.contact else 0
    # The scan caption sits beside the QR when there is room (A4), else under the contact lines.
    caption_w = min(112.0, width - text_x - 180 - qr_box)
    beside = caption_w >= 100
    contact_w = width - text_x - qr_box - (caption_w + 18 if beside else 8)

    stack = _Stack()
    contact = content.contact
    if contact:
        stack.text(wrap(ph.contact, st.body, contact_w, max_lines=2), st.body, text_x, contact_w)
        if ph2:
            stack.text(wrap(ph2.contact, st.body, contact_w, max_lines=2), st.body, text_x, contact_w)
        stack.text(wrap(contact.name, st.title + 2, contact_w, bold=True, max_lines=1), st.title + 2, text_x, contact_w)
        for label, number in ((ph.phone, contact.phone), (ph.whatsapp, contact.whatsapp)):
            stack.labelled(label, number, text_x, contact_w, st.body, st.title, False, True)
    photo = _photo(contact.photo) if contact else None

    caption = _Stack() if beside else stack
    cap_x, cap_w = (0, caption_w) if beside else (text_x, contact_w)
    if not beside and contact:
        caption.space(6)
    caption.text(wrap(ph.scan + ("" if beside else " →"), st.body, cap_w, bold=True, max_lines=4), st.body,
                 cap_x, cap_w)
    if ph2:
        caption.text(wrap(ph2.scan, st.body, cap_w, max_lines=4), st.body, cap_x, cap_w)

    height = max(stack.y, caption.y, photo_h if contact else 0, qr_box) + 12

    def draw(c, x, top):
        c.setLineWidth(1.5)
        c.setStrokeColorRGB(0, 0, 0)
        c.line(x, top, x + width, top)
        inner = top - 12
        if contact:
            if photo is not None:
                c.drawImage(ImageReader(io.BytesIO(photo)), x, inner - photo_h, photo_w, photo_h)
            else:
                _draw_placeholder(c, x, inner - photo_h, photo_w, photo_h)
        for op in stack.ops:
            op(c, x, inner)
        qr_left = x + width - qr_box
        _draw_qr(c, content.agenda_url, qr_left + quiet, inner - quiet - st.qr, st.qr)
        if beside:
            for op in caption.ops:
                op(c, qr_left - caption_w - 6, inner)

    return Block(height, draw)


# ---------------------------------------------------------------- pagination


@dataclass
class Page:
    placed: list[tuple[float, float, Block]] = field(default_factory=list)  # (x, y offset, block)
    items: int = 0


def paginate(content: FlyerContent, size: tuple[float, float], st: Style, columns: int,
             reserve_more: bool, max_pages: int = 0) -> list[Page]:
    """Fill columns top to bottom, then the next page; at most ten activities per page, a day
    heading never alone at the bottom and repeated at the top of a column when a day continues."""
    page_w, page_h = size
    width = page_w - 2 * st.margin
    col_gap = 18
    col_w = (width - (columns - 1) * col_gap) / columns
    footer = footer_block(content, width, st).height
    more = st.body * 1.6 if reserve_more else 0
    first_h = page_h - 2 * st.margin - header_block(content, width, st).height - footer - more
    # The contact person and QR code are on the first page only: later pages are its back.
    next_h = page_h - 2 * st.margin - continued_header_block(content, width, st).height - more
    pages = [Page()]
    col, y = 0, 0.0

    def body_h() -> float:
        return first_h if len(pages) == 1 else next_h

    def next_column() -> None:
        nonlocal col, y
        col, y = col + 1, 0.0
        if col == columns:
            pages.append(Page())
            col = 0

    if not content.item_count:
        pages[0].placed.append((0, 0, empty_block(content, width, st)))
        return pages
    for day in content.days:
        if not day.items:
            continue
        heading = day_block(day, col_w, st)
        blocks = [item_block(item, col_w, st, content.phrases, content.phrases2) for item in day.items]
        need_heading = True
        for block in blocks:
            if max_pages and len(pages) > max_pages:
                return pages  # this layout has already failed; no need to finish it
            if pages[-1].items >= MAX_PICTOGRAMS_PER_PAGE:
                pages.append(Page())
                col, y = 0, 0.0
                need_heading = True
            wanted = block.height + (heading.height if need_heading else 0)
            if y > 0 and y + wanted > body_h():
                next_column()
                need_heading = True
                if pages[-1].items >= MAX_PICTOGRAMS_PER_PAGE:
                    pages.append(Page())
                    col, y = 0, 0.0
            x = col * (col_w + col_gap)
            if need_heading:
                pages[-1].placed.append((x, y, heading))
                y += heading.height
                need_heading = False
            pages[-1].placed.append((x, y, block))
            pages[-1].items += 1
            y += block.height
    return pages


def _fits(pages: list[Page], content: FlyerContent, size, st: Style) -> bool:
    width = size[0] - 2 * st.margin
    footer = footer_block(content, width, st).height
    first_h = size[1] - 2 * st.margin - header_block(content, width, st).height - footer
    return len(pages) == 1 and all(y + b.height <= first_h + 0.01 for _, y, b in pages[0].placed)


def plan(content: FlyerContent, fmt: str) -> tuple[tuple[float, float], Style, list[Page], bool]:
    """Choose the most generous layout that fits one page; else the fewest pages."""
    if fmt == "A5":
        size, tries = A5, [(A5_NORMAL, 1), (A5_COMPACT, 1)]
    else:  # A3 is the A4 flyer enlarged: a poster that reads from across the room
        size, tries = A4, [(NORMAL, 1), (NORMAL, 2), (COMPACT, 2)]
    for st, columns in tries:
        pages = paginate(content, size, st, columns, reserve_more=False, max_pages=1)
        if _fits(pages, content, size, st):
            return size, st, pages, False
    best = None
    for st, columns in tries:
        pages = paginate(content, size, st, columns, reserve_more=True)
        if best is None or len(pages) < len(best[2]):
            best = (size, st, pages, True)
    return best


# ---------------------------------------------------------------- drawing


def _draw_page(c: Canvas, content: FlyerContent, size, st: Style, pages: list[Page], index: int,
               more: bool) -> None:
    page_w, page_h = size
    width = page_w - 2 * st.margin
    left, top = st.margin, page_h - st.margin
    header = header_block(content, width, st) if index == 0 else continued_header_block(content, width, st)
    header.draw(c, left, top)
    body_top = top - header.height
    for x, y, block in pages[index].placed:
        block.draw(c, left + x, body_top - y)
    footer_h = 0.0
    if index == 0:
        footer = footer_block(content, width, st)
        footer.draw(c, left, st.margin + footer.height)
        footer_h = footer.height
    if more and index < len(pages) - 1:
        phrase = content.phrases.more + " →"
        line = wrap(phrase, st.body, width, bold=True, max_lines=1)
        if line:
            draw_line(c, line[0], left, st.margin + footer_h + st.body * 0.5, st.body, width, align="right")


def _cut_marks(c: Canvas, sheet_w: float, sheet_h: float) -> None:
    """Marks in the white margin where the A4 sheet is cut into two A5 flyers."""
    c.setLineWidth(0.5)
    c.setStrokeColorRGB(0, 0, 0)
    mid, mark = sheet_w / 2, 6 * MM
    c.line(mid, 0, mid, mark)
    c.line(mid, sheet_h - mark, mid, sheet_h)


def render_flyer(content: FlyerContent, fmt: str = "A4", copies: int = 1) -> bytes:
    """The flyer as PDF bytes. A4: one flyer per page. A5: two flyers on each A4 sheet, with cut
    marks. A3: the A4 flyer enlarged to a poster. `copies` is the number of flyers (A5: rounded up to
    fill the last sheet); a flyer that needs two pages repeats both for every copy."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be 1 to {MAX_COPIES}")
    size, st, pages, more = plan(content, fmt)
    out = io.BytesIO()
    sheet = {"A4": A4, "A5": landscape(A4), "A3": A3}[fmt]
    c = Canvas(out, pagesize=sheet, pageCompression=1, lang="nl")
    c.setTitle(clean(f"{content.location_name} — {content.week_label}"))
    c.setCreator("BOP")
    categories = {item.category for day in content.days for item in day.items} | {"coffee"}
    _define_pictograms(c, categories)
    for index in range(len(pages)):
        c.beginForm(f"flyer-{index}", 0, 0, size[0], size[1])
        _draw_page(c, content, size, st, pages, index, more)
        c.endForm()
    if fmt == "A5":
        # Both halves of a sheet carry the same page, so duplex printing needs no imposition.
        for index in range(len(pages)):
            c.beginForm(f"sheet-{index}", 0, 0, sheet[0], sheet[1])
            for x in (0, sheet[0] / 2):
                c.saveState()
                c.translate(x + (sheet[0] / 2 - size[0]) / 2, (sheet[1] - size[1]) / 2)
                c.doForm(f"flyer-{index}")
                c.restoreState()
            _cut_marks(c, *sheet)
            c.endForm()
        for _ in range(math.ceil(copies / 2)):
            for index in range(len(pages)):
                c.doForm(f"sheet-{index}")
                c.showPage()
    else:
        scale = sheet[0] / size[0]
        for _ in range(copies):
            for index in range(len(pages)):
                if scale != 1:
                    c.scale(scale, scale)
                c.doForm(f"flyer-{index}")
                c.showPage()
    c.save()
    return out.getvalue()


def page_count(content: FlyerContent, fmt: str = "A4") -> int:
    """Pages of one flyer (the staff page says "2 pagina's: print dubbelzijdig")."""
    return len(plan(content, fmt)[2])
