"""The hostile inputs of issue 8 (finding 7): each answered 4xx with a clear message, never a 500.

`handle_unexpected` re-raises in TESTING, so any of these that still reached a traceback would fail
the test with that exception instead of a status code.
"""
from __future__ import annotations

import json

import pytest
from support import checkins, make_kiosk, make_visitor, nonce

from bop.site.inputs import MAX_ID, parse_id, parse_timestamp

HUGE = "99999999999999999999"  # above 2**63: SQLite cannot bind it


@pytest.fixture
def token(bop):
    return make_kiosk(bop)[1]


def api_error(response) -> dict:
    assert response.mimetype == "application/json"
    return response.get_json()["error"]


# -- the parser and converter themselves -------------------------------------------------------------

@pytest.mark.parametrize("text", ["1", "42", str(MAX_ID), " 7 "])
def test_parse_id_accepts_plain_numbers(text):
    assert parse_id(text) == int(text)


@pytest.mark.parametrize("text", [HUGE, str(MAX_ID + 1), "0", "-1", "²", "١٢", "1_000", "+3", "", "1.5", "x", None,
                                  "9" * 5000])
def test_parse_id_refuses_everything_else(text):
    assert parse_id(text) is None


def test_json_ids_must_be_plain_integers():
    assert parse_id(12) == 12
    assert parse_id(True) is None and parse_id(2**64) is None and parse_id(1.0) is None


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1900-01-01T00:00:00Z"])
def test_timestamps_at_the_edge_of_the_range_are_refused(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_a_normal_timestamp_parses():
    assert parse_timestamp("2026-03-03T10:02:00+01:00").isoformat() == "2026-03-03T10:02:00+01:00"


# -- huge integers -----------------------------------------------------------------------------------

def test_self_checkin_with_a_huge_activity(client, bop, walk):
    response = client.post("/bop/rijn-en-vliet/in", data={"activity": HUGE})
    assert response.status_code == 400
    assert "Deze activiteit bestaat niet" in response.text
    assert checkins() == []


def test_self_checkin_message_is_in_the_visitors_language(client, bop, walk):
    response = client.post("/bop/rijn-en-vliet/in?lang=en", data={"activity": "²"})
    assert response.status_code == 400
    assert "This activity does not exist" in response.text


@pytest.mark.parametrize("path", [f"/staff/visitors/{HUGE}", f"/staff/visitors/{HUGE}/edit",
                                  f"/staff/activities/{HUGE}", f"/staff/checkin/{HUGE}/remove",
                                  f"/staff/visitors/1/cards/{HUGE}/revoke", f"/staff/people/{HUGE}",
                                  f"/staff/kiosks/{HUGE}/pairing", "/staff/visitors/²"])
def test_huge_ids_in_paths_are_not_found(client, login, path):
    login("coordinator")
    response = client.get(path)
    assert response.status_code == 404
    assert "Deze pagina is er niet" in response.text


@pytest.mark.parametrize("page", [HUGE, "-1", "0", "²", "abc"])
def test_a_page_number_out_of_range_is_not_found(client, login, page):
    login("worker")
    response = client.get(f"/staff/visitors/?page={page}")
    assert response.status_code == 404
    assert "Deze pagina is er niet" in response.text
    assert client.get("/staff/visitors/1?page=" + page).status_code == 404


def test_a_huge_activity_in_the_api(client, bop, token):
    response = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {token}"},
                           data=f'{{"kind": "guest", "activity": {HUGE}, "nonce": "{nonce()}"}}',
                           content_type="application/json")
    assert response.status_code == 422
    error = api_error(response)
    assert error["field"] == "activity" and "nummer van een activiteit" in error["message"]


def test_staff_add_with_huge_numbers(client, login, bop):
    login("coordinator")
    for data in ({"location_id": str(bop.id), "slot": HUGE, "kind": "guest"},
                 {"location_id": HUGE, "slot": "0", "kind": "guest"},
                 {"location_id": str(bop.id), "slot": "0", "kind": "visitor", "visitor_id": HUGE}):
        response = client.post("/staff/checkin/add", data=data)
        assert response.status_code == 400, data
        assert "Daar klopt iets niet" in response.text
    assert checkins() == []


