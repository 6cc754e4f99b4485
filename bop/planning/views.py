"""Planning: the staff week planner, activities, per-date changes and closures."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import Row, case

from ..accounts import access
from ..accounts.access import Can
from ..accounts.auth import planner_required, staff_required
from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..languages import OTHER_LANGUAGES
from ..site import pagecache
from ..site.args import location_or_404, page_from_request, query_string, week_from_request
from . import schedule
from .forms import DEFAULT_THRESHOLD, ActivityForm, ClosureForm, DateChangeForm, translation_form
from .models import Activity, ActivityChange, ActivityTranslation, Closure
from .programme import (
    activities_of,
    changes_between,
    changes_of,
    host_conflicts,
    occurrences_between,
    programme_between,
    series_of,
)

bp = Blueprint("planning", __name__, url_prefix="/staff")

# What other capabilities show on the week planner, each a function of the BOP's row from
# `access.choices` giving plain values: part of the kept page's state. The reports add the
# location's past-visits version, for the last four weeks' visits they show
# (`bop/insight/blueprint.py`), so planning knows nothing of check-ins.
PLANNER_STATE: list[Callable[[Row], Hashable]] = []


@bp.route("/")
@bp.route("/plan/")
@login_required
def week():
    if current_user.is_admin:
        return redirect(url_for("organisations.index"))
    mine = access.locations(current_user)
    if not mine:
        return render_template("planning/no_locations.html")
    return redirect(url_for(".location_week", slug=mine[0].slug) + query_string())


@bp.route("/plan/<slug>")
@staff_required
def location_week(slug: str):
    locations = access.choices(current_user)
    bop = access.chosen(slug, locations)
    monday = week_from_request()
    # The week as it stands: the BOP's row holds its name and the programme's version, which moves
    # with every change of an activity, a date, a closure, a translation or a host; the chooser
    # shows the other BOPs' names (their rows as plain tuples: cheaper to compare than Rows, and
    # another BOP's new version merely builds the page once more).
    state = (tuple(bop), monday, tuple(map(tuple, locations)), tuple(part(bop) for part in PLANNER_STATE))
    return pagecache.page(state, lambda: _render_week(db.get_or_404(Location, bop.id), locations, monday))


def _render_week(location: Location, locations: list, monday: date) -> str:
    days = schedule.week_dates(monday)
    everything = activities_of(location)
    scheduled = programme_between(location, days[0], days[-1], everything).scheduled
    by_day = {day: [s for s in scheduled if s.occurrence.date == day] for day in days}
    # Changes from today on that the rule no longer produces (a past one changes nothing any more):
    # one query and a windowed rule lookup each, however long the location's history.
    activities = {a.id: a for a in everything}
    unmatched = [
        (activities[change.activity_id], change)
        for change in changes_between(location, local_today(), None)
        if not schedule.is_rule_date(series_of(activities[change.activity_id]), change.original_date)
    ]
    return render_template(
        "planning/week.html", location=location, locations=locations, monday=monday, days=days,
        by_day=by_day, conflicts=host_conflicts(scheduled), unmatched=unmatched,
        week_label=schedule.iso_week_label(monday),
        previous_week=schedule.iso_week_label(monday - timedelta(days=7)),
        next_week=schedule.iso_week_label(monday + timedelta(days=7)),
        today=local_today(),
    )


@bp.route("/plan/<slug>/activities/new", methods=["GET", "POST"])
@planner_required
def create_activity(slug: str):
    location = access.require(current_user, Can.PLAN, location_or_404(slug))
    form = ActivityForm()
    if not form.is_submitted():
        day = _date_arg("date") or local_today()
        form.first_date.data = day
        form.weekdays.data = [day.weekday()]
        form.month_weekday.data = day.weekday()
        form.threshold_note.data = str(DEFAULT_THRESHOLD)
    if form.validate_on_submit():
        activity = Activity(location=location)
        _apply(form, activity)
        db.session.add(activity)
        db.session.commit()
        flash(_("%(title)s staat in de planning.", title=activity.title), "success")
        return redirect(url_for(".location_week", slug=slug, week=schedule.iso_week_label(activity.first_date)))
    return render_template("planning/activity_form.html", form=form, location=location, activity=None)


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@staff_required
def edit_activity(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    access.require(current_user, Can.PLAN if request.method == "POST" else Can.VIEW, activity.location)
    form = ActivityForm(obj=activity)
    if not form.is_submitted():
        try:
            form.fill_rule(activity.rrule)
        except ValueError:  # e.g. a rule from an import; the form keeps its defaults
            flash(_("Het herhaalschema van deze activiteit (%(rule)s) past niet in dit formulier. "
                    "Kies hieronder opnieuw hoe vaak het is voordat u opslaat.", rule=activity.rrule), "warning")
        form.host_id.data = activity.host_id or 0
        form.price.data = activity.price_cents
        start = activity.start_time
        end_minutes = start.hour * 60 + start.minute + activity.duration_minutes
        form.end_time.data = start.replace(hour=min(end_minutes // 60, 23), minute=end_minutes % 60)
    if form.validate_on_submit():
        _apply(form, activity)
        db.session.commit()
        unmatched = schedule.unmatched_changes(series_of(activity), changes_of(activity))
        if unmatched:
            flash(_("Let op: %(count)d aangepaste datum(s) vallen niet meer in het nieuwe schema. "
                    "Ze staan hieronder; bekijk ze even.", count=len(unmatched)), "warning")
        else:
            flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".edit_activity", activity_id=activity.id))
    unmatched = schedule.unmatched_changes(series_of(activity), changes_of(activity))
    today = local_today()
    upcoming = [s.occurrence for s in occurrences_between(activity.location, today, today + timedelta(days=56))
                if s.activity.id == activity.id]
    return render_template(
        "planning/activity_form.html", form=form, location=activity.location, activity=activity,
        unmatched_dates={c.original_date for c in unmatched}, upcoming=upcoming,
    )


@bp.route("/activities/<int:activity_id>/delete", methods=["GET", "POST"])
@planner_required
def delete_activity(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    access.require(current_user, Can.PLAN, activity.location)
    form = FlaskForm()
    if form.validate_on_submit():
        slug = activity.location.slug
        db.session.delete(activity)
        db.session.commit()
        flash(_("%(title)s is uit de planning gehaald.", title=activity.title), "success")
        return redirect(url_for(".location_week", slug=slug))
    return render_template("planning/confirm_delete.html", form=form, activity=activity)


@bp.route("/activities/<int:activity_id>/dates/<isodate:day>", methods=["GET", "POST"])
@planner_required
def change_date(activity_id: int, day: date):
    activity = db.get_or_404(Activity, activity_id)
    access.require(current_user, Can.PLAN, activity.location)
    change = next((c for c in activity.changes if c.original_date == day), None)
    if change is None and day not in schedule.rule_dates(series_of(activity), day, day):
        abort(404)
    form = DateChangeForm(obj=change)
    if not form.is_submitted() and change is not None:
        form.action.data = "cancel" if change.cancelled else "move"
    if form.validate_on_submit():
        if form.action.data == "restore":
            if change is not None:
                db.session.delete(change)
            flash(_("%(title)s gaat op deze dag gewoon door.", title=activity.title), "success")
        else:
            change = change or ActivityChange(activity=activity, original_date=day)
            change.cancelled = form.action.data == "cancel"
            change.reason = (form.reason.data or "").strip()
            change.new_date = None if change.cancelled else form.new_date.data
            change.new_start_time = None if change.cancelled else form.new_start_time.data
            db.session.add(change)
            flash(_("De wijziging voor deze dag is opgeslagen."), "success")
        db.session.commit()
        shown = change.new_date if change is not None and change.new_date else day
        return redirect(url_for(".location_week", slug=activity.location.slug, week=schedule.iso_week_label(shown)))
    return render_template("planning/change_date.html", form=form, activity=activity, day=day, change=change,
                           week_label=schedule.iso_week_label(day))


@bp.route("/activities/<int:activity_id>/translations", methods=["GET", "POST"])
@staff_required
def translations(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    access.require(current_user, Can.PLAN if request.method == "POST" else Can.VIEW, activity.location)
    form = translation_form()
    if not form.is_submitted():
        for lang in OTHER_LANGUAGES:
            existing = activity.translated(lang)
            form[f"title_{lang}"].data = existing.title if existing else ""
            form[f"summary_{lang}"].data = existing.summary if existing else ""
            form[f"threshold_note_{lang}"].data = existing.threshold_note if existing else ""
    if form.validate_on_submit():
        for lang in OTHER_LANGUAGES:
            title = (form[f"title_{lang}"].data or "").strip()
            summary = (form[f"summary_{lang}"].data or "").strip()
            note = (form[f"threshold_note_{lang}"].data or "").strip()
            existing = activity.translated(lang)
            if not title and not summary and not note:
                if existing is not None:
                    activity.translations.remove(existing)
                continue
            if existing is None:
                # SQLAlchemy 2 no longer cascades a backref assignment into the session: append.
                existing = ActivityTranslation(lang=lang)
                activity.translations.append(existing)
            existing.title, existing.summary, existing.threshold_note = title or activity.title, summary, note
        db.session.commit()
        flash(_("De vertalingen zijn opgeslagen."), "success")
        return redirect(url_for(".edit_activity", activity_id=activity.id))
    return render_template("planning/translations.html", form=form, activity=activity,
                           languages=OTHER_LANGUAGES)


@bp.route("/plan/<slug>/closures", methods=["GET", "POST"])
@staff_required
def closures(slug: str):
    location = access.require(current_user, Can.PLAN if request.method == "POST" else Can.VIEW,
                              location_or_404(slug))
    form = ClosureForm()
    if form.validate_on_submit():
        closure = Closure(location=location, first_date=form.first_date.data, last_date=form.last_date.data,
                          reason=form.reason.data.strip())
        db.session.add(closure)
        db.session.commit()
        flash(_("De sluiting is opgeslagen. Alle activiteiten in die dagen vervallen."), "success")
        return redirect(url_for(".closures", slug=slug))
    # Years of holidays pile up: a page at a time, the current and coming ones first (soonest
    # first), then the past ones (latest first).
    today = local_today()
    past = Closure.last_date < today
    page = db.paginate(
        db.select(Closure).filter_by(location_id=location.id)
        .order_by(case((past, 1), else_=0), case((past, None), else_=Closure.first_date),
                  Closure.first_date.desc(), Closure.id),
        page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("planning/closures.html", form=form, location=location, closures=page.items, page=page,
                           today=today, delete_form=FlaskForm())


@bp.route("/closures/<int:closure_id>/delete", methods=["POST"])
@planner_required
def delete_closure(closure_id: int):
    closure = db.get_or_404(Closure, closure_id)
    access.require(current_user, Can.PLAN, closure.location)
    slug = closure.location.slug
    if FlaskForm().validate_on_submit():
        db.session.delete(closure)
        db.session.commit()
        flash(_("De sluiting is weggehaald."), "success")
    return redirect(url_for(".closures", slug=slug))


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _apply(form: ActivityForm, activity: Activity) -> None:
    activity.title = form.title.data.strip()
    activity.category = form.category.data
    activity.summary = (form.summary.data or "").strip()
    activity.description = (form.description.data or "").strip()
    activity.host_id = form.host_id.data or None
    activity.host_name = "" if activity.host_id else form.host_name.data.strip()
    activity.start_time = form.start_time.data
    activity.duration_minutes = form.duration_minutes
    activity.rrule = form.rrule()
    activity.first_date = form.first_date.data
    activity.last_date = form.last_date.data if form.repeat.data != "once" else None
    activity.capacity = form.capacity.data
    activity.price_cents = form.price.data or 0
    activity.bring = (form.bring.data or "").strip()
    activity.threshold_note = (form.threshold_note.data or "").strip()
