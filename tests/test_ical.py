"""Unit tests for bop.ical: build a feed, read it back with icalendar, expand it like a client."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from bop.clock import TZ
from bop.planning.ical import FeedEvent, build_calendar
from bop.planning.schedule import ClosureSpan, DateChange, Series, build_rrule, expand

D = date
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def series(rule="FREQ=WEEKLY;BYDAY=TU", first=D(2026, 3, 2), last=None, at=time(10), minutes=120, key=1):
    return Series(key=key, rrule=rule, first_date=first, last_date=last, start_time=at,
                  duration=timedelta(minutes=minutes))


def feed_event(s, changes=(), closures=(), **kw):
    values = dict(uid=f"activity-{s.key}@bop.test", title="Koffie en praten", description="Iedereen welkom.",
                  location="Buurthuis De Vliet, Rijnstraat 1", url=f"https://bop.test/a/{s.key}")
    values.update(kw)
    return FeedEvent(series=s, changes=list(changes), closures=list(closures), **values)


def build(*events, name="BOP Rijn en Vliet", now=NOW):
    raw = build_calendar(name, events, now)
    assert isinstance(raw, bytes)
    return raw, Calendar.from_ical(raw)


def vevents(cal):
    return [c for c in cal.walk("VEVENT")]


def master_and_overrides(cal, uid):
    found = [e for e in vevents(cal) if str(e["UID"]) == uid]
    masters = [e for e in found if "RECURRENCE-ID" not in e]
    assert len(masters) == 1
    return masters[0], [e for e in found if "RECURRENCE-ID" in e]


def exdates(vevent):
    """All EXDATE values, whether icalendar parsed one property or several."""
    prop = vevent.get("EXDATE")
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    return [value.dt for p in props for value in p.dts]


def client_view(cal, start: date, end: date):
    """Expand the parsed feed the way a calendar client does: RRULE minus EXDATE, then overrides.

    Returns sorted (uid, start, end) for instances whose start date lies in [start, end].
    """
    result = []
    for uid in sorted({str(e["UID"]) for e in vevents(cal)}):
        master, overrides = master_and_overrides(cal, uid)
        dtstart, dtend = master.decoded("DTSTART"), master.decoded("DTEND")
        if "RRULE" not in master:
            instances = {dtstart: (dtstart, dtend)}
        else:
            rules = rruleset()
            rules.rrule(rrulestr(master["RRULE"].to_ical().decode(), dtstart=dtstart))
            for excluded in exdates(master):
                rules.exdate(excluded)
            length = dtend.astimezone(UTC) - dtstart.astimezone(UTC)
            lo = datetime.combine(start - timedelta(days=400), time.min, tzinfo=TZ)
            hi = datetime.combine(end + timedelta(days=400), time.max, tzinfo=TZ)
            instances = {
                moment: (moment, (moment.astimezone(UTC) + length).astimezone(TZ))
                for moment in rules.between(lo, hi, inc=True)
            }
        for override in overrides:
            instances[override.decoded("RECURRENCE-ID")] = (override.decoded("DTSTART"), override.decoded("DTEND"))
        result += [(uid, s, e) for s, e in instances.values() if start <= s.date() <= end]
    return sorted(result, key=lambda item: (item[1], item[0]))


def agenda_view(events, start, end):
    """What the website shows as happening (not struck out), in the same shape as client_view."""
    uids = {e.series.key: e.uid for e in events}
    occurrences = expand([e.series for e in events], [c for e in events for c in e.changes],
                         {c for e in events for c in e.closures}, start, end)
    return sorted(((uids[o.key], o.start, o.end) for o in occurrences if not o.cancelled),
                  key=lambda item: (item[1], item[0]))


# --------------------------------------------------------------------------- structure


def test_calendar_properties_and_vtimezone():
    raw, cal = build(feed_event(series()))
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert str(cal["VERSION"]) == "2.0"
    assert "BOP" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "BOP Rijn en Vliet"
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"
    assert vtimezone.walk("DAYLIGHT") and vtimezone.walk("STANDARD")
    # The VTIMEZONE comes before the events that use it, and is the conventional one: a yearly rule
    # per observance, no RDATE lists (which Mozilla's ical.js reads only the first date of).
    assert raw.index(b"BEGIN:VTIMEZONE") < raw.index(b"BEGIN:VEVENT")
    [daylight], [standard] = vtimezone.walk("DAYLIGHT"), vtimezone.walk("STANDARD")
    assert daylight["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert standard["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert b"RDATE" not in raw
    assert not cal.get_missing_tzids()


def test_vtimezone_offsets_match_zoneinfo():
    _, cal = build(feed_event(series()))
    tz = cal.walk("VTIMEZONE")[0].to_tz()
    for moment in (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12), datetime(2030, 7, 15, 12)):
        assert tz.utcoffset(moment) == TZ.utcoffset(moment)


@pytest.mark.parametrize("year", range(1997, 2041))
def test_vtimezone_gives_zoneinfo_offset_every_hour(year):
    """The written rules equal the zoneinfo database for every hour of every year a feed reaches
    (if the EU ever changes its clock rules, this fails and the feed must carry the new ones)."""
    _, cal = build()
    rules = cal.walk("VTIMEZONE")[0].to_tz()
    moment, wrong = datetime(year, 1, 1, tzinfo=UTC), []
    while moment.year == year:
        local = moment.astimezone(TZ)
        if local.utcoffset() != rules.utcoffset(local.replace(tzinfo=None, fold=local.fold)):
            wrong.append(moment)
        moment += timedelta(hours=1)
    assert wrong == []


def test_empty_feed_is_valid():
    raw, cal = build()
    assert vevents(cal) == []
    assert cal.walk("VTIMEZONE")


def test_event_fields_dtstamp_and_escaping():
    title = "Koffie, thee; en praten\nmet de buren"
    raw, cal = build(feed_event(series(), title=title, description="Lang " * 40, location="Zaal 1, boven"))
    [event] = vevents(cal)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == "Lang " * 40
    assert str(event["LOCATION"]) == "Zaal 1, boven"
    assert str(event["URL"]) == "https://bop.test/a/1"
    assert event.decoded("DTSTAMP") == NOW
    assert b"DTSTAMP:20260301T120000Z" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded by icalendar


def test_naive_now_is_utc():
    raw, _ = build(feed_event(series()), now=datetime(2026, 3, 1, 12, 0))
    assert b"DTSTAMP:20260301T120000Z" in raw


def test_optional_fields_left_out_when_empty():
    _, cal = build(feed_event(series(), description="", location="", url=""))
    [event] = vevents(cal)
    assert "DESCRIPTION" not in event and "LOCATION" not in event and "URL" not in event


def test_master_dtstart_is_the_first_rule_date_with_tzid():
    # first_date is Monday 2 March; the Tuesday rule first occurs on the 3rd.
    raw, cal = build(feed_event(series(first=D(2026, 3, 2))))
    [event] = vevents(cal)
    assert event.decoded("DTSTART") == datetime(2026, 3, 3, 10, tzinfo=TZ)
    assert event.decoded("DTEND") == datetime(2026, 3, 3, 12, tzinfo=TZ)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert b"DTSTART;TZID=Europe/Amsterdam:20260303T100000" in raw
    assert b"RRULE:FREQ=WEEKLY;BYDAY=TU\r\n" in raw  # open-ended: copied as is, no UNTIL


def test_until_in_utc_when_last_date_set():
    raw, cal = build(feed_event(series(last=D(2026, 6, 30))))
    [event] = vevents(cal)
    until = event["RRULE"]["UNTIL"][0]
    assert until == datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST
    assert b"UNTIL=20260630T215959Z" in raw
    # Winter: CET is UTC+1.
    raw, _ = build(feed_event(series(last=D(2026, 12, 15))))
    assert b"UNTIL=20261215T225959Z" in raw


def test_count_becomes_until_when_bounded():
    raw, cal = build(feed_event(series("FREQ=WEEKLY;BYDAY=TU;COUNT=10", last=D(2026, 3, 20))))
    assert b"COUNT" not in raw
    assert b"UNTIL=20260317T225959Z" in raw  # the last rule date before last_date, 17 March
    assert [s.date() for _, s, _ in client_view(cal, D(2026, 1, 1), D(2026, 12, 31))] == [
        D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17)]


def test_series_without_any_date_is_left_out():
    # A Tuesday rule that starts and ends on a Monday produces nothing.
    _, cal = build(feed_event(series(first=D(2026, 3, 2), last=D(2026, 3, 2))))
    assert vevents(cal) == []


# --------------------------------------------------------------------------- exceptions


def test_weekly_over_four_weeks_minus_cancellation_and_with_move():
    changes = [DateChange(1, D(2026, 3, 10), cancelled=True, reason="Begeleider ziek"),
               DateChange(1, D(2026, 3, 17), new_date=D(2026, 3, 19), new_start_time=time(14))]
    event = feed_event(series(), changes)
    raw, cal = build(event)
    master, [override] = master_and_overrides(cal, event.uid)
    assert exdates(master) == [datetime(2026, 3, 10, 10, tzinfo=TZ)]
    assert b"EXDATE;TZID=Europe/Amsterdam:20260310T100000" in raw
    assert override.decoded("RECURRENCE-ID") == datetime(2026, 3, 17, 10, tzinfo=TZ)
    assert override["RECURRENCE-ID"].params["TZID"] == "Europe/Amsterdam"
    assert override.decoded("DTSTART") == datetime(2026, 3, 19, 14, tzinfo=TZ)
    assert override.decoded("DTEND") == datetime(2026, 3, 19, 16, tzinfo=TZ)
    assert "RRULE" not in override and str(override["SUMMARY"]) == "Koffie en praten"

    shown = [(s, e) for _, s, e in client_view(cal, D(2026, 3, 2), D(2026, 3, 29))]
    assert shown == [
        (datetime(2026, 3, 3, 10, tzinfo=TZ), datetime(2026, 3, 3, 12, tzinfo=TZ)),
        (datetime(2026, 3, 19, 14, tzinfo=TZ), datetime(2026, 3, 19, 16, tzinfo=TZ)),
        (datetime(2026, 3, 24, 10, tzinfo=TZ), datetime(2026, 3, 24, 12, tzinfo=TZ)),
    ]


def test_closure_dates_are_exdates():
    closure = ClosureSpan(D(2026, 3, 30), D(2026, 4, 12), "Meivakantie")
    _, cal = build(feed_event(series("FREQ=WEEKLY;BYDAY=TU,TH"), closures=[closure]))
    master, overrides = master_and_overrides(cal, "activity-1@bop.test")
    assert overrides == []
    assert sorted(d.date() for d in exdates(master)) == [D(2026, 3, 31), D(2026, 4, 2), D(2026, 4, 7), D(2026, 4, 9)]


def test_moved_into_closure_is_an_exdate_not_an_override():
    closure = ClosureSpan(D(2026, 3, 19), D(2026, 3, 19), "Studiedag")
    change = DateChange(1, D(2026, 3, 17), new_date=D(2026, 3, 19))
    _, cal = build(feed_event(series(), [change], [closure]))
    master, overrides = master_and_overrides(cal, "activity-1@bop.test")
    assert overrides == []
    assert exdates(master) == [datetime(2026, 3, 17, 10, tzinfo=TZ)]


def test_moved_out_of_closure_is_an_override():
    closure = ClosureSpan(D(2026, 3, 16), D(2026, 3, 18), "Verbouwing")
    change = DateChange(1, D(2026, 3, 17), new_date=D(2026, 3, 19))
    _, cal = build(feed_event(series(), [change], [closure]))
    master, [override] = master_and_overrides(cal, "activity-1@bop.test")
    assert exdates(master) == []
    assert override.decoded("DTSTART").date() == D(2026, 3, 19)


def test_cancelled_move_is_an_exdate():
    change = DateChange(1, D(2026, 3, 17), cancelled=True, new_date=D(2026, 3, 19))
    _, cal = build(feed_event(series(), [change]))
    master, overrides = master_and_overrides(cal, "activity-1@bop.test")
    assert overrides == [] and exdates(master) == [datetime(2026, 3, 17, 10, tzinfo=TZ)]


def test_unmatched_and_foreign_changes_are_not_in_the_feed():
    changes = [DateChange(1, D(2026, 3, 11), cancelled=True),       # a Wednesday: not a rule date
               DateChange(2, D(2026, 3, 10), cancelled=True)]       # another activity's change
    raw, cal = build(feed_event(series(), changes))
    assert b"EXDATE" not in raw and b"RECURRENCE-ID" not in raw


def test_exdate_on_a_dst_sunday_keeps_the_wall_clock_time():
    s = series("FREQ=WEEKLY;BYDAY=SU", first=D(2026, 3, 1))
    change = DateChange(1, D(2026, 3, 29), cancelled=True)
    raw, cal = build(feed_event(s, [change]))
    assert b"EXDATE;TZID=Europe/Amsterdam:20260329T100000" in raw
    shown = [st for _, st, _ in client_view(cal, D(2026, 3, 20), D(2026, 4, 6))]
    assert shown == [datetime(2026, 3, 22, 10, tzinfo=TZ), datetime(2026, 4, 5, 10, tzinfo=TZ)]
    assert [st.utcoffset() for st in shown] == [timedelta(hours=1), timedelta(hours=2)]


def test_master_has_exact_duration_even_if_first_instance_spans_the_switch():
    # 00:30 for three hours, first on the spring-forward Sunday: wall-clock end 03:30 would make
    # every later instance two hours long in a client.
    s = series("FREQ=WEEKLY;BYDAY=SU", first=D(2026, 3, 29), at=time(0, 30), minutes=180)
    _, cal = build(feed_event(s))
    [event] = vevents(cal)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 3, 29, 0, 30, tzinfo=TZ)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=3)


# --------------------------------------------------------------------------- one-off activities


def test_once_is_a_plain_event():
    s = series(build_rrule("once"), first=D(2026, 5, 6), at=time(19, 30), minutes=90, key=7)
    raw, cal = build(feed_event(s))
    [event] = vevents(cal)
    assert "RRULE" not in event and b"RRULE" not in raw[raw.index(b"BEGIN:VEVENT"):]
    assert event.decoded("DTSTART") == datetime(2026, 5, 6, 19, 30, tzinfo=TZ)
    assert event.decoded("DTEND") == datetime(2026, 5, 6, 21, 0, tzinfo=TZ)


def test_once_moved_and_once_cancelled():
    s = series(build_rrule("once"), first=D(2028, 2, 29), key=7)
    _, cal = build(feed_event(s, [DateChange(7, D(2028, 2, 29), new_date=D(2028, 3, 1), new_start_time=time(9))]))
    [event] = vevents(cal)
    assert "RECURRENCE-ID" not in event
    assert event.decoded("DTSTART") == datetime(2028, 3, 1, 9, tzinfo=TZ)
    _, cal = build(feed_event(s, [DateChange(7, D(2028, 2, 29), cancelled=True)]))
    assert vevents(cal) == []
    _, cal = build(feed_event(s, closures=[ClosureSpan(D(2028, 2, 28), D(2028, 3, 3))]))
    assert vevents(cal) == []


# --------------------------------------------------------------------------- feed == agenda


SCENARIOS = {
    "plain weekly": [feed_event(series())],
    "biweekly two days with moves, cancellations and closures": [feed_event(
        series("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", first=D(2026, 1, 1), last=D(2026, 12, 31)),
        [DateChange(1, D(2026, 3, 12), cancelled=True, reason="ziek"),
         DateChange(1, D(2026, 3, 24), new_date=D(2026, 3, 25), new_start_time=time(13)),
         DateChange(1, D(2026, 4, 7), new_date=D(2026, 4, 9)),
         DateChange(1, D(2026, 5, 5), new_date=D(2026, 4, 22)),  # moved earlier, out of a closure
         DateChange(1, D(2026, 3, 10), new_date=D(2026, 2, 20))],  # moved before the window
        [ClosureSpan(D(2026, 4, 8), D(2026, 4, 12), "Pasen"), ClosureSpan(D(2026, 5, 1), D(2026, 5, 10), "Mei")])],
    "monthly last Friday across DST": [feed_event(series("FREQ=MONTHLY;BYDAY=-1FR", first=D(2026, 1, 1), at=time(19)))],
    "two activities": [
        feed_event(series(key=1), [DateChange(1, D(2026, 3, 31), cancelled=True)]),
        feed_event(series("FREQ=WEEKLY;BYDAY=SU,SA", key=2, at=time(23, 30), minutes=90),
                   [DateChange(2, D(2026, 3, 28), new_start_time=time(21))],
                   [ClosureSpan(D(2026, 10, 24), D(2026, 10, 24))]),
        feed_event(series(build_rrule("once"), first=D(2026, 4, 1), key=3)),
    ],
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_feed_shows_what_the_agenda_shows(name):
    events = SCENARIOS[name]
    _, cal = build(*events)
    window = (D(2026, 3, 1), D(2026, 11, 30))
    assert client_view(cal, *window) == agenda_view(events, *window)
    assert client_view(cal, *window)  # the scenario is not vacuous


def test_output_is_deterministic_and_every_vevent_has_required_properties():
    events = SCENARIOS["two activities"]
    first, cal = build(*events)
    again, _ = build(*events)
    assert first == again
    for event in vevents(cal):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
    assert len(vevents(cal)) == 4  # two masters, one override, one one-off


def test_biweekly_weekend_states_the_week_start():
    # Saturday and Sunday are one week with WKST=MO but two with WKST=SU: the feed must say which.
    s = series("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", first=D(2026, 3, 7))
    event = feed_event(s)
    raw, cal = build(event)
    assert b"WKST=MO" in raw
    window = (D(2026, 3, 1), D(2026, 3, 31))
    assert [st.date() for _, st, _ in client_view(cal, *window)] == [
        D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 21), D(2026, 3, 22)]
    assert client_view(cal, *window) == agenda_view([event], *window)
