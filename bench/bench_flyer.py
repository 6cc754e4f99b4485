"""The flyer's own costs, in process: 1 copy against 500 copies (A4 and A5), and the bilingual
Dutch-Arabic flyer.

    python bench/bench_flyer.py [--runs 20]

Targets: 500 copies under 2 s, each extra copy under 1 KiB. The comparison with a bare reportlab
script (the ceiling, drawing the same text, pictograms, photo and QR code) is in bench/bench.py,
over HTTP and interleaved; the old in-process baseline here (reportlab's QR widget, no photo, no
pictograms, measured one block after another) was no ceiling and is gone.

Times are medians of warm runs (fonts registered and caches filled by a first run, as in a running
server); the first, cold run is printed too.
"""
from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


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

    print(f"demo flyer: {content.item_count} printed activities, {flyer_pdf.page_count(content)} A4 page(s); "
          f"content from the database in {built * 1000:.1f} ms")
    def uncached():
        # Another week, another photo: nothing from the previous flyer helps (fonts and pictograms
        # stay loaded, as in a running server).
        flyer_pdf.clear_caches()
        return flyer_pdf.render_flyer(content, "A4", 1)

    cold_f, flyer, flyer_doc = timed(lambda: flyer_pdf.render_flyer(content, "A4", 1), args.runs)
    _, fresh, _ = timed(uncached, args.runs)
    print(f"flyer A4, 1 copy, caches cleared:        {fresh * 1000:7.1f} ms")
    print(f"flyer A4, 1 copy, same flyer again:      {flyer * 1000:7.1f} ms  {len(flyer_doc):7d} bytes  (cold {cold_f * 1000:.1f} ms)")

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
