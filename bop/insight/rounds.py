"""Door-to-door rounds: plan a round, print its flyers (their QR code carries the round) and its
round sheet, and see what it brought: agenda opens through the QR code and first visits."""
from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from wtforms import IntegerField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..accounts.auth import planner_required, staff_required
from ..accounts.models import Staff
from ..clock import local_today
from ..extensions import db
from ..planning import schedule
from ..planning.forms import DutchDateField, MultiCheckboxField
from . import queries
from .blueprint import bp
from .models import FlyerRound, RoundOpen
from .roundsheet import RoundSheet, render_round_sheet
from .scope import visible_locations

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


class RoundForm(FlaskForm):
    day = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Kies de datum van de ronde."))])
    areas = TextAreaField(_l("Straten of flats"),
                          description=_l("Eén straat of flat per regel. Geen namen van mensen."),
                          validators=[DataRequired(_l("Schrijf minstens één straat of flat op.")),
                                      Length(max=500, message=_l("Schrijf hooguit 500 tekens."))])
    flyers = IntegerField(_l("Aantal folders"), validators=[
        InputRequired(_l("Vul een aantal folders in.")),
        NumberRange(min=1, max=5000, message=_l("Kies tussen 1 en 5000 folders."))])
    volunteers = MultiCheckboxField(_l("Wie gaan er mee?"), coerce=int)


def _location(slug: str):
    location = next((loc for loc in visible_locations(current_user) if loc.slug == slug), None)
    if location is None:
        abort(404)
    return location


def _new_marker() -> str:
    while True:
        marker = "".join(secrets.choice(ALPHABET) for _ in range(6))
        if db.session.execute(db.select(FlyerRound.id).filter_by(marker=marker)).first() is None:
            return marker


@bp.before_app_request
def count_round_opens() -> None:
    """The agenda opened through a round's QR code: one more open for that round today. Done from
    here, so the agenda (planning) knows nothing about rounds."""
    marker = request.args.get("ronde", "")
    if request.endpoint != "agenda.week" or len(marker) != 6 or request.method != "GET":
        return
    try:
        found = db.session.execute(db.select(FlyerRound.id).filter_by(marker=marker)).scalar_one_or_none()
        if found is None:
            return
        today = local_today()
        row = db.session.execute(db.select(RoundOpen).filter_by(round_id=found, day=today)).scalar_one_or_none()
        if row is None:
            db.session.add(RoundOpen(round_id=found, day=today, count=1))
        else:
            row.count = RoundOpen.count + 1
        db.session.commit()
    except SQLAlchemyError:   # counting must never cost a visitor the agenda
        db.session.rollback()


@bp.route("/rounds/")
@staff_required
def rounds_index():
    visible = visible_locations(current_user)
    if not visible:
        return redirect(url_for("insight.outreach_index"))
    return redirect(url_for(".rounds", slug=visible[0].slug))


@bp.route("/rounds/<slug>", methods=["GET", "POST"])
@staff_required
def rounds(slug: str):
    location = _location(slug)
    form = RoundForm()
    # Who may go along: the active staff of the BOP's own organisation (never another's names).
    staff = db.session.execute(db.select(Staff).filter_by(active=True, organisation_id=location.organisation_id)
                               .order_by(Staff.name)).scalars().all()
    form.volunteers.choices = [SelectChoice(s.id, s.name) for s in staff]
    if not form.is_submitted():
        form.day.data = local_today()
    elif not current_user.can_plan:
        abort(403)
    if form.validate_on_submit():
        chosen = [s for s in staff if s.id in set(form.volunteers.data or [])]
        flyer_round = FlyerRound(location_id=location.id, day=form.day.data, areas=form.areas.data.strip(),
                                 flyers=form.flyers.data, marker=_new_marker(), created_by_id=current_user.id,
                                 volunteers=chosen)
        db.session.add(flyer_round)
        db.session.commit()
        flash(_("De ronde van %(day)s staat klaar. Print de folders en het rondeblad.",
                day=format_date(flyer_round.day, "EEEE d MMMM")), "success")
        return redirect(url_for(".rounds", slug=slug))
    size = current_app.config["PAGE_SIZE"] // 2
    page = db.paginate(db.select(FlyerRound).filter_by(location_id=location.id)
                       .order_by(FlyerRound.day.desc(), FlyerRound.id.desc()), per_page=size, error_out=False)
    results = queries.round_results(db.session, location.id, list(page.items))
    return render_template("insight/rounds.html", location=location, locations=visible_locations(current_user),
                           form=form, page=page, results=results, week_of=schedule.iso_week_label,
                           weeks=queries.ROUND_WEEKS, today=local_today())


def _round(slug: str, round_id: int) -> FlyerRound:
    location = _location(slug)
    flyer_round = db.get_or_404(FlyerRound, round_id)
    if flyer_round.location_id != location.id:
        abort(404)
    return flyer_round


@bp.route("/rounds/<slug>/<int:round_id>/sheet.pdf")
@staff_required
def round_sheet(slug: str, round_id: int):
    flyer_round = _round(slug, round_id)
    location = flyer_round.location
    contact = location.contact
    phone = location.phone or (contact.phone if contact else "")
    sheet = RoundSheet(
        bop=location.name, day=format_date(flyer_round.day, "EEEE d MMMM yyyy"), areas=tuple(flyer_round.area_lines),
        flyers=flyer_round.flyers, volunteers=tuple(s.name for s in flyer_round.volunteers),
        contact=", ".join(p for p in ((contact.name if contact else ""), phone) if p),
        agenda_url=url_for("agenda.week", slug=location.slug, week=schedule.iso_week_label(flyer_round.day),
                           bron="flyer", ronde=flyer_round.marker, _external=True))
    body = render_round_sheet(sheet)
    return body, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'inline; filename="ronde-{location.slug}-{flyer_round.day}.pdf"'}


@bp.route("/rounds/<slug>/<int:round_id>/delete", methods=["GET", "POST"])
@planner_required
def delete_round(slug: str, round_id: int):
    flyer_round = _round(slug, round_id)
    form = FlaskForm()
    if form.validate_on_submit():
        db.session.delete(flyer_round)
        db.session.commit()
        flash(_("De ronde is weggehaald."), "success")
        return redirect(url_for(".rounds", slug=slug))
    return render_template("insight/round_delete.html", form=form, flyer_round=flyer_round,
                           back_url=url_for(".rounds", slug=slug))
