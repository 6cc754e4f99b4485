"""Self check-in on the visitor's own phone, /bop/<slug>/in, over HTTP (no JavaScript needed)."""
from __future__ import annotations

import pytest
from support import checkins, make_visitor

from bop.checkin.models import Method
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import ActivityChange
from bop.visitors.models import Card, Visitor


def tap(client, slug, activity_id, **extra):
    return client.post(f"/bop/{slug}/in", data={"activity": activity_id, **extra})


def test_page_shows_todays_activities_as_tiles(client, bop, walk, make_activity, make_location):
    other_day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][(local_today().weekday() + 3) % 7]
    make_activity(location=bop, title="Taalcafé", rrule=f"FREQ=WEEKLY;BYDAY={other_day}")
    cancelled = make_activity(location=bop, title="Spreekuur")
    db.session.add(ActivityChange(activity_id=cancelled.id, original_date=local_today(), cancelled=True))
    make_activity(location=make_location(), title="Elders")
    db.session.commit()
    page = client.get("/bop/rijn-en-vliet/in")
    assert page.status_code == 200
    assert "Wandelclub" in page.text and "Gewoon binnenlopen" in page.text
    assert "Taalcafé" not in page.text and "Spreekuur" not in page.text and "Elders" not in page.text
    assert 'name="csrf_token"' in page.text  # plain forms, no script needed


def test_unknown_bop(client):
    assert client.get("/bop/nergens/in").status_code == 404


def test_one_tap_checks_in_as_anonymous_guest(client, bop, walk):
    response = tap(client, "rijn-en-vliet", walk.id)
    assert response.status_code == 302 and response.location.endswith("/bop/rijn-en-vliet/in/welkom")
    welcome = client.get(response.location)
    assert "Welkom!" in welcome.text and "Wandelclub" in welcome.text
    [row] = checkins()
    assert row.visitor_id is None and row.method == Method.PHONE and row.slot == walk.id
    assert client.get_cookie("bop_me") is None  # nothing remembered without opting in


def test_one_check_in_per_phone_per_activity_per_day(client, bop, walk):
    tap(client, "rijn-en-vliet", walk.id)
    again = client.get(tap(client, "rijn-en-vliet", walk.id).location)
    assert "U bent al aangemeld" in again.text
    tap(client, "rijn-en-vliet", 0)  # the drop-in is another check-in
    assert len(checkins()) == 2
    assert "U bent aangemeld" in client.get("/bop/rijn-en-vliet/in").text


def test_activity_not_today_or_elsewhere(client, bop, make_activity, make_location):
    elsewhere = make_activity(location=make_location())
    response = tap(client, "rijn-en-vliet", elsewhere.id)
    assert response.status_code == 302 and response.location.endswith("/bop/rijn-en-vliet/in")
    assert "er vandaag niet" in client.get(response.location).text
    assert tap(client, "rijn-en-vliet", "abc").status_code == 400  # no tile sends that
    assert checkins() == []


def test_how_did_you_hear_is_one_tap_and_skippable(client, bop, walk):
    welcome = client.get(tap(client, "rijn-en-vliet", walk.id).location)
    assert "Hoe kent u ons?" in welcome.text
    client.post("/bop/rijn-en-vliet/in/bron", data={"source": "neighbour"})
    assert checkins()[0].source == "neighbour"
    assert "Hoe kent u ons?" not in client.get("/bop/rijn-en-vliet/in/welkom").text  # asked once


def test_skipping_the_question(client, bop, walk):
    tap(client, "rijn-en-vliet", walk.id)
    client.post("/bop/rijn-en-vliet/in/bron", data={"source": ""})
    assert checkins()[0].source == ""
    assert "Hoe kent u ons?" not in client.get("/bop/rijn-en-vliet/in/welkom").text


def test_flyer_cookie_answers_the_question(client, bop, walk):
    client.get("/bop/rijn-en-vliet?bron=flyer")
    welcome = client.get(tap(client, "rijn-en-vliet", walk.id).location)
    assert checkins()[0].source == "flyer"
    assert "Hoe kent u ons?" not in welcome.text


def test_source_cannot_be_forged_for_someone_else(client, bop, walk, app):
    tap(client, "rijn-en-vliet", walk.id)
    other = app.test_client()
    other.post("/bop/rijn-en-vliet/in/bron", data={"source": "flyer"})
    assert checkins()[0].source == ""


