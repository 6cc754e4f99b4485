"""The iCalendar (RFC 5545) feed of a BOP's programme: one VEVENT per activity.

Pure code: plain values in, bytes out; the view only collects FeedEvents and sets the headers.

How the per-date exceptions are written, and why:

- **Cancelled dates and dates inside a closure are EXDATEs**, not overrides with
  ``STATUS:CANCELLED``. A cancelled override is legal RFC 5545, but subscribing clients treat it
  differently: Google Calendar's feed importer sometimes ignores the status and keeps showing the
  date, some clients show it struck out, others hide it. An EXDATE removes the instance from the
  recurrence set itself, which every client we know honours. The reason for a cancellation is
  shown on the website, not in the feed.
- **A moved date is an override**: a second VEVENT with the same UID, ``RECURRENCE-ID`` = the
  original start (the wall-clock time the rule produced) and the new DTSTART/DTEND. It is *not*
  also an EXDATE: an excluded instance can no longer be overridden, and Google would drop it.
- **A moved date that lands in a closure (or that was moved and then cancelled) is an EXDATE**
  instead of an override, with exactly the rules ``bop.schedule.expand`` uses for the agenda, so
  the website and the feed never disagree (``schedule.resolve`` decides both).
- **UNTIL is in UTC** (``…Z``), as RFC 5545 requires when DTSTART has a TZID. It is 23:59:59 local
  on the last rule date, as Google writes it itself; a rule's COUNT is replaced by that UNTIL then,
  because COUNT and UNTIL must not both appear.
- **DTSTART is the first date the rule actually produces**, not the activity's first_date: RFC 5545
  leaves a recurrence set undefined when DTSTART does not match its rule, and clients then differ
  about whether DTSTART itself is an instance.
- **A series with exactly one date** (a "once" activity, or a rule whose end allows only one date)
  is written as a plain VEVENT without RRULE, at its moved time when moved, and left out when it is
  cancelled: an override of a one-instance series confuses some clients for no benefit.
- **Times are wall-clock Europe/Amsterdam** with the conventional VTIMEZONE that Outlook and Google
  emit: one STANDARD and one DAYLIGHT observance, each a DTSTART plus a yearly RRULE (last Sunday
  of October / of March). icalendar's ``Timezone.from_tzid`` writes each observance as one DTSTART
  and a long RDATE list instead; Mozilla's ical.js (Thunderbird, many web calendars) reads only the
  first date of such a list and then kept summer time until the end of the list, putting most
  winter occurrences an hour early. The rules hold for the EU since 1996; the tests check them
  against the zoneinfo database for every year a feed can reach.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from ..clock import TZ
from .schedule import (
    ClosureSpan,
    DateChange,
    Occurrence,
    Series,
    first_rule_date,
    is_rule_date,
    last_rule_date,
    resolve,
    rule_dates,
)

PRODID = "-//BOP Buurtontmoetingsplekken//Programma//NL"
REFRESH = timedelta(hours=1)          # how often subscribers should fetch the feed again


@dataclass(frozen=True)
class FeedEvent:
    """One activity as the feed needs it; the caller supplies a stable, globally unique UID."""

    series: Series
    changes: Sequence[DateChange]
    closures: Sequence[ClosureSpan]
    uid: str
    title: str
    description: str
    location: str
    url: str


def _wall(day: date, at: time) -> datetime:
    """A rule instance's start exactly as the rule writes it (no gap normalisation).

    DTSTART, RECURRENCE-ID and EXDATE must carry the wall-clock value the recurrence produces,
    otherwise a series whose first date is the spring-forward Sunday would shift every instance.
    """
    return datetime.combine(day, at, tzinfo=TZ)


_FINITE = re.compile(r"(^|;)\s*(COUNT|UNTIL)\s*=", re.IGNORECASE)


def _first_and_last(series: Series) -> tuple[date, date | None] | None:
    """The first rule date and, when the series is bounded (last_date, COUNT or UNTIL), the last;
    None when the rule produces no date at all."""
    first = first_rule_date(series)
    if first is None:
        return None
    if series.last_date is None and not _FINITE.search(series.rrule):
        return first, None
    return first, last_rule_date(series, series.last_date or date.max - timedelta(days=1))


def _exceptions(event: FeedEvent) -> list[Occurrence]:
    """The resolved occurrences that differ from the plain rule: cancelled, closed or moved."""
    series = event.series
    changes = {c.original_date: c for c in event.changes if c.key == series.key}
    originals = {day for day in changes if is_rule_date(series, day)}
    for closure in event.closures:
        originals.update(rule_dates(series, closure.first_date, closure.last_date))
    resolved = (resolve(series, day, changes.get(day), event.closures) for day in sorted(originals))
    return [occ for occ in resolved if occ.cancelled or occ.moved]


def _vevent(event: FeedEvent, start: datetime, end: datetime, now: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    return vevent


def _rrule(series: Series, last: date | None) -> vRecur:
    rule = vRecur.from_ical(series.rrule.strip().removeprefix("RRULE:").removeprefix("rrule:"))
    if last is not None:
        rule.pop("COUNT", None)
        rule.pop("UNTIL", None)
        rule["UNTIL"] = [_wall(last, time(23, 59, 59)).astimezone(UTC)]
    if rule.get("FREQ") == ["WEEKLY"] and rule.get("INTERVAL", [1]) != [1] and "WKST" not in rule:
        # Which days form "every other week" depends on the week start; say Monday (what dateutil
        # and RFC 5545 default to) rather than trust clients that assume Sunday.
        rule["WKST"] = ["MO"]
    return rule


def _components(event: FeedEvent, now: datetime) -> list[Event]:
    series = event.series
    bounds = _first_and_last(series)
    if bounds is None:
        return []  # the rule produces no date at all: nothing to publish
    first, last = bounds

    if last == first:
        change = next((c for c in event.changes if c.key == series.key and c.original_date == first), None)
        occ = resolve(series, first, change, event.closures)
        return [] if occ.cancelled else [_vevent(event, occ.start, occ.end, now)]

    start = _wall(first, series.start_time)
    # Exact duration on the master, so clients give every instance the series' length even when
    # the first instance happens to span a clock change.
    end = (start.astimezone(UTC) + series.duration).astimezone(TZ)
    master = _vevent(event, start, end, now)
    master.add("rrule", _rrule(series, last))

    exceptions = _exceptions(event)
    excluded = [_wall(occ.original_date, series.start_time) for occ in exceptions if occ.cancelled]
    if excluded:
        master.add("exdate", excluded)
    overrides = []
    for occ in exceptions:
        if occ.moved and not occ.cancelled:
            override = _vevent(event, occ.start, occ.end, now)
            override.add("recurrence-id", _wall(occ.original_date, series.start_time))
            overrides.append(override)
    return [master, *overrides]


def build_calendar(name: str, events: Iterable[FeedEvent], now: datetime) -> bytes:
    """The whole feed as bytes (CRLF line endings, folded, escaped by icalendar)."""
    stamp = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZ.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the older Microsoft spelling of REFRESH-INTERVAL

    # Always present (even in an empty feed) and first, as RFC 5545 wants it before its users.
    calendar.add_component(amsterdam_vtimezone())
    for event in events:
        for component in _components(event, stamp):
            calendar.add_component(component)
    return calendar.to_ical()


# Europe/Amsterdam as Outlook and Google write it: (kind, name, from, to, first switch, rule).
_OBSERVANCES = (
    (TimezoneDaylight, "CEST", timedelta(hours=1), timedelta(hours=2), datetime(1981, 3, 29, 2),
     "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
    (TimezoneStandard, "CET", timedelta(hours=2), timedelta(hours=1), datetime(1996, 10, 27, 3),
     "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
)


def amsterdam_vtimezone() -> Timezone:
    """The conventional, RRULE-based VTIMEZONE for Europe/Amsterdam."""
    vtimezone = Timezone()
    vtimezone.add("tzid", TZ.key)
    vtimezone.add("x-lic-location", TZ.key)
    for kind, name, offset_from, offset_to, first, rule in _OBSERVANCES:
        observance = kind()
        observance.add("tzname", name)
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        observance.add("dtstart", first)
        observance.add("rrule", vRecur.from_ical(rule))
        vtimezone.add_component(observance)
    return vtimezone

