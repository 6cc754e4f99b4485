"""The funder's tables: the overview as rows of printed cells, small cells suppressed.

Counts only, never names. Every count goes through `suppress.protect` in one go, so a total hidden
in one table is hidden in all of them. CSV, XLSX and PDF print exactly these tables.

Pure code: an Overview in, tables of strings out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .ladder import DEFAULT_VALUES, Movement, assumptions, euros
from .periods import Period
from .stats import WEEKDAYS, Overview
from .suppress import HIDDEN, SMALL, Group, protect, protected

LEGEND = (f"{SMALL}: minder dan 5 (1 tot en met 4). {HIDDEN}: verborgen, zodat niemand een klein aantal "
          "kan terugrekenen uit de totalen.")


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _headline(overview: Overview, prefix: str) -> tuple[Group, Group]:
    t = overview.totals
    visits = Group([t.named, t.guests, t.headcount], t.visits, key=f"{prefix}visits")
    unique = Group([t.first_time, t.returning], t.unique, key=f"{prefix}unique")
    return visits, unique


def funder_tables(overview: Overview, previous: Overview, source_labels: dict[str, str],
                  scope: str, ladder: Movement | None = None, values: dict[int, int] | None = None) -> list[Table]:
    """The tables of the funder export for one BOP or several (`scope` names them); with `ladder`,
    the participation ladder's movement and its estimate (left out for volunteers)."""
    now_visits, now_unique = _headline(overview, "")
    before_visits, before_unique = _headline(previous, "prev:")
    activity_visits = Group([r.visits for r in overview.activities], overview.totals.visits, key="visits")
    activity_unique = Group([r.unique for r in overview.activities])   # does not add up: no total
    weekdays = Group(list(overview.weekdays), overview.totals.visits, key="visits")
    source_keys = sorted(overview.sources, key=lambda k: -overview.sources[k])
    sources = Group([overview.sources[k] for k in source_keys], sum(overview.sources.values()), key="sources")
    trend = Group(list(overview.trend), overview.totals.visits, key="visits")
    places = Group([n for _, n in overview.locations], overview.totals.visits, key="visits")
    protect([now_visits, now_unique, activity_visits, activity_unique, weekdays, sources, trend, places])
    protect([before_visits, before_unique])

    headline = Table(f"Kerncijfers · {scope}", ["", overview.period.label(), previous.period.label()])
    labels = [("Bezoeken", now_visits.total_shown, before_visits.total_shown)]
    for i, name in enumerate(["  met naam (kaart of telefoon)", "  gasten zonder naam", "  geteld (+1)"]):
        labels.append((name, now_visits.shown[i], before_visits.shown[i]))
    labels.append(("Unieke bezoekers met naam", now_unique.total_shown, before_unique.total_shown))
    for i, name in enumerate(["  voor het eerst", "  terugkerend"]):
        labels.append((name, now_unique.shown[i], before_unique.shown[i]))
    headline.rows = [list(row) for row in labels]

    tables = [headline]
    if overview.locations:
        table = Table("Per BOP", ["BOP", "Bezoeken"])
        table.rows = [[name, shown] for (name, _), shown in zip(overview.locations, places.shown, strict=True)]
        table.rows.append(["Totaal", places.total_shown])
        tables.append(table)
    table = Table("Per activiteit", ["Activiteit", "Bezoeken", "Unieke bezoekers"])
    table.rows = [[row.label, v, u] for row, v, u in
                  zip(overview.activities, activity_visits.shown, activity_unique.shown, strict=True)]
    table.rows.append(["Totaal", activity_visits.total_shown, ""])
    tables.append(table)
    table = Table("Per weekdag", ["Weekdag", "Bezoeken"])
    table.rows = [[day, shown] for day, shown in zip(WEEKDAYS, weekdays.shown, strict=True)]
    table.rows.append(["Totaal", weekdays.total_shown])
    tables.append(table)
    table = Table("Hoe nieuwe bezoekers van de BOP hoorden", ["Via", "Aantal"])
    table.rows = [[source_labels.get(k, k), shown] for k, shown in zip(source_keys, sources.shown, strict=True)]
    table.rows.append(["Totaal", sources.total_shown])
    tables.append(table)
    table = Table("Verloop", ["Periode", "Bezoeken"])
    table.rows = [[f"{b.label} ({b.first:%d-%m} t/m {b.last:%d-%m})", shown]
                  for b, shown in zip(overview.buckets, trend.shown, strict=True)]
    table.rows.append(["Totaal", trend.total_shown])
    tables.append(table)
    if ladder is not None:
        tables += ladder_tables(ladder, values or DEFAULT_VALUES)
    return tables


MIN_FOR_ESTIMATE = 5


def ladder_tables(ladder: Movement, values: dict[int, int]) -> list[Table]:
    """Moved up, stayed, moved down (suppressed like every count) and the estimate with its
    assumptions; no estimate for fewer than 5 people (it would tell one person's step)."""
    shown, total = protected([ladder.up, ladder.same, ladder.down], ladder.people)
    table = Table("Participatieladder (met toestemming, eerste en laatste meting)", ["", "Mensen"])
    table.rows = [["Hoger op de ladder", shown[0]], ["Op dezelfde trede", shown[1]], ["Lager op de ladder", shown[2]],
                  ["Totaal", total]]
    estimate = Table("Geschatte maatschappelijke waarde per jaar", ["", "Bedrag"])
    value = (euros(ladder.value) if ladder.people >= MIN_FOR_ESTIMATE
             else f"te weinig metingen (minder dan {MIN_FOR_ESTIMATE})")
    estimate.rows = [["Schatting", value], [assumptions(values), ""]]
    return [table, estimate]


def trend_values(overview: Overview) -> tuple[list[str], list[int]]:
    """The chart's bars for export, suppressed like the tables: a hidden bar (`<5`, `x`) is drawn
    as 0, so nobody can measure it off the paper."""
    group = Group(list(overview.trend), overview.totals.visits, key="visits")
    protect([group])
    values = [int(s) if s.isdigit() else 0 for s in group.shown]
    return [b.label for b in overview.buckets], values


def period_text(period: Period) -> str:
    return f"{period.first:%d-%m-%Y} t/m {period.last:%d-%m-%Y}"
