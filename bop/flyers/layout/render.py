"""Pagination (one column, two columns, more pages) and the PDF itself: every flyer page drawn
once as a form XObject and placed for every copy; A5 two-up on A4 with cut marks; A3 enlarged."""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A3, A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from ...printing.kit import clean, draw_line
from ...printing.text import wrap
from .blocks import (
    A5_COMPACT,
    A5_NORMAL,
    A5_TIGHT,
    COMPACT,
    MM,
    NORMAL,
    Block,
    Style,
    continued_header_block,
    day_block,
    empty_block,
    footer_block,
    header_block,
    item_block,
)
from .content import FlyerContent
from .pictures import define_pictograms

FORMATS = ("A4", "A5", "A3")
MAX_COPIES = 500
MAX_PICTOGRAMS_PER_PAGE = 10  # Pharos: more pictures than this on one page stop helping


@dataclass
class Page:
    placed: list[tuple[float, float, Block]] = field(default_factory=list)  # (x, y offset, block)
    items: int = 0
    overflow: bool = False     # a block taller than the whole body runs into what is below it


def paginate(content: FlyerContent, size: tuple[float, float], st: Style, columns: int,
             reserve_more: bool, max_pages: int = 0) -> list[Page]:
    """Fill columns top to bottom, then the next page; at most ten activities per page, a day
    heading never alone at the bottom and repeated at the top of a column when a day continues."""
    page_w, page_h = size
    width = page_w - 2 * st.margin
    col_gap = 18
    col_w = (width - (columns - 1) * col_gap) / columns
    footer = footer_block(content, width, st).height
    more = _more_height(content, st) if reserve_more else 0
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
            pages[-1].overflow |= y > body_h() + 0.01
    return pages


def _fits(pages: list[Page], content: FlyerContent, size, st: Style) -> bool:
    width = size[0] - 2 * st.margin
    footer = footer_block(content, width, st).height
    first_h = size[1] - 2 * st.margin - header_block(content, width, st).height - footer
    return len(pages) == 1 and all(y + b.height <= first_h + 0.01 for _, y, b in pages[0].placed)


def _layouts(fmt: str) -> tuple[tuple[float, float], list[tuple[Style, int]], list[tuple[Style, int]]]:
    """The paper size, the layouts to try from the most generous down, and the tighter last resort."""
    if fmt == "A5":
        return A5, [(A5_NORMAL, 1), (A5_COMPACT, 1)], [(A5_TIGHT, 1)]
    # A3 is the A4 flyer enlarged: a poster that reads from across the room. Compact in one column
    # before compact in two: in one column the price sits under the time and costs no line.
    return A4, [(NORMAL, 1), (NORMAL, 2), (COMPACT, 1), (COMPACT, 2)], []


def _one_page(content: FlyerContent, fmt: str) -> tuple[Style, list[Page]] | None:
    size, tries, _tighter = _layouts(fmt)
    for st, columns in tries:
        pages = paginate(content, size, st, columns, reserve_more=False, max_pages=1)
        if _fits(pages, content, size, st):
            return st, pages
    return None


def _without_own_reassurance(content: FlyerContent) -> FlyerContent:
    days = tuple(replace(day, items=tuple(replace(item, threshold="", threshold2="") for item in day.items))
                 for day in content.days)
    return replace(content, days=days)


def plan(content: FlyerContent, fmt: str) -> tuple[FlyerContent, tuple[float, float], Style, list[Page], bool]:
    """Choose the most generous layout that fits one page; else the fewest pages, with nothing
    running into the "see the next page" note or the footer.

    A week that fits one page only without the activities' own reassurance lines is printed without
    them (the banner still carries the line most activities share): a second sheet for a line or
    two costs a volunteer's round more than the line is worth. Returns the content as printed."""
    size, tries, tighter = _layouts(fmt)
    one = _one_page(content, fmt)
    if one is None and any(item.threshold or item.threshold2 for day in content.days for item in day.items):
        shorter = _without_own_reassurance(content)
        one = _one_page(shorter, fmt)
        if one is not None:
            content = shorter
    if one is not None:
        return content, size, one[0], one[1], False

    def overflows(pages: list[Page]) -> bool:
        return any(page.overflow for page in pages)

    layouts = [(st, paginate(content, size, st, columns, reserve_more=True)) for st, columns in tries]
    if all(overflows(pages) for _, pages in layouts):
        layouts += [(st, paginate(content, size, st, columns, reserve_more=True)) for st, columns in tighter]
    st, pages = min(layouts, key=lambda layout: (overflows(layout[1]), len(layout[1])))  # the first of equals
    return content, size, st, pages, True


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
        # "Kijk ook op de volgende bladzijde", at the bottom right, in both languages.
        y = st.margin + footer_h + st.body * 0.5
        for phrases, bold in ((content.phrases2, False), (content.phrases, True)):
            if phrases:
                for line in wrap(phrases.more, st.body, width, bold=bold, max_lines=1):
                    draw_line(c, line, left, y, st.body, width, align="right")
                y += st.body * 1.3


def _more_height(content: FlyerContent, st: Style) -> float:
    return st.body * (1.6 + (1.3 if content.phrases2 else 0))


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
    content, size, st, pages, more = plan(content, fmt)
    out = io.BytesIO()
    sheet = {"A4": A4, "A5": landscape(A4), "A3": A3}[fmt]
    c = Canvas(out, pagesize=sheet, pageCompression=1, lang="nl")
    c.setTitle(clean(f"{content.location_name} — {content.week_label}"))
    c.setCreator("BOP")
    categories = {item.category for day in content.days for item in day.items} | {"coffee"}
    define_pictograms(c, categories)
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
    return len(plan(content, fmt)[3])
