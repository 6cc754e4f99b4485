"""Pictures on the flyer: the website's pictograms, the contact person's photo (or a neutral
placeholder) and the QR code, all drawn as vectors or one small JPEG."""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageOps
from reportlab.graphics import renderPDF
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

from .text import memo

PICTOGRAM_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "pictograms"
_PICT_UNIT = 100.0  # pictogram forms are drawn in a 100-unit box and scaled where placed


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


def draw_pictogram(c: Canvas, category: str, x: float, y: float, size: float) -> None:
    name = f"pict-{category}"
    c.saveState()
    c.translate(x, y)
    c.scale(size / _PICT_UNIT, size / _PICT_UNIT)
    c.doForm(name)
    c.restoreState()


_PICTOGRAM_CODE: dict[str, list[str]] = {}


def define_pictograms(c: Canvas, categories: set[str]) -> None:
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


@memo(size=8)
def photo_jpeg(data: bytes | None) -> bytes | None:
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


def draw_placeholder(c: Canvas, x: float, y: float, w: float, h: float) -> None:
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


@memo(size=16)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Vector QR code, `size` wide without the quiet zone (the caller keeps 4 modules free)."""
    matrix = qr_matrix(url)
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
