"""Pictures on the flyer: the website's pictograms in pure black, and the contact person's photo
(or a neutral placeholder). The pictogram forms and the QR code come from `bop.pdf_kit`."""
from __future__ import annotations

import io

from PIL import Image, ImageOps
from reportlab.pdfgen.canvas import Canvas

from ...paths import PICTOGRAMS as PICTOGRAM_DIR
from ...printing.kit import define_pictogram, memo, place_pictogram


def define_pictograms(c: Canvas, categories: set[str]) -> None:
    """One form XObject per category's pictogram, made pure black so it survives a photocopier;
    an unknown category gets the "other" pictogram."""
    for category in sorted(categories):
        path = PICTOGRAM_DIR / f"{category}.svg"
        define_pictogram(c, f"pict-{category}", path if path.exists() else PICTOGRAM_DIR / "other.svg",
                         pure_black=True)


def draw_pictogram(c: Canvas, category: str, x: float, y: float, size: float) -> None:
    place_pictogram(c, f"pict-{category}", x, y, size)


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
