"""Windowed RRULE evaluation: the dates a rule produces in [lo, hi], at the same cost in a series'
fifth year as in its first week.

Pure code, used by `schedule`. dateutil's ``rrule.between`` iterates from DTSTART every time, so
an open-ended weekly series five years old walks 260 weeks for every question about one week.
Here the rule is restarted near the window instead, which gives exactly the same dates because:

- The phase of INTERVAL (which weeks, months, years or days count) is fixed by DTSTART's period.
  The restart is at the *start* of a period a whole number of intervals after DTSTART's period
  (the week start per WKST, the first of the month, 1 January, or the day itself), and never after
  the window's own period, so every period the window touches is one the original rule visits.
- BYSETPOS picks from a whole period's candidate set before dates before DTSTART are dropped;
  a restart at a period's first day leaves that set whole.
- The parts dateutil fills in from DTSTART when a rule leaves them out (the weekday of a weekly
  rule, the day of a monthly rule, the month and day of a yearly one, the time of day) are copied
  from the original rule explicitly, so the restart does not change them.
- COUNT depends on every date since DTSTART, so a counted rule is expanded once, in full, and
  kept per (rule, DTSTART); lookups are a binary search. UNTIL needs nothing special.
- HOURLY and finer rules (which an activity form never writes) keep the plain walk.

tests/test_recurrence_window.py checks the windowed answer against the plain full walk on
thousands of random rules, including windows around the clock changes.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr, weekday

from ..clock import TZ

_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


@lru_cache(maxsize=2048)
def parsed_rule(rule: str, dtstart: datetime) -> rrule:
    """Parse once per (rule, DTSTART)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    # dateutil refuses an aware UNTIL with a naive DTSTART; the iCalendar feed writes UNTIL in UTC,
    # so a rule copied back from a feed is read in local wall-clock terms here.
    def to_local(match: re.Match[str]) -> str:
        utc = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + utc.astimezone(TZ).strftime("%Y%m%dT%H%M%S")

    text = _UNTIL_UTC.sub(to_local, text)
    parsed = rrulestr(text, dtstart=dtstart)
    if not isinstance(parsed, rrule):  # pragma: no cover - rrulestr returns an rruleset only for multi-line input
        raise ValueError("expected a single RRULE")
    return parsed


def naive_dates(rule: rrule, lo: date, hi: date) -> list[date]:
    """The plain walk from DTSTART: the reference the windowed answer must equal."""
    found = rule.between(datetime.combine(lo, time.min), datetime.combine(hi, time.max), inc=True)
    return [moment.date() for moment in found]


@lru_cache(maxsize=512)
def _counted_dates(rule: rrule) -> tuple[date, ...]:
    return tuple(moment.date() for moment in rule)


def _restart_at(rule: rrule, lo: date) -> date | None:
    """The first day of the latest period, a whole number of intervals after DTSTART's period,
    that begins on or before `lo`; None when that is DTSTART's own period."""
    first = rule._dtstart.date()
    interval = rule._interval
    if rule._freq == DAILY:
        periods = (lo - first).days
        return first + timedelta(days=periods // interval * interval) if periods >= interval else None
    if rule._freq == WEEKLY:
        week0 = first - timedelta(days=(first.weekday() - rule._wkst) % 7)
        periods = (lo - week0).days // 7
        return week0 + timedelta(weeks=periods // interval * interval) if periods >= interval else None
    if rule._freq == MONTHLY:
        periods = (lo.year - first.year) * 12 + lo.month - first.month
        if periods < interval:
            return None
        month = first.month - 1 + periods // interval * interval
        return date(first.year + month // 12, month % 12 + 1, 1)
    if rule._freq == YEARLY:
        periods = lo.year - first.year
        return date(first.year + periods // interval * interval, 1, 1) if periods >= interval else None
    return None


@lru_cache(maxsize=4096)
def _restarted(rule: rrule, start: date) -> rrule:
    """The same rule with DTSTART moved to `start` and every part DTSTART implied written out."""
    weekdays = [*(rule._byweekday or ()), *(weekday(day, n) for day, n in (rule._bynweekday or ()))]
    monthdays = (*rule._bymonthday, *rule._bynmonthday)
    return rrule(
        rule._freq,
        dtstart=datetime.combine(start, rule._dtstart.time()),
        interval=rule._interval,
        wkst=rule._wkst,
        until=rule._until,
        bysetpos=rule._bysetpos,
        bymonth=rule._bymonth,
        bymonthday=monthdays or None,
        byyearday=rule._byyearday,
        byeaster=rule._byeaster,
        byweekno=rule._byweekno,
        byweekday=weekdays or None,
        byhour=rule._byhour,
        byminute=rule._byminute,
        bysecond=rule._bysecond,
    )


def window_dates(rule: rrule, lo: date, hi: date) -> list[date]:
    """The dates `rule` produces in [lo, hi] (the caller has already clipped to its own bounds)."""
    if lo > hi or (rule._until is not None and lo > rule._until.date()):
        return []
    if rule._count is not None:
        every = _counted_dates(rule)
        return list(every[bisect_left(every, lo):bisect_right(every, hi)])
    if rule._freq in (DAILY, WEEKLY, MONTHLY, YEARLY):
        start = _restart_at(rule, lo)
        if start is not None:
            return naive_dates(_restarted(rule, start), lo, hi)
    return naive_dates(rule, lo, hi)


def last_date(rule: rrule, first: date, bound: date) -> date | None:
    """The last date the rule produces in [first, bound], searching back a year at a time."""
    if rule._count is not None:
        every = _counted_dates(rule)
        found = every[bisect_left(every, first):bisect_right(every, bound)]
        return found[-1] if found else None
    hi = bound if rule._until is None else min(bound, rule._until.date())
    while hi >= first:
        lo = max(first, hi - timedelta(days=400))
        found = window_dates(rule, lo, hi)
        if found:
            return found[-1]
        hi = lo - timedelta(days=1)
    return None
