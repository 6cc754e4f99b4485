"""The public face: the week agenda, the iCalendar feed and the health check.

These URLs are printed on flyers and posters (DESIGN.md, "Public URL contract"): never rename them.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.orm import joinedload

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..site import conditional
from ..site.args import location_or_404, query_string, week_from_request
from ..site.urls import public_url
from . import ical, schedule
from .programme import (
    activities_of,
    changes_between,
    closure_span,
    closures_between,
    date_change,
    programme_between,
    series_of,
)

bp = Blueprint("agenda", __name__)

FEED_WEEKS_BACK = 8  # older dates do not matter to a subscriber; keeps the feed small


@bp.route("/")
def index():
    locations = db.session.execute(
        db.select(Location).options(joinedload(Location.organisation)).order_by(Location.name)).scalars().all()
    if len(locations) == 1:
        return redirect(url_for(".week", slug=locations[0].slug) + query_string())
    return render_template("agenda/chooser.html", locations=locations)


@bp.route("/bop/<slug>")
def week(slug: str):
    location = location_or_404(slug)
    monday = week_from_request()
    validators = conditional.Validators(location, "agenda", monday, daily=True) if conditional.applies() else None
    cached = validators.not_modified() if validators else None
    if cached is not None:
        return _remember_source(cached)
    if validators is None:
        return _remember_source(conditional.private(Response(_week_page(location, monday))))
    response = Response(conditional.body(validators, lambda: _week_page(location, monday)))
    return _remember_source(validators.finish(response))


def _week_page(location: Location, monday) -> str:
    days = schedule.week_dates(monday)
    programme = programme_between(location, days[0], days[-1])
    scheduled = programme.scheduled
    # An occurrence carries a reason only when cancelled; the public reason of a move is on its change.
    move_notes = {
        (s.activity.id, s.occurrence.original_date): s.change.reason
        for s in scheduled if s.occurrence.moved and s.change is not None
    }
    return render_template(
        "agenda/week.html", location=location, days=days, move_notes=move_notes,
        by_day={day: [s for s in scheduled if s.occurrence.date == day] for day in days},
        closures={day: programme.closure_on(day) for day in days},
        today=local_today(), this_week=schedule.iso_week_label(local_today()),
        week_label=schedule.iso_week_label(monday),
        previous_week=schedule.iso_week_label(monday - timedelta(days=7)),
        next_week=schedule.iso_week_label(monday + timedelta(days=7)),
    )


def _remember_source(response: Response) -> Response:
    if request.args.get("bron") in ("flyer", "poster"):
        # Remembered for a month so a check-in from this phone can say how the visitor found us.
        response.set_cookie("bron", request.args["bron"], max_age=30 * 24 * 3600, samesite="Lax")
    return response


@bp.route("/bop/<slug>/agenda.ics")
def feed(slug: str):
    location = location_or_404(slug)
    # The body differs between two fetches only in DTSTAMP, hence a weak ETag.
    validators = conditional.Validators(location, "ics", daily=True, weak=True)
    cached = validators.not_modified()
    if cached is not None:
        return cached
    body = conditional.body(validators, lambda: _feed_body(location))
    return validators.finish(Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{slug}.ics"',
    }))


def _feed_body(location: Location) -> bytes:
    agenda_url = public_url(".week", slug=location.slug)
    host = urlsplit(agenda_url).hostname  # the public host when BOP_PUBLIC_URL is set: stable UIDs
    # Exceptions (cancelled, moved, closed dates) from FEED_WEEKS_BACK on: older ones no longer
    # matter to a subscriber, and leaving them out keeps the feed the same size in year five.
    since = local_today() - timedelta(weeks=FEED_WEEKS_BACK)
    changes: dict[int, list[schedule.DateChange]] = {}
    for change in changes_between(location, since, None):
        changes.setdefault(change.activity_id, []).append(date_change(change))
    closures = [closure_span(c) for c in closures_between(location, since, None)]
    events = [
        ical.FeedEvent(
            series=series_of(activity),
            changes=changes.get(activity.id, []),
            closures=closures,
            uid=f"activity-{activity.id}@{host}",
            title=activity.title,
            description="\n".join(filter(None, [activity.summary, activity.description, activity.threshold_note])),
            location=f"{location.name}, {location.address}".strip(", "),
            url=agenda_url,
        )
        for activity in activities_of(location)
        if activity.last_date is None or activity.last_date >= since
    ]
    return ical.build_calendar(location.name, events, now=datetime.now(UTC))


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
