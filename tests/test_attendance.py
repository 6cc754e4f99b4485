"""Today's attendance for staff over HTTP: counts kept apart, the live JSON, corrections by hand."""
from __future__ import annotations

import re

import pytest
from support import checkins, make_kiosk, make_visitor, nonce

from bop.accounts.models import Location, Organisation
from bop.checkin.models import CheckIn, Method
from bop.extensions import db
from bop.planning.models import Activity
from bop.visitors.codes import format_code


@pytest.fixture
def scanned(client, bop, walk):
    """Fatima scanned in at the walk; a guest and a headcount of 3 there too; Piet at the drop-in."""
    _device, token = make_kiosk(bop)
    headers = {"Authorization": f"Bearer {token}"}
    fatima, code = make_visitor("Fatima")
    piet, piet_code = make_visitor("Piet")
    for body in ({"code": code, "activity": walk.id}, {"kind": "guest", "activity": walk.id},
                 {"kind": "headcount", "count": 3, "activity": walk.id}, {"code": piet_code}):
        assert client.post("/api/v1/checkins", json={**body, "nonce": nonce()}, headers=headers).status_code == 201
    return fatima, piet


def section(data, slot):
    return next(s for s in data["sections"] if s["slot"] == slot)


def test_needs_login(client):
    response = client.get("/staff/checkin/today")
    assert response.status_code == 302 and "/staff/login" in response.location
    assert client.get("/staff/checkin/today.json").status_code == 302


def test_today_lists_named_guests_and_headcounts_apart(client, login, scanned, walk):
    login("volunteer")
    page = client.get("/staff/checkin/today")
    assert page.status_code == 200
    assert "Wandelclub" in page.text and "Fatima" in page.text and "Piet" in page.text
    assert 'class="ct-remove" href' not in page.text and "Bezoeker aanmelden" not in page.text  # volunteers look only
    data = client.get("/staff/checkin/today.json").json
    walk_section = section(data, walk.id)
    assert [r["name"] for r in walk_section["named"]] == ["Fatima"]
    assert (walk_section["guests"], walk_section["headcount"], walk_section["total"]) == (1, 3, 5)
    assert [r["name"] for r in section(data, 0)["named"]] == ["Piet"]
    assert all(r["remove_url"] is None for r in walk_section["named"])


def test_empty_day(client, login, bop):
    login("worker")
    page = client.get("/staff/checkin/today?bop=rijn-en-vliet")
    assert "Nog niemand met naam." in page.text
    assert client.get("/staff/checkin/today?bop=nergens").status_code == 404


def test_today_json_answers_for_the_chosen_bop_or_the_first_of_ones_own(client, login, make_location, make_activity):
    zuid, noord = make_location(slug="zuid", name="Zuid"), make_location(slug="noord", name="Noord")
    make_activity(location=noord, title="Koffie in Noord")
    make_activity(location=zuid, title="Wandelen in Zuid")
    elders = Location(slug="elders", name="Elders", organisation=Organisation(name="Andere Stichting"))
    db.session.add(elders)
    db.session.commit()

    def titles(path):
        response = client.get(path)
        assert response.status_code == 200, path
        slots = {section["slot"] for section in response.json["sections"]} - {0}
        return {db.session.get(Activity, slot).title for slot in slots}

    login("worker", locations=[zuid])
    assert titles("/staff/checkin/today.json") == {"Wandelen in Zuid"}  # her one BOP, chosen or not
    assert titles("/staff/checkin/today.json?bop=zuid") == {"Wandelen in Zuid"}
    assert client.get("/staff/checkin/today.json?bop=noord").status_code == 403  # not hers
    assert client.get("/staff/checkin/today.json?bop=elders").status_code == 403  # another organisation's
    assert client.get("/staff/checkin/today.json?bop=nergens").status_code == 404
    client.post("/staff/logout")
    login("coordinator")
    assert titles("/staff/checkin/today.json") == {"Koffie in Noord"}  # the first by name
    assert titles("/staff/checkin/today.json?bop=zuid") == {"Wandelen in Zuid"}


