"""The bridge from the database to `schedule`: what happens at a location between two dates.

The agenda, the week planner, the iCalendar feed, the kiosk and the flyer all read the programme
through `occurrences_between`, so they can never disagree about what is on.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Protocol

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..accounts.models import Location
from ..extensions import db, unsaved_changes
from . import schedule
from .models import Activity, ActivityChange, Closure


class ProgrammeOf(Protocol):
    """What names a location's programme as it stands: a Location, or its row from
    `access.choices`, which a page kept in memory reads instead of loading the location."""

    @property
    def id(self) -> int: ...
    @property
    def programme_version(self) -> int: ...
    @property
    def programme_changed_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Scheduled:
    activity: Activity
    occurrence: schedule.Occurrence
    change: ActivityChange | None = None   # the date's change, if it has one (for its public note)


def series_of(activity: Activity) -> schedule.Series:
    return schedule.Series(
        key=activity.id,
        rrule=activity.rrule,
        first_date=activity.first_date,
        last_date=activity.last_date,
        start_time=activity.start_time,
        duration=timedelta(minutes=activity.duration_minutes),
    )


def date_change(change: ActivityChange) -> schedule.DateChange:
    return schedule.DateChange(
        key=change.activity_id,
        original_date=change.original_date,
        cancelled=change.cancelled,
        reason=change.reason,
        new_date=change.new_date,
        new_start_time=change.new_start_time,
    )


def changes_of(activity: Activity) -> list[schedule.DateChange]:
    return [date_change(change) for change in activity.changes]


def closure_span(closure: Closure) -> schedule.ClosureSpan:
    return schedule.ClosureSpan(closure.first_date, closure.last_date, closure.reason)


def activities_of(location: Location) -> list[Activity]:
    """The location's activities with their host and translations (not their changes)."""
    return list(
        db.session.execute(
            db.select(Activity)
            .filter_by(location_id=location.id)
            .options(selectinload(Activity.host), selectinload(Activity.translations))
            .order_by(Activity.start_time, Activity.title)
        ).scalars()
    )


def changes_between(location: Location, start: date, end: date | None) -> list[ActivityChange]:
    """The changes of the location's activities whose original or new date lies in [start, end]
    (end None: open): the only ones that can matter to that window, whatever the history."""
    def within(column):
        return column >= start if end is None else column.between(start, end)

    return list(db.session.execute(
        db.select(ActivityChange)
        .join(Activity, Activity.id == ActivityChange.activity_id)
        .where(Activity.location_id == location.id,
               or_(within(ActivityChange.original_date), within(ActivityChange.new_date)))
        .order_by(ActivityChange.activity_id, ActivityChange.original_date)
    ).scalars())


def closures_between(location: Location, start: date, end: date | None) -> list[Closure]:
    """The location's closures that overlap [start, end] (end None: open)."""
    query = db.select(Closure).where(Closure.location_id == location.id, Closure.last_date >= start)
    if end is not None:
        query = query.where(Closure.first_date <= end)
    return list(db.session.execute(query.order_by(Closure.first_date)).scalars())


@dataclass(frozen=True)
class Programme:
    scheduled: list[Scheduled]
    closures: list[Closure]

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.first_date <= day <= c.last_date), None)


def programme_between(location: Location, start: date, end: date,
                      activities: list[Activity] | None = None) -> Programme:
    """What happens at `location` in [start, end], in a fixed number of queries whatever the
    location's age.

    The expansion is kept per process (`_EXPANDED`) as plain values, keyed by the location's
    programme version: a repeated request loads only the activities, changes and closures that
    the window shows, by id, and expands nothing."""
    key, expanded = _kept_expansion(location, start, end)
    if expanded is None:
        known = activities_of(location) if activities is None else activities
        changes = changes_between(location, start, end)
        closures = closures_between(location, start, end)
        occurrences = schedule.expand(
            [series_of(a) for a in known], [date_change(c) for c in changes],
            [closure_span(c) for c in closures], start, end,
        )
        by_date = {(c.activity_id, c.original_date): c for c in changes}
        expanded = _Expanded(
            tuple(occurrences),
            tuple(getattr(by_date.get((o.key, o.original_date)), "id", None) for o in occurrences),
            tuple(c.id for c in closures),
        )
        if key is not None:
            with _LOCK:
                _EXPANDED[key] = expanded
                while len(_EXPANDED) > WINDOWS_KEPT:
                    _EXPANDED.popitem(last=False)
        found = {a.id: a for a in known}
        change_by_id = {c.id: c for c in changes}
    else:
        wanted = {o.key for o in expanded.occurrences}
        found = ({a.id: a for a in activities} if activities is not None else
                 {a.id: a for a in _activities_by_id(wanted)})
        change_by_id = {c.id: c for c in db.session.execute(
            db.select(ActivityChange).where(ActivityChange.id.in_({i for i in expanded.change_ids if i}))).scalars()}
        closures = list(db.session.execute(
            db.select(Closure).where(Closure.id.in_(expanded.closure_ids)).order_by(Closure.first_date)).scalars())
    return Programme(
        [Scheduled(found[o.key], o, change_by_id.get(change_id) if change_id else None)
         for o, change_id in zip(expanded.occurrences, expanded.change_ids, strict=True)],
        closures,
    )


