"""The pages kept per process (`bop.site.pagecache`): today's list, `today.json`, the week planner and
the self check-in page. A repeat builds nothing, and every change of what a page shows is on the
very next request: the key holds the state itself, read fresh each time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import template_rendered
from support import make_kiosk, make_visitor, nonce

from bop.accounts.models import Location
from bop.checkin import today as today_module
from bop.checkin.models import CheckIn
from bop.clock import TZ, local_today
from bop.extensions import db
from bop.planning.models import Activity, ActivityChange
from bop.site import pagecache
from bop.visitors.models import Visitor
from tests.conftest import PASSWORD

PAGES = {
    "today list": "/staff/checkin/today?bop=rijn-en-vliet",
    "today.json": "/staff/checkin/today.json?bop=rijn-en-vliet",
    "planner": "/staff/plan/rijn-en-vliet",
    "self check-in": "/bop/rijn-en-vliet/in",
}


@pytest.fixture
def builds(app, monkeypatch) -> list[str]:
    """What was built: a template's name per render, "today.json" per JSON body."""
    built: list[str] = []

    def record(sender, template, context, **extra):
        built.append(template.name)

    real_json = today_module.json_body

    def counted_json(*args):
        built.append("today.json")
        return real_json(*args)

    monkeypatch.setattr(today_module, "json_body", counted_json)
    template_rendered.connect(record, app)
    yield built
    template_rendered.disconnect(record, app)


@pytest.fixture
def signed_in(client, login):
    """Log in and read the welcome message (a page with a message waiting is never kept)."""
    def sign_in(role: str):
        staff = login(role)
        assert "Welkom" in client.get("/staff/checkin/today").get_data(as_text=True)
        return staff
    return sign_in


def fetch(client, url: str) -> str:
    db.session.remove()  # a fresh session per request, as in production
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def names_on(client, url: str = PAGES["today.json"]) -> list[str]:
    data = client.get(url).json
    return [row["name"] for section in data["sections"] for row in section["named"]]


@pytest.mark.parametrize("page", PAGES)
def test_a_repeat_builds_nothing_and_answers_the_same(client, signed_in, bop, walk, builds, page):
    signed_in("coordinator")
    builds.clear()
    first = fetch(client, PAGES[page])
    assert len(builds) == 1
    again = fetch(client, PAGES[page])
    assert len(builds) == 1, "the second request was built again"
    assert again == first


def test_each_check_in_rename_and_removal_shows_on_the_next_poll(client, signed_in, bop, walk, builds):
    signed_in("worker")
    assert names_on(client) == []
    _device, token = make_kiosk(bop)
    fatima, code = make_visitor("Fatima")
    scan = {"code": code, "activity": walk.id, "nonce": nonce()}
    assert client.post("/api/v1/checkins", json=scan, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    assert names_on(client) == ["Fatima"]
    assert "Fatima" in fetch(client, PAGES["today list"])

    db.session.get(Visitor, fatima.id).name = "Fatima B."
    db.session.commit()
    assert names_on(client) == ["Fatima B."]
    assert "Fatima B." in fetch(client, PAGES["today list"])

    db.session.delete(db.session.execute(db.select(CheckIn)).scalar_one())
    db.session.commit()
    assert names_on(client) == []
    assert "Fatima" not in fetch(client, PAGES["today list"])


def test_a_guest_added_by_hand_shows_at_once(client, signed_in, bop, walk):
    signed_in("worker")
    before = client.get(PAGES["today.json"]).json
    walk_section = next(s for s in before["sections"] if s["slot"] == walk.id)
    assert walk_section["guests"] == 0
    response = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "guest"})
    assert response.status_code == 302
    after = client.get(PAGES["today.json"]).json
    assert next(s for s in after["sections"] if s["slot"] == walk.id)["guests"] == 1
    page = fetch(client, response.location)  # the message shows once, then the kept page again
    assert "Een gast is erbij geteld." in page
    assert "Een gast is erbij geteld." not in fetch(client, response.location)