def test_no_bop_yet(client, login):
    login("coordinator")
    assert "Er is nog geen BOP" in client.get("/staff/checkin/today").text


def test_add_by_name_records_the_staff_member(client, login, bop, walk):
    staff = login("worker")
    visitor, _code = make_visitor("Ans")
    response = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "visitor", "query": "an"},
                           follow_redirects=True)
    assert "Ans is aangemeld." in response.text
    [row] = checkins()
    assert (row.visitor_id, row.method, row.staff_id, row.slot) == (visitor.id, Method.STAFF, staff.id, walk.id)
    again = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "visitor", "query": "Ans"},
                        follow_redirects=True)
    assert "Ans was al aangemeld om" in again.text
    assert len(checkins()) == 1


def test_add_by_card_code(client, login, bop):
    login("worker")
    visitor, code = make_visitor("Ans")
    client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "visitor", "query": format_code(code).lower()})
    assert checkins()[0].visitor_id == visitor.id


def test_add_with_several_matches_asks_who(client, login, bop):
    login("worker")
    make_visitor("Ans")
    anneke, _ = make_visitor("Anneke")
    pick = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "visitor", "query": "an"})
    assert pick.status_code == 200 and "Wie bedoelt u?" in pick.text and "Anneke" in pick.text
    assert checkins() == []
    client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "visitor", "visitor_id": anneke.id})
    assert checkins()[0].visitor_id == anneke.id
    # Asked again, the list tells the two apart by when each was last here.
    again = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "visitor", "query": "an"}).text
    assert again.count("laatst gezien") == 1 and again.count("nog niet eerder gezien") == 1
    assert re.search(r"Anneke</button>\s*<span class=\"muted\">laatst gezien ", again)


def test_add_nobody_found(client, login, bop):
    login("worker")
    response = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "visitor", "query": "Zzz"},
                           follow_redirects=True)
    assert "Niemand gevonden" in response.text and checkins() == []


def test_add_guest_and_headcount_by_hand(client, login, bop, walk):
    staff = login("coordinator")
    client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "guest"})
    client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": walk.id, "kind": "headcount"})
    rows = checkins()
    assert [(r.method, r.count, r.staff_id) for r in rows] == [(Method.STAFF, 1, staff.id), (Method.HEADCOUNT, 1, staff.id)]
    data = client.get("/staff/checkin/today.json").json
    assert (section(data, walk.id)["guests"], section(data, walk.id)["headcount"]) == (1, 1)


def test_add_for_an_activity_not_today(client, login, bop, make_activity, make_location):
    login("worker")
    elsewhere = make_activity(location=make_location())
    response = client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": elsewhere.id, "kind": "guest"},
                           follow_redirects=True)
    assert "er vandaag niet" in response.text and checkins() == []


def test_volunteer_cannot_change(client, login, bop, scanned):
    login("volunteer")
    assert client.post("/staff/checkin/add", data={"location_id": bop.id, "slot": 0, "kind": "guest"}).status_code == 403
    row = checkins()[0]
    assert client.post(f"/staff/checkin/{row.id}/remove").status_code == 403


def test_remove_asks_first(client, login, scanned):
    fatima, _piet = scanned
    login("worker")
    row = checkins(visitor_id=fatima.id)[0]
    confirm = client.get(f"/staff/checkin/{row.id}/remove")
    assert confirm.status_code == 200 and "Aanmelding van Fatima weghalen?" in confirm.text
    assert db.session.get(CheckIn, row.id) is not None
    response = client.post(f"/staff/checkin/{row.id}/remove", follow_redirects=True)
    assert "Aanmelding weggehaald: Fatima." in response.text
    assert checkins(visitor_id=fatima.id) == []
    assert client.get(f"/staff/checkin/{row.id}/remove").status_code == 404
