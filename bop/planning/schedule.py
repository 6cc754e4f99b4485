"""Occurrence expansion: activities' RFC 5545 rules minus per-date changes and closures.

Pure code: plain values in, plain values out, no Flask and no database. All wall-clock times are
Europe/Amsterdam; an activity at 10:00 stays at 10:00 across the DST switch.

Semantics worth knowing (the tests pin each of them down):

- ``first_date`` is the rule's DTSTART date but only a lower bound: a weekly rule on Tuesdays that
  starts on a Monday first occurs on the Tuesday after (dateutil's reading, which is what a worker
  filling in a form means). ``last_date`` is an inclusive upper bound.
- Times are wall-clock: the rule runs on naive local datetimes, which are only then made aware in
  Europe/Amsterdam. The end is the start plus the duration *on the wall clock*, so "00:30 for three
  hours" ends at 03:30 local even in the night the clocks move. A local time that does not exist
  (02:30 on the last Sunday of March) is moved forward to the real time it denotes (03:30 CEST);
  an ambiguous one (02:30 on the last Sunday of October) takes the first, summer-time reading.
- Impossible dates are skipped, never clamped, as RFC 5545 says: a yearly rule that starts on
  29 February only occurs in leap years, a monthly rule on the 30th skips February.
- A cancelled occurrence is still returned (``cancelled=True``) so the agenda can strike it out.
- A moved occurrence lives on its new date/time only; ``original_date`` keeps the rule date
  (the RECURRENCE-ID in iCalendar terms).
- A closure cancels whatever actually happens inside it, moved occurrences included. The
  occurrence's own cancellation reason wins over the closure's; an empty own reason falls back to
  the closure's.
- Changes whose ``original_date`` the rule does not produce (any more) are ignored by ``expand``;
  ``unmatched_changes`` lists them so the worker can see and fix them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..clock import TZ
from .recurrence import last_date, parsed_rule, window_dates


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


# --------------------------------------------------------------------------- rule evaluation


def local(day: date, at: time) -> datetime:
    """The aware Europe/Amsterdam datetime for a wall-clock date and time.

    Round-tripping through UTC turns a non-existent spring-forward time into the real instant's
    local reading (02:30 -> 03:30 CEST) instead of a datetime that prints an impossible time.
    """
    return datetime.combine(day, at, tzinfo=TZ).astimezone(UTC).astimezone(TZ)


def _span(day: date, at: time, duration: timedelta) -> tuple[datetime, datetime]:
    naive = datetime.combine(day, at)
    end = naive + duration  # wall-clock arithmetic on purpose, see the module docstring
    return local(day, at), local(end.date(), end.time())


def _rule_of(series: Series):
    return parsed_rule(series.rrule, datetime.combine(series.first_date, series.start_time))


def rule_dates(series: Series, start: date, end: date) -> list[date]:
    """The dates the rule produces in [start, end], bounded by first_date and last_date.

    The cost depends on the window, not on the series' age (see `recurrence`).
    """
    lo = max(start, series.first_date)
    hi = end if series.last_date is None else min(end, series.last_date)
    if lo > hi:
        return []
    return window_dates(_rule_of(series), lo, hi)


def is_rule_date(series: Series, day: date) -> bool:
    return bool(rule_dates(series, day, day))


def first_rule_date(series: Series) -> date | None:
    """The first date the rule produces, or None when it produces none at all."""
    first = _rule_of(series).after(datetime.combine(series.first_date, time.min), inc=True)
    if first is None or (series.last_date is not None and first.date() > series.last_date):
        return None
    return first.date()


def last_rule_date(series: Series, bound: date) -> date | None:
    """The last date the rule produces on or before `bound` (and last_date), or None."""
    hi = bound if series.last_date is None else min(bound, series.last_date)
    return last_date(_rule_of(series), series.first_date, hi)


# --------------------------------------------------------------------------- occurrences


def _closure_for(day: date, closures: Sequence[ClosureSpan]) -> ClosureSpan | None:
    for closure in closures:
        if closure.first_date <= day <= closure.last_date:
            return closure
    return None


def resolve(
    series: Series, original_date: date, change: DateChange | None, closures: Sequence[ClosureSpan]
) -> Occurrence:
    """The occurrence for one rule date after applying its change (if any) and the closures.

    The caller guarantees that ``original_date`` is a rule date; the iCalendar feed uses this to
    decide per date between EXDATE and a RECURRENCE-ID override with exactly expand's logic.
    """
    day, at = original_date, series.start_time
    cancelled, reason, moved = False, "", False
    if change is not None:
        day = change.new_date or original_date
        at = change.new_start_time or series.start_time
        moved = (day, at) != (original_date, series.start_time)
        cancelled, reason = change.cancelled, change.reason if change.cancelled else ""
    closure = _closure_for(day, closures)
    if closure is not None:
        cancelled = True
        reason = reason or closure.reason
    start, end = _span(day, at, series.duration)
    return Occurrence(
        key=series.key, original_date=original_date, start=start, end=end,
        cancelled=cancelled, reason=reason, moved=moved,
    )


def expand(
    series: Iterable[Series],
    changes: Iterable[DateChange],
    closures: Iterable[ClosureSpan],
    start: date,
    end: date,
) -> list[Occurrence]:
    """Every occurrence whose actual date lies in [start, end], sorted by (start, key)."""
    closure_list = list(closures)
    by_key: dict[int, dict[date, DateChange]] = {}
    for change in changes:
        by_key.setdefault(change.key, {})[change.original_date] = change

    result: list[Occurrence] = []
    for one in series:
        own = by_key.get(one.key, {})
        originals = set(rule_dates(one, start, end))
        # A date moved into the window from outside it: only its change knows about it.
        for original, change in own.items():
            new_day = change.new_date or original
            if original not in originals and start <= new_day <= end and is_rule_date(one, original):
                originals.add(original)
        for original in originals:
            occurrence = resolve(one, original, own.get(original), closure_list)
            if start <= occurrence.date <= end:  # drops dates moved out of the window
                result.append(occurrence)
    result.sort(key=lambda o: (o.start, o.key, o.original_date))
    return result


def unmatched_changes(series: Series, changes: Iterable[DateChange]) -> list[DateChange]:
    """This series' changes whose original date the rule no longer produces, oldest first."""
    return sorted(
        (c for c in changes if c.key == series.key and not is_rule_date(series, c.original_date)),
        key=lambda c: c.original_date,
    )


