"""Benchmark of the weekly flyer, with its baseline measured in the same run.

    python bench/bench_flyer.py [--runs 20]

1. The A4 flyer of the demo BOP (this week's demo programme, built through the app as the PDF
   route builds it) against the simplest reportlab script that draws the same text lines, in the
   same fonts, and the same QR code on an A4 page. Target: at most 2x the baseline.
2. 1 copy against 500 copies (A4 and A5): time and file size. Targets: 500 copies under 2 s, each
   extra copy under 1 KiB.

Times are medians of warm runs (fonts registered and caches filled by a first run, as in a running
server); the first, cold run is printed too.
"""
from __future__ import annotations

import argparse
import io
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qrcode
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from bop import create_app
from bop.accounts.models import Location
from bop.clock import local_today
from bop.extensions import db
from bop.flyers import compose as flyers
from bop.flyers import layout as flyer_pdf
from bop.planning import schedule
from bop.site.demo import load_demo


def demo_content() -> tuple[flyer_pdf.FlyerContent, float, flyer_pdf.FlyerContent]:
    """The demo BOP's flyer content, made by the same code as the PDF route; its build time; and
    the bilingual Dutch-Arabic content."""
    directory = tempfile.mkdtemp(prefix="bop-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite", "SECRET_KEY": secrets.token_hex(32)})
    with app.app_context():
        load_demo()
        db.session.commit()
    with app.test_request_context("/"):
        location = db.session.execute(db.select(Location).filter_by(slug="rijn-en-vliet")).scalar_one()
        monday = schedule.monday_of(local_today())
        started = time.perf_counter()
        content = flyers.flyer_content(location, monday)
        built = time.perf_counter() - started
        arabic = flyers.flyer_content(location, monday, "ar")
    return content, built, arabic


def lines_of(content: flyer_pdf.FlyerContent) -> list[tuple[str, bool, float]]:
    """The flyer's text as (text, bold, size), for the baseline to draw without any layout."""
    lines = [(content.location_name, True, 26), (content.week_label, True, 18),
             (f"Adres: {content.address}", False, 14), (f"Open: {content.opening_hours}", False, 14),
             (content.banner, True, 16)]
    for day in content.days:
        if day.items:
            lines.append((day.label, True, 18))
        for item in day.items:
            lines.append((f"{item.start} – {item.end}  {item.title}", True, 16))
            if item.summary:
                lines.append((item.summary, False, 14))
    if content.contact:
        lines += [(content.phrases.contact, False, 14), (content.contact.name, True, 18),
                  (f"Bel: {content.contact.phone}", True, 16), (f"WhatsApp: {content.contact.whatsapp}", True, 16)]
    lines.append((content.phrases.scan, True, 14))
    return lines


def baseline(content: flyer_pdf.FlyerContent, qr_package: bool = False) -> bytes:
    """The simplest reportlab script: drawString line under line, and reportlab's own QR widget
    (or, as a stricter baseline, the `qrcode` package's matrix drawn as squares)."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    y = A4[1] - 50
    for text, bold, size in lines_of(content):
        c.setFont("BOPSans-Bold" if bold else "BOPSans", size)
        c.drawString(42, y, text)
        y -= size * 1.2
    if qr_package:
        code = qrcode.QRCode(border=0)
        code.add_data(content.agenda_url)
        matrix = code.get_matrix()
        module = 85 / len(matrix)
        for row, cells in enumerate(matrix):
            for col, dark in enumerate(cells):
                if dark:
                    c.rect(A4[0] - 127 + col * module, 127 - row * module, module, module, stroke=0, fill=1)
    else:
        widget = QrCodeWidget(content.agenda_url)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(90, 90, transform=[90 / (x1 - x0), 0, 0, 90 / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, A4[0] - 132, 42)
    c.showPage()
    c.save()
    return out.getvalue()


def timed(function, runs: int) -> tuple[float, float, bytes]:
    """(cold seconds, median warm seconds, last result)."""
    started = time.perf_counter()
    result = function()
    cold = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return cold, statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    content, built, arabic = demo_content()
    flyer_pdf.text.font("latin", False), flyer_pdf.text.font("latin", True)  # the baseline uses these fonts too
    assert "BOPSans" in pdfmetrics.getRegisteredFontNames()

    print(f"demo flyer: {content.item_count} printed activities, {flyer_pdf.page_count(content)} A4 page(s); "
          f"content from the database in {built * 1000:.1f} ms")
    cold_b, base, base_pdf = timed(lambda: baseline(content), args.runs)
    _, base_q, base_q_pdf = timed(lambda: baseline(content, qr_package=True), args.runs)
    cold_f, flyer, flyer_doc = timed(lambda: flyer_pdf.render_flyer(content, "A4", 1), args.runs)

    def uncached():
        # Another week, another photo: nothing from the previous flyer helps (fonts and pictograms
        # stay loaded, as in a running server).
        flyer_pdf.clear_caches()
        return flyer_pdf.render_flyer(content, "A4", 1)

    _, fresh, _ = timed(uncached, args.runs)
    print(f"baseline (drawString lines + QR widget): {base * 1000:7.1f} ms  {len(base_pdf):7d} bytes  (cold {cold_b * 1000:.1f} ms)")
    print(f"baseline (drawString + qrcode squares):  {base_q * 1000:7.1f} ms  {len(base_q_pdf):7d} bytes")
    print(f"flyer A4, 1 copy, caches cleared:        {fresh * 1000:7.1f} ms")
    print(f"flyer A4, 1 copy, same flyer again:      {flyer * 1000:7.1f} ms  {len(flyer_doc):7d} bytes  (cold {cold_f * 1000:.1f} ms)")
    ratio = fresh / base
    print(f"ratio flyer (caches cleared) / baseline: {ratio:.2f}x  (target <= 2x: {'OK' if ratio <= 2 else 'MISSED'})")
    strict = fresh / base_q
    print(f"ratio flyer (caches cleared) / qrcode baseline: {strict:.2f}x  "
          f"(target <= 2x: {'OK' if strict <= 2 else 'MISSED'})")

    def uncached_arabic():
        flyer_pdf.clear_caches()
        return flyer_pdf.render_flyer(arabic, "A4", 1)

    _, fresh_ar, ar_pdf = timed(uncached_arabic, args.runs)
    print(f"flyer A4 Dutch + Arabic, caches cleared: {fresh_ar * 1000:7.1f} ms  {len(ar_pdf):7d} bytes  "
          f"({flyer_pdf.page_count(arabic)} pages)")

    for fmt in ("A4", "A5"):
        _, one, one_pdf = timed(lambda fmt=fmt: flyer_pdf.render_flyer(content, fmt, 1), max(3, args.runs // 4))
        _, many, many_pdf = timed(lambda fmt=fmt: flyer_pdf.render_flyer(content, fmt, 500), max(3, args.runs // 4))
        per_copy = (len(many_pdf) - len(one_pdf)) / 499
        print(f"{fmt}: 1 copy {one * 1000:6.1f} ms {len(one_pdf):7d} bytes | 500 copies {many * 1000:6.1f} ms "
              f"{len(many_pdf):7d} bytes | {per_copy:.0f} bytes per extra copy "
              f"(targets < 2 s: {'OK' if many < 2 else 'MISSED'}, < 1024 B: {'OK' if per_copy < 1024 else 'MISSED'})")


if __name__ == "__main__":
    main()