def test_remember_me_greets_by_name_next_time(client, bop, walk):
    tap(client, "rijn-en-vliet", walk.id)
    response = client.post("/bop/rijn-en-vliet/in/onthoud", data={"name": "  Samira  "})
    assert response.status_code == 302
    cookie = client.get_cookie("bop_me")
    assert cookie is not None and cookie.http_only and len(cookie.value) == 16
    visitor = db.session.execute(db.select(Visitor)).scalar_one()
    assert visitor.name == "Samira" and visitor.home_location_id == bop.id
    assert db.session.execute(db.select(Card)).scalar_one().code == cookie.value
    assert checkins()[0].visitor_id == visitor.id  # today's visit is now hers
    assert "Welkom, Samira!" in client.get("/bop/rijn-en-vliet/in/welkom").text
    assert "Hallo Samira!" in client.get("/bop/rijn-en-vliet/in").text

    # The next visit (a new session, the same phone): named straight away.
    with client.session_transaction() as session:
        session.clear()
    welcome = client.get(tap(client, "rijn-en-vliet", 0).location)
    assert "Welkom, Samira!" in welcome.text
    rows = checkins(visitor_id=visitor.id)
    assert [r.slot for r in rows] == [walk.id, 0] and rows[1].method == Method.PHONE


def test_remembered_phone_counts_once_even_after_a_kiosk_scan(client, bop, walk):
    visitor, code = make_visitor("Fatima")
    client.set_cookie("bop_me", code)
    tap(client, "rijn-en-vliet", walk.id)
    with client.session_transaction() as session:
        session.clear()
    welcome = client.get(tap(client, "rijn-en-vliet", walk.id).location)
    assert "U bent al aangemeld" in welcome.text
    assert len(checkins(visitor_id=visitor.id)) == 1


def test_remember_needs_a_name(client, bop, walk):
    tap(client, "rijn-en-vliet", walk.id)
    response = client.post("/bop/rijn-en-vliet/in/onthoud", data={"name": "   "}, follow_redirects=True)
    assert "Vul uw voornaam in" in response.text
    assert client.get_cookie("bop_me") is None
    assert db.session.execute(db.select(Visitor)).first() is None


def test_remember_without_a_check_in_does_nothing(client, bop):
    response = client.post("/bop/rijn-en-vliet/in/onthoud", data={"name": "Samira"})
    assert response.status_code == 302 and client.get_cookie("bop_me") is None


def test_forget_this_phone(client, bop, walk):
    tap(client, "rijn-en-vliet", walk.id)
    client.post("/bop/rijn-en-vliet/in/onthoud", data={"name": "Samira"})
    response = client.post("/bop/rijn-en-vliet/in/vergeet", follow_redirects=True)
    assert "kent u niet meer" in response.text
    assert client.get_cookie("bop_me") is None
    assert db.session.execute(db.select(Card)).scalar_one().revoked_at is not None


def test_revoked_phone_card_checks_in_anonymously(client, bop, walk):
    _visitor, code = make_visitor("Fatima", revoked=True)
    client.set_cookie("bop_me", code)
    assert "Welkom!" in client.get(tap(client, "rijn-en-vliet", walk.id).location).text
    [row] = checkins()
    assert row.visitor_id is None


def test_rate_limit_per_address(client, bop, walk, app):
    app.config["SELFCHECKIN_LIMIT"] = "3 per 10 minutes"
    codes = []
    for _ in range(5):
        with client.session_transaction() as session:
            session.clear()
        codes.append(tap(client, "rijn-en-vliet", walk.id).status_code)
    assert codes == [302, 302, 302, 429, 429]
    assert len(checkins()) == 3
    # Another address (another phone network) still checks in.
    other = client.post("/bop/rijn-en-vliet/in", data={"activity": walk.id}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 302


def test_the_default_limit_lets_a_busy_morning_through_and_stops_a_script(client, bop, walk):
    codes = []
    for _ in range(61):
        with client.session_transaction() as session:
            session.clear()
        codes.append(tap(client, "rijn-en-vliet", walk.id).status_code)
    assert codes[:60] == [302] * 60 and codes[60] == 429


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "pl", "uk", "ar"])
def test_the_refusal_is_a_clear_message_in_the_visitors_language(client, bop, walk, app, lang):
    app.config["SELFCHECKIN_LIMIT"] = "1 per 10 minutes"
    client.set_cookie("lang", lang)
    tap(client, "rijn-en-vliet", walk.id)
    refused = tap(client, "rijn-en-vliet", walk.id)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"].isdigit()
    with app.test_request_context(f"/bop/rijn-en-vliet/in?lang={lang}"):
        from bop.site.ratelimit import TOO_MANY_POSTS
        expected = str(TOO_MANY_POSTS)
    assert expected in refused.text
    assert (expected == "Even rustig aan: probeer het over een paar minuten opnieuw.") == (lang == "nl")


def test_csrf_is_required(live_server, bop, walk):
    import urllib.error
    import urllib.parse
    import urllib.request
    data = urllib.parse.urlencode({"activity": walk.id}).encode()
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{live_server}/bop/rijn-en-vliet/in", data=data, timeout=10)
    assert error.value.code == 400
    assert checkins() == []
