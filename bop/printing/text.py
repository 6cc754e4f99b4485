"""Word wrap for every printed document: at most a few lines, an ellipsis rather than running off
the page, no lonely last word; and `fit_lines`, which shrinks the type before it cuts anything.
Fonts, cleaning, Arabic shaping and drawing a line come from `kit`."""
from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from .kit import Line, clean, font, has_arabic, memo, shape


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
    if has_arabic(text):
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


def fit_lines(text: str, size: float, smallest: float, width: float, *, bold: bool = False,
              max_lines: int = 2) -> tuple[float, list[Line]]:
    """`text` in at most `max_lines` lines at the largest size from `size` down to `smallest`
    (in half points); only what does not fit even at `smallest` ends in an ellipsis. For names on
    cards and posters: a long name is printed smaller rather than cut."""
    current = size
    while True:
        lines = wrap(text, current, width, bold, max_lines=max_lines)
        cut = bool(lines) and lines[-1].runs[-1][1].endswith("…")
        if not cut or current <= smallest:
            return current, lines
        current = max(smallest, current - 0.5)
