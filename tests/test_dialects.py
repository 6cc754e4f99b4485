"""What a request brings in stays within what both databases hold (bop/site/inputs.py).

SQLite stores any integer and any text; PostgreSQL answers "integer out of range" and refuses NUL
in text. The suite runs on both (`make test`), so these requests would be 500s on PostgreSQL had
the app not bounded them first.
"""
from __future__ import annotations

import re

import pytest

from bop import create_app
from bop.extensions import db
from bop.site.inputs import MAX_ID, parse_id
from bop.visitors.models import Visitor

TOO_BIG = MAX_ID + 1


def id_routes() -> list[tuple[str, str]]:
    """Every route with an `<int:...>` id, with one method it answers to."""
    app = create_app({"TESTING": True, "AUTO_MIGRATE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "test"})
    found = []
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule:
            method = "GET" if "GET" in rule.methods else "POST"
            found.append((method, rule.rule))
    return sorted(found)


@pytest.mark.parametrize("method,rule", id_routes())
@pytest.mark.parametrize("number", [TOO_BIG, 10**30])
def test_any_id_in_an_address_is_a_plain_404(client, login, method, rule, number):
    login("coordinator")
    url = re.sub(r"<int:[a-z_]+>", str(number), rule)
    url = re.sub(r"<isodate:[a-z_]+>", "2026-01-05", url)
    response = client.open(url, method=method)
    assert response.status_code == 404, (url, response.status_code)


def test_the_id_routes_are_found():
    assert len(id_routes()) >= 15


def test_ids_from_forms_and_queries_are_bounded():
    assert parse_id("7") == 7 and parse_id(f" {MAX_ID} ") == MAX_ID
    for text in (str(TOO_BIG), "0", "-1", "", None, "1e3", "١٢", "7\x00"):
        assert parse_id(text) is None, text


def test_a_huge_location_id_on_the_add_form_is_a_bad_request(client, login, bop):
    login("worker")
    response = client.post("/staff/checkin/add", data={"location_id": str(TOO_BIG), "kind": "headcount"})
    assert response.status_code == 400


def test_huge_ids_for_a_batch_of_cards_are_left_out(client, login):
    login("worker")
    response = client.get(f"/staff/visitors/cards.pdf?ids={TOO_BIG},{10**30}")
    assert response.status_code < 500


@pytest.mark.parametrize("url", ["/bop/rijn%00", "/plan/rijn%00", "/staff/locations/rijn%00",
                                 "/bop/rijn%00/agenda.ics", "/bop/rijn%00/flyer/2026-W02.pdf"])
def test_a_nul_in_an_address_is_a_404(client, login, bop, url):
    login("coordinator")
    assert client.get(url).status_code == 404


def test_a_nul_in_a_search_finds_nothing_instead_of_failing(client, login):
    login("worker")
    response = client.get("/staff/visitors/?q=Fat%00ma")
    assert response.status_code == 200 and "Geen bezoekers gevonden" in response.text


def test_a_nul_typed_into_a_form_is_stored_as_a_replacement_character(client, login, make_location):
    location = make_location()
    login("worker")
    response = client.post("/staff/visitors/new", data={"name": "Fat\x00ma", "language": "nl",
                                                        "home_location_id": location.id})
    assert response.status_code == 302
    assert db.session.execute(db.select(Visitor.name)).scalar_one() == "Fat\ufffdma"


def test_a_nul_in_a_login_is_a_failed_login(client, make_staff):
    staff = make_staff()
    response = client.post("/staff/login", data={"email": staff.email + "\x00", "password": "x\x00"})
    assert response.status_code == 200 and "/staff/logout" not in response.text
