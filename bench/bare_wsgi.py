"""The ceilings BOP is measured against: a separate bare app, nothing of BOP imported.

    gunicorn --chdir bench bare_wsgi:app   (bench/bench.py starts it with BARE_DATABASE and BARE_FLYER set)

- ``GET /page?bytes=N``: a Jinja template (bench/templates/bare.html, base layout plus a loop)
  rendered by Flask to about N bytes: what any Flask page of that size costs.
- ``GET /staff-page?bytes=N``: the same page for a signed-in person only: Flask-Login loads the
  person named by the session cookie from the database (``POST /login`` gives the cookie), and the
  page carries a CSRF token (Flask-WTF) in a form. What any staff page must do before it shows
  anything: the ceiling for BOP's staff pages, beside the plain page.
- ``POST /insert``: parse the JSON body, insert one row with Flask-SQLAlchemy into SQLite (WAL)
  and commit, answer JSON: the least a check-in endpoint can do.
- ``GET /flyer``: the leanest reportlab script drawing the flyer's content (every text line in the
  same fonts, a pictogram per activity, the contact's photo and the QR code) on A4 pages. What
  can be kept between requests is kept, as BOP keeps it: the fonts, the SVGs converted once and
  copied into each document as form operators, the QR matrix and the decoded photo.
"""
from __future__ import annotations

import base64
import fcntl
import io
import json
import os
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import qrcode
from flask import Flask, Response, jsonify, render_template, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import generate_csrf
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column
from svglib.svglib import svg2rlg

ROOT = Path(__file__).resolve().parent.parent

app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.environ.get('BARE_DATABASE', '/tmp/bare.sqlite')}"
app.config["SECRET_KEY"] = os.environ.get("BARE_SECRET_KEY", "bare-benchmark-secret-key-of-enough-length")
app.jinja_env.globals["csrf_token"] = generate_csrf
db = SQLAlchemy(app)
login_manager = LoginManager(app)


class Person(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


@login_manager.user_loader
def load_person(person_id: str) -> Person | None:
    return db.session.get(Person, int(person_id))


class Row(db.Model):
    __tablename__ = "checkin"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(index=True)
    day: Mapped[date] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    server_time: Mapped[datetime]


with app.app_context():
    @event.listens_for(db.engine, "connect")
    def pragmas(dbapi_connection, connection_record) -> None:  # the same as BOP's
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    # The four workers start together; one at a time makes the tables (a retry alone still raced).
    with open(f"{os.environ.get('BARE_DATABASE', 'bare')}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        db.create_all()


@app.get("/page")
def page():
    size = int(request.args.get("bytes", "10000"))
    return render_template("bare.html", rows=range(max(size - 600, 0) // 78))


@app.post("/login")
def login():
    person = db.session.get(Person, 1)
    if person is None:
        person = Person(id=1, name="Bare Coördinator")
        db.session.add(person)
        db.session.commit()
    login_user(person)
    return jsonify(status="ok")


@app.get("/staff-page")
@login_required
def staff_page():
    size = int(request.args.get("bytes", "10000"))
    return render_template("bare.html", rows=range(max(size - 800, 0) // 78), person=current_user)


@app.post("/insert")
def insert():
    body = request.get_json(force=True, silent=True) or {}
    row = Row(location_id=1, day=date.today(), code=str(body.get("code", ""))[:40], nonce=str(body.get("nonce", "")),
              server_time=datetime.now(UTC).replace(tzinfo=None))
    db.session.add(row)
    # The answer is read before the commit (the flush gives the id; the commit's own flush then has
    # nothing left to do): reading the row after the commit, which expires it, would start a second
    # transaction (a connection checkout, a SELECT, a rollback) that BOP's check-in does not pay
    # either: it answers from plain values. (Until 30 November the ceiling paid it: about 0.35 ms
    # of its 1.6 ms CPU in process.)
    db.session.flush()
    answer = {"status": "ok", "id": row.id, "nonce": row.nonce}
    db.session.commit()
    return jsonify(answer), 201


# ---------------------------------------------------------------------------------------- flyer

@cache
def flyer_content() -> dict:
    content = json.loads(Path(os.environ["BARE_FLYER"]).read_text())
    for name, filename in (("BareSans", "NotoSans-Regular.ttf"), ("BareSans-Bold", "NotoSans-Bold.ttf")):
        path = next(p for p in (ROOT / "static" / "fonts" / filename, Path("/usr/share/fonts/truetype/noto") / filename)
                    if p.exists())
        pdfmetrics.registerFont(TTFont(name, str(path)))
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(content["url"])
    qr.make(fit=True)
    content["qr"] = qr.get_matrix()
    content["photo_image"] = ImageReader(io.BytesIO(base64.b64decode(content["photo"]))) if content["photo"] else None
    return content


_FORMS: dict[str, list[str]] = {}


def define_form(c: Canvas, category: str) -> None:
    c.beginForm(category, 0, 0, 100, 100)
    if category in _FORMS:
        c._code.extend(_FORMS[category])
    else:
        drawing = svg2rlg(str(ROOT / "static" / "pictograms" / f"{category}.svg"))
        start = len(c._code)
        c.saveState()
        c.scale(100 / max(drawing.width, drawing.height), 100 / max(drawing.width, drawing.height))
        renderPDF.draw(drawing, c, 0, 0)
        c.restoreState()
        _FORMS[category] = c._code[start:]
    c.endForm()


@app.get("/flyer")
def flyer():
    content = flyer_content()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    for category in sorted({category for _, _, _, category in content["lines"] if category}):
        define_form(c, category)
    y = A4[1] - 50
    for text, bold, size, category in content["lines"]:
        if y < 60:
            c.showPage()
            y = A4[1] - 50
        c.setFont("BareSans-Bold" if bold else "BareSans", size)
        c.drawString(70 if category else 42, y, text)
        if category:
            c.saveState()
            c.translate(42, y - 4)
            c.scale(0.2, 0.2)
            c.doForm(category)
            c.restoreState()
        y -= size * 1.25
    if content["photo_image"] is not None:
        c.drawImage(content["photo_image"], A4[0] - 132, 150, 90, 90)
    matrix = content["qr"]
    module = 85 / len(matrix)
    path = c.beginPath()
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                path.rect(A4[0] - 127 + col * module, 127 - row * module, module, module)
    c.drawPath(path, stroke=0, fill=1)
    c.showPage()
    c.save()
    return Response(out.getvalue(), mimetype="application/pdf")
