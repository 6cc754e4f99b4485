"""Report periods: the last full week, month, quarter or year, any range, the period before, and
the buckets (weeks or months) a trend chart is drawn in.

Pure code: dates in, dates out; no Flask, no database. Labels are Dutch (staff pages are Dutch).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTH_NAMES = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december"]
SHORTCUTS = ("week", "month", "quarter", "year")
MAX_DAYS = 5 * 366 + 1      # a report spans at most five years
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
WEEKLY_UP_TO_DAYS = 92      # a trend over up to a quarter is drawn per week, longer per month


@dataclass(frozen=True)
class Period:
    """The days `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period just before, to compare with: the month, quarter or year before a whole one,
        otherwise the same number of days right before."""
        first, last = self.first, self.last
        if first.day == 1 and (last + timedelta(days=1)).day == 1:
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            start = _add_months(first, -months)
            return Period(start, first - timedelta(days=1))
        return Period(first - timedelta(days=self.days), first - timedelta(days=1))

    def label(self) -> str:
        first, last = self.first, self.last
        if first.day == 1 and (last + timedelta(days=1)).day == 1:
            if first.month == 1 and last.month == 12 and first.year == last.year:
                return str(first.year)
            if first.year == last.year and first.month == last.month:
                return f"{MONTH_NAMES[first.month - 1]} {first.year}"
        return f"{_day(first)} t/m {_day(last)}"

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Bucket:
    """One bar of the trend chart: a week or a month, clipped to the period."""

    label: str
    first: date
    last: date


def _day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    return Period(first, _add_months(first, 1) - timedelta(days=1))


def shortcut(kind: str, today: date) -> Period:
    """The last *full* week (Monday to Sunday), month, quarter or year before today."""
    if kind == "week":
        monday = today - timedelta(days=today.weekday() + 7)
        return Period(monday, monday + timedelta(days=6))
    if kind == "quarter":
        this_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        first = _add_months(this_quarter, -3)
        return Period(first, this_quarter - timedelta(days=1))
    if kind == "year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if kind == "month":
        return month_of(today.replace(day=1) - timedelta(days=1))
    raise ValueError(f"unknown period {kind!r}")


def parse_period(first: str | None, last: str | None, kind: str | None, today: date) -> Period:
    """The period a request asks for: ?from=&to= (ISO dates), else ?period=week|month|quarter|year,
    else the last full month. Raises ValueError (with a Dutch message) for a range that makes no sense."""
    if first or last:
        try:
            start = date.fromisoformat(first or "")
            end = date.fromisoformat(last or "")
        except ValueError:
            raise ValueError("Vul twee geldige datums in (jjjj-mm-dd).") from None
        if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
            raise ValueError("Kies datums tussen 2000 en 2100.")
        if end < start:
            raise ValueError("De einddatum ligt vóór de begindatum.")
        if (end - start).days + 1 > MAX_DAYS:
            raise ValueError("Kies een periode van hooguit vijf jaar.")
        return Period(start, end)
    if kind:
        if kind not in SHORTCUTS:
            raise ValueError("Deze periode ken ik niet.")
        return shortcut(kind, today)
    return shortcut("month", today)


def buckets(period: Period) -> list[Bucket]:
    """Weeks (Monday to Sunday) for a period up to a quarter, months for longer; clipped to it."""
    found: list[Bucket] = []
    if period.days <= WEEKLY_UP_TO_DAYS:
        start = period.first - timedelta(days=period.first.weekday())
        while start <= period.last:
            end = start + timedelta(days=6)
            first, last = max(start, period.first), min(end, period.last)
            found.append(Bucket(f"wk {start.isocalendar().week}", first, last))
            start = end + timedelta(days=1)
        return found
    start = period.first.replace(day=1)
    while start <= period.last:
        end = _add_months(start, 1) - timedelta(days=1)
        label = MONTHS[start.month - 1] + (f" {start.year % 100:02d}" if period.days > 366 else "")
        found.append(Bucket(label, max(start, period.first), min(end, period.last)))
        start = end + timedelta(days=1)
    return found


def fold(per_day: dict[date, int], into: list[Bucket]) -> list[int]:
    """Sum day totals into buckets (a day outside every bucket is left out)."""
    totals = [0] * len(into)
    for day, value in per_day.items():
        for i, bucket in enumerate(into):
            if bucket.first <= day <= bucket.last:
                totals[i] += value
                break
    return totals


def weekday_totals(per_day: dict[date, int]) -> list[int]:
    """Monday first."""
    totals = [0] * 7
    for day, value in per_day.items():
        totals[day.weekday()] += value
    return totals
