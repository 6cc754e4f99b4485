"""The windowed rule expansion gives exactly the plain walk's dates, on thousands of random rules.

`recurrence.window_dates` restarts a rule near the window instead of walking from DTSTART; these
tests compare it with dateutil's own walk from DTSTART (`naive_dates`) for random frequencies,
intervals, BYxxx parts, BYSETPOS, COUNT, UNTIL and WKST, and windows anywhere in a series' first
seven years, including the weeks of the clock changes.
"""
from __future__ import annotations

import random
from datetime import date, time, timedelta

import pytest

from bop.planning import recurrence
from bop.planning.schedule import (
    ClosureSpan,
    DateChange,
    Series,
    expand,
    first_rule_date,
    is_rule_date,
    last_rule_date,
    rule_dates,
)

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def random_rule(rnd: random.Random, first: date) -> str:
    freq = rnd.choice(["DAILY", "WEEKLY", "WEEKLY", "MONTHLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}"]
    # A rule that produces no date at all makes dateutil walk to the year 9999 (both ways alike);
    # the choices below keep every rule productive: no DAILY interval that pins one weekday
    # against a BYDAY, no BYSETPOS beyond the candidates, a day every month has.
    interval = rnd.choice([1, 2, 3, 5] if freq == "DAILY" else [1, 1, 2, 3, 4, 5, 7, 13, 52])
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if rnd.random() < 0.3:
        parts.append(f"WKST={rnd.choice(DAYS)}")
    style = rnd.random()
    if freq == "MONTHLY" and style < 0.35:
        nth = rnd.choice(["1", "2", "3", "4", "-1", "-2", "5"])
        parts.append(f"BYDAY={nth}{rnd.choice(DAYS)}")
    elif freq in ("MONTHLY", "YEARLY") and style < 0.55:
        days = rnd.sample([1, 2, 15, 28, 29, 30, 31, -1, -2], rnd.randint(1, 3))
        parts.append("BYMONTHDAY=" + ",".join(str(d) for d in sorted(set(days) | {rnd.choice([1, 15, -1])})))
    elif style < 0.8:
        weekdays = rnd.sample(DAYS, rnd.randint(1, 4))
        parts.append("BYDAY=" + ",".join(weekdays))
        if freq != "DAILY" and rnd.random() < 0.3:
            parts.append("BYSETPOS=" + rnd.choice(["1", "-1", "1,-1"]))
    # else: the weekday / day / month come from DTSTART, as dateutil fills them in
    if freq == "YEARLY" and rnd.random() < 0.5:
        parts.append("BYMONTH=" + ",".join(str(m) for m in rnd.sample(range(1, 13), rnd.randint(1, 3))))
    if freq == "YEARLY" and rnd.random() < 0.15:
        parts = [p for p in parts if not p.startswith(("BYDAY", "BYMONTHDAY", "BYMONTH"))]
        parts.append(rnd.choice(["BYWEEKNO=1,20,53;BYDAY=MO", "BYYEARDAY=1,100,-1", "BYWEEKNO=-1;BYDAY=SU"]))
    end = rnd.random()
    if end < 0.2:
        parts.append(f"COUNT={rnd.choice([1, 2, 5, 30, 200])}")
    elif end < 0.35:
        until = first + timedelta(days=rnd.randint(0, 6 * 365))
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def dst_windows(year: int) -> list[tuple[date, date]]:
    """The weeks around the last Sundays of March and October."""
    result = []
    for month in (3, 10):
        sunday = date(year, month, 31)
        sunday -= timedelta(days=(sunday.weekday() - 6) % 7)
        result.append((sunday - timedelta(days=6), sunday + timedelta(days=1)))
    return result


def reference(series: Series, lo: date, hi: date) -> list[date]:
    lo, hi = max(lo, series.first_date), hi if series.last_date is None else min(hi, series.last_date)
    if lo > hi:
        return []
    return recurrence.naive_dates(recurrence.parsed_rule(series.rrule, _dtstart(series)), lo, hi)


def _dtstart(series: Series):
    from datetime import datetime
    return datetime.combine(series.first_date, series.start_time)


CASES = 1200


@pytest.mark.parametrize("seed", range(6))
def test_windowed_rule_dates_equal_the_walk_from_dtstart(seed):
    rnd = random.Random(seed)
    checked = produced = 0
    for case in range(CASES // 6):
        first = date(2020, 1, 1) + timedelta(days=rnd.randint(0, 900))
        last = first + timedelta(days=rnd.randint(0, 7 * 365)) if rnd.random() < 0.2 else None
        rule = random_rule(rnd, first)
        series = Series(case, rule, first, last, time(rnd.choice([0, 2, 10, 23]), 30), timedelta(hours=2))
        windows = dst_windows(first.year + rnd.randint(0, 6))
        for _ in range(4):
            lo = first + timedelta(days=rnd.randint(-40, 7 * 365))
            windows.append((lo, lo + timedelta(days=rnd.choice([0, 0, 6, 30, 120]))))
        for lo, hi in windows:
            expected = reference(series, lo, hi)
            assert rule_dates(series, lo, hi) == expected, (rule, first, last, lo, hi)
            checked += 1
            produced += len(expected)
        for day in (lo, hi, lo + timedelta(days=3)):
            assert is_rule_date(series, day) == bool(reference(series, day, day)), (rule, first, day)
        bound = first + timedelta(days=rnd.randint(0, 8 * 365))
        every = reference(series, first, bound)
        assert last_rule_date(series, bound) == (every[-1] if every else None), (rule, first, last, bound)
        assert first_rule_date(series) == (reference(series, first, date(2100, 1, 1))[:1] or [None])[0]
    assert checked > 1000 and produced > 1000  # the random rules really produce dates


def test_expand_with_changes_and_closures_matches_the_reference_in_year_five():
    """Moves into and out of a window five years on, and a closure, as expand resolves them."""
    series = Series(1, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", date(2021, 3, 2), None, time(10), timedelta(hours=2))
    week = (date(2026, 3, 23), date(2026, 3, 29))  # the week the clocks go forward
    tuesday, thursday = date(2026, 3, 24), date(2026, 3, 26)
    assert reference(series, *week) == [tuesday, thursday]
    changes = [
        DateChange(1, tuesday, new_date=date(2026, 4, 1)),             # moved out of the window
        DateChange(1, date(2026, 3, 12), new_date=date(2026, 3, 29)),  # moved into it (a Sunday)
    ]
    closures = [ClosureSpan(thursday, thursday, "Vergadering")]
    found = expand([series], changes, closures, *week)
    assert [(o.original_date, o.date, o.cancelled) for o in found] == [
        (thursday, thursday, True), (date(2026, 3, 12), date(2026, 3, 29), False),
    ]
    assert found[1].start.utcoffset() == timedelta(hours=2)  # summer time on the Sunday itself
