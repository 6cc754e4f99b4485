"""The report's counts, computed by the database (GROUP BY), never by looping over check-ins.

Each function runs a handful of aggregate queries over `checkin` restricted to some locations and
days (the covering index `ix_checkin_report`); Python only folds the per-day sums (at most a few hundred
rows) into weeks, months and weekdays.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from ..accounts.models import Location
from ..checkin.models import CheckIn, Method
from ..planning.models import Activity
from . import periods
from .ladder_models import LadderConsent, LadderStep
from .models import RoundOpen
from .periods import Period
from .stats import ActivityRow, Overview, Totals

DROP_IN = "Inloop (geen activiteit)"


def _where(location_ids: list[int], period: Period):
    return and_(CheckIn.location_id.in_(location_ids), CheckIn.day.between(period.first, period.last))


def totals(session: Session, location_ids: list[int], period: Period) -> Totals:
    where = _where(location_ids, period)
    named = func.coalesce(func.sum(case((CheckIn.visitor_id.is_not(None), CheckIn.count), else_=0)), 0)
    heads = func.coalesce(func.sum(case(
        (and_(CheckIn.visitor_id.is_(None), CheckIn.method == Method.HEADCOUNT.value), CheckIn.count), else_=0)), 0)
    visits, named_visits, headcount, unique = session.execute(
        select(func.coalesce(func.sum(CheckIn.count), 0), named, heads, func.count(distinct(CheckIn.visitor_id)))
        .where(where)
    ).one()
    # First-timers: seen in the period, and never at these BOPs before it. The distinct visitors of
    # the period first (a few thousand at most), then one index probe each: for an organisation's
    # year this is ~25x faster than testing every check-in row (bench/bench_insight.py).
    seen = select(CheckIn.visitor_id).where(where, CheckIn.visitor_id.is_not(None)).distinct().subquery()
    earlier = aliased(CheckIn)
    first_time = session.execute(
        select(func.count()).select_from(seen).where(
            ~exists().where(earlier.visitor_id == seen.c.visitor_id, earlier.location_id.in_(location_ids),
                            earlier.day < period.first))
    ).scalar_one()
    return Totals(visits=visits, named=named_visits, headcount=headcount, guests=visits - named_visits - headcount,
                  unique=unique, first_time=first_time)


def per_day(session: Session, location_ids: list[int], period: Period) -> dict[date, int]:
    rows = session.execute(
        select(CheckIn.day, func.sum(CheckIn.count)).where(_where(location_ids, period)).group_by(CheckIn.day))
    return {day: int(n) for day, n in rows}


def per_activity(session: Session, location_ids: list[int], period: Period, *, with_place: bool) -> list[ActivityRow]:
    rows = session.execute(
        select(CheckIn.activity_id, CheckIn.location_id, func.sum(CheckIn.count),
               func.count(distinct(CheckIn.visitor_id)))
        .where(_where(location_ids, period)).group_by(CheckIn.activity_id, CheckIn.location_id)
    ).all()
    ids = {r[0] for r in rows if r[0] is not None}
    titles = dict(session.execute(select(Activity.id, Activity.title).where(Activity.id.in_(ids))).all()) if ids else {}
    places = dict(session.execute(select(Location.id, Location.name).where(Location.id.in_(location_ids))).all())
    found = []
    for activity_id, location_id, visits, unique in rows:
        label = titles.get(activity_id, DROP_IN)
        if with_place:
            label = f"{label} · {places.get(location_id, '')}"
        found.append(ActivityRow(label, int(visits), int(unique)))
    return sorted(found, key=lambda r: (-r.visits, r.label))


def sources(session: Session, location_ids: list[int], period: Period) -> dict[str, int]:
    """How newcomers heard of the BOP: the answer a newcomer gave at their first check-in."""
    rows = session.execute(
        select(CheckIn.source, func.sum(CheckIn.count)).where(_where(location_ids, period), CheckIn.source != "")
        .group_by(CheckIn.source))
    return {source: int(n) for source, n in rows}


def per_location(session: Session, location_ids: list[int], period: Period) -> dict[int, int]:
    rows = session.execute(
        select(CheckIn.location_id, func.sum(CheckIn.count)).where(_where(location_ids, period))
        .group_by(CheckIn.location_id))
    return {location_id: int(n) for location_id, n in rows}


def overview(session: Session, locations: list, period: Period) -> Overview:
    """Everything the report page and the exports show, for one BOP or several together."""
    ids = [location.id for location in locations]
    days = per_day(session, ids, period)
    chosen = periods.buckets(period)
    result = Overview(
        period=period, totals=totals(session, ids, period),
        activities=per_activity(session, ids, period, with_place=len(ids) > 1),
        weekdays=periods.weekday_totals(days), sources=sources(session, ids, period),
        buckets=chosen, trend=periods.fold(days, chosen),
    )
    if len(ids) > 1:
        counts = per_location(session, ids, period)
        result.locations = [(location.name, counts.get(location.id, 0)) for location in locations]
    return result


def recent_weeks(session: Session, location_id: int, today: date) -> dict[int, list[int]]:
    """Visits per activity in each of the last four full weeks (oldest first), for the planner."""
    monday = today - timedelta(days=today.weekday())
    starts = {f"week{n}": monday - timedelta(weeks=RECENT_WEEKS - n) for n in range(RECENT_WEEKS + 1)}
    # Run whenever the planner's page is built: built once, run on the connection without the
    # ORM's per-call work, and the database sums the weeks (a row per activity, no dates to parse).
    rows = session.connection().execute(_RECENT_WEEKS, {"location": location_id, **starts}).all()
    return {activity_id: [int(n) for n in counts] for activity_id, *counts in rows}


RECENT_WEEKS = 4
_RECENT_WEEKS = (
    select(CheckIn.activity_id, *(
        func.sum(case((and_(CheckIn.day >= bindparam(f"week{n}"), CheckIn.day < bindparam(f"week{n + 1}")),
                       CheckIn.count), else_=0))
        for n in range(RECENT_WEEKS)))
    .where(CheckIn.location_id == bindparam("location"),
           CheckIn.day >= bindparam("week0"), CheckIn.day < bindparam(f"week{RECENT_WEEKS}"),
           CheckIn.activity_id.is_not(None))
    .group_by(CheckIn.activity_id)
)


ROUND_WEEKS = 4   # a newcomer counts for a round when they first came within four weeks of it


def round_results(session: Session, location_id: int, rounds: list) -> dict[int, dict[str, int]]:
    """Per round: agenda opens through its QR code, and first visits in the four weeks after it,
    through the flyer or another way. A first visit is the check-in where a newcomer said how they
    heard of the BOP (asked once); one that falls after two rounds counts for the later one."""


    results = {r.id: {"opens": 0, "flyer": 0, "other": 0} for r in rounds}
    if not rounds:
        return results
    for round_id, n in session.execute(select(RoundOpen.round_id, func.sum(RoundOpen.count))
                                       .where(RoundOpen.round_id.in_(results)).group_by(RoundOpen.round_id)):
        results[round_id]["opens"] = int(n)
    first = min(r.day for r in rounds)
    last = max(r.day for r in rounds) + timedelta(weeks=ROUND_WEEKS, days=-1)
    rows = session.execute(
        select(CheckIn.day, CheckIn.source, func.sum(CheckIn.count))
        .where(CheckIn.location_id == location_id, CheckIn.source != "", CheckIn.day.between(first, last))
        .group_by(CheckIn.day, CheckIn.source))
    ordered = sorted(rounds, key=lambda r: r.day, reverse=True)
    for day, source, n in rows:
        owner = next((r for r in ordered if r.day <= day < r.day + timedelta(weeks=ROUND_WEEKS)), None)
        if owner is not None:
            results[owner.id]["flyer" if source == "flyer" else "other"] += int(n)
    return results


def ladder_pairs(session: Session, location_ids: list[int], until: date) -> list[tuple[int, int]]:
    """(first rung, latest rung up to `until`) of each consenting visitor of these BOPs who was
    measured at least twice. Measurements are few (a handful per person), so they are folded here."""
    people = select(CheckIn.visitor_id).where(CheckIn.location_id.in_(location_ids),
                                              CheckIn.visitor_id.is_not(None)).distinct()
    rows = session.execute(
        select(LadderStep.visitor_id, LadderStep.rung)
        .join(LadderConsent, LadderConsent.visitor_id == LadderStep.visitor_id)
        .where(LadderStep.visitor_id.in_(people), LadderStep.day <= until)
        .order_by(LadderStep.visitor_id, LadderStep.day, LadderStep.id))
    steps: dict[int, list[int]] = {}
    for visitor_id, rung in rows:
        steps.setdefault(visitor_id, []).append(rung)
    return [(rungs[0], rungs[-1]) for rungs in steps.values() if len(rungs) >= 2]
