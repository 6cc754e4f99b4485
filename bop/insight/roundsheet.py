"""The one-page round sheet a volunteer takes on a door-to-door round.

Pure code: plain values in, PDF bytes out (reportlab canvas and the printing kit: BOP's fonts and
its QR code). The sheet names streets and flat complexes, never people; the QR code is the one on
the round's flyers, so a volunteer can show a neighbour the agenda on the spot.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..printing.kit import clean, draw_line, draw_qr, shape


@dataclass(frozen=True)
class RoundSheet:
    bop: str
    day: str                 # "dinsdag 1 december 2026"
    areas: tuple[str, ...]
    flyers: int
    volunteers: tuple[str, ...]
    contact: str             # "Samira el Amrani, 071 512 34 56"
    agenda_url: str


def render_round_sheet(sheet: RoundSheet) -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"Folderronde {sheet.bop} {sheet.day}")
    width, height = A4
    left, y = 20 * mm, height - 25 * mm
    draw_line(c, shape("Folderronde", bold=True), left, y, 26)
    y -= 11 * mm
    draw_line(c, shape(f"{sheet.bop} · {sheet.day}", bold=True), left, y, 15)
    y -= 9 * mm
    draw_line(c, shape(f"Neem {sheet.flyers} folders mee."), left, y, 13)
    y -= 7 * mm
    if sheet.volunteers:
        draw_line(c, shape("Op pad: " + ", ".join(sheet.volunteers)), left, y, 12, width - 2 * left - 45 * mm)
        y -= 7 * mm
    draw_line(c, shape(f"Vragen onderweg? Bel {sheet.contact}"), left, y, 12, width - 2 * left - 45 * mm)
    draw_qr(c, sheet.agenda_url, width - left - 38 * mm, height - 62 * mm, 38 * mm)
    y -= 14 * mm
    draw_line(c, shape("Straten en flats", bold=True), left, y, 14)
    y -= 4 * mm
    box = 6 * mm
    for area in sheet.areas[:24]:
        y -= 10 * mm
        c.setLineWidth(1.2)
        c.rect(left, y - 1.5 * mm, box, box)
        draw_line(c, shape(clean(area)), left + box + 4 * mm, y, 13, width - 2 * left - box - 30 * mm)
        c.setLineWidth(0.4)
        c.line(width - left - 25 * mm, y - 1.5 * mm, width - left, y - 1.5 * mm)
    y -= 14 * mm
    draw_line(c, shape("Vink af wat klaar is. Rechts: hoeveel folders er over zijn."), left, y, 10)
    y -= 6 * mm
    draw_line(c, shape("Schrijf geen namen of adressen van bewoners op dit blad."), left, y, 10)
    c.showPage()
    c.save()
    return out.getvalue()
