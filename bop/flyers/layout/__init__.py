"""The weekly flyer as a PDF: pure layout with reportlab, no Flask and no database.

The Flask layer (`bop/flyers.py`) turns the agenda's occurrences into plain `FlyerContent`, with
every fixed phrase already translated; this package only places things on paper.

Readability follows Makkelijk Lezen and Pharos: body text 14 pt or more, headings larger,
left-aligned, times as digits, bold never italics, black on white (photocopies well), the website's
pictogram per activity and at most ten of them on a page. Every activity shows its price or
"Gratis". A week that does not fit on one page first goes to two columns or a more compact layout
and then to a second page; it never runs off the paper.

Copies: each flyer page is drawn once as a form XObject and placed N times, so every extra copy
costs a few dozen bytes and almost no time.

Parts: `content` (the input values), `text` (word wrap), `pictures` (pictograms, photo),
`blocks` (measured parts of a page), `render` (pagination and the PDF). Fonts, Arabic shaping, the
QR code and the pictogram forms are the shared drawing kit, `bop.pdf_kit`.
"""
from ...printing.kit import clear_caches
from .content import Contact, FlyerContent, FlyerDay, FlyerItem, Phrases
from .render import FORMATS, MAX_COPIES, MAX_PICTOGRAMS_PER_PAGE, page_count, render_flyer

__all__ = ["Contact", "FlyerContent", "FlyerDay", "FlyerItem", "Phrases", "FORMATS", "MAX_COPIES",
           "MAX_PICTOGRAMS_PER_PAGE", "page_count", "render_flyer", "clear_caches"]
