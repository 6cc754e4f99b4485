"""Years of visits, as rows for bulk inserts: the check-ins (and their scans) of the demo city
(`demo_city.py`) and of the benchmark's data sets (`bench/datasets.py`).

Visits fall on the real occurrences of a BOP's programme (its rules minus cancelled dates and
closures, expanded by `planning.schedule`) or on a weekday's drop-in; named visitors come within
the weeks or years they came at all, mostly to their home BOP; guests and headcounts have no name.
Rows are written with Core `insert()` in batches of `BATCH` (executemany), never held all at once.
"""
from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from ..accounts.models import Location
from ..checkin.models import CheckIn, Scan
from ..clock import TZ, local_day, utcnow
from ..extensions import db
from ..planning import schedule
from ..planning.models import Activity, ActivityChange, Closure
from ..planning.programme import closure_span, date_change, series_of, todays_programme
from ..visitors.models import Visitor
from .demo_city_words import SOURCES

BATCH = 20_000
DROP_IN = time(10, 0)


@dataclass
class PlannedVisitor:
    id: int
    home_id: int | None
    organisation_id: int
    first: date          # the weeks or years in which they came
    last: date
    name: str = ""
    language: str = ""
    phone: str = ""


@dataclass
class History:
    """The changed dates and closures written so far, per activity and location, in plain values."""

    started: date
    today: date
    changes: int = 0
    closures: int = 0
    _changes: dict[int, list[schedule.DateChange]] = field(default_factory=dict)
    _closures: dict[int, list[schedule.ClosureSpan]] = field(default_factory=dict)

    _dates: dict[int, list[date]] = field(default_factory=dict)

    def rule_dates(self, activity: Activity) -> list[date]:
        """The dates the activity's rule gives from the start of the history to 8 weeks ahead."""
        if activity.id not in self._dates:
            self._dates[activity.id] = schedule.rule_dates(series_of(activity), self.started,
                                                           self.today + timedelta(weeks=8))
        return self._dates[activity.id]

    def add_changes(self, rows: list[dict]) -> None:
        for row in rows:
            self._changes.setdefault(row["activity_id"], []).append(schedule.DateChange(
                key=row["activity_id"], original_date=row["original_date"], cancelled=row["cancelled"],
                new_date=row["new_date"], new_start_time=row["new_start_time"]))
        self.changes += len(rows)

    def add_closures(self, location_id: int, rows: list[dict]) -> None:
        self._closures.setdefault(location_id, []).extend(
            schedule.ClosureSpan(row["first_date"], row["last_date"]) for row in rows)
        self.closures += len(rows)

    def load_existing(self) -> None:
        """The changed dates and closures already in the database (the demo's), in one query each."""
        for change in db.session.execute(select(ActivityChange)).scalars():
            self._changes.setdefault(change.activity_id, []).append(date_change(change))
        for closure in db.session.execute(select(Closure)).scalars():
            self._closures.setdefault(closure.location_id, []).append(closure_span(closure))

    def changes_of(self, activity: Activity) -> list[schedule.DateChange]:
        return self._changes.get(activity.id, [])

    def closures_of(self, location: Location) -> list[schedule.ClosureSpan]:
        return self._closures.get(location.id, [])


Slot = tuple[int, time]   # (activity id or 0 for the drop-in, local start time)


def occurrence_days(location: Location, history: History, started: date, today: date) -> dict[date, list[Slot]]:
    """Every day before today the BOP was open, with what took place: the dates of its activities'
    rules minus cancelled dates and closures (a moved date counts on its new day), or, on a weekday
    without any, the drop-in alone. The rule dates are `History`'s, computed once per activity."""
    closures = history.closures_of(location)
    closed = {first + timedelta(days=n) for first, last in ((c.first_date, c.last_date) for c in closures)
              for n in range((last - first).days + 1)}
    end = today - timedelta(days=1)
    days: dict[date, list[Slot]] = {}
    for activity in location.activities:
        changes = {c.original_date: c for c in history.changes_of(activity)}
        for day in history.rule_dates(activity):
            change = changes.get(day)
            at = activity.start_time
            if change is not None:
                if change.cancelled:
                    continue
                day, at = change.new_date or day, change.new_start_time or at
            if started <= day <= end and day not in closed:
                days.setdefault(day, []).append((activity.id, at))
    day = started
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            days.setdefault(day, [])
        day += timedelta(days=1)
    return days


@dataclass
class Place:
    """A BOP as the visits see it: when it was open, who calls it home, who else may come."""

    id: int
    organisation_id: int
    days: dict[date, list[Slot]]
    home: list[PlannedVisitor]
    organisation: list[PlannedVisitor]
    today: list[Slot] = field(default_factory=list)   # today's activities


