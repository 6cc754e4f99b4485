"""Unit tests for bop.schedule: pure recurrence, no app needed."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bop.clock import TZ
from bop.planning.schedule import (
    ClosureSpan,
    DateChange,
    Series,
    build_rrule,
    expand,
    first_rule_date,
    iso_week_label,
    monday_of,
    parse_iso_week,
    rrule_fields,
    rule_dates,
    unmatched_changes,
    week_dates,
)

D = date


def series(rule="FREQ=WEEKLY;BYDAY=TU", first=D(2026, 1, 1), last=None, at=time(10), minutes=120, key=1):
    return Series(key=key, rrule=rule, first_date=first, last_date=last, start_time=at,
                  duration=timedelta(minutes=minutes))


def dates(occurrences):
    return [o.date for o in occurrences]


def utc_offset_hours(moment: datetime) -> float:
    return moment.utcoffset().total_seconds() / 3600


# --------------------------------------------------------------------------- rules


def test_weekly_single_day():
    got = expand([series()], [], [], D(2026, 3, 1), D(2026, 3, 31))
    assert dates(got) == [D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17), D(2026, 3, 24), D(2026, 3, 31)]
    assert all(o.start.hour == 10 and o.end.hour == 12 for o in got)
    assert all(o.start.tzinfo is TZ for o in got)
    assert not any(o.cancelled or o.moved for o in got)


def test_window_is_inclusive_on_both_ends():
    got = expand([series()], [], [], D(2026, 3, 3), D(2026, 3, 10))
    assert dates(got) == [D(2026, 3, 3), D(2026, 3, 10)]


def test_biweekly_counts_from_first_date():
    s = series("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", first=D(2026, 3, 3))
    assert rule_dates(s, D(2026, 3, 1), D(2026, 4, 30)) == [
        D(2026, 3, 3), D(2026, 3, 17), D(2026, 3, 31), D(2026, 4, 14), D(2026, 4, 28)]
    # The phase stays anchored on first_date even when the window starts in an "off" week.
    assert rule_dates(s, D(2026, 3, 9), D(2026, 3, 23)) == [D(2026, 3, 17)]


def test_multi_weekday_sorted_by_start_then_key():
    a = series("FREQ=WEEKLY;BYDAY=TU,TH", key=2, at=time(14))
    b = series("FREQ=WEEKLY;BYDAY=TH", key=1, at=time(14))
    c = series("FREQ=WEEKLY;BYDAY=TH", key=3, at=time(9))
    got = expand([a, b, c], [], [], D(2026, 3, 2), D(2026, 3, 8))
    assert [(o.date, o.start.hour, o.key) for o in got] == [
        (D(2026, 3, 3), 14, 2), (D(2026, 3, 5), 9, 3), (D(2026, 3, 5), 14, 1), (D(2026, 3, 5), 14, 2)]


def test_first_date_is_a_lower_bound_not_an_occurrence():
    # 2026-03-02 is a Monday; a Tuesday rule starting then first occurs on the 3rd.
    s = series(first=D(2026, 3, 2))
    assert rule_dates(s, D(2026, 2, 1), D(2026, 3, 10)) == [D(2026, 3, 3), D(2026, 3, 10)]
    assert first_rule_date(s) == D(2026, 3, 3)


def test_monthly_nth_weekday():
    s = series("FREQ=MONTHLY;BYDAY=2TH")
    assert rule_dates(s, D(2026, 1, 1), D(2026, 4, 30)) == [
        D(2026, 1, 8), D(2026, 2, 12), D(2026, 3, 12), D(2026, 4, 9)]


def test_monthly_last_weekday():
    s = series("FREQ=MONTHLY;BYDAY=-1FR")
    assert rule_dates(s, D(2026, 1, 1), D(2026, 5, 31)) == [
        D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 27), D(2026, 4, 24), D(2026, 5, 29)]


def test_once_occurs_exactly_on_first_date():
    s = series(build_rrule("once"), first=D(2026, 5, 6), at=time(19, 30), minutes=90)
    got = expand([s], [], [], D(2026, 1, 1), D(2027, 12, 31))
    assert len(got) == 1
    assert got[0].start == datetime(2026, 5, 6, 19, 30, tzinfo=TZ)
    assert got[0].end == datetime(2026, 5, 6, 21, 0, tzinfo=TZ)


def test_last_date_is_inclusive():
    s = series(last=D(2026, 3, 17))
    assert dates(expand([s], [], [], D(2026, 3, 1), D(2026, 4, 30))) == [
        D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17)]
    s = series(last=D(2026, 3, 16))
    assert dates(expand([s], [], [], D(2026, 3, 1), D(2026, 4, 30)))[-1] == D(2026, 3, 10)


def test_nothing_before_first_date_or_when_last_before_first():
    assert expand([series(first=D(2026, 6, 1))], [], [], D(2026, 3, 1), D(2026, 5, 31)) == []
    assert expand([series(first=D(2026, 6, 1), last=D(2026, 5, 1))], [], [], D(2026, 1, 1), D(2026, 12, 31)) == []
    assert first_rule_date(series(first=D(2026, 6, 1), last=D(2026, 6, 1))) is None  # a Monday


def test_empty_window():
    assert expand([series()], [], [], D(2026, 3, 11), D(2026, 3, 10)) == []


# --------------------------------------------------------------------------- daylight saving time


@pytest.mark.parametrize("sunday, before, after", [
    (D(2026, 3, 29), 1, 2), (D(2026, 10, 25), 2, 1), (D(2027, 3, 28), 1, 2), (D(2027, 10, 31), 2, 1),
])
def test_ten_oclock_stays_ten_oclock_across_switch(sunday, before, after):
    s = series("FREQ=WEEKLY;BYDAY=SA,SU,MO", first=D(2026, 1, 1))
    got = expand([s], [], [], sunday - timedelta(days=1), sunday + timedelta(days=1))
    assert dates(got) == [sunday - timedelta(days=1), sunday, sunday + timedelta(days=1)]
    assert [o.start.time() for o in got] == [time(10)] * 3
    assert [o.end.time() for o in got] == [time(12)] * 3
    # The same wall-clock time is a different UTC instant: the offset changes on the Sunday.
    assert [utc_offset_hours(o.start) for o in got] == [before, after, after]
    assert [o.start.astimezone(UTC).hour for o in got] == [10 - before, 10 - after, 10 - after]
    assert all(o.end - o.start == timedelta(hours=2) for o in got)


@pytest.mark.parametrize("saturday", [D(2026, 3, 28), D(2026, 10, 24), D(2027, 3, 27), D(2027, 10, 30)])
def test_late_activity_spanning_the_switch_night(saturday):
    s = series("FREQ=WEEKLY;BYDAY=SA", at=time(23, 30), minutes=90, first=D(2026, 1, 1))
    [occ] = expand([s], [], [], saturday, saturday)
    assert occ.start == datetime.combine(saturday, time(23, 30), tzinfo=TZ)
    assert occ.end.date() == saturday + timedelta(days=1)
    assert occ.end.time() == time(1, 0)
    # 01:00 is before the 02:00/03:00 switch, so the real elapsed time is the full 90 minutes.
    assert occ.end.astimezone(UTC) - occ.start.astimezone(UTC) == timedelta(minutes=90)
    assert utc_offset_hours(occ.end) == utc_offset_hours(occ.start)


def test_duration_is_wall_clock_through_the_switch():
    # 00:30 for three hours ends at 03:30 local: 2 real hours in spring, 4 in autumn.
    s = series("FREQ=WEEKLY;BYDAY=SU", at=time(0, 30), minutes=180, first=D(2026, 1, 1))
    spring, autumn = expand([s], [], [], D(2026, 3, 29), D(2026, 3, 29)) + expand(
        [s], [], [], D(2026, 10, 25), D(2026, 10, 25))
    for occ in (spring, autumn):
        assert (occ.start.time(), occ.end.time()) == (time(0, 30), time(3, 30))
    assert spring.end.astimezone(UTC) - spring.start.astimezone(UTC) == timedelta(hours=2)
    assert autumn.end.astimezone(UTC) - autumn.start.astimezone(UTC) == timedelta(hours=4)


def test_nonexistent_local_time_is_moved_to_the_real_instant():
    s = series("FREQ=WEEKLY;BYDAY=SU", at=time(2, 30), minutes=60, first=D(2026, 1, 1))
    [occ] = expand([s], [], [], D(2026, 3, 29), D(2026, 3, 29))
    assert occ.start.time() == time(3, 30) and utc_offset_hours(occ.start) == 2
    assert occ.start.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- leap day


def test_once_on_leap_day():
    s = series(build_rrule("once"), first=D(2028, 2, 29))
    assert dates(expand([s], [], [], D(2028, 2, 1), D(2028, 3, 31))) == [D(2028, 2, 29)]


def test_yearly_from_leap_day_only_in_leap_years():
    s = series("FREQ=YEARLY", first=D(2028, 2, 29))
    assert rule_dates(s, D(2028, 1, 1), D(2036, 12, 31)) == [D(2028, 2, 29), D(2032, 2, 29), D(2036, 2, 29)]


def test_monthly_by_day_of_month_skips_impossible_dates():
    s = series("FREQ=MONTHLY", first=D(2028, 1, 29))
    assert rule_dates(s, D(2028, 1, 1), D(2028, 4, 30)) == [D(2028, 1, 29), D(2028, 2, 29), D(2028, 3, 29), D(2028, 4, 29)]
    s = series("FREQ=MONTHLY", first=D(2027, 1, 29))
    assert rule_dates(s, D(2027, 1, 1), D(2027, 4, 30)) == [D(2027, 1, 29), D(2027, 3, 29), D(2027, 4, 29)]


def test_weekly_over_leap_day():
    s = series("FREQ=WEEKLY;BYDAY=TU", first=D(2028, 1, 1))
    assert rule_dates(s, D(2028, 2, 20), D(2028, 3, 10)) == [D(2028, 2, 22), D(2028, 2, 29), D(2028, 3, 7)]


# --------------------------------------------------------------------------- changes and closures


def test_cancelled_occurrence_is_included_with_reason():
    change = DateChange(1, D(2026, 3, 10), cancelled=True, reason="Begeleider ziek")
    got = expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 17))
    assert [(o.date, o.cancelled, o.reason) for o in got] == [
        (D(2026, 3, 10), True, "Begeleider ziek"), (D(2026, 3, 17), False, "")]


def test_changes_of_other_series_do_not_leak():
    change = DateChange(2, D(2026, 3, 10), cancelled=True, reason="x")
    got = expand([series(key=1)], [change], [], D(2026, 3, 10), D(2026, 3, 10))
    assert [(o.key, o.cancelled) for o in got] == [(1, False)]


def test_move_within_window():
    change = DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 12), new_start_time=time(13, 30))
    got = expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 15))
    assert len(got) == 1
    occ = got[0]
    assert occ.moved and not occ.cancelled
    assert occ.original_date == D(2026, 3, 10)
    assert occ.start == datetime(2026, 3, 12, 13, 30, tzinfo=TZ)
    assert occ.end == datetime(2026, 3, 12, 15, 30, tzinfo=TZ)


def test_time_only_move_keeps_date():
    change = DateChange(1, D(2026, 3, 10), new_start_time=time(15))
    [occ] = expand([series()], [change], [], D(2026, 3, 10), D(2026, 3, 10))
    assert occ.moved and occ.start == datetime(2026, 3, 10, 15, tzinfo=TZ)


def test_move_to_same_date_and_time_is_not_a_move():
    change = DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 10), new_start_time=time(10))
    [occ] = expand([series()], [change], [], D(2026, 3, 10), D(2026, 3, 10))
    assert not occ.moved


def test_move_into_window_from_outside():
    # The rule date (Tue 3 March) lies before the window; the new date (Mon 9 March) inside it.
    change = DateChange(1, D(2026, 3, 3), new_date=D(2026, 3, 9))
    got = expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 15))
    assert [(o.date, o.original_date, o.moved) for o in got] == [
        (D(2026, 3, 9), D(2026, 3, 3), True), (D(2026, 3, 10), D(2026, 3, 10), False)]


def test_move_into_window_from_far_after():
    change = DateChange(1, D(2026, 12, 29), new_date=D(2026, 3, 11))
    got = expand([series()], [change], [], D(2026, 3, 11), D(2026, 3, 11))
    assert [(o.date, o.original_date) for o in got] == [(D(2026, 3, 11), D(2026, 12, 29))]


def test_move_out_of_window_is_excluded():
    change = DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 16))
    assert expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 15)) == []
    # ...and it is found in the window it moved to.
    got = expand([series()], [change], [], D(2026, 3, 16), D(2026, 3, 22))
    assert [(o.date, o.moved) for o in got] == [(D(2026, 3, 16), True), (D(2026, 3, 17), False)]


def test_change_on_a_non_rule_date_is_ignored():
    changes = [DateChange(1, D(2026, 3, 11), cancelled=True, reason="x"),          # a Wednesday
               DateChange(1, D(2026, 3, 12), new_date=D(2026, 3, 13))]
    got = expand([series()], changes, [], D(2026, 3, 9), D(2026, 3, 15))
    assert [(o.date, o.cancelled, o.moved) for o in got] == [(D(2026, 3, 10), False, False)]


def test_move_into_window_from_before_first_date_is_ignored():
    change = DateChange(1, D(2025, 12, 30), new_date=D(2026, 3, 11))  # before first_date
    assert expand([series()], [change], [], D(2026, 3, 11), D(2026, 3, 11)) == []


def test_closure_cancels_with_its_reason():
    closure = ClosureSpan(D(2026, 3, 10), D(2026, 3, 17), "Voorjaarsvakantie")
    got = expand([series()], [], [closure], D(2026, 3, 1), D(2026, 3, 31))
    assert [(o.date, o.cancelled, o.reason) for o in got] == [
        (D(2026, 3, 3), False, ""), (D(2026, 3, 10), True, "Voorjaarsvakantie"),
        (D(2026, 3, 17), True, "Voorjaarsvakantie"), (D(2026, 3, 24), False, ""), (D(2026, 3, 31), False, "")]


def test_closure_covers_moved_occurrence():
    closure = ClosureSpan(D(2026, 3, 12), D(2026, 3, 12), "Studiedag")
    change = DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 12))
    [occ] = expand([series()], [change], [closure], D(2026, 3, 9), D(2026, 3, 15))
    assert occ.moved and occ.cancelled and occ.reason == "Studiedag"
    assert occ.date == D(2026, 3, 12)


def test_move_out_of_closure_escapes_it():
    closure = ClosureSpan(D(2026, 3, 9), D(2026, 3, 11), "Verbouwing")
    change = DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 12))
    [occ] = expand([series()], [change], [closure], D(2026, 3, 9), D(2026, 3, 15))
    assert occ.moved and not occ.cancelled and occ.reason == ""


def test_own_reason_wins_over_closure():
    closure = ClosureSpan(D(2026, 3, 1), D(2026, 3, 31), "Verbouwing")
    changes = [DateChange(1, D(2026, 3, 10), cancelled=True, reason="Begeleider ziek"),
               DateChange(1, D(2026, 3, 17), cancelled=True, reason="")]
    got = expand([series()], changes, [closure], D(2026, 3, 10), D(2026, 3, 24))
    assert [(o.date, o.cancelled, o.reason) for o in got] == [
        (D(2026, 3, 10), True, "Begeleider ziek"),
        (D(2026, 3, 17), True, "Verbouwing"),       # no own reason: the closure's explains it
        (D(2026, 3, 24), True, "Verbouwing")]


def test_cancelled_move_is_struck_out_on_the_new_date():
    change = DateChange(1, D(2026, 3, 10), cancelled=True, reason="Toch niet", new_date=D(2026, 3, 12))
    [occ] = expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 15))
    assert (occ.date, occ.moved, occ.cancelled, occ.reason) == (D(2026, 3, 12), True, True, "Toch niet")


def test_uncancelled_change_carries_no_reason():
    change = DateChange(1, D(2026, 3, 10), cancelled=False, reason="oude tekst", new_date=D(2026, 3, 11))
    [occ] = expand([series()], [change], [], D(2026, 3, 9), D(2026, 3, 15))
    assert occ.reason == "" and not occ.cancelled


def test_unmatched_changes_after_edit():
    changes = [DateChange(1, D(2026, 3, 10), cancelled=True), DateChange(1, D(2026, 3, 17), new_date=D(2026, 3, 18)),
               DateChange(2, D(2026, 3, 11), cancelled=True)]
    before = series("FREQ=WEEKLY;BYDAY=TU")
    assert unmatched_changes(before, changes) == []
    after = series("FREQ=WEEKLY;BYDAY=WE")  # the worker moved the activity to Wednesdays
    assert unmatched_changes(after, reversed(changes)) == changes[:2]
    ended = series("FREQ=WEEKLY;BYDAY=TU", last=D(2026, 3, 12))  # ... or ended it early
    assert unmatched_changes(ended, changes) == [changes[1]]


# --------------------------------------------------------------------------- ISO weeks


def test_parse_iso_week():
    assert parse_iso_week("2026-W48") == D(2026, 11, 23)
    assert parse_iso_week("2026-W01") == D(2025, 12, 29)  # week 1 starts in the previous year
    assert parse_iso_week("2020-W53") == D(2020, 12, 28)
    assert parse_iso_week(" 2026-W53 ".replace("53", "52")) == D(2026, 12, 21)


@pytest.mark.parametrize("text", [
    "2026-W60", "2026-W00", "abc", "", "2026-W53-extra", "2026W48", "2026-w48x", "26-W48",
    "2027-W53", "1999-W10", "2101-W01", "2026-W5",
])
def test_parse_iso_week_rejects(text):
    with pytest.raises(ValueError):
        parse_iso_week(text)


def test_week_53_exists_only_in_long_years():
    # 2026 has 53 ISO weeks (it starts on a Thursday); 2027 does not.
    assert parse_iso_week("2026-W53") == D(2026, 12, 28)
    with pytest.raises(ValueError):
        parse_iso_week("2027-W53")
    with pytest.raises(ValueError):
        parse_iso_week("2025-W53")


def test_iso_week_label_uses_iso_year():
    assert iso_week_label(D(2026, 11, 23)) == "2026-W48"
    assert iso_week_label(D(2026, 11, 29)) == "2026-W48"
    assert iso_week_label(D(2025, 12, 29)) == "2026-W01"  # a December day in next year's week 1
    assert iso_week_label(D(2027, 1, 3)) == "2026-W53"    # a January day in last year's week 53
    assert iso_week_label(D(2021, 1, 1)) == "2020-W53"
    assert iso_week_label(D(2026, 1, 5)) == "2026-W02"


def test_label_and_parse_round_trip_over_years():
    day = D(2000, 1, 3)
    while day < D(2100, 12, 1):
        assert parse_iso_week(iso_week_label(day)) == monday_of(day)
        day += timedelta(days=5)


def test_week_helpers():
    assert monday_of(D(2026, 11, 29)) == D(2026, 11, 23)
    assert monday_of(D(2026, 11, 23)) == D(2026, 11, 23)
    assert week_dates(D(2026, 12, 28)) == [D(2026, 12, 28) + timedelta(days=i) for i in range(7)]
    assert week_dates(D(2026, 12, 28))[-1] == D(2027, 1, 3)


# --------------------------------------------------------------------------- form helpers


@pytest.mark.parametrize("args, rule", [
    (("weekly", [1]), "FREQ=WEEKLY;BYDAY=TU"),
    (("weekly", [3, 1], 2), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
    (("weekly", [6, 0, 0]), "FREQ=WEEKLY;BYDAY=MO,SU"),
    (("weekly", [4], 52), "FREQ=WEEKLY;INTERVAL=52;BYDAY=FR"),
    (("monthly", [3], 1, 2), "FREQ=MONTHLY;BYDAY=2TH"),
    (("monthly", [4], 1, -1), "FREQ=MONTHLY;BYDAY=-1FR"),
    (("monthly", [0], 3, 1), "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO"),
    (("once",), "FREQ=DAILY;COUNT=1"),
])
def test_build_rrule_and_back(args, rule):
    assert build_rrule(*args) == rule
    fields = rrule_fields(rule)
    assert build_rrule(fields["kind"], fields["weekdays"], fields["interval"], fields["nth"]) == rule


def test_rrule_fields_values():
    assert rrule_fields("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH") == {
        "kind": "weekly", "weekdays": [1, 3], "interval": 2, "nth": None}
    assert rrule_fields("FREQ=MONTHLY;BYDAY=-1SU") == {
        "kind": "monthly", "weekdays": [6], "interval": 1, "nth": -1}
    assert rrule_fields("FREQ=DAILY;COUNT=1") == {"kind": "once", "weekdays": [], "interval": 1, "nth": None}
    assert rrule_fields("RRULE:freq=weekly;byday=mo") == {
        "kind": "weekly", "weekdays": [0], "interval": 1, "nth": None}
    assert rrule_fields("FREQ=MONTHLY;BYDAY=+2TH")["nth"] == 2


@pytest.mark.parametrize("args", [
    ("weekly", []), ("weekly", [1], 0), ("weekly", [1], 53), ("weekly", [7]), ("weekly", [-1]),
    ("monthly", [], 1, 1), ("monthly", [1, 2], 1, 1), ("monthly", [1], 1, None), ("monthly", [1], 1, 5),
    ("monthly", [1], 1, 0), ("monthly", [1], 1, -2), ("daily", [1]), ("", []),
])
def test_build_rrule_errors(args):
    with pytest.raises(ValueError) as info:
        build_rrule(*args)
    assert str(info.value)  # a short reason the view can log or show


@pytest.mark.parametrize("rule", [
    "FREQ=YEARLY", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=TU",
    "FREQ=MONTHLY;BYDAY=2TU,3TU", "FREQ=MONTHLY;BYDAY=5TU", "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    "FREQ=WEEKLY;INTERVAL=x;BYDAY=TU", "FREQ=DAILY;COUNT=2", "garbage", "FREQ=WEEKLY;BYDAY=XX",
])
def test_rrule_fields_rejects_what_the_form_cannot_express(rule):
    with pytest.raises(ValueError):
        rrule_fields(rule)


def test_built_rules_expand():
    weekly = series(build_rrule("weekly", [1, 3], 2), first=D(2026, 3, 2))
    assert rule_dates(weekly, D(2026, 3, 1), D(2026, 3, 31)) == [
        D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 17), D(2026, 3, 19), D(2026, 3, 31)]
    monthly = series(build_rrule("monthly", [2], 1, -1), first=D(2026, 1, 1))
    assert rule_dates(monthly, D(2026, 1, 1), D(2026, 3, 31)) == [D(2026, 1, 28), D(2026, 2, 25), D(2026, 3, 25)]


def test_rule_with_utc_until_from_a_feed_is_read_in_local_time():
    # 2026-03-17 10:00 CET == 09:00 UTC; a rule copied from the feed must still include that date.
    s = series("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260317T090000Z")
    assert rule_dates(s, D(2026, 3, 1), D(2026, 4, 30)) == [D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17)]


def test_many_series_over_a_year():
    # Not a timing assertion (see bench/); checks that a realistic load produces the right count.
    many = [series("FREQ=WEEKLY;BYDAY=TU,TH", key=k, first=D(2024, 1, 1)) for k in range(30)]
    got = expand(many, [], [], D(2026, 1, 1), D(2026, 12, 31))
    assert len(got) == 30 * 105  # 2026 has 53 Thursdays and 52 Tuesdays


# --------------------------------------------------------------------------- consistency


def test_monthly_last_weekday_lands_on_leap_day():
    s = series("FREQ=MONTHLY;BYDAY=-1TU", first=D(2028, 1, 1))
    assert rule_dates(s, D(2028, 2, 1), D(2028, 2, 29)) == [D(2028, 2, 29)]


def test_same_rule_different_first_date_keeps_its_own_phase():
    # Parsed rules are cached on (rule, DTSTART); two series must not share a phase.
    a = series("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", first=D(2026, 3, 3), key=1)
    b = series("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", first=D(2026, 3, 10), key=2)
    assert rule_dates(a, D(2026, 3, 1), D(2026, 3, 31)) == [D(2026, 3, 3), D(2026, 3, 17), D(2026, 3, 31)]
    assert rule_dates(b, D(2026, 3, 1), D(2026, 3, 31)) == [D(2026, 3, 10), D(2026, 3, 24)]


def test_accepts_one_shot_iterables():
    changes = [DateChange(1, D(2026, 3, 3), new_date=D(2026, 3, 9))]
    closures = [ClosureSpan(D(2026, 3, 17), D(2026, 3, 17), "Dicht")]
    got = expand(iter([series()]), iter(changes), iter(closures), D(2026, 3, 9), D(2026, 3, 17))
    assert [(o.date, o.moved, o.cancelled) for o in got] == [
        (D(2026, 3, 9), True, False), (D(2026, 3, 10), False, False), (D(2026, 3, 17), False, True)]


def test_week_by_week_equals_the_whole_year():
    """Splitting the window never loses or duplicates an occurrence, moves across weeks included."""
    all_series = [
        series("FREQ=WEEKLY;BYDAY=TU,TH", key=1),
        series("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", key=2, at=time(23, 30), minutes=90),
        series("FREQ=MONTHLY;BYDAY=-1FR", key=3, last=D(2026, 10, 1)),
        series(build_rrule("once"), key=4, first=D(2026, 6, 1)),
    ]
    changes = [
        DateChange(1, D(2026, 3, 5), new_date=D(2026, 3, 9)),          # Thursday -> next Monday
        DateChange(1, D(2026, 3, 10), new_date=D(2026, 3, 8)),         # Tuesday -> previous Sunday
        DateChange(1, D(2026, 12, 31), new_date=D(2027, 1, 4)),        # out of the year entirely
        DateChange(1, D(2025, 12, 30), new_date=D(2026, 1, 2)),        # before first_date: ignored
        DateChange(2, D(2026, 3, 29), cancelled=True, reason="Klok"),
        DateChange(3, D(2026, 5, 29), new_date=D(2026, 6, 1), new_start_time=time(8)),
        DateChange(4, D(2026, 6, 1), new_date=D(2026, 5, 25)),
        DateChange(4, D(2026, 6, 2), cancelled=True),                  # not a rule date: ignored
    ]
    closures = [ClosureSpan(D(2026, 7, 20), D(2026, 8, 30), "Zomer"), ClosureSpan(D(2026, 3, 9), D(2026, 3, 9), "")]
    year = expand(all_series, changes, closures, D(2026, 1, 1), D(2026, 12, 31))
    by_week = []
    monday = monday_of(D(2026, 1, 1))
    while monday <= D(2026, 12, 31):
        by_week += expand(all_series, changes, closures, monday, monday + timedelta(days=6))
        monday += timedelta(days=7)
    by_week = [o for o in by_week if D(2026, 1, 1) <= o.date <= D(2026, 12, 31)]
    assert by_week == year
    assert len({(o.key, o.original_date) for o in year}) == len(year)
    moved = {o.original_date: o.date for o in year if o.moved}
    assert moved == {D(2026, 3, 5): D(2026, 3, 9), D(2026, 3, 10): D(2026, 3, 8),
                     D(2026, 5, 29): D(2026, 6, 1), D(2026, 6, 1): D(2026, 5, 25)}
    assert not any(o.original_date == D(2026, 12, 31) and o.key == 1 for o in year)
    assert [o for o in year if o.date == D(2026, 3, 9)][0].cancelled  # moved into a closure
    assert all(o.cancelled for o in year if D(2026, 7, 20) <= o.date <= D(2026, 8, 30))