def test_the_running_activity_moves_with_the_clock(client, signed_in, bop, walk, frozen_clock):
    signed_in("worker")
    assert 'class="badge ct-now"' in fetch(client, PAGES["today list"])  # 10:30, the walk is 10:00-11:00
    assert "is-running" in fetch(client, PAGES["self check-in"])
    frozen_clock.move_to(datetime.combine(local_today(), datetime.min.time(), tzinfo=TZ) + timedelta(hours=12))
    assert 'class="badge ct-now"' not in fetch(client, PAGES["today list"])
    assert "is-running" not in fetch(client, PAGES["self check-in"])


def test_a_new_day_is_a_new_page(client, signed_in, bop, walk, frozen_clock):
    """Noon today and noon tomorrow: nothing running, nobody checked in; only the date differs."""
    signed_in("worker")
    today = local_today()
    frozen_clock.move_to(datetime.combine(today, datetime.min.time(), tzinfo=TZ) + timedelta(hours=12))
    assert client.get(PAGES["today.json"]).json["day"] == today.isoformat()
    frozen_clock.move_to(datetime.combine(today, datetime.min.time(), tzinfo=TZ) + timedelta(days=1, hours=12))
    assert client.get(PAGES["today.json"]).json["day"] == (today + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("change", ["cancel today", "rename", "another BOP renamed"])
def test_a_programme_change_shows_on_the_planner_and_the_tiles(client, signed_in, bop, walk, make_location, change):
    other = make_location(slug="de-kroon", name="De Kroon")
    walk_id, other_id = walk.id, other.id
    signed_in("worker")
    planner, tiles = fetch(client, PAGES["planner"]), fetch(client, PAGES["self check-in"])
    assert "Wandelclub" in planner and "Wandelclub" in tiles and "De Kroon" in planner
    if change == "cancel today":
        db.session.add(ActivityChange(activity_id=walk_id, original_date=local_today(), cancelled=True, reason="Regen"))
    elif change == "rename":
        db.session.get(Activity, walk_id).title = "Ommetje"
    else:
        db.session.get(Location, other_id).name = "De Nieuwe Kroon"
    db.session.commit()
    planner, tiles = fetch(client, PAGES["planner"]), fetch(client, PAGES["self check-in"])
    if change == "cancel today":
        assert "Regen" in planner and "Wandelclub" not in tiles
    elif change == "rename":
        assert "Ommetje" in planner and "Ommetje" in tiles and "Wandelclub" not in tiles
    else:
        assert "De Nieuwe Kroon" in planner


def test_the_poller_gets_a_304_until_something_changes(client, signed_in, bop, walk, builds):
    signed_in("worker")
    builds.clear()
    first = client.get(PAGES["today.json"])
    etag = first.headers["ETag"]
    again = client.get(PAGES["today.json"], headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert builds == ["today.json"]
    added = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "guest"})
    assert "Een gast is erbij geteld." in fetch(client, added.location)
    changed = client.get(PAGES["today.json"], headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json["sections"][1]["guests"] == 1
    assert client.get(PAGES["today.json"], headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304


def test_last_weeks_visits_on_the_planner_follow_a_late_upload(client, signed_in, bop, walk):
    """A tablet that was offline uploads last week's scans days later: the planner's "laatste 4
    weken" line changes with them, though the programme did not."""
    ids, last_week = (bop.id, walk.id), local_today() - timedelta(days=7)

    def visits(n: int) -> None:
        db.session.add_all([CheckIn(location_id=ids[0], day=last_week, slot=ids[1], activity_id=ids[1],
                                    method="guest") for _ in range(n)])
        db.session.commit()

    visits(3)
    signed_in("worker")
    assert "laatste 4 weken: 0 · 0 · 0 · 3" in fetch(client, PAGES["planner"])
    visits(2)
    assert "laatste 4 weken: 0 · 0 · 0 · 5" in fetch(client, PAGES["planner"])


LAST_SUNDAY = datetime(2026, 11, 22, 10, 15, tzinfo=TZ)   # the frozen clock's Tuesday is 24 November


def last_weeks(client) -> str:
    """The planner's "laatste 4 weken" line of its (only) activity."""
    return re.search(r"laatste 4 weken: [0-9 ·]+", fetch(client, PAGES["planner"])).group(0).strip()


@pytest.fixture
def daily(make_activity, bop) -> Activity:
    return make_activity(location=bop, title="Koffie", category="coffee", rrule="FREQ=DAILY",
                         first_date=local_today() - timedelta(weeks=6))


def test_a_late_kiosk_upload_shows_on_the_planner(client, signed_in, bop, daily):
    """The kiosk's own INSERT (not the ORM) of a scan made last Sunday, uploaded on Tuesday."""
    _device, token = make_kiosk(bop)
    fatima, code = make_visitor("Fatima")
    headers = {"Authorization": f"Bearer {token}"}
    signed_in("coordinator")
    assert "laatste 4 weken" not in fetch(client, PAGES["planner"])  # shown once there are visits
    scan = {"code": code, "activity": daily.id, "nonce": nonce(), "scanned_at": LAST_SUNDAY.isoformat()}
    assert client.post("/api/v1/checkins", json=scan, headers=headers).status_code == 201
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 1"
    guest = {"kind": "guest", "activity": daily.id, "nonce": nonce(), "scanned_at": LAST_SUNDAY.isoformat()}
    assert client.post("/api/v1/checkins", json=guest, headers=headers).status_code == 201
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 2"
    today = {"kind": "guest", "activity": daily.id, "nonce": nonce()}
    assert client.post("/api/v1/checkins", json=today, headers=headers).status_code == 201
    assert db.session.get(Location, bop.id).past_visits_version == 2, "a scan of today moves nothing"


def test_removing_or_merging_last_weeks_visits_shows_on_the_planner(client, signed_in, bop, daily):
    sunday = LAST_SUNDAY.date()
    fatima, _ = make_visitor("Fatima", location=bop)
    fatma, _ = make_visitor("Fatma", location=bop)
    rows = [CheckIn(location_id=bop.id, day=sunday, slot=daily.id, activity_id=daily.id, visitor_id=v.id,
                    method="card") for v in (fatima, fatma)]
    rows.append(CheckIn(location_id=bop.id, day=sunday, slot=daily.id, activity_id=daily.id, method="guest"))
    db.session.add_all(rows)
    db.session.commit()
    guest_id, ids = rows[2].id, (fatima.id, fatma.id)
    signed_in("coordinator")
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 3"

    client.post(f"/staff/checkin/{guest_id}/remove")
    assert db.session.get(CheckIn, guest_id) is None
    assert "Aanmelding weggehaald" in fetch(client, PAGES["today list"])  # a page waiting for a message is never kept
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 2"

    # Fatma turns out to be Fatima: both came on Sunday, which now counts once.
    assert client.post(f"/staff/visitors/{ids[0]}/merge/{ids[1]}").status_code == 302
    assert "zijn nu één bezoeker" in fetch(client, PAGES["today list"])
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 1"

    # No page changes a check-in's count or day yet; the ORM's listener covers it when one does.
    db.session.execute(db.select(CheckIn)).scalar_one().count = 4
    db.session.commit()
    assert last_weeks(client) == "laatste 4 weken: 0 · 0 · 0 · 4"


def test_every_plain_write_to_the_checkin_table_is_known():
    """Writes that bypass the ORM also bypass `past_visits`'s listener: each must move the
    past-visits version itself, or be unable to change a count. A new one fails here until it is
    looked at and added."""
    known = {
        "bop/checkin/statements.py": "the kiosk's INSERT (redeem moves the version for an earlier "
                                     "day) and the DELETE of a row inserted in the same transaction",
        "bop/site/demo_history.py": "the demo's history, moves the version itself",
        "bop/site/demo_visits.py": "the demo city's visits; demo_city moves the versions after them",
        "bop/visitors/records.py": "UPDATEs of visitor_id only (merge, erasure, anonymising)",
    }
    plain = re.compile(r"(insert|update|delete)\(CheckIn\b|CheckIn\.__table__")
    root = Path(__file__).resolve().parent.parent
    found = {str(path.relative_to(root)) for path in (root / "bop").rglob("*.py")
             if plain.search(path.read_text(encoding="utf-8"))}
    assert found == set(known)


def test_each_staff_member_gets_their_own_page(app, bop, walk, make_staff, builds):
    """Same address, same state, different people: a volunteer never gets a worker's page (with its
    forms), nor the worker's name in the menu."""
    pages = {}
    people = {role: make_staff(role=role, name=f"Naam {role}").email for role in ("worker", "volunteer")}
    for role, email in people.items():
        client = app.test_client()
        assert client.post("/staff/login", data={"email": email, "password": PASSWORD}).status_code == 302
        fetch(client, PAGES["today list"])  # shows the welcome message once
        pages[role] = fetch(client, PAGES["today list"])
    assert "Naam worker" in pages["worker"] and "Bezoeker aanmelden" in pages["worker"]
    assert "Naam volunteer" in pages["volunteer"] and "Bezoeker aanmelden" not in pages["volunteer"]
    assert "Naam worker" not in pages["volunteer"]


def test_a_kept_page_carries_this_sessions_csrf_token(app, bop, walk, make_staff):
    """Two sessions of the same staff member: each gets a token that works for it, and the second
    is served from the kept page (the token is a hole filled per request)."""
    email, bop_id, walk_id = make_staff(role="worker").email, bop.id, walk.id
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        assert client.post("/staff/login", data={"email": email, "password": PASSWORD}).status_code == 302
        fetch(client, PAGES["today list"])  # the welcome message
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = []
    for client in clients:
        page = fetch(client, PAGES["today list"])
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
        assert pagecache.HOLE not in page
    for client, token in zip(clients, tokens, strict=True):
        response = client.post("/staff/checkin/add", data={"csrf_token": token, "location_id": bop_id,
                                                           "slot": walk_id, "kind": "guest"})
        assert response.status_code == 302
    # A token of one session does not work for the other.
    wrong = clients[0].post("/staff/checkin/add", data={"csrf_token": tokens[1], "location_id": bop_id,
                                                        "slot": walk_id, "kind": "guest"})
    assert wrong.status_code == 400
    assert db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar_one() == 2


def test_each_phone_gets_its_own_tiles(app, bop, walk):
    """A phone that checked in sees its tile ticked and its name; a new phone sees neither."""
    first, second, walk_id = app.test_client(), app.test_client(), walk.id
    assert "is-done" not in fetch(first, PAGES["self check-in"])
    assert first.post(PAGES["self check-in"], data={"activity": walk_id}).status_code == 302
    assert first.post("/bop/rijn-en-vliet/in/onthoud", data={"name": "Mien"}).status_code == 302
    mine = fetch(first, PAGES["self check-in"])
    assert "is-done" in mine and "Hallo Mien!" in mine
    theirs = fetch(second, PAGES["self check-in"])
    assert "is-done" not in theirs and "Mien" not in theirs


def test_old_pages_are_dropped(client, signed_in, bop, walk, builds, monkeypatch):
    signed_in("worker")
    builds.clear()
    fetch(client, PAGES["today list"])
    clock = pagecache.time.monotonic() + pagecache.MAX_SECONDS
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    fetch(client, PAGES["today list"])
    assert builds == ["checkin/today.html", "checkin/today.html"]
    assert len(pagecache._PAGES) == 1


def test_at_most_so_many_pages_are_kept(client, signed_in, bop, walk, monkeypatch):
    monkeypatch.setattr(pagecache, "PAGES_KEPT", 3)
    signed_in("worker")
    for n in range(6):
        fetch(client, f"{PAGES['planner']}?week=2026-W{40 + n}")
    assert len(pagecache._PAGES) == 3
