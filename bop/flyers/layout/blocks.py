"""The flyer's parts as measured blocks: one activity, a day heading, the header, the footer
with the contact person and QR code. Each knows its height before it is drawn, so pagination
can place it without ever running off the page."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ...printing.kit import NBSP, Line, clean, draw_line, draw_qr, memo, qr_matrix, shape
from ...printing.text import wrap
from .content import FlyerContent, FlyerDay, FlyerItem, Phrases
from .pictures import draw_pictogram, draw_placeholder, photo_jpeg

MM = 72 / 25.4


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
    banner: float = 16


NORMAL = Style(margin=15 * MM)
COMPACT = Style(margin=15 * MM, day=16, time=15, title=15, icon=30, gap=8, item_space=6, time_col=104)
A5_NORMAL = Style(margin=10 * MM, name=22, week=16, day=16, time=15, title=15, icon=32, gap=8,
                  item_space=8, time_col=104, qr=25 * MM, photo_w=60)
A5_COMPACT = Style(margin=10 * MM, name=20, week=15, day=15, time=14, title=14, icon=26, gap=6,
                   item_space=5, time_col=96, qr=25 * MM, photo_w=56)
# Only when not even the first activity fits under the header of the others (a bilingual week).
A5_TIGHT = Style(margin=10 * MM, name=18, week=14, day=14, time=14, title=14, icon=24, gap=6,
                 item_space=4, time_col=96, qr=25 * MM, photo_w=56, banner=14)


Draw = Callable[[Canvas, float, float], None]  # (canvas, left x, top y)
LEADING = 1.3  # line height as a multiple of the font size: airy, as Makkelijk Lezen asks
SUMMARY_LINES = 8  # room for a whole summary (160 characters) even in the narrow column
REASSURANCE_LINES = 10  # and for a whole reassurance line (200 characters) after it


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
             align: str = "auto") -> None:
        lead = size * LEADING
        for line in lines:
            baseline = self.y + size * 1.02

            def op(c, x, top, line=line, baseline=baseline):
                left = draw_line(c, line, x + dx, top - baseline, size, width, align)
                if strike:
                    c.setLineWidth(max(1.2, size / 10))
                    c.line(left, top - baseline + size * 0.3, left + line.width(size), top - baseline + size * 0.3)

            self.ops.append(op)
            self.y += lead

    def tags(self, texts: list[str], size: float, dx: float, width: float, filled: bool) -> None:
        """Boxed phrases: white on black for "cancelled", outlined for "moved". A translation
        shares the row when both fit, right-aligned if it is right-to-left."""
        pad, lead = 3, size * LEADING
        boxes = [wrap(text, size, width - 10, bold=True, max_lines=4) for text in texts if clean(text)]
        widths = [max(ln.width(size) for ln in lines) + 10 for lines in boxes]
        one_row = len(boxes) == 2 and len(boxes[0]) == len(boxes[1]) == 1 and sum(widths) + 12 <= width
        placed = []  # (lines, box width, left offset, top offset)
        y = self.y + 2
        for i, (lines, box_w) in enumerate(zip(boxes, widths, strict=True)):
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
            self.y += size * LEADING
        else:
            self.text([label_line], label_size, dx, width)
            self.text(value_lines, value_size, dx, width)

    def pair(self, first: list[Line], first_size: float, second: list[Line], second_size: float, dx: float,
             width: float) -> None:
        """A line and its translation: on one baseline with the translation at the right when both
        fit, else one under the other."""
        beside = (len(first) == len(second) == 1
                  and first[0].width(first_size) + second[0].width(second_size) + 20 <= width)
        baseline = self.y + first_size * 1.02
        self.text(first, first_size, dx, width)
        if beside:
            def op(c, x, top, line=second[0]):
                draw_line(c, line, x + dx, top - baseline, second_size, width, align="right")

            self.ops.append(op)
        else:
            self.text(second, second_size, dx, width)

    def space(self, h: float) -> None:
        self.y += h

    def block(self, min_height: float = 0, items: int = 0, extra: list[Draw] = ()) -> Block:
        ops = list(extra) + self.ops

        def draw(c, x, top):
            for op in ops:
                op(c, x, top)

        return Block(max(self.y, min_height), draw, items)


@memo
def item_block(item: FlyerItem, width: float, st: Style, ph: Phrases, ph2: Phrases | None) -> Block:
    text_x = st.icon + st.gap
    text_w = width - text_x
    time_text = f"{item.start}{NBSP}–{NBSP}{item.end}" if item.end else item.start
    # The price, or "Gratis" for a free activity (with its translation on a bilingual flyer).
    price = item.price or ph.free
    free2 = ph2.free if ph2 and not item.price and ph2.free != ph.free else ""
    stack = _Stack()
    wide = text_w >= 300
    if wide:  # wide column: time and price beside the title, like a timetable
        title_x, title_w = text_x + st.time_col, text_w - st.time_col
        time_w = st.time_col - 6
        stack.text(wrap(time_text, st.time, time_w, bold=True, max_lines=1), st.time, text_x,
                   st.time_col, strike=item.cancelled)
        stack.text(wrap(price, st.body, time_w, bold=True, max_lines=1), st.body, text_x, time_w)
        stack.text(wrap(free2, st.body, time_w, bold=True, max_lines=1), st.body, text_x, time_w, align="left")
        time_h, stack.y = stack.y, 0
        stack.text(wrap(item.title, st.title, title_w, bold=True), st.title, title_x, title_w, strike=item.cancelled)
    else:  # narrow column: the title runs on after the time, both bold, saving a line
        title_x, title_w = text_x, text_w
        stack.text(wrap(f"{time_text}  {item.title}", st.title, text_w, bold=True, max_lines=3), st.title, text_x,
                   text_w, strike=item.cancelled)
    if item.cancelled:
        tag = ph.cancelled + (f": {item.reason}" if clean(item.reason) else "")
        stack.tags([tag] + ([ph2.cancelled] if ph2 else []), st.body, title_x, title_w, filled=True)
    elif item.moved:
        stack.tags([item.moved_note or ph.moved] + ([item.moved_note2 or ph2.moved] if ph2 else []),
                   st.body, title_x, title_w, filled=False)
    # A summary is printed whole (at most 160 characters), never cut off mid-sentence; so is the
    # reassurance line after it ("Wie eerst komt, is eerst aan de beurt."), in the same paragraph to
    # save lines, except on a date that does not take place.
    stack.text(_paragraph(item.summary, item.threshold, item.cancelled, st.body, title_w), st.body, title_x, title_w)
    if not wide:  # under the summary, the translation at the right when it fits
        stack.pair(wrap(price, st.body, title_w, bold=True, max_lines=1), st.body,
                   wrap(free2, st.body, title_w, bold=True, max_lines=1), st.body, title_x, title_w)
    if ph2 and item.title2:
        stack.space(2)
        stack.text(wrap(item.title2, st.body, title_w, bold=True, max_lines=2), st.body, title_x, title_w)
        stack.text(_paragraph(item.summary2, item.threshold2, item.cancelled, st.body, title_w), st.body, title_x,
                   title_w)
    if wide:
        stack.y = max(stack.y, time_h)

    def icon(c, x, top):
        draw_pictogram(c, item.category, x, top - st.icon, st.icon)

    block = stack.block(min_height=st.icon, items=1, extra=[icon])
    block.height += st.item_space
    return block


def _paragraph(summary: str, reassurance: str, cancelled: bool, size: float, width: float) -> list[Line]:
    """The summary and, after it, the reassurance line: two sentences, so a summary typed without a
    full stop gets one ("Koffie en een praatje. Kom gerust alleen.")."""
    summary, reassurance = clean(summary), "" if cancelled else clean(reassurance)
    if summary and reassurance and summary[-1] not in ".!?؟…:":
        summary += "."
    text = " ".join(filter(None, [summary, reassurance]))
    return wrap(text, size, width, max_lines=SUMMARY_LINES + REASSURANCE_LINES)


@memo
def day_block(day: FlyerDay, width: float, st: Style) -> Block:
    stack = _Stack()
    label = wrap(day.label, st.day, width, bold=True, max_lines=2)  # "Maandag, dinsdag en donderdag"
    label2 = wrap(day.label2, st.body, width, max_lines=2) if day.label2 else []
    stack.pair(label, st.day, label2, st.body, 0, width)
    rule_y = stack.y + 1

    def rule(c, x, top):
        c.setLineWidth(1.5)
        c.setStrokeColorRGB(0, 0, 0)
        c.line(x, top - rule_y, x + width, top - rule_y)

    stack.ops.append(rule)
    stack.y += 8
    return stack.block()


@memo
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
        draw_pictogram(c, "coffee", x, top - icon, icon)

    return stack.block(min_height=icon, extra=[pict])


@memo
def header_block(content: FlyerContent, width: float, st: Style) -> Block:
    stack = _Stack()
    stack.text(wrap(content.location_name, st.name, width, bold=True, max_lines=2), st.name, 0, width)
    stack.space(2)
    stack.text(wrap(content.week_label, st.week, width, bold=True, max_lines=2), st.week, 0, width)
    if content.phrases2 and content.week_label2:
        size = min(st.week, st.body + 2)  # never larger than the Dutch
        stack.text(wrap(content.week_label2, size, width, max_lines=2), size, 0, width)
    for label, value in ((content.phrases.where, content.address), (content.phrases.opening, content.opening_hours)):
        stack.labelled(label, value, 0, width, st.body, st.body, True, False)
    if content.banner:
        stack.space(6)
        size, pad = st.banner, 6
        # The reassurance line most activities share ("Geen ervaring nodig.") is said once, in the
        # banner, on a line of its own after the banner's two sentences, and never cut short.
        lines = _sentence_lines(content.banner, size, width - 2 * pad)
        lines += wrap(content.reassurance, size, width - 2 * pad, bold=True, max_lines=REASSURANCE_LINES)
        if content.phrases2 and content.banner2:
            lines += _sentence_lines(content.banner2, size, width - 2 * pad)
            lines += wrap(content.reassurance2, size, width - 2 * pad, bold=True, max_lines=REASSURANCE_LINES)
        top_y = stack.y
        height = len(lines) * size * LEADING + 2 * pad

        def banner(c, x, top):
            c.setFillColorRGB(0, 0, 0)
            c.rect(x, top - top_y - height, width, height, stroke=0, fill=1)
            for i, line in enumerate(lines):
                draw_line(c, line, x + pad, top - top_y - pad - i * size * LEADING - size * 1.02, size,
                          width - 2 * pad, color=(1, 1, 1))

        stack.ops.append(banner)
        stack.y += height
    stack.space(10)
    return stack.block()


_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def _sentence_lines(text: str, size: float, width: float) -> list[Line]:
    """A short bold message in at most two lines. When it needs two, each sentence starts a line
    of its own (Makkelijk Lezen), unless that takes more lines than breaking anywhere."""
    whole = wrap(text, size, width, bold=True, max_lines=2)
    if len(whole) < 2:
        return whole
    split = [line for sentence in _SENTENCE_END.split(clean(text))
             for line in wrap(sentence, size, width, bold=True, max_lines=2)]
    return split if len(split) <= len(whole) else whole


@memo
def continued_header_block(content: FlyerContent, width: float, st: Style) -> Block:
    """The running head of a later page: one line, so the programme gets the room."""
    stack = _Stack()
    text = f"{content.location_name} — {content.week_short or content.week_label}"
    size = st.body + 2
    stack.text(wrap(text, size, width, bold=True, max_lines=2), size, 0, width)
    stack.space(8)
    return stack.block()


@memo
def footer_block(content: FlyerContent, width: float, st: Style) -> Block:
    """Contact person (photo, name, phone, WhatsApp) at the left, QR code at the right."""
    ph, ph2 = content.phrases, content.phrases2
    quiet = 4 * st.qr / len(qr_matrix(content.agenda_url))  # the standard four-module quiet zone
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
    photo = photo_jpeg(contact.photo) if contact else None

    caption = _Stack() if beside else stack
    cap_x, cap_w = (0, caption_w) if beside else (text_x, contact_w)
    if not beside and contact:
        caption.space(6)
    caption.text(wrap(ph.scan, st.body, cap_w, bold=True, max_lines=4), st.body, cap_x, cap_w)
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
                draw_placeholder(c, x, inner - photo_h, photo_w, photo_h)
        for op in stack.ops:
            op(c, x, inner)
        qr_left = x + width - qr_box
        draw_qr(c, content.agenda_url, qr_left + quiet, inner - quiet - st.qr, st.qr)
        if beside:
            for op in caption.ops:
                op(c, qr_left - caption_w - 6, inner)

    return Block(height, draw)
