"""The participatieladder of one visitor, with their consent: record it, measure together, withdraw.

Welfare workers and coordinators only; volunteers never see ladder data.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from ..accounts.auth import planner_required
from ..clock import local_today
from ..extensions import db
from ..planning.forms import DATE_MESSAGE, DutchDateField
from ..visitors.scope import visitor_or_404
from .blueprint import bp
from .ladder import RUNGS
from .ladder_models import LadderConsent, LadderStep, withdraw


class ConsentForm(FlaskForm):
    consent = BooleanField(_l("De bezoeker wil meedoen en geeft toestemming om de trede op te slaan."),
                           validators=[DataRequired(_l("Zet het vinkje alleen als de bezoeker toestemming geeft."))])


class StepForm(FlaskForm):
    rung = RadioField(_l("Op welke trede staat de bezoeker nu?"), coerce=int,
                      choices=[SelectChoice(rung, f"{rung}. {label}") for rung, label in RUNGS.items()],
                      validators=[InputRequired(_l("Kies een trede."))])
    day = DutchDateField(_l("Datum"), validators=[InputRequired(DATE_MESSAGE)])

    def validate_day(self, field) -> None:
        if field.data and not date(2000, 1, 1) <= field.data <= local_today():
            raise ValidationError(_l("Kies een datum die al geweest is."))


@bp.app_context_processor
def ladder_link() -> dict:
    """`ladder_url(visitor)` for the visitor page, which links here without importing insight."""
    return {"ladder_url": lambda visitor: url_for("insight.ladder", visitor_id=visitor.id)}


@bp.route("/ladder/<int:visitor_id>", methods=["GET", "POST"])
@planner_required
def ladder(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    consent = db.session.get(LadderConsent, visitor.id)
    consent_form, step_form = ConsentForm(prefix="c"), StepForm(prefix="s")
    if request.method == "GET":
        step_form.day.data = local_today()
    action = request.form.get("action")
    if action == "consent" and consent is None and consent_form.validate_on_submit():
        db.session.add(LadderConsent(visitor_id=visitor.id, recorded_by_id=current_user.id))
        db.session.commit()
        flash(_("De toestemming van %(name)s is opgeslagen.", name=visitor.name), "success")
        return redirect(url_for(".ladder", visitor_id=visitor.id))
    if action == "step":
        if consent is None:
            abort(403)
        if step_form.validate_on_submit():
            db.session.add(LadderStep(visitor_id=visitor.id, day=step_form.day.data, rung=step_form.rung.data,
                                      staff_id=current_user.id))
            db.session.commit()
            flash(_("Trede %(rung)d is opgeslagen.", rung=step_form.rung.data), "success")
            return redirect(url_for(".ladder", visitor_id=visitor.id))
    steps = db.session.execute(db.select(LadderStep).filter_by(visitor_id=visitor.id)
                               .order_by(LadderStep.day.desc(), LadderStep.id.desc())).scalars().all()
    return render_template("insight/ladder.html", visitor=visitor, consent=consent, consent_form=consent_form,
                           step_form=step_form, steps=steps, rungs=RUNGS)


@bp.route("/ladder/<int:visitor_id>/withdraw", methods=["GET", "POST"])
@planner_required
def withdraw_ladder(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    form = FlaskForm()
    if form.validate_on_submit():
        withdraw(db.session, visitor.id)
        db.session.commit()
        flash(_("De toestemming is ingetrokken. Alle treden van %(name)s zijn gewist.", name=visitor.name), "success")
        return redirect(url_for(".ladder", visitor_id=visitor.id))
    return render_template("insight/ladder_withdraw.html", form=form, visitor=visitor,
                           back_url=url_for(".ladder", visitor_id=visitor.id))