# --------------------------------------------------------------------------- ISO weeks

_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")  # not \d: that also matches non-ASCII digits


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week written as "2026-W48"; ValueError for anything else."""
    match = _WEEK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an ISO week like 2026-W48: {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100:
        raise ValueError(f"year out of range 2000-2100: {year}")
    monday = date.fromisocalendar(year, week, 1) if 1 <= week <= 53 else None
    # fromisocalendar accepts week 53 only in long years; re-check anyway so no rollover slips by.
    if monday is None or monday.isocalendar()[:2] != (year, week):
        raise ValueError(f"week {week} does not exist in {year}")
    return monday


def iso_week_label(day: date) -> str:
    """ "2026-W48" for any day of that week; the year is the ISO year (2027-01-01 is 2026-W53)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_dates(monday: date) -> list[date]:
    return [monday + timedelta(days=offset) for offset in range(7)]


# --------------------------------------------------------------------------- form helpers

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
KINDS = ("weekly", "monthly", "once")


def build_rrule(kind: str, weekdays: Sequence[int] = (), interval: int = 1, nth: int | None = None) -> str:
    """The RRULE value for the activity form's choices (weekdays: 0 = Monday .. 6 = Sunday)."""
    if kind == "once":
        return "FREQ=DAILY;COUNT=1"
    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind!r}")
    days = sorted(set(weekdays))
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise ValueError("weekdays must be 0 (Monday) to 6 (Sunday)")
    if not isinstance(interval, int) or not 1 <= interval <= 52:
        raise ValueError("interval must be between 1 and 52")
    every = "" if interval == 1 else f";INTERVAL={interval}"
    if kind == "weekly":
        if not days:
            raise ValueError("weekly needs at least one weekday")
        return f"FREQ=WEEKLY{every};BYDAY=" + ",".join(_DAY_CODES[d] for d in days)
    if len(days) != 1:
        raise ValueError("monthly needs exactly one weekday")
    if nth not in (1, 2, 3, 4, -1):
        raise ValueError("nth must be 1, 2, 3, 4 or -1 (last)")
    return f"FREQ=MONTHLY{every};BYDAY={nth}{_DAY_CODES[days[0]]}"


_BYDAY = re.compile(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)")


def rrule_fields(rule: str) -> dict:
    """The inverse of build_rrule: {"kind", "weekdays", "interval", "nth"} to fill the edit form.

    Raises ValueError for rules the form cannot express (the view can then show the raw rule).
    """
    parts: dict[str, str] = {}
    for piece in rule.strip().upper().removeprefix("RRULE:").split(";"):
        if piece:
            name, sep, value = piece.partition("=")
            if not sep:
                raise ValueError(f"malformed rule part: {piece!r}")
            parts[name] = value
    freq = parts.pop("FREQ", None)
    if freq == "DAILY" and parts == {"COUNT": "1"}:
        return {"kind": "once", "weekdays": [], "interval": 1, "nth": None}
    try:
        interval = int(parts.pop("INTERVAL", "1"))
    except ValueError:
        raise ValueError("INTERVAL is not a number") from None
    byday = [_BYDAY.fullmatch(code) for code in parts.pop("BYDAY", "").split(",") if code]
    if parts or not byday or None in byday or not 1 <= interval <= 52:
        raise ValueError(f"rule not expressible in the form: {rule!r}")
    weekdays = sorted({_DAY_CODES.index(m.group(2)) for m in byday})
    if freq == "WEEKLY" and all(m.group(1) is None for m in byday):
        return {"kind": "weekly", "weekdays": weekdays, "interval": interval, "nth": None}
    if freq == "MONTHLY" and len(byday) == 1 and byday[0].group(1) is not None:
        nth = int(byday[0].group(1))
        if nth in (1, 2, 3, 4, -1):
            return {"kind": "monthly", "weekdays": weekdays, "interval": interval, "nth": nth}
    raise ValueError(f"rule not expressible in the form: {rule!r}")