@dataclass(frozen=True)
class _Expanded:
    """One window's expansion in plain values: what `programme_between` keeps between requests."""

    occurrences: tuple[schedule.Occurrence, ...]
    change_ids: tuple[int | None, ...]   # per occurrence: the id of its date's change
    closure_ids: tuple[int, ...]


_EXPANDED: OrderedDict[tuple, _Expanded] = OrderedDict()
_LOCK = threading.Lock()
WINDOWS_KEPT = 512


def _window_key(location: ProgrammeOf, start: date, end: date) -> tuple:
    """The programme version (read with the location in this request) moves on with every change
    of an activity, a date, a translation or a closure (`versioning`), so a kept expansion can never
    outlive the programme it was made from; the database and the location's change time tell
    installations (and test databases) apart."""
    return (db.engine.url.render_as_string(hide_password=True), location.id, location.programme_version,
            location.programme_changed_at, start, end)


def _kept_expansion(location: ProgrammeOf, start: date, end: date) -> tuple[tuple | None, _Expanded | None]:
    """The key of this window (None with unsaved changes: nothing is kept then) and its kept
    expansion, if any."""
    key = None if unsaved_changes() else _window_key(location, start, end)
    with _LOCK:
        expanded = _EXPANDED.get(key) if key is not None else None
        if expanded is not None:
            _EXPANDED.move_to_end(key)
    return key, expanded


def _activities_by_id(ids: set[int]) -> list[Activity]:
    return list(db.session.execute(
        db.select(Activity).where(Activity.id.in_(ids))
        .options(selectinload(Activity.host), selectinload(Activity.translations))
    ).scalars())


def occurrences_between(location: Location, start: date, end: date) -> list[Scheduled]:
    """Every occurrence at `location` whose date lies in [start, end], cancelled ones included."""
    return programme_between(location, start, end).scheduled


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


# An activity counts as "running" from a little before its start, when people arrive for coffee.
RUNNING_LEAD = timedelta(minutes=15)


def todays_programme(location: Location, day: date) -> list[Scheduled]:
    """The activities that take place at `location` on `day` (cancelled ones left out)."""
    return [s for s in occurrences_between(location, day, day) if not s.occurrence.cancelled]


def running_now(programme: list[Scheduled], now: datetime) -> Scheduled | None:
    """The activity going on at `now` (aware): the one that started last, if several overlap."""
    running = _running([s.occurrence for s in programme], now)
    return next(s for s in programme if s.occurrence is running) if running else None


def running_on(location: ProgrammeOf, now: datetime) -> int | None:
    """The id of the activity `running_now` would pick, from the kept expansion alone (no activity
    or location loaded): part of the key of a kept page that marks it "Nu"."""
    day = now.date()
    _key, expanded = _kept_expansion(location, day, day)
    occurrences = (expanded.occurrences if expanded is not None else
                   [s.occurrence for s in programme_between(db.get_or_404(Location, location.id), day, day).scheduled])
    running = _running(occurrences, now)
    return running.key if running else None


def _running(occurrences: Sequence[schedule.Occurrence], now: datetime) -> schedule.Occurrence | None:
    going = [o for o in occurrences if not o.cancelled and o.start - RUNNING_LEAD <= now < o.end]
    return max(going, key=lambda o: o.start) if going else None


def occurrence_on(location: Location, activity: Activity | None, day: date) -> Scheduled | None:
    """The activity's (not cancelled) occurrence on `day`, if any.

    The same expansion as `occurrences_between`, restricted to one activity: every kiosk scan asks
    this, and loading the whole programme for it would cost more than the check-in itself.
    """
    if activity is None or activity.location_id != location.id:
        return None
    changes = db.session.execute(
        db.select(ActivityChange).where(ActivityChange.activity_id == activity.id,
                                        or_(ActivityChange.original_date == day, ActivityChange.new_date == day))
    ).scalars()
    found = schedule.expand([series_of(activity)], [date_change(c) for c in changes],
                            [closure_span(c) for c in closures_between(location, day, day)], day, day)
    return next((Scheduled(activity, o) for o in found if not o.cancelled), None)
