"""Attendance reports: the overview page per BOP or for all, its chart, highlights and exports."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from ..accounts.auth import planner_required, staff_required
from ..checkin.sources import SOURCE_LABELS
from ..clock import local_today
from ..extensions import db
from . import exports, queries
from .blueprint import bp
from .chart import trend_svg
from .funder import funder_tables, ladder_tables, period_text, trend_values
from .ladder import DEFAULT_VALUES, Movement, movement
from .models import HIGHLIGHTS_MAX, Highlight
from .periods import SHORTCUTS, Period, parse_period
from .scope import visible_locations
from .stats import WEEKDAYS, compare

ALL = "all"
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf"}


class HighlightForm(FlaskForm):
    first = HiddenField()
    last = HiddenField()
    text = TextAreaField(_l("Uitgelicht: verhalen bij de cijfers"), validators=[Length(
        max=HIGHLIGHTS_MAX, message=_l("Schrijf hooguit 2000 tekens."))])


def _scope(slug: str) -> tuple[list, object | None]:
    """The locations a report covers (all visible ones for `all`), and the one BOP if just one."""
    visible = visible_locations(current_user)
    if slug == ALL:
        return visible, None
    location = next((loc for loc in visible if loc.slug == slug), None)
    if location is None:
        abort(404)
    return [location], location


def _period() -> tuple[Period, str | None]:
    """The asked period, or the last full month with a Dutch message when the question was wrong."""
    try:
        return parse_period(request.args.get("from"), request.args.get("to"), request.args.get("period"),
                            local_today()), None
    except ValueError as error:
        return parse_period(None, None, None, local_today()), str(error)


def _source_labels() -> dict[str, str]:
    return {key.value: str(label) for key, label in SOURCE_LABELS.items()}


def _highlights(locations: list, period: Period) -> list[Highlight]:
    return list(db.session.execute(db.select(Highlight).where(
        Highlight.location_id.in_([loc.id for loc in locations]), Highlight.first_day == period.first,
        Highlight.last_day == period.last, Highlight.text != "")).scalars())


def _overview_page(slug: str, period: Period | None = None, form: HighlightForm | None = None):
    locations, location = _scope(slug)
    if period is None:
        period, error = _period()
        if error:
            flash(error, "warning")
    overview = queries.overview(db.session, locations, period)
    previous = queries.overview(db.session, locations, period.previous())
    if location is not None and form is None:
        existing = next(iter(_highlights(locations, period)), None)
        form = HighlightForm(formdata=None, first=period.first.isoformat(), last=period.last.isoformat(),
                             text=existing.text if existing else "")
    args = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    ladder = _ladder(locations, period)
    return render_template(
        "insight/report.html", slug=slug, location=location, locations=visible_locations(current_user),
        overview=overview, previous=previous, changes=compare(overview.totals, previous.totals),
        weekdays=WEEKDAYS, source_labels=_source_labels(), shortcuts=SHORTCUTS, args=args, form=form,
        highlights=_highlights(locations, period), ladder=ladder,
        ladder_tables=ladder_tables(ladder, _ladder_values()) if ladder else None,
        peak=max(overview.activities[0].visits if overview.activities else 0, 1),
    )


def _ladder_values() -> dict[int, int]:
    configured = current_app.config.get("LADDER_VALUES") or {}
    return {**DEFAULT_VALUES, **{int(k): int(v) for k, v in configured.items()}}


def _ladder(locations: list, period: Period) -> Movement | None:
    """The ladder's movement, for welfare workers and coordinators only (never volunteers)."""
    if not current_user.can_plan:
        return None
    return movement(queries.ladder_pairs(db.session, [loc.id for loc in locations], period.last), _ladder_values())


@bp.route("/reports/")
@staff_required
def reports():
    return _overview_page(ALL)


@bp.route("/reports/<slug>")
@staff_required
def report(slug: str):
    if "." in slug:   # /staff/reports/<slug>.<format>
        slug, _dot, fmt = slug.rpartition(".")
        return export(slug, fmt)
    return _overview_page(slug)


@bp.route("/reports/<slug>/trend.svg")
@staff_required
def trend(slug: str):
    locations, _location = _scope(slug)
    period, _error = _period()
    overview = queries.overview(db.session, locations, period)
    svg = trend_svg([b.label for b in overview.buckets], overview.trend)
    return svg, 200, {"Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "private, max-age=60"}


def export(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    locations, location = _scope(slug)
    period, _error = _period()
    overview = queries.overview(db.session, locations, period)
    previous = queries.overview(db.session, locations, period.previous())
    scope = location.name if location else "alle BOP's samen"
    tables = funder_tables(overview, previous, _source_labels(), scope, _ladder(locations, period), _ladder_values())
    title = f"Bezoekcijfers {scope}"
    subtitle = f"{overview.period.label()} ({period_text(period)}), vergeleken met {previous.period.label()}"
    if fmt == "csv":
        body = exports.to_csv(f"{title} · {subtitle}", tables)
    elif fmt == "xlsx":
        body = exports.to_xlsx(f"{title} · {subtitle}", tables)
    else:
        names = {loc.id: loc.name for loc in locations}
        stories = [("" if location else names[h.location_id], h.text) for h in _highlights(locations, period)]
        body = exports.to_pdf(title, subtitle, tables, trend_values(overview), stories)
    filename = f"bop-{slug}-{period.first.isoformat()}-{period.last.isoformat()}.{fmt}"
    return body, 200, {"Content-Type": FORMATS[fmt], "Content-Disposition": f'attachment; filename="{filename}"'}


@bp.route("/reports/<slug>/highlights", methods=["POST"])
@planner_required
def save_highlights(slug: str):
    locations, location = _scope(slug)
    if location is None:
        abort(404)
    form = HighlightForm()
    try:
        period = parse_period(form.first.data, form.last.data, None, local_today())
    except ValueError:
        abort(400)
    back = url_for(".report", slug=slug, **{"from": period.first.isoformat(), "to": period.last.isoformat()})
    if not form.validate_on_submit():
        return _overview_page(slug, period, form)
    existing = db.session.execute(db.select(Highlight).filter_by(
        location_id=location.id, first_day=period.first, last_day=period.last)).scalar_one_or_none()
    if existing is None:
        existing = Highlight(location_id=location.id, first_day=period.first, last_day=period.last)
        db.session.add(existing)
    existing.text = (form.text.data or "").strip()
    existing.updated_by_id = current_user.id
    db.session.commit()
    flash(_("Uitgelicht is opgeslagen. Het staat in de PDF voor de financier."), "success")
    return redirect(back)
