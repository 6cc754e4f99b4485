"""Benchmark of the report and "Uit beeld" queries on a large history, against plain SQL.

    python bench/bench_insight.py [--checkins 1000000] [--locations 50] [--visitors 5000]
                                  [--years 5] [--rounds 7] [--database PATH]

Builds (or reuses, with --database) a SQLite database through the real migrations and fills it
with a seeded history: `--locations` BOPs with three activities each, `--visitors` visitors who
mostly visit their own BOP, and `--checkins` check-ins over `--years` years up to yesterday (85%
named, 10% guests, 5% headcounts; a few with a source), in the order of their days. Then it times, as the median of
`--rounds` runs after one warm-up:

1. one BOP's month overview (the busiest BOP, last full month, with the month before to compare:
   what the page computes), target 300 ms;
2. the out-of-sight list of that BOP (default thresholds), target 300 ms;
3. the organisation's year (all BOPs, last full year, with the year before), target 2 s;

each next to a baseline: the plain SQL `GROUP BY` statements that compute the same counts, run
with the sqlite3 module on the same database in the same run (target: at most 2x the baseline).
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bop import create_app
from bop.accounts.models import Location
from bop.clock import local_today
from bop.extensions import db
from bop.insight import absence, queries
from bop.insight.periods import shortcut


def build(path: Path, checkins: int, locations: int, visitors: int, years: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "AUTO_MIGRATE": True, "SECRET_KEY": "bench"})
    with app.app_context():
        db.engine.dispose()
    rng = random.Random(1)
    today = local_today()
    first = today - timedelta(days=365 * years)
    span = (today - first).days
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.executemany("INSERT INTO location (id, slug, name, address, description, phone, opening_hours) "
                    "VALUES (?, ?, ?, '', '', '', '')", [(i, f"bop-{i}", f"BOP {i}") for i in range(1, locations + 1)])
    con.executemany(
        "INSERT INTO activity (id, location_id, title, category, description, summary, host_name, start_time, "
        "duration_minutes, rrule, first_date, price_cents, bring, threshold_note, created_at, updated_at) "
        "VALUES (?, ?, ?, 'coffee', '', '', '', '10:00:00.000000', 60, 'FREQ=WEEKLY;BYDAY=MO', ?, 0, '', '', "
        "'2020-01-01 00:00:00', '2020-01-01 00:00:00')",
        [(loc * 3 + k, loc, f"Activiteit {k}", first.isoformat()) for loc in range(1, locations + 1) for k in range(3)])
    home = {v: rng.randint(1, locations) for v in range(1, visitors + 1)}
    con.executemany("INSERT INTO visitor (id, name, language, phone, home_location_id, created_at) "
                    "VALUES (?, ?, '', '', ?, '2020-01-01 00:00:00')",
                    [(v, f"Bezoeker {v}", home[v]) for v in range(1, visitors + 1)])
    # Busier BOPs get more visits (a skewed, realistic spread).
    weights = [1 / (i ** 0.5) for i in range(1, locations + 1)]
    by_location: dict[int, list[int]] = {}
    for v, loc in home.items():
        by_location.setdefault(loc, []).append(v)
    sources = ["flyer", "neighbour", "worker", "other", "poster"]
    # One in ten stops coming somewhere in the last four months, so "Uit beeld" has people on it.
    stopped = {v: (today - timedelta(days=rng.randint(21, 120))).isoformat()
               for v in rng.sample(range(1, visitors + 1), visitors // 10)}

    def rows():
        # In the order they happen, as a real database fills up (day after day).
        for offset in sorted(rng.randrange(span) for _ in range(checkins)):
            loc = rng.choices(range(1, locations + 1), weights)[0]
            day = (first + timedelta(days=offset)).isoformat()
            activity = rng.choice([0, loc * 3, loc * 3 + 1, loc * 3 + 2])
            kind = rng.random()
            visitor = rng.choice(by_location[loc]) if by_location.get(loc) else None
            if kind < 0.85 and visitor and day <= stopped.get(visitor, "9999"):
                yield (loc, day, activity, activity or None, visitor, 1, "card",
                       rng.choice(sources) if rng.random() < 0.02 else "")
            elif kind < 0.95:
                yield (loc, day, activity, activity or None, None, 1, "guest", rng.choice(sources + [""] * 5))
            else:
                yield (loc, day, activity, activity or None, None, rng.randint(1, 5), "headcount", "")

    con.executemany("INSERT OR IGNORE INTO checkin (location_id, day, slot, activity_id, visitor_id, count, method, "
                    "source, server_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2020-01-01 00:00:00')", rows())
    con.commit()
    con.execute("ANALYZE")
    con.close()


def baseline_overview(con: sqlite3.Connection, ids: list[int], first: date, last: date) -> tuple:
    """The same counts in plain SQL GROUP BY statements."""
    marks = ",".join("?" * len(ids))
    where = f"location_id IN ({marks}) AND day BETWEEN ? AND ?"
    args = [*ids, first.isoformat(), last.isoformat()]
    totals = con.execute(f"SELECT SUM(count), SUM(CASE WHEN visitor_id IS NOT NULL THEN count ELSE 0 END), "
                         f"SUM(CASE WHEN visitor_id IS NULL AND method = 'headcount' THEN count ELSE 0 END), "
                         f"COUNT(DISTINCT visitor_id) FROM checkin WHERE {where}", args).fetchone()
    first_time = con.execute(f"SELECT COUNT(*) FROM (SELECT visitor_id FROM checkin WHERE location_id IN ({marks}) "
                             f"AND visitor_id IS NOT NULL AND day <= ? GROUP BY visitor_id HAVING MIN(day) >= ?)",
                             [*ids, last.isoformat(), first.isoformat()]).fetchone()
    per_activity = con.execute(f"SELECT activity_id, location_id, SUM(count), COUNT(DISTINCT visitor_id) FROM checkin "
                               f"WHERE {where} GROUP BY activity_id, location_id", args).fetchall()
    per_day = con.execute(f"SELECT day, SUM(count) FROM checkin WHERE {where} GROUP BY day", args).fetchall()
    sources = con.execute(f"SELECT source, SUM(count) FROM checkin WHERE {where} AND source != '' GROUP BY source",
                          args).fetchall()
    per_location = con.execute(f"SELECT location_id, SUM(count) FROM checkin WHERE {where} GROUP BY location_id",
                               args).fetchall()
    return totals, first_time, per_activity, per_day, sources, per_location


def baseline_out_of_sight(con: sqlite3.Connection, location_id: int, today: date) -> list:
    """The same list in plain SQL: regulars away for 3 weeks, their last visit anywhere, their
    recorded contacts, their names and their usual activities."""
    since, cutoff = today - timedelta(weeks=12), today - timedelta(weeks=3)
    rows = con.execute("SELECT visitor_id, COUNT(DISTINCT day), MAX(day) FROM checkin WHERE location_id = ? "
                       "AND visitor_id IS NOT NULL AND day >= ? AND day <= ? GROUP BY visitor_id "
                       "HAVING COUNT(DISTINCT day) >= 3 AND MAX(day) <= ?",
                       (location_id, since.isoformat(), today.isoformat(), cutoff.isoformat())).fetchall()
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids)) or "NULL"
    elsewhere = con.execute(f"SELECT DISTINCT visitor_id FROM checkin WHERE visitor_id IN ({marks}) AND day > ?",
                            [*ids, cutoff.isoformat()]).fetchall()
    contacts = con.execute(f"SELECT visitor_id, day, outcome FROM outreach_contact WHERE visitor_id IN ({marks})",
                           ids).fetchall()
    names = con.execute(f"SELECT id, name, phone, language FROM visitor WHERE id IN ({marks})", ids).fetchall()
    usual = con.execute(f"SELECT visitor_id, activity_id, COUNT(*) FROM checkin WHERE location_id = ? "
                        f"AND visitor_id IN ({marks}) AND day >= ? AND activity_id IS NOT NULL "
                        f"GROUP BY visitor_id, activity_id", [location_id, *ids, since.isoformat()]).fetchall()
    return [rows, elsewhere, contacts, names, usual]


def timed(function, rounds: int) -> float:
    function()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--locations", type=int, default=50)
    parser.add_argument("--visitors", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database", type=Path)
    args = parser.parse_args()
    path = args.database or Path(tempfile.mkdtemp(prefix="bop-bench-insight-")) / "bop.sqlite"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.checkins, args.locations, args.visitors, args.years)
        print(f"built {path} in {time.perf_counter() - start:.0f} s")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "AUTO_MIGRATE": False, "SECRET_KEY": "bench"})
    con = sqlite3.connect(path)
    today = local_today()
    month, year = shortcut("month", today), shortcut("year", today)
    total = con.execute("SELECT COUNT(*) FROM checkin").fetchone()[0]
    busiest = con.execute("SELECT location_id FROM checkin GROUP BY location_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    print(f"{total} check-ins, {args.locations} BOPs; busiest BOP {busiest}; month {month.first}..{month.last}; "
          f"year {year.first}..{year.last}; median of {args.rounds} runs")
    with app.app_context():
        location = db.session.get(Location, busiest)
        everyone = list(db.session.execute(db.select(Location).order_by(Location.name)).scalars())
        ids = [loc.id for loc in everyone]
        cases = [
            ("one BOP, month overview", 300,
             lambda: (queries.overview(db.session, [location], month), queries.overview(db.session, [location], month.previous())),
             lambda: (baseline_overview(con, [busiest], month.first, month.last),
                      baseline_overview(con, [busiest], month.previous().first, month.previous().last))),
            ("one BOP, out of sight", 300,
             lambda: absence.out_of_sight(db.session, busiest, today),
             lambda: baseline_out_of_sight(con, busiest, today)),
            ("organisation, year overview", 2000,
             lambda: (queries.overview(db.session, everyone, year), queries.overview(db.session, everyone, year.previous())),
             lambda: (baseline_overview(con, ids, year.first, year.last),
                      baseline_overview(con, ids, year.previous().first, year.previous().last))),
        ]
        print(f"{'case':32} {'BOP ms':>8} {'SQL ms':>8} {'ratio':>6}  target")
        for name, target, ours, plain in cases:
            mine, base = timed(ours, args.rounds), timed(plain, args.rounds)
            if name.endswith("out of sight"):
                name += f" ({len(ours())})"
            db.session.rollback()
            verdict = "ok" if mine <= target and mine <= 2 * base else "MISSED"
            print(f"{name:32} {mine:8.1f} {base:8.1f} {mine / base:6.2f}  <= {target} ms and <= 2x: {verdict}")
    con.close()


if __name__ == "__main__":
    main()
