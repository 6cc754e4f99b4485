"""The calendar feed read by Mozilla's ical.js (Thunderbird and many web calendars), run with Node.js.

For the next ten weeks and the clock-change weeks of 2026 and 2027 within the feed's horizon, every occurrence ical.js finds in
`/bop/<slug>/agenda.ics` must start and end at the same UTC instant as the agenda's
(`occurrences_between`), moved, cancelled and closed dates included.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bop.clock import TZ, local_today
from bop.extensions import db
from bop.planning.agenda import FEED_WEEKS_BACK
from bop.planning.models import ActivityChange, Closure
from bop.planning.programme import occurrences_between

JS = Path(__file__).parent / "js"
NODE = shutil.which("node") or "/usr/bin/node"
# The Sundays the clocks change, and the windows around them: the week before and the week after.
DST_SUNDAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


@pytest.fixture(scope="module")
def ical_js() -> Path:
    """The node script, with ical.js installed from the lockfile if `make test` has not done so."""
    if not Path(NODE).exists():
        pytest.fail("Node.js is needed for this test (Debian: apt-get install nodejs npm)")
    if not (JS / "node_modules" / "ical.js").is_dir():
        subprocess.run(["npm", "ci", "--prefix", str(JS), "--no-audit", "--no-fund"], check=True,
                       capture_output=True)
    return JS / "occurrences.mjs"


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


@pytest.fixture
def programme(bop, make_activity):
    """A mixed programme: weekly, fortnightly, monthly and Sunday series, with exceptions both
    in the coming weeks and in the DST weeks."""
    today, long_ago = local_today(), date(2026, 1, 5)
    coffee = make_activity(location=bop, title="Koffieochtend", rrule="FREQ=WEEKLY;BYDAY=TU",
                           first_date=long_ago, start_time=time(10, 0), duration_minutes=120)
    make_activity(location=bop, title="Taalcafé", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                  first_date=date(2026, 1, 8), start_time=time(14, 0), duration_minutes=90)
    make_activity(location=bop, title="Gezondheidsuur", rrule="FREQ=MONTHLY;BYDAY=1WE",
                  first_date=long_ago, start_time=time(9, 30), duration_minutes=60)
    sunday = make_activity(location=bop, title="Zondagwandeling", rrule="FREQ=WEEKLY;BYDAY=SU",
                           first_date=long_ago, start_time=time(11, 0), duration_minutes=60)
    make_activity(location=bop, title="Buurtavond", rrule=f"FREQ=WEEKLY;BYDAY={'MOTUWETHFRSASU'[today.weekday() * 2:][:2]}",
                  first_date=today - timedelta(weeks=3), start_time=time(19, 30), duration_minutes=90)

    tuesday = next_weekday(today, 1)
    changes = [
        # Coming weeks: a move to another day and time, a time-only move, a cancellation.
        ActivityChange(activity=coffee, original_date=tuesday, new_date=tuesday + timedelta(days=1),
                       new_start_time=time(13, 0)),
        ActivityChange(activity=coffee, original_date=tuesday + timedelta(weeks=1), new_start_time=time(15, 0)),
        ActivityChange(activity=coffee, original_date=tuesday + timedelta(weeks=2), cancelled=True,
                       reason="Studiedag"),
        # DST weeks: moved across a clock change, moved onto the switch Sunday, cancelled.
        ActivityChange(activity=coffee, original_date=date(2026, 10, 20), new_date=date(2026, 10, 27)
                       - timedelta(days=1), new_start_time=time(16, 0)),
        ActivityChange(activity=coffee, original_date=date(2027, 3, 23), new_date=date(2027, 3, 28)),
        ActivityChange(activity=sunday, original_date=date(2027, 10, 31), cancelled=True, reason="Storm"),
        ActivityChange(activity=sunday, original_date=date(2026, 3, 29), new_start_time=time(14, 0)),
    ]
    db.session.add_all(changes)
    db.session.add(Closure(location=bop, first_date=date(2027, 3, 31), last_date=date(2027, 4, 1), reason="Pasen"))
    db.session.add(Closure(location=bop, first_date=today + timedelta(weeks=5),
                           last_date=today + timedelta(weeks=6), reason="Kerstvakantie"))
    db.session.commit()
    return bop


def windows() -> list[tuple[date, date]]:
    """The next ten weeks and every clock-change week the feed still speaks for: it carries the
    exceptions of the last FEED_WEEKS_BACK weeks and later (older ones no longer matter to a
    subscriber, and leaving them out keeps the feed the same size in year five)."""
    today = local_today()
    horizon = today - timedelta(weeks=FEED_WEEKS_BACK)
    return [(today, today + timedelta(weeks=10))] + [
        (s - timedelta(days=7), s + timedelta(days=7)) for s in DST_SUNDAYS if s - timedelta(days=7) >= horizon]


def agenda(location, first: date, last: date) -> set[tuple[str, str, str]]:
    return {
        (f"activity-{s.activity.id}@localhost", utc(s.occurrence.start), utc(s.occurrence.end))
        for s in occurrences_between(location, first, last)
        if not s.occurrence.cancelled
    }


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_with_ical_js(script: Path, feed: Path, first: date, last: date) -> set[tuple[str, str, str]]:
    start = datetime.combine(first, time.min, tzinfo=TZ)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=TZ)
    out = subprocess.run([NODE, str(script), str(feed), utc(start), utc(end)], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return {(o["uid"], o["start"], o["end"]) for o in map(json.loads, out.splitlines())}


def test_ical_js_agrees_with_the_agenda(client, programme, ical_js, tmp_path):
    response = client.get("/bop/rijn-en-vliet/agenda.ics")
    assert response.status_code == 200
    feed = tmp_path / "agenda.ics"
    feed.write_bytes(response.data)

    total = 0
    for first, last in windows():
        expected = agenda(programme, first, last)
        assert read_with_ical_js(ical_js, feed, first, last) == expected, (first, last)
        total += len(expected)
    assert total > 40  # the windows really hold a programme

    # The exceptions are in those windows, as the agenda shows them.
    [moved] = [s for s in occurrences_between(programme, date(2026, 10, 26), date(2026, 10, 26))
               if s.activity.title == "Koffieochtend"]
    assert utc(moved.occurrence.start) == "2026-10-26T15:00:00.000Z"  # 16:00 winter time
    [onto_sunday] = [s for s in occurrences_between(programme, date(2027, 3, 28), date(2027, 3, 28))
                     if s.activity.title == "Koffieochtend"]
    assert utc(onto_sunday.occurrence.start) == "2027-03-28T08:00:00.000Z"  # 10:00 summer time
    assert [s.occurrence.cancelled for s in occurrences_between(programme, date(2027, 10, 31), date(2027, 10, 31))
            if s.activity.title == "Zondagwandeling"] == [True]
