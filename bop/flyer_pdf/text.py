"""Fonts and text: the shipped Noto fonts, cleaning (no tofu boxes), Arabic shaping and
right-to-left reordering, word wrap and drawing of one line in runs of Latin and Arabic glyphs."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
NBSP = "\u00a0"


_CACHED: list = []


def memo(function=None, *, size: int = 256):
    """Remember results of a pure function of frozen values. Blocks are measured again for every
    layout tried, so the same item in the same column width is built once; shaped text, QR codes
    and photos are reused between requests."""
    if function is None:
        return lambda f: memo(f, size=size)
    cached = lru_cache(maxsize=size)(function)
    _CACHED.append(cached)
    return cached


def clear_caches() -> None:
    """Forget everything but the loaded fonts and pictograms (for honest benchmarks)."""
    for cached in _CACHED:
        cached.cache_clear()



_FONT_FILES = {
    ("latin", False): ("BOPSans", "NotoSans-Regular.ttf"),
    ("latin", True): ("BOPSans-Bold", "NotoSans-Bold.ttf"),
    ("arabic", False): ("BOPArabic", "NotoSansArabic-Regular.ttf"),
    ("arabic", True): ("BOPArabic-Bold", "NotoSansArabic-Bold.ttf"),
}


@cache
def font(script: str, bold: bool) -> tuple[str, frozenset[int]]:
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
    """Shape Arabic, reorder right-to-left runs for display and split into per-font runs."""
    if not _has_arabic(text):
        name, _ = font("latin", bold)
        return Line(((False, text),), pdfmetrics.stringWidth(text, name, 1), False, bold)
    visual = get_display(_reshaper().reshape(text))
    latin_name, latin = font("latin", bold)
    arabic_name, _ = font("arabic", bold)
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


@memo(size=4096)
def _word_width(word: str, bold: bool) -> float:
    return pdfmetrics.stringWidth(word, font("latin", bold)[0], 1)


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
    if len(lines) > 1 and len(lines[-1]) <= 6 and " " in lines[-2]:
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
        name, _ = font("arabic" if arabic else "latin", line.bold)
        c.setFont(name, size)
        c.drawString(cursor, y, text)
        cursor += pdfmetrics.stringWidth(text, name, size)
    return x
