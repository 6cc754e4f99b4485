"""The trend chart: one reportlab Drawing, rendered to SVG for the page and drawn into the PDF.

Why reportlab's own charts: reportlab is already how BOP prints (flyers, cards, posters), so no new
dependency; the very same Drawing object becomes SVG for the screen (`renderSVG`) and vector
operators in the funder PDF (`renderPDF`), so the page and the paper show the same bars; and it
needs no JavaScript (the page serves the SVG as an image, so a strict CSP holds; a JS library like
Chart.js would need scripts, and matplotlib would add a large dependency for a bar chart).
The chart is a plain bar chart with the number above each bar: it reads in black and white too.

Pure code: labels and numbers in, a Drawing or SVG text out.
"""
from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor

BAR = HexColor("#2a6f97")
INK = HexColor("#1d2b36")


def trend_chart(labels: list[str], values: list[int], *, width: float = 480, height: float = 220,
                title: str = "", font_size: float = 8, max_labels: int = 12) -> Drawing:
    """Bars for visits per week or month, with each number above its bar.

    The page draws it narrow with large type (it is scaled down to a phone's width); the PDF wide
    with small type (it is printed at its size)."""
    drawing = Drawing(width, height)
    top = 22 if title else 6
    chart = VerticalBarChart()
    chart.x, chart.y = 4 + font_size * 3.5, 10 + font_size * 2.5
    chart.width, chart.height = width - chart.x - 6, height - chart.y - top - font_size * 1.8
    chart.data = [list(values) or [0]]
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 4 if len(values) < 20 else 1
    chart.valueAxis.valueMin = 0
    peak = max(values, default=0)
    chart.valueAxis.valueMax = max(peak * 1.15, 5)
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = font_size
    chart.valueAxis.strokeColor = INK
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#d6dde3")
    every = max(1, -(-len(labels) // max_labels))   # at most `max_labels` labels along the bottom
    chart.categoryAxis.categoryNames = [label if i % every == 0 else "" for i, label in enumerate(labels)] or [""]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.dy = -font_size * 0.3
    chart.categoryAxis.strokeColor = INK
    if len(values) <= (26 if font_size <= 8 else 16):
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = "Helvetica"
        chart.barLabels.fontSize = font_size
        chart.barLabels.nudge = font_size * 0.8
    drawing.add(chart)
    if title:
        drawing.add(String(chart.x, height - 14, title, fontName="Helvetica-Bold", fontSize=10, fillColor=INK))
    return drawing


def trend_svg(labels: list[str], values: list[int], *, title: str = "") -> str:
    """For the page: 360 wide with 12-point type, so it still reads at a phone's 330 pixels."""
    return renderSVG.drawToString(trend_chart(labels, values, width=360, height=240, title=title, font_size=12,
                                              max_labels=7 if len(values) > 26 else 8))