class Visits:
    """Check-ins and scans, generated and written in batches."""

    def __init__(self, rnd: random.Random, today: date, progress: Callable[[str], None] = lambda _: None):
        self.rnd, self.day, self.progress = rnd, today, progress
        self.rows: list[dict] = []
        self.scan_rows: list[dict] = []
        self.written = self.scans = 0
        self._offsets: dict[date, timedelta] = {}
        self._reported = 0

    def _utc(self, day: date, at: time, minutes: int) -> datetime:
        offset = self._offsets.get(day)
        if offset is None:
            offset = self._offsets[day] = datetime.combine(day, time(12), tzinfo=TZ).utcoffset()
        return datetime.combine(day, at) - offset + timedelta(minutes=minutes)

    def _visitor(self, place: Place, day: date) -> PlannedVisitor | None:
        for _ in range(20):
            pool = place.home if place.home and self.rnd.random() < 0.8 else place.organisation
            if not pool:
                return None
            person = self.rnd.choice(pool)
            if person.first <= day <= person.last:
                return person
        return None

    def history(self, place: Place, count: int) -> None:
        """`count` check-ins on the days before today the BOP was open."""
        days = sorted(place.days)
        seen: set[tuple[int, date, int]] = set()
        rnd = self.rnd
        for _ in range(count if days else 0):
            day = rnd.choice(days)
            slots = place.days[day]
            slot, at = rnd.choice(slots) if slots and rnd.random() < 0.8 else (0, DROP_IN)
            self._one(place, day, slot, self._utc(day, at, rnd.randrange(-10, 45)), seen)

    def today(self, place: Place, count: int, now: datetime | None = None) -> None:
        """`count` check-ins so far today: four in five named, at today's activities or the drop-in."""
        now = now or utcnow()
        midnight = self._utc(self.day, time(0), 0)
        slots = place.today or [(0, DROP_IN)]
        seen: set[tuple[int, date, int]] = set()
        for k in range(count):
            slot = slots[k % len(slots)][0] if k % 3 else 0
            moment = max(midnight, now - timedelta(minutes=self.rnd.randrange(0, 120)))
            self._one(place, self.day, slot, moment, seen, named=k % 5 != 4)

    def _one(self, place: Place, day: date, slot: int, moment: datetime, seen: set, named: bool | None = None) -> None:
        rnd = self.rnd
        kind = rnd.random()
        if named is None:
            named = kind >= 0.2
        person = None
        if named:
            for _ in range(3):
                person = self._visitor(place, day)
                if person is None or (person.id, day, slot) not in seen:
                    break
                person = None
        if person is not None:
            seen.add((person.id, day, slot))
            method = "card" if kind < 0.8 else ("phone" if kind < 0.93 else "staff")
        else:
            method = "headcount" if kind < 0.08 else "guest"
        self.rows.append({"location_id": place.id, "day": day, "slot": slot, "activity_id": slot or None,
                          "visitor_id": person.id if person else None,
                          "count": rnd.randint(1, 4) if method == "headcount" else 1, "method": method,
                          "source": rnd.choice(SOURCES) if method == "guest" else "", "client_time": None,
                          "server_time": moment, "device_id": None, "staff_id": None})
        if method == "card" and rnd.random() < 0.5:
            self._scan(place.id, slot, moment, "ok", "")
            if rnd.random() < 0.01:   # a card of another organisation, a typo
                self._scan(place.id, slot, moment, "unknown", secrets.token_hex(8).upper())
        if len(self.rows) >= BATCH:
            self.flush()

    def _scan(self, location_id: int, slot: int, moment: datetime, status: str, raw: str) -> None:
        self.scan_rows.append({"nonce": secrets.token_hex(12), "location_id": location_id, "device_id": None,
                               "raw_code": raw, "status": status, "activity_id": slot or None, "checkin_id": None,
                               "client_time": None, "server_time": moment})

    def flush(self) -> None:
        if self.rows:
            db.session.execute(insert(CheckIn.__table__), self.rows)
            self.written += len(self.rows)
            self.rows = []
        if self.scan_rows:
            db.session.execute(insert(Scan.__table__), self.scan_rows)
            self.scans += len(self.scan_rows)
            self.scan_rows = []
        if self.written - self._reported >= 100_000:
            self._reported = self.written
            self.progress(f"  {self.written:,} check-ins written")


def todays_slots(location: Location, day: date) -> list[Slot]:
    return [(s.activity.id, s.occurrence.start.time()) for s in todays_programme(location, day)]


def add_today(location: Location, count: int, rnd: random.Random | None = None, now: datetime | None = None) -> int:
    """`count` check-ins so far today at `location`, by its organisation's visitors (the caller
    commits). The benchmark gives the plain demo the same as the city has."""
    now = now or utcnow()
    day = local_day(now)
    rows = db.session.execute(select(Visitor.id, Visitor.home_location_id)
                              .where(Visitor.organisation_id == location.organisation_id).order_by(Visitor.id))
    people = [PlannedVisitor(visitor_id, home_id, location.organisation_id, day, day) for visitor_id, home_id in rows]
    place = Place(location.id, location.organisation_id, {}, [p for p in people if p.home_id == location.id], people,
                  todays_slots(location, day))
    visits = Visits(rnd or random.Random(1), day)
    visits.today(place, count, now)
    visits.flush()
    return visits.written
