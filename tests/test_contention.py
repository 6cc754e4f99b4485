"""Repeated scans under contention are answered without a single database error, on SQLite and on
PostgreSQL: the unique keys are claimed with `INSERT ... ON CONFLICT DO NOTHING`, not by catching a
unique-key violation inside a SAVEPOINT (which filled PostgreSQL's log with an ERROR per repeated
scan under load).
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from support import checkins, make_kiosk, make_visitor, nonce, post_json, scans

from bop.extensions import db
from tests.databases import POSTGRES_LOG, POSTGRES_URL

KIOSKS = 8


class DatabaseErrors:
    """Every error the served app's engine got back from the database, and every SAVEPOINT it used;
    on PostgreSQL also the ERROR lines the server logged meanwhile."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.errors: list[str] = []
        self.savepoints: list[str] = []
        self.log = Path(POSTGRES_LOG) if self.engine.dialect.name == "postgresql" else None
        if self.log is not None:
            assert self.log.is_file(), "BOP_TEST_POSTGRES_LOG must name the PostgreSQL server's log (make test sets it)"

    def on_error(self, context) -> None:
        self.errors.append(repr(context.original_exception))

    def on_statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if "SAVEPOINT" in statement.upper():
            self.savepoints.append(statement)

    def __enter__(self):
        self.log_start = self.log.stat().st_size if self.log is not None else 0
        event.listen(self.engine, "handle_error", self.on_error)
        event.listen(self.engine, "before_cursor_execute", self.on_statement)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "handle_error", self.on_error)
        event.remove(self.engine, "before_cursor_execute", self.on_statement)

    def logged_errors(self) -> list[str]:
        if self.log is None:
            return []
        with self.log.open("rb") as log:
            log.seek(self.log_start)
            lines = log.read().decode(errors="replace").splitlines()
        return [line for line in lines if " ERROR: " in line or " FATAL: " in line]


def burst(requests: list[tuple[str, dict]], url: str) -> list[tuple[int, dict]]:
    """Send all requests at once from one thread each; the answers in the same order."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(n: int, token: str, body: dict) -> None:
        start.wait()
        answers[n] = post_json(f"{url}/api/v1/checkins", body, token)

    threads = [threading.Thread(target=send, args=(n, token, body)) for n, (token, body) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_a_burst_of_repeated_scans_leaves_no_database_error(live_server, bop, make_activity):
    """Every kiosk scans every card at the same moment, and sends each scan twice (a retry with
    the same nonce, as after a lost response); a guest is retried too."""
    walk = make_activity(location=bop)
    visitors = [make_visitor(name) for name in ("Fatima", "Jan", "Ayşe")]
    tokens = [make_kiosk(bop, f"Tablet {n}")[1] for n in range(KIOSKS)]
    requests = []
    for token in tokens:
        for _visitor, code in visitors:
            body = {"code": code, "activity": walk.id, "nonce": nonce()}
            requests += [(token, body), (token, body)]
    guest = {"kind": "guest", "nonce": nonce()}
    requests += [(tokens[0], guest)] * 4

    with DatabaseErrors(live_server.app) as database:
        answers = burst(requests, live_server)

    assert database.errors == []
    assert database.savepoints == []
    assert database.logged_errors() == []
    assert all(answer is not None for answer in answers)
    for (_token, body), (status, answer) in zip(requests, answers, strict=True):
        assert (status, answer["status"]) in ((201, "ok"), (200, "already")), (body, status, answer)
    for visitor, code in visitors:
        assert len(checkins(visitor_id=visitor.id)) == 1
        first = [answer for (_t, body), (_s, answer) in zip(requests, answers, strict=True)
                 if body.get("code") == code and answer["status"] == "ok"]
        assert len(first) == 2  # the one scan that counted, and its retry, which got the same answer
    assert len(checkins(visitor_id=None)) == 1  # the guest, counted once however often it was sent
    # One Scan per nonce, each with its answer; both sends of a nonce got the same answer.
    stored = scans()
    assert len(stored) == KIOSKS * len(visitors) + 1
    assert Counter(scan.status for scan in stored) == {"ok": len(visitors) + 1, "already": (KIOSKS - 1) * len(visitors)}
    by_nonce = {}
    for (_token, body), (_status, answer) in zip(requests, answers, strict=True):
        by_nonce.setdefault(body["nonce"], set()).add((answer["status"], answer["checkin_id"], answer["checked_in_at"]))
    assert all(len(answers_to_one) == 1 for answers_to_one in by_nonce.values())


def test_the_checks_do_see_a_database_error(live_server):
    """The checks above can fail: a statement the database refuses reaches the engine's error event,
    and on PostgreSQL the server's log."""
    database = DatabaseErrors(live_server.app)
    with database, database.engine.connect() as connection, pytest.raises(DBAPIError):
        connection.exec_driver_sql("SELECT * FROM no_such_table")
    assert len(database.errors) == 1
    if database.log is not None:
        assert any("no_such_table" in line for line in database.logged_errors())


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's write lock; PostgreSQL waits at the unique index")
def test_a_scan_waits_for_a_writer_that_commits_after_the_scan_read(app, client, bop, make_activity):
    """No BEGIN IMMEDIATE: a scan's reads run outside any transaction and its first INSERT opens one.
    Another connection holds the write lock and commits a check-in after the scan has read; the
    scan's INSERT waits (busy_timeout) and then goes ahead on the newer snapshot, rather than
    failing with "database is locked" as a transaction that had read first would."""
    walk = make_activity(location=bop)
    _device, token = make_kiosk(bop)
    _visitor, code = make_visitor()
    writer = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), timeout=10,
                             isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO checkin (location_id, day, slot, count, method, source, server_time) "
                   "VALUES (?, date('now'), 0, 1, 'guest', '', datetime('now'))", (bop.id,))
    reads = []

    def commit_after_the_read(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("SELECT kiosk_device.id") and not reads:
            reads.append(statement)
            threading.Timer(0.2, lambda: (writer.execute("COMMIT"), writer.close())).start()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", commit_after_the_read)
    try:
        response = client.post("/api/v1/checkins", json={"code": code, "activity": walk.id, "nonce": nonce()},
                               headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(engine, "after_cursor_execute", commit_after_the_read)
    assert reads and response.status_code == 201, response.json
    assert len(checkins()) == 2 and len(scans()) == 1
