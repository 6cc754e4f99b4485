"""The figures of an attendance report as plain values, and how two periods compare.

Pure code: the database queries (`queries.py`) fill these in; views, exports and the chart read
them. No Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .periods import Bucket, Period

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


@dataclass
class Totals:
    """Visits are every check-in (a headcount of 3 is 3 visits); `unique` counts named visitors
    only: guests and headcounts have no name and are never in it."""

    visits: int = 0
    named: int = 0          # check-ins of visitors with a card or phone
    guests: int = 0         # "Nieuw? Tik hier" without a name, and old check-ins made anonymous
    headcount: int = 0      # "+1 bezoeker"
    unique: int = 0         # different named visitors
    first_time: int = 0     # named visitors whose very first visit here falls in the period

    @property
    def returning(self) -> int:
        return self.unique - self.first_time


@dataclass
class ActivityRow:
    label: str
    visits: int
    unique: int


@dataclass
class Overview:
    period: Period
    totals: Totals
    activities: list[ActivityRow] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=lambda: [0] * 7)
    sources: dict[str, int] = field(default_factory=dict)     # how newcomers heard of the BOP
    buckets: list[Bucket] = field(default_factory=list)
    trend: list[int] = field(default_factory=list)            # visits per bucket
    locations: list[tuple[str, int]] = field(default_factory=list)  # (BOP, visits) for several BOPs


@dataclass(frozen=True)
class Change:
    now: int
    before: int

    @property
    def delta(self) -> int:
        return self.now - self.before

    @property
    def percent(self) -> int | None:
        """Whole percent change; None when there was nothing before (no division by zero)."""
        if not self.before:
            return None
        return round(100 * (self.now - self.before) / self.before)

    @property
    def text(self) -> str:
        sign = "+" if self.delta > 0 else ""
        if self.percent is None:
            return f"{sign}{self.delta}"
        return f"{sign}{self.delta} ({sign}{self.percent}%)"


def compare(now: Totals, before: Totals) -> dict[str, Change]:
    names = ("visits", "named", "guests", "headcount", "unique", "first_time", "returning")
    return {name: Change(getattr(now, name), getattr(before, name)) for name in names}


def attendance_line(counts: list[int]) -> str:
    """The planner's glance: '12 · 9 · 14 · 11', oldest week first."""
    return " · ".join(str(n) for n in counts)
