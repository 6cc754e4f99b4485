"""The hot requests never read a whole history table: every statement they run on `checkin` or
`scan` uses an index, checked with the database's own query plan (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN on PostgreSQL; see `sql_support.full_scans`)."""
from __future__ import annotations

import pytest
from sql_support import add_history, full_scans, recorded_statements
from support import make_kiosk, nonce

from bop.extensions import db
from bop.visitors.codes import format_code


@pytest.fixture
def busy(bop, walk, login):
    """A BOP with two months of check-ins and scans, a paired kiosk and a logged-in worker."""
    visitors = add_history(bop, walk, visitors=60, days=60, per_day=20, today_count=6)
    db.session.execute(db.text("ANALYZE")) if db.engine.dialect.name == "sqlite" else None
    _device, token = make_kiosk(bop)
    login("worker")
    return visitors, token


def hot_requests(client, bop, visitors, token):
    auth = {"Authorization": f"Bearer {token}"}
    card = visitors[-1].cards[0].code
    once = nonce()
    return {
        "today list": lambda: client.get(f"/staff/checkin/today?bop={bop.slug}"),
        "today.json": lambda: client.get(f"/staff/checkin/today.json?bop={bop.slug}"),
        "kiosk today": lambda: client.get("/api/v1/kiosk/today", headers=auth),
        "card scan": lambda: client.post("/api/v1/checkins", json={"code": format_code(card), "nonce": once},
                                         headers=auth),
        "retried scan (nonce)": lambda: client.post("/api/v1/checkins", json={"code": format_code(card), "nonce": once},
                                                    headers=auth),
        "visitor list": lambda: client.get("/staff/visitors/"),
        "visitor list, second page": lambda: client.get("/staff/visitors/?page=2"),
        "visitor page": lambda: client.get(f"/staff/visitors/{visitors[3].id}"),
    }


def test_hot_requests_use_an_index_on_every_history_table(client, bop, busy):
    visitors, token = busy
    for name, request in hot_requests(client, bop, visitors, token).items():
        with recorded_statements() as statements:
            response = request()
        assert response.status_code in (200, 201), (name, response.status_code)
        assert any("checkin" in s.lower() or "scan" in s.lower() for s, _ in statements), name
        assert full_scans(statements) == [], name


def test_the_check_finds_a_full_scan(client, busy):
    """The check itself can fail: a query on an unindexed column is reported."""
    with recorded_statements() as statements:
        db.session.execute(db.text("SELECT count(*) FROM checkin WHERE client_time IS NULL")).scalar()
        db.session.execute(db.text("SELECT id FROM scan WHERE raw_code = 'x'")).all()
    assert len(full_scans(statements)) == 2


def test_todays_check_ins_are_found_by_location_and_day_together(client, bop, busy):
    """Not only no full scan: today's list finds its rows with one index on (location_id, day),
    rather than reading every check-in of the BOP (or of the day, at every BOP) and filtering."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN")
    with recorded_statements() as statements:
        client.get(f"/staff/checkin/today.json?bop={bop.slug}")
    todays = [(s, p) for s, p in statements if "FROM checkin" in s and "checkin.day = ?" in s]
    assert todays
    with db.engine.connect() as connection:
        for statement, parameters in todays:
            plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert any(line.startswith("SEARCH checkin USING") and "location_id=?" in line and "day=?" in line
                       for line in plan), plan


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_visitor_pages_read_a_page_in_index_order(client, bop, walk, login, make_activity, role):
    """A visitor's visits (latest first) and an organisation's visitors (by name) are read a page
    at a time in the order of an index (migration 0008), not all sorted for every page: with a
    city's history a regular has hundreds of visits and an organisation a thousand visitors."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN")
    for n in range(20):   # a city's handful of places and activities, not one of each
        make_activity(title=f"Activiteit {n}")
    visitors = add_history(bop, walk, visitors=80, days=40, per_day=30)
    db.session.execute(db.text("ANALYZE"))
    login(role)
    pages = {"visitor page": f"/staff/visitors/{visitors[3].id}", "visitor list": "/staff/visitors/",
             "visitor list, last page": "/staff/visitors/?page=2"}
    for name, url in pages.items():
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200, name
        ordered = [(s, p) for s, p in statements if "ORDER BY" in s and ("FROM checkin" in s or "FROM visitor" in s)]
        assert ordered, name
        with db.engine.connect() as connection:
            for statement, parameters in ordered:
                plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), (name, statement, plan)
        # The visits counted per listed visitor: those of the retention period, found by a range
        # on the same index, not every visit of their history.
        counted = [(s, p) for s, p in statements if "count(" in s and "FROM checkin" in s and "visitor_id IN" in s]
        assert bool(counted) == name.startswith("visitor list"), name
        with db.engine.connect() as connection:
            for statement, parameters in counted:
                plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                assert any("ix_checkin_visitor_id_day (visitor_id=? AND day>?)" in line for line in plan), plan
        # The visitor page's pager counts the visits on the index alone, not through the joins that
        # only add a row's place and activity: a regular's 700 visits cost 1 ms that way.
        totals = [(s, p) for s, p in statements if "count(" in s and "FROM checkin" in s and "visitor_id = ?" in s]
        assert bool(totals) == (name == "visitor page"), name
        with db.engine.connect() as connection:
            for statement, parameters in totals:
                plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                assert plan and all(line.startswith("SEARCH checkin USING COVERING INDEX") for line in plan), plan
