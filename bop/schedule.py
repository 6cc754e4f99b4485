"""Occurrence expansion: activities' RFC 5545 rules minus per-date changes and closures.

Pure code: plain values in, plain values out, no Flask and no database. All wall-clock times are
Europe/Amsterdam; an activity at 10:00 stays at 10:00 across the DST switch.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Series:
    """An activity's recurrence in plain values."""

    key: int                  # the activity's id
    rrule: str                # RRULE value without prefix, e.g. "FREQ=WEEKLY;BYDAY=TU,TH"
    first_date: date          # DTSTART's date
    last_date: date | None    # inclusive; None = open-ended
    start_time: time
    duration: timedelta


@dataclass(frozen=True)
class DateChange:
    key: int                  # the activity's id
    original_date: date
    cancelled: bool = False
    reason: str = ""
    new_date: date | None = None
    new_start_time: time | None = None


@dataclass(frozen=True)
class ClosureSpan:
    first_date: date
    last_date: date           # inclusive
    reason: str = ""


@dataclass(frozen=True)
class Occurrence:
    key: int                  # the activity's id
    original_date: date       # the date the rule produced (RECURRENCE-ID)
    start: datetime           # aware, Europe/Amsterdam; the moved time when moved
    end: datetime
    cancelled: bool = False
    reason: str = ""          # public reason when cancelled (own or the closure's)
    moved: bool = False

    @property
    def date(self) -> date:
        return self.start.date()
