"""The bridge from the database to `schedule`: what happens at a location between two dates.

The agenda, the week planner, the iCalendar feed, the kiosk and the flyer all read the programme
through `occurrences_between`, so they can never disagree about what is on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations

from sqlalchemy.orm import selectinload

from ..accounts.models import Location
from ..extensions import db
from . import schedule
from .models import Activity, Closure


@dataclass(frozen=True)
class Scheduled:
    activity: Activity
    occurrence: schedule.Occurrence


def series_of(activity: Activity) -> schedule.Series:
    return schedule.Series(
        key=activity.id,
        rrule=activity.rrule,
        first_date=activity.first_date,
        last_date=activity.last_date,
        start_time=activity.start_time,
        duration=timedelta(minutes=activity.duration_minutes),
    )


def changes_of(activity: Activity) -> list[schedule.DateChange]:
    return [
        schedule.DateChange(
            key=activity.id,
            original_date=change.original_date,
            cancelled=change.cancelled,
            reason=change.reason,
            new_date=change.new_date,
            new_start_time=change.new_start_time,
        )
        for change in activity.changes
    ]


def closures_of(location: Location) -> list[schedule.ClosureSpan]:
    return [schedule.ClosureSpan(c.first_date, c.last_date, c.reason) for c in location.closures]


def activities_of(location: Location) -> list[Activity]:
    return list(
        db.session.execute(
            db.select(Activity)
            .filter_by(location_id=location.id)
            .options(selectinload(Activity.changes), selectinload(Activity.host),
                     selectinload(Activity.translations))
            .order_by(Activity.start_time, Activity.title)
        ).scalars()
    )


def occurrences_between(location: Location, start: date, end: date) -> list[Scheduled]:
    """Every occurrence at `location` whose date lies in [start, end], cancelled ones included."""
    activities = {a.id: a for a in activities_of(location)}
    occurrences = schedule.expand(
        [series_of(a) for a in activities.values()],
        [change for a in activities.values() for change in changes_of(a)],
        closures_of(location),
        start,
        end,
    )
    return [Scheduled(activities[o.key], o) for o in occurrences]


def host_conflicts(scheduled: list[Scheduled]) -> list[tuple[Scheduled, Scheduled]]:
    """Pairs of non-cancelled occurrences with the same host at overlapping times."""
    def host_key(item: Scheduled) -> object:
        activity = item.activity
        return ("staff", activity.host_id) if activity.host_id else ("name", activity.host_name.strip().lower())

    active = [s for s in scheduled if not s.occurrence.cancelled and host_key(s) not in (("name", ""),)]
    return [
        (a, b)
        for a, b in combinations(active, 2)
        if host_key(a) == host_key(b)
        and a.occurrence.start < b.occurrence.end
        and b.occurrence.start < a.occurrence.end
    ]


def closure_for(location: Location, day: date) -> Closure | None:
    return next((c for c in location.closures if c.first_date <= day <= c.last_date), None)



# An activity counts as "running" from a little before its start, when people arrive for coffee.
RUNNING_LEAD = timedelta(minutes=15)


def todays_programme(location: Location, day: date) -> list[Scheduled]:
    """The activities that take place at `location` on `day` (cancelled ones left out)."""
    return [s for s in occurrences_between(location, day, day) if not s.occurrence.cancelled]


def running_now(programme: list[Scheduled], now: datetime) -> Scheduled | None:
    """The activity going on at `now` (aware): the one that started last, if several overlap."""
    going = [s for s in programme if s.occurrence.start - RUNNING_LEAD <= now < s.occurrence.end]
    return max(going, key=lambda s: s.occurrence.start) if going else None


def occurrence_on(location: Location, activity: Activity | None, day: date) -> Scheduled | None:
    """The activity's (not cancelled) occurrence on `day`, if any.

    The same expansion as `occurrences_between`, restricted to one activity: every kiosk scan asks
    this, and loading the whole programme for it would cost more than the check-in itself.
    """
    if activity is None or activity.location_id != location.id:
        return None
    found = schedule.expand([series_of(activity)], changes_of(activity), closures_of(location), day, day)
    return next((Scheduled(activity, o) for o in found if not o.cancelled), None)
