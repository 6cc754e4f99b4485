"""Weekly flyers: the public PDF at /bop/<slug>/flyer/<yyyy>-W<ww>.pdf and the staff page to make it."""
from __future__ import annotations

import io
from datetime import timedelta

import pypdfium2 as pdfium
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from ..accounts import access
from ..accounts.auth import staff_required
from ..accounts.models import Location
from ..clock import local_today
from ..languages import OTHER_LANGUAGES
from ..planning import schedule
from ..site import conditional, errors
from ..site.args import location_or_404, monday_or_404
from . import layout as flyer_pdf
from .compose import flyer_content, untranslated_titles
from .forms import FlyerOptionsForm, StaffFlyerForm

bp = Blueprint("flyers", __name__)


def pdf_url(location: Location, week: str, fmt: str, lang2: str, copies: int) -> str:
    args = {"format": fmt} if fmt != "A4" else {}
    if lang2:
        args["lang"] = lang2
    if copies != 1:
        args["copies"] = copies
    return url_for("flyers.pdf", slug=location.slug, week=week, **args)



@bp.route("/bop/<slug>/flyer/<week>.pdf")
def pdf(slug: str, week: str):
    location = location_or_404(slug)
    monday = monday_or_404(week)
    form = FlyerOptionsForm(formdata=request.args)
    if not form.validate():
        # The first problem, in plain words, on the site's own error page.
        message = next(iter(form.errors.values()))[0]
        return errors.render_error(400, "bad_flyer_options", str(message))
    validators = conditional.Validators(location, "flyer", monday)  # the options are in the query string
    cached = validators.not_modified()
    if cached is not None:
        return cached
    body = conditional.body(validators, lambda: flyer_pdf.render_flyer(
        flyer_content(location, monday, form.lang.data or ""), form.format.data, form.copies.data))
    filename = f"flyer-{location.slug}-{schedule.iso_week_label(monday)}-{form.format.data}.pdf"
    return validators.finish(Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
    }))


def _staff_form() -> tuple[StaffFlyerForm, list[Location]]:
    locations = access.locations(current_user)  # the ChoiceField refuses any other BOP
    args = request.args
    if not args:  # first visit: the first BOP and next week, the flyer for Friday's round
        next_week = schedule.iso_week_label(schedule.monday_of(local_today()) + timedelta(days=7))
        args = MultiDict({"location": locations[0].slug if locations else "", "week": next_week})
    form = StaffFlyerForm(formdata=args)
    form.location.choices = [SelectChoice(loc.slug, loc.name) for loc in locations]
    return form, locations


@bp.route("/staff/flyers")
@staff_required
def index():
    form, locations = _staff_form()
    if not locations:
        return render_template("flyers/index.html", form=form, locations=locations, ready=False)
    ready = form.validate()
    context = {}
    if ready:
        location = next(loc for loc in locations if loc.slug == form.location.data)
        week, lang2 = schedule.iso_week_label(form.monday), form.language.data or ""
        content = flyer_content(location, form.monday, lang2)
        pages = flyer_pdf.page_count(content, form.format.data)
        copies = form.copies.data
        context = {
            "location": location,
            "content": content,
            "pages": pages,
            "pdf_pages": (copies + 1) // 2 * pages if form.format.data == "A5" else copies * pages,
            "pdf_href": pdf_url(location, week, form.format.data, lang2, copies),
            "preview_href": url_for(".preview", location=location.slug, week=week, format=form.format.data,
                                    language=lang2),
            "untranslated": untranslated_titles(content),
            "language_name": OTHER_LANGUAGES.get(lang2, ""),
        }
    return render_template("flyers/index.html", form=form, locations=locations, ready=ready, **context)


@bp.route("/staff/flyers/preview.png")
@staff_required
def preview():
    """Page 1 of the flyer as printed (for A5 the whole sheet), drawn on the server so it looks
    the same in every browser."""
    form, locations = _staff_form()
    if not locations or not form.validate():
        abort(404)
    location = next(loc for loc in locations if loc.slug == form.location.data)
    content = flyer_content(location, form.monday, form.language.data or "")
    body = flyer_pdf.render_flyer(content, form.format.data, 1)
    document = pdfium.PdfDocument(body)
    try:
        page = document[0]
        width = page.get_width()
        image = page.render(scale=899.9 / width).to_pil()  # 900 px wide (PDFium rounds up), sharp enough
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "private, max-age=60"})
