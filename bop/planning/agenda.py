"""The public face: the week agenda, the iCalendar feed and the health check.

These URLs are printed on flyers and posters (DESIGN.md, "Public URL contract"): never rename them.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.orm import joinedload

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..site.args import location_or_404, query_args, week_from_request
from . import ical, schedule
from .programme import activities_of, changes_of, closure_for, closures_of, occurrences_between, series_of

bp = Blueprint("agenda", __name__)

FEED_WEEKS_BACK = 8  # older dates do not matter to a subscriber; keeps the feed small


@bp.route("/")
def index():
    locations = db.session.execute(
        db.select(Location).options(joinedload(Location.organisation)).order_by(Location.name)).scalars().all()
    if len(locations) == 1:
        return redirect(url_for(".week", slug=locations[0].slug, **query_args()))
    return render_template("agenda/chooser.html", locations=locations)


@bp.route("/bop/<slug>")
def week(slug: str):
    location = location_or_404(slug)
    monday = week_from_request()
    days = schedule.week_dates(monday)
    scheduled = occurrences_between(location, days[0], days[-1])
    # An occurrence carries a reason only when cancelled; the public reason of a move is on its change.
    move_notes = {
        (s.activity.id, s.occurrence.original_date): change.reason
        for s in scheduled if s.occurrence.moved
        for change in s.activity.changes if change.original_date == s.occurrence.original_date
    }
    response = Response(render_template(
        "agenda/week.html", location=location, days=days, move_notes=move_notes,
        by_day={day: [s for s in scheduled if s.occurrence.date == day] for day in days},
        closures={day: closure_for(location, day) for day in days},
        today=local_today(), this_week=schedule.iso_week_label(local_today()),
        week_label=schedule.iso_week_label(monday),
        previous_week=schedule.iso_week_label(monday - timedelta(days=7)),
        next_week=schedule.iso_week_label(monday + timedelta(days=7)),
    ))
    if request.args.get("bron") in ("flyer", "poster"):
        # Remembered for a month so a check-in from this phone can say how the visitor found us.
        response.set_cookie("bron", request.args["bron"], max_age=30 * 24 * 3600, samesite="Lax")
    return response


@bp.route("/bop/<slug>/agenda.ics")
def feed(slug: str):
    location = location_or_404(slug)
    host = request.host.split(":")[0]
    agenda_url = url_for(".week", slug=slug, _external=True)
    events = [
        ical.FeedEvent(
            series=series_of(activity),
            changes=changes_of(activity),
            closures=closures_of(location),
            uid=f"activity-{activity.id}@{host}",
            title=activity.title,
            description="\n".join(filter(None, [activity.summary, activity.description, activity.threshold_note])),
            location=f"{location.name}, {location.address}".strip(", "),
            url=agenda_url,
        )
        for activity in activities_of(location)
        if activity.last_date is None or activity.last_date >= local_today() - timedelta(weeks=FEED_WEEKS_BACK)
    ]
    body = ical.build_calendar(location.name, events, now=datetime.now(UTC))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{slug}.ics"',
        "Cache-Control": "public, max-age=900",
    })


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