def test_activity_form_with_huge_numbers_keeps_what_was_typed(client, login, bop):
    login("coordinator")
    response = client.post("/staff/plan/rijn-en-vliet/activities/new", data={
        "title": "Koffie", "category": "coffee", "weekdays": "0", "repeat": "weekly", "host_name": "Samira",
        "start_time": "10:00", "end_time": "11:00", "first_date": "2026-03-02", "interval": HUGE,
        "capacity": HUGE})
    assert response.status_code == 200
    assert 'value="Koffie"' in response.text
    assert "Kies een getal van 1 tot 52." in response.text and "Kies een getal van 1 tot 1000." in response.text


# -- ?endpoint= and other url_for keywords -------------------------------------------------------------

@pytest.mark.parametrize("query", ["endpoint=x", "_external=1", "_anchor=x", "_method=POST", "slug=x",
                                   "_scheme=javascript", "week=2026-W10&endpoint=x"])
def test_query_arguments_are_carried_over_but_never_into_url_for(client, bop, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 302
    assert response.location == f"/bop/rijn-en-vliet?{query}"


def test_staff_home_with_endpoint(client, login, bop):
    login("worker")
    response = client.get("/staff/?endpoint=x&week=2026-W10")
    assert response.status_code == 302
    assert response.location == "/staff/plan/rijn-en-vliet?endpoint=x&week=2026-W10"


# -- superscript digits ------------------------------------------------------------------------------

def test_superscript_ids_for_the_card_sheet(client, login):
    login("worker")
    response = client.get("/staff/visitors/cards.pdf?ids=%C2%B2")
    assert response.status_code == 400
    assert "Deze lijst met bezoekers klopt niet" in response.text


def test_superscript_location_for_staff_add(client, login, bop):
    login("coordinator")
    response = client.post("/staff/checkin/add", data={"location_id": "²", "slot": "0", "kind": "guest"})
    assert response.status_code == 400
    assert "Daar klopt iets niet" in response.text


# -- deeply nested JSON ------------------------------------------------------------------------------

def test_100000_nested_brackets_are_refused_unread(client, bop):
    response = client.post("/api/v1/kiosk/pair", data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 413
    error = api_error(response)
    assert error["code"] == "body_too_large" and "te groot" in error["message"]


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"a":' * 1000 + "1" + "}" * 1000,
                                  '{"code": ' + "[" * 50 + "]" * 50 + "}"])
def test_deeply_nested_json_is_refused(client, bop, body):
    response = client.post("/api/v1/kiosk/pair", data=body, content_type="application/json")
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "malformed_json" and "te diep genest" in error["message"]


def test_brackets_inside_strings_do_not_count_as_nesting(client, bop):
    response = client.post("/api/v1/kiosk/pair", data=json.dumps({"code": "[" * 30}), content_type="application/json")
    assert response.status_code == 404  # read fine; the code is just wrong
    assert api_error(response)["code"] == "pairing_code_unknown"


def test_a_huge_json_body_is_refused(client, bop, token):
    body = json.dumps({"kind": "guest", "nonce": nonce(), "source": "x" * 200_000})
    response = client.post("/api/v1/checkins", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413
    assert api_error(response)["code"] == "body_too_large"


# -- timestamps at the edge of the date range --------------------------------------------------------

@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_scanned_at_at_the_edge_of_the_range(client, bop, token, moment):
    _visitor, code = make_visitor()
    response = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {token}"},
                           json={"code": code, "nonce": nonce(), "scanned_at": moment})
    assert response.status_code == 422
    error = api_error(response)
    assert error["field"] == "scanned_at" and "scanned_at" in error["message"]
    assert checkins() == []


@pytest.mark.parametrize("body", ["true", "[]", "[" * 5000, '{"activity": {"x": 1}}'])
def test_json_sent_to_a_page_is_refused(client, login, bop, walk, body):
    """Flask-WTF reads a JSON body as form data; pages take HTML forms only."""
    response = client.post("/bop/rijn-en-vliet/in", data=body, content_type="application/json")
    assert response.status_code == 415
    assert "Deze pagina leest alleen gewone formulieren." in response.text
    login("coordinator")
    response = client.post("/staff/checkin/add", data=body, content_type="application/json")
    assert response.status_code == 415
    assert checkins() == []
