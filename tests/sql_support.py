"""Helpers for the query-plan and query-count tests: the SQL a request really runs, a history to
run it against, and the query plans of those statements."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from sqlalchemy import event, insert

from bop.checkin.models import CheckIn, Scan
from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.visitors.codes import generate_code
from bop.visitors.models import Card, Visitor

HISTORY_TABLES = ("checkin", "scan")


@contextmanager
def recorded_statements() -> Iterator[list[tuple[str, object]]]:
    """Every statement sent to the database inside the block, with its parameters."""
    found: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not executemany:
            found.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def full_scans(statements: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """(statement, plan line) for every full scan of a history table among `statements`.

    SQLite: EXPLAIN QUERY PLAN says ``SCAN checkin`` (or ``SCAN checkin USING [COVERING] INDEX``,
    a walk over a whole index) for a full scan and ``SEARCH checkin USING INDEX`` for a lookup.
    PostgreSQL: EXPLAIN says ``Seq Scan on checkin``. On small test tables PostgreSQL prefers a
    sequential scan even where an index fits, so sequential scans are switched off for the EXPLAIN:
    a ``Seq Scan`` then means that no index can serve the query at all.
    """
    found = []
    dialect = db.engine.dialect.name
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            lowered = statement.lower()
            if not lowered.lstrip().startswith(("select", "update", "delete", "with")):
                continue
            if not any(f" {table}" in lowered or f'"{table}"' in lowered for table in HISTORY_TABLES):
                continue
            if dialect == "postgresql":
                connection.exec_driver_sql("SET enable_seqscan = off")
                lines = [row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)]
                bad = [line for line in lines
                       if any(f"Seq Scan on {table} " in line + " " for table in HISTORY_TABLES)]
            else:
                lines = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                bad = [line for line in lines
                       if any(line == f"SCAN {table}" or line.startswith(f"SCAN {table} ") for table in HISTORY_TABLES)]
            found.extend((statement, line) for line in bad)
        connection.rollback()
    return found


def add_history(location, activity, *, visitors: int | list[Visitor], days: int, per_day: int, today_count: int = 0,
                named_today: list[Visitor] | None = None) -> list[Visitor]:
    """`visitors` visitors with a card each, and `per_day` check-ins (with their scans) on each of
    the `days` days before today at `location` (`visitors` may be existing ones); bulk inserts, so thousands of rows stay quick."""
    now = utcnow()
    if isinstance(visitors, list):
        made = visitors
    else:
        made = [Visitor(name=f"Bezoeker {n:05d}", organisation_id=location.organisation_id, home_location=location,
                        cards=[Card(code=generate_code())]) for n in range(visitors)]
        db.session.add_all(made)
        db.session.commit()
    today = local_today()
    checkins, scans = [], []
    for back in range(1, days + 1):
        day = today - timedelta(days=back)
        for k in range(per_day):
            visitor = made[(back * per_day + k) % len(made)]
            slot = activity.id if k % 2 else 0
            checkins.append({"location_id": location.id, "day": day, "slot": slot,
                             "activity_id": activity.id if slot else None, "visitor_id": visitor.id, "count": 1,
                             "method": "card", "source": "", "server_time": datetime.combine(day, time(10, k % 60))})
    if checkins:
        db.session.execute(insert(CheckIn), checkins)
    for n in range(len(checkins)):
        scans.append({"nonce": secrets.token_hex(12), "location_id": location.id, "raw_code": "",
                      "status": "ok", "server_time": now - timedelta(minutes=n)})
    if scans:
        db.session.execute(insert(Scan), scans)
    today_rows = [{"location_id": location.id, "day": today, "slot": activity.id if k % 2 else 0,
                   "activity_id": activity.id if k % 2 else None, "visitor_id": visitor.id, "count": 1,
                   "method": "card", "source": "", "server_time": now}
                  for k, visitor in enumerate((named_today or made)[:today_count])]
    if today_rows:
        db.session.execute(insert(CheckIn), today_rows)
    db.session.commit()
    return made

