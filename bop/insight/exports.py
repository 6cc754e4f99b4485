"""The funder export as CSV, XLSX and PDF: the same suppressed tables in three formats.

Pure code: tables (from `funder.py`), the chart's bars and the highlights in; bytes out.
The PDF uses BOP's own fonts (printing kit) and draws the same chart as the page.
"""
from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from ..printing.kit import font
from .chart import trend_chart
from .funder import LEGEND, Table


def _number(cell: str) -> int | str:
    return int(cell) if cell.isdigit() else cell


def _label(cell: str, style: ParagraphStyle, indented: ParagraphStyle) -> Paragraph:
    """A row's first cell; a label starting with spaces (a part of the line above) is indented."""
    return Paragraph(escape(cell.strip()), indented if cell.startswith(" ") else style)


def to_csv(title: str, tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")   # Dutch Excel opens ;-separated files directly
    writer.writerow([title])
    writer.writerow([LEGEND])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")   # BOM: Excel reads the é of "weekdag" right


def to_xlsx(title: str, tables: list[Table]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Overzicht"
    bold = Font(bold=True)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([LEGEND])
    for table in tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append(table.header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_number(c) if i else c for i, c in enumerate(row)])
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(title: str, subtitle: str, tables: list[Table], chart: tuple[list[str], list[int]],
           highlights: list[tuple[str, str]]) -> bytes:
    """A4 portrait: title, the chart, the highlights (stories), then every table."""
    regular, bold = font("latin")[0], font("latin", True)[0]
    text = ParagraphStyle("text", fontName=regular, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=text, fontSize=8, leading=11, textColor=colors.HexColor("#4a5a66"))
    indented = ParagraphStyle("indented", parent=text, leftIndent=5 * mm)
    heading = ParagraphStyle("h2", parent=text, fontName=bold, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4)
    big = ParagraphStyle("h1", parent=text, fontName=bold, fontSize=18, leading=23)
    story: list = [Paragraph(escape(title), big), Paragraph(escape(subtitle), text), Spacer(1, 4 * mm)]
    labels, values = chart
    story += [Paragraph("Bezoeken in de periode", heading),
              trend_chart(labels, values, width=170 * mm, height=70 * mm), Paragraph(escape(LEGEND), small)]
    if highlights:
        story.append(Paragraph("Uitgelicht", heading))
        for place, story_text in highlights:
            lines = "<br/>".join(escape(line) for line in story_text.splitlines())
            story.append(Paragraph(f"<b>{escape(place)}</b><br/>{lines}" if place else lines, text))
            story.append(Spacer(1, 2 * mm))
    for table in tables:
        data = [table.header, *table.rows]
        grid = PdfTable([[_label(c, text, indented) if i == 0 else c for i, c in enumerate(row)] for row in data],
                        colWidths=[90 * mm] + [40 * mm] * (len(table.header) - 1), repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, -1), regular, 10), ("FONT", (0, 0), (-1, 0), bold, 10),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        if table.rows and table.rows[-1][0] == "Totaal":
            style += [("FONT", (0, -1), (-1, -1), bold, 10), ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)]
        grid.setStyle(style)
        story.append(KeepTogether([Paragraph(escape(table.title), heading), grid]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author="BOP")
    doc.build(story)
    return out.getvalue()
