"""No N+1: each list page runs the same number of SQL statements whatever its length.

Counted with SQLAlchemy's before_cursor_execute event (`sql_support.recorded_statements`) on a
small data set and again after much more history has been added; the counts must be equal.
"""
from __future__ import annotations

from datetime import timedelta

from sql_support import add_history, recorded_statements

from bop.accounts.models import Location, Staff
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import Activity, ActivityChange, Closure


def count(client, url: str) -> int:
    # A fresh session, as every request has in production: nothing already in the identity map
    # can hide a lazy load.
    db.session.remove()
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def pages(bop, visitor) -> dict[str, str]:
    return {
        "visitor list": "/staff/visitors/",
        "visitor list, searched": "/staff/visitors/?q=Bezoeker",
        "visitor page": f"/staff/visitors/{visitor.id}",
        "today list": f"/staff/checkin/today?bop={bop.slug}",
        "today.json": f"/staff/checkin/today.json?bop={bop.slug}",
        "agenda": f"/bop/{bop.slug}",
        "agenda.ics": f"/bop/{bop.slug}/agenda.ics",
        "week planner": f"/staff/plan/{bop.slug}",
    }


def test_list_pages_run_a_fixed_number_of_statements(client, bop, walk, make_activity, make_location, login):
    login("worker")
    coffee = make_activity(location=bop, title="Koffie", category="coffee")
    elsewhere = make_location()
    knit = make_activity(location=elsewhere, title="Breien", category="crafts")

    few = add_history(bop, walk, visitors=4, days=2, per_day=2, today_count=2)
    urls = pages(bop, few[0])
    ids = [bop.id, walk.id, coffee.id, elsewhere.id, knit.id]
    small = {name: count(client, url) for name, url in urls.items()}
    bop, elsewhere = db.session.get(Location, ids[0]), db.session.get(Location, ids[3])
    walk, coffee, knit = (db.session.get(Activity, i) for i in (ids[1], ids[2], ids[4]))

    # Much more of everything: a full page of visitors, months of visits at two places and two
    # activities, more people today, years of changed dates and closures.
    many = add_history(bop, coffee, visitors=120, days=90, per_day=40, today_count=35)
    add_history(elsewhere, knit, visitors=many, days=30, per_day=20)
    today = local_today()
    for weeks in range(1, 120):
        db.session.add(ActivityChange(activity=walk, original_date=today - timedelta(weeks=weeks), cancelled=True,
                                      reason="Vakantie"))
    db.session.add_all(Closure(location=bop, first_date=today - timedelta(days=60 * n + 3),
                               last_date=today - timedelta(days=60 * n), reason="Dicht") for n in range(1, 18))
    db.session.commit()
    urls = pages(bop, many[7])
    large = {name: count(client, url) for name, url in urls.items()}

    assert large == small


def test_staff_lists_run_a_fixed_number_of_statements(client, bop, login, make_staff):
    """The lists of staff, BOPs, tablets and closures: each person's BOPs, each BOP's contact and
    each tablet's BOP are loaded for the whole page at once, whatever its length."""
    from support import make_kiosk

    login("coordinator")
    bop.contact = make_staff(role="worker")
    make_kiosk(bop)
    today = local_today()
    db.session.add(Closure(location=bop, first_date=today, last_date=today, reason="Dicht"))
    db.session.commit()
    urls = {"staff": "/staff/people/", "BOPs": "/staff/locations/", "tablets": "/staff/kiosks",
            "closures": f"/staff/plan/{bop.slug}/closures"}
    small = {name: count(client, url) for name, url in urls.items()}

    bop = db.session.get(Location, bop.id)   # `count` ended the session: fetch afresh
    for n in range(30):
        contact = Staff(email=f"plek{n}@example.org", name=f"Medewerker {n:02d}", role="worker", password_hash="x",
                        photo=b"jpeg", organisation_id=bop.organisation_id)
        location = Location(slug=f"plek-{n}", name=f"Plek {n:02d}", organisation_id=bop.organisation_id,
                            contact=contact)
        contact.locations.append(location)
        db.session.add(location)
        db.session.flush()
        make_kiosk(location)
    db.session.add_all(Closure(location=bop, first_date=today - timedelta(days=40 * n),
                               last_date=today - timedelta(days=40 * n - 2), reason="Dicht") for n in range(1, 40))
    db.session.commit()
    large = {name: count(client, url) for name, url in urls.items()}
    assert large == small


def test_a_kiosk_scan_runs_a_fixed_number_of_statements(client, bop, walk):
    """A card scanned for an activity, the path that writes most: one read (the tablet, the
    activity with whether a change or closure touches it today, and the card, in one statement),
    the CheckIn, and the Scan with its nonce and answer (SQLite's BEGIN comes from its driver,
    before the first INSERT, unseen here; "last seen" is read from the check-ins, not written). The same after years of changes,
    closures and check-ins."""
    from support import make_kiosk, make_visitor, nonce

    _device, token = make_kiosk(bop)
    headers = {"Authorization": f"Bearer {token}"}
    walk_id, bop_id = walk.id, bop.id

    def scan() -> int:
        code = make_visitor(location=db.session.get(Location, bop_id))[1]
        db.session.remove()
        with recorded_statements() as statements:
            response = client.post("/api/v1/checkins", json={"code": code, "activity": walk_id, "nonce": nonce()},
                                   headers=headers)
        assert response.status_code == 201, response.json
        return len(statements)

    small = scan()
    bop, walk = db.session.get(Location, bop_id), db.session.get(Activity, walk_id)
    add_history(bop, walk, visitors=60, days=60, per_day=20)
    today = local_today()
    for weeks in range(1, 60):
        db.session.add(ActivityChange(activity=walk, original_date=today - timedelta(weeks=weeks), cancelled=True))
    db.session.add_all(Closure(location=bop, first_date=today - timedelta(days=30 * n + 3),
                               last_date=today - timedelta(days=30 * n), reason="Dicht") for n in range(1, 20))
    db.session.commit()
    assert scan() == small == 3


def test_a_kept_page_reads_only_what_its_key_holds(client, bop, walk, make_location, login):
    """The pages every staff screen polls, served from memory: the staff member, the BOPs they reach
    (the chooser's rows also hold each BOP's versions, so the chosen BOP is not loaded) and, for
    today's list, today's check-ins. A page built afresh reads more; a kept one no more than this."""
    make_location()   # a second BOP of the organisation, in the chooser
    login("coordinator")
    client.get("/staff/visitors/")   # shows the login's welcome: a page with a message waiting is not kept
    expected = {f"/staff/plan/{bop.slug}": 2, f"/staff/checkin/today?bop={bop.slug}": 3,
                f"/staff/checkin/today.json?bop={bop.slug}": 3}
    built = {url: count(client, url) for url in expected}
    kept = {url: count(client, url) for url in expected}
    assert kept == expected
    assert all(built[url] > kept[url] for url in expected), built
