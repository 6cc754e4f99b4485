"""Shared fixtures, in the Flask tutorial's shape: a fresh app and database per test.

The schema is built once per session through the real migrations and copied per test, so every
test runs against what `flask db upgrade` produces, without paying for the migrations each time.
The database is SQLite, or PostgreSQL when BOP_TEST_DATABASE_URL says so (tests/databases.py).
"""
from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from flask import g
from support import BYDAY
from werkzeug.serving import make_server

from bop import create_app
from bop.accounts.models import Location, Organisation, Staff
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import Activity
from tests.databases import databases

PASSWORD = "correct horse battery"
SECRET_KEY = "test-secret-key-long-enough-to-pass-the-production-check"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
_numbers = itertools.count(1)


def config_for(database_url: str, **overrides) -> dict:
    return {"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": database_url,
            "AUTO_MIGRATE": False, "WTF_CSRF_ENABLED": False, **overrides}


# Tuesday 24 November 2026, 10:30 in Amsterdam: every test that is not a browser test runs at this
# moment (the clock ticks on from there), so a result never depends on the hour the suite runs.
# Tests of the day boundary move the clock themselves: `frozen_clock.move_to(...)`.
FROZEN_AT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock(request):
    if request.node.get_closest_marker("browser"):  # Chromium keeps its own clock
        yield None
        return
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limits count in memory during tests (every create_app starts a fresh count); no count
    outlives its test. A test that points the limiter at a Redis of its own clears that itself."""
    from bop.site.ratelimit import limiter

    yield
    if limiter.initialized and type(limiter.storage).__name__ == "MemoryStorage":
        limiter.reset()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """No kept page outlives its test: on PostgreSQL the next test's database has the same address
    and the same ids (see `bop.site.pagecache`)."""
    from bop.site import pagecache

    pagecache.clear()
    yield
    pagecache.clear()


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory):
    """Where the tests' databases come from: SQLite files, or databases on a PostgreSQL server."""
    made = databases(tmp_path_factory.mktemp("databases"))
    yield made
    made.close()


@pytest.fixture(scope="session")
def migrated_schema(test_databases):
    """The schema as `flask db upgrade` makes it, built once per session for every test."""
    url = test_databases.empty()
    app = create_app(config_for(url, AUTO_MIGRATE=True))
    with app.app_context():
        db.engine.dispose()
    test_databases.keep_as_schema(url)
    return url


@pytest.fixture
def empty_database(test_databases):
    """The URL of an empty database of this test's own (no tables)."""
    url = test_databases.empty()
    yield url
    test_databases.drop(url)


@pytest.fixture
def migrated_database(test_databases, migrated_schema):
    """The URL of a fresh, migrated database of this test's own."""
    url = test_databases.migrated()
    yield url
    test_databases.release(url)


@pytest.fixture
def app(migrated_database):
    app = create_app(config_for(migrated_database))

    @app.before_request
    def fresh_request_globals():
        # The test keeps one app context open, and Flask reuses it for the client's requests; in
        # production every request has its own. Forget what the previous request cached in `g`
        # (its language, its logged-in user, its CSRF token) so each request is judged on its own.
        g.pop("_flask_babel", None)
        g.pop("_login_user", None)
        g.pop("csrf_token", None)

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def organisation(app) -> Organisation:
    """The organisation the factories put everything in unless told otherwise."""
    organisation = Organisation(name="Welzijn Testdorp")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def make_staff(app, organisation):
    """A staff member. Unless `locations=[...]` says otherwise, a worker or volunteer works at every
    BOP of their organisation that exists, and at every one made later by `make_location` (most
    tests are about one organisation; the authorisation tests say exactly where people work)."""
    def make(**overrides) -> Staff:
        n = next(_numbers)
        fields = {"email": f"staff{n}@example.org", "name": f"Medewerker {n}", "role": "worker",
                  "phone": "071 123 45 67", "whatsapp": "06 12 34 56 78", "password_hash": "",
                  "organisation": organisation}
        password = overrides.pop("password", PASSWORD)
        fields.update(overrides)
        staff = Staff(**fields)
        if "locations" not in overrides and staff.organisation is not None:
            staff.locations = list(db.session.execute(
                db.select(Location).filter_by(organisation_id=staff.organisation.id)).scalars())
            _everywhere.add(staff)
        staff.set_password(password)
        db.session.add(staff)
        db.session.commit()
        return staff

    _everywhere: set[Staff] = set()
    make.everywhere = _everywhere  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_location(app, organisation, make_staff):
    def make(**overrides) -> Location:
        n = next(_numbers)
        fields = {"slug": f"bop-{n}", "name": f"BOP {n}", "address": "Dorpsstraat 1, Leiden", "phone": "071 000 00 00",
                  "organisation": organisation}
        fields.update(overrides)
        location = Location(**fields)
        db.session.add(location)
        for staff in make_staff.everywhere:
            if staff.organisation is location.organisation:
                staff.locations.append(location)
        db.session.commit()
        return location

    return make


@pytest.fixture
def make_activity(app, make_location):
    def make(**overrides) -> Activity:
        today = local_today()
        first_date = overrides.get("first_date", today - timedelta(weeks=4))
        fields = {"title": "Wandelclub", "category": "walk", "summary": "Wandelen in de wijk, hooguit 2 km.",
                  "start_time": time(10, 0), "duration_minutes": 60, "first_date": first_date,
                  "rrule": f"FREQ=WEEKLY;BYDAY={BYDAY[today.weekday()]}", "host_name": "Samira"}
        fields.update(overrides)
        if "location" not in fields and "location_id" not in fields:
            fields["location"] = make_location()
        activity = Activity(**fields)
        db.session.add(activity)
        db.session.commit()
        return activity

    return make


@pytest.fixture
def bop(make_location):
    """The BOP most check-in tests happen at."""
    return make_location(slug="rijn-en-vliet", name="Rijn en Vliet")


@pytest.fixture
def walk(make_activity, bop):
    """A weekly walking club there, on today's weekday."""
    return make_activity(location=bop, title="Wandelclub")


@pytest.fixture
def login(client, make_staff):
    """Log the test client in as a new staff member with the given role; returns that staff member."""
    def do_login(role: str = "worker", **overrides) -> Staff:
        staff = make_staff(role=role, **overrides)
        response = client.post("/staff/login", data={"email": staff.email, "password": PASSWORD})
        assert response.status_code == 302, "login failed"
        return staff

    return do_login


class LiveServer(str):
    """The base URL of the app served in a thread; `.app` is that app (CSRF on, same database)."""

    app = None


@pytest.fixture
def live_server(app):
    served = create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = served
    yield url
    server.shutdown()
    thread.join(timeout=5)
    with served.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo_bop(app):
    """The demo BOP "Rijn en Vliet" with, besides its own week, an activity every day whose title holds
    the longest words of the demo, and a paired kiosk; returns the location and the kiosk's token."""
    from support import make_kiosk

    from bop.site.demo import load_demo

    location = load_demo()
    db.session.add(location)
    db.session.commit()
    db.session.add(Activity(location=location, title="Gezondheidsspreekuur met de wijkverpleegkundige", category="health",
                            start_time=time(8, 0), duration_minutes=600, first_date=location.activities[0].first_date,
                            rrule="FREQ=DAILY", summary="Anouk, wijkverpleegkundige, meet uw bloeddruk."))
    db.session.commit()
    _device, token = make_kiosk(location)
    return location, token
