"""The kiosk API over HTTP: every answer status and every bad input of issue 3, all JSON."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from support import BYDAY, ago, checkins, iso, make_kiosk, make_visitor, nonce, scans

from bop.checkin.models import KioskDevice, Method
from bop.clock import TZ, local_today, to_local, utcnow
from bop.extensions import db
from bop.planning.models import ActivityChange, Closure
from bop.visitors.codes import format_code


@pytest.fixture
def kiosk(bop):
    device, token = make_kiosk(bop)
    return device, token


@pytest.fixture
def api(client, kiosk):
    """POST a JSON body to /api/v1/checkins as the paired kiosk."""
    _device, token = kiosk

    def call(body, *, token=token, raw: bytes | None = None, headers=None):
        headers = {"Authorization": f"Bearer {token}", **(headers or {})} if token else dict(headers or {})
        if raw is not None:
            return client.post("/api/v1/checkins", data=raw, headers=headers, content_type="application/json")
        return client.post("/api/v1/checkins", json=body, headers=headers)

    return call




def error_code(response) -> str:
    assert response.is_json, response.data[:200]
    return response.json["error"]["code"]


# -- the happy path and idempotency ----------------------------------------------------------------

def test_scan_checks_in_and_greets_by_name(api, walk, kiosk):
    visitor, code = make_visitor("Fatima")
    scanned = ago(minutes=1)
    response = api({"code": code, "activity": walk.id, "nonce": nonce(), "scanned_at": scanned})
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "ok" and body["name"] == "Fatima"
    assert body["message"] == "Welkom, Fatima!"
    assert body["activity"] == {"id": walk.id, "title": "Wandelclub", "category": "walk"}
    [row] = checkins(visitor_id=visitor.id)
    assert row.slot == walk.id and row.activity_id == walk.id and row.method == Method.CARD
    assert row.device_id == kiosk[0].id and row.client_time is not None and row.server_time is not None
    assert body["checked_in_at"] == to_local(row.client_time).isoformat(timespec="seconds")


def test_second_scan_is_already_and_keeps_the_first_time(api, walk):
    visitor, code = make_visitor()
    first = api({"code": code, "activity": walk.id, "nonce": nonce(), "scanned_at": ago(minutes=30)}).json
    second = api({"code": code, "activity": walk.id, "nonce": nonce()})
    assert second.status_code == 200
    assert second.json["status"] == "already" and second.json["reason"] == "already_checked_in"
    assert second.json["checked_in_at"] == first["checked_in_at"]
    hhmm = datetime.fromisoformat(first["checked_in_at"]).strftime("%H:%M")
    assert second.json["message"] == f"Al aangemeld om {hhmm}"
    assert len(checkins(visitor_id=visitor.id)) == 1
    assert [s.status for s in scans()] == ["ok", "already"]


def test_a_scan_from_just_before_midnight_counts_for_that_day(api, frozen_clock):
    """An offline kiosk sends at 00:10 what it scanned at 23:40: the visit belongs to the day before."""
    frozen_clock.move_to(datetime(2026, 11, 25, 0, 10, tzinfo=TZ))
    visitor, code = make_visitor()
    body = api({"code": code, "nonce": nonce(), "scanned_at": ago(minutes=30)}).json
    [row] = checkins(visitor_id=visitor.id)
    assert row.day == date(2026, 11, 24) and body["status"] == "ok"
    assert to_local(row.client_time).strftime("%H:%M") == "23:40"
    again = api({"code": code, "nonce": nonce()}).json  # scanned now, at 00:10: a new day, a new visit
    assert again["status"] == "ok" and checkins(visitor_id=visitor.id)[1].day == date(2026, 11, 25)


def test_drop_in_and_activity_count_separately(api, walk):
    visitor, code = make_visitor()
    assert api({"code": code, "activity": None, "nonce": nonce()}).json["status"] == "ok"
    assert api({"code": code, "nonce": nonce()}).json["status"] == "already"
    assert api({"code": code, "activity": walk.id, "nonce": nonce()}).json["status"] == "ok"
    assert sorted(c.slot for c in checkins(visitor_id=visitor.id)) == [0, walk.id]


def test_same_nonce_gets_the_same_answer(api, walk):
    visitor, code = make_visitor()
    body = {"code": code, "activity": walk.id, "nonce": nonce(), "scanned_at": ago(minutes=2)}
    first = api(body)
    again = api(body)
    assert again.status_code == first.status_code == 201
    assert again.json == first.json
    assert len(checkins()) == 1 and len(scans()) == 1


def test_retry_of_a_failed_scan_gets_the_same_answer(api):
    body = {"code": "ABCD-EFGH-JKLM-NPQR", "nonce": nonce()}
    first, again = api(body), api(body)
    assert first.json == again.json and first.json["status"] == "unknown"
    assert len(scans()) == 1


def test_replayed_nonce_with_another_code_is_refused_and_stores_nothing(api, walk):
    _visitor, code = make_visitor("Fatima")
    _other, other_code = make_visitor("Piet")
    used = nonce()
    api({"code": code, "activity": walk.id, "nonce": used})
    response = api({"code": other_code, "activity": walk.id, "nonce": used})
    assert response.status_code == 409
    assert response.json["status"] == "invalid" and response.json["reason"] == "nonce_reused"
    assert error_code(response) == "nonce_reused"
    assert len(checkins()) == 1 and len(scans()) == 1


def test_replayed_nonce_for_another_kind_is_refused(api):
    used = nonce()
    assert api({"kind": "guest", "nonce": used}).status_code == 201
    assert error_code(api({"kind": "headcount", "count": 1, "nonce": used})) == "nonce_reused"
    assert len(checkins()) == 1


def test_guest_retry_is_not_counted_twice(api):
    body = {"kind": "guest", "source": "flyer", "nonce": nonce()}
    first, again = api(body), api(body)
    assert first.json == again.json and first.status_code == 201
    [row] = checkins()
    assert row.visitor_id is None and row.method == Method.GUEST and row.source == "flyer"


# -- codes as they come out of scanners and fingers -------------------------------------------------

@pytest.mark.parametrize("spelling", [
    lambda c: c.lower(),
    lambda c: " " + format_code(c).lower() + " ",
    lambda c: " ".join(c[i:i + 4] for i in range(0, 16, 4)),
    lambda c: c + "\n",
])
def test_lower_case_spaces_and_dashes_still_match(api, spelling):
    _visitor, code = make_visitor("Fatima")
    response = api({"code": spelling(code), "nonce": nonce()})
    assert response.json["status"] == "ok" and response.json["name"] == "Fatima"


def test_unknown_code(api):
    response = api({"code": "ABCDEFGHJKLMNPQR", "nonce": nonce()})
    assert response.status_code == 200
    assert response.json["status"] == "unknown" and response.json["reason"] == "unknown_code"
    assert checkins() == []
    [scan] = scans()
    assert scan.status == "unknown" and scan.raw_code == "ABCDEFGHJKLMNPQR"


def test_revoked_card_has_its_own_answer(api):
    _visitor, code = make_visitor("Fatima", revoked=True)
    response = api({"code": code, "nonce": nonce()})
    assert response.json["status"] == "revoked" and response.json["reason"] == "revoked_code"
    assert "nieuwe kaart" in response.json["message"]
    assert response.json["name"] is None  # a lost card does not tell the finder whose it was
    assert checkins() == [] and scans()[0].status == "revoked"


@pytest.mark.parametrize("code", ["", "   ", "\t\n"])
def test_empty_code_is_a_validation_error(api, code):
    response = api({"code": code, "nonce": nonce()})
    assert response.status_code == 422 and error_code(response) == "code_required"
    assert scans() == []


def test_no_code_and_no_kind(api):
    response = api({"activity": None, "nonce": nonce()})
    assert response.status_code == 422 and error_code(response) == "code_required"


def test_overlong_code_is_invalid_and_stored_cut_short(api):
    response = api({"code": "A" * 5000, "nonce": nonce()})
    assert response.status_code == 200
    assert response.json["status"] == "invalid" and response.json["reason"] == "code_too_long"
    [scan] = scans()
    assert scan.status == "invalid" and scan.raw_code == "A" * 200
    assert checkins() == []


def test_binary_code_is_invalid_and_stored_without_control_characters(api):
    response = api({"code": "\x00\x01\x02\xff\ufffe\x1b[31mX", "nonce": nonce()})
    assert response.json["status"] == "invalid" and response.json["reason"] == "malformed_code"
    [scan] = scans()
    assert "\x00" not in scan.raw_code and "\x1b" not in scan.raw_code and scan.raw_code.endswith("[31mX")


@pytest.mark.parametrize("code", ["'; DROP TABLE checkin; --", "1 OR 1=1", "ABCD' OR '1'='1"])
def test_sql_looking_code_is_just_invalid(api, code):
    _visitor, _code = make_visitor()
    response = api({"code": code, "nonce": nonce()})
    assert response.json["status"] == "invalid"
    assert scans()[0].raw_code == code
    assert api({"code": _code, "nonce": nonce()}).json["status"] == "ok"  # the tables are fine


@pytest.mark.parametrize("code", [123, 1.5, True, ["ABCD"], {"code": "x"}])
def test_code_that_is_not_text(api, code):
    response = api({"code": code, "nonce": nonce()})
    assert response.status_code == 422 and error_code(response) == "invalid_field"
    assert response.json["error"]["field"] == "code"


# -- malformed requests -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"", b"{", b"{'code': 'x'}", b"\xff\xfe\x00binary", b"null", b"[1, 2]", b'"text"'])
def test_malformed_json(api, raw):
    response = api(None, raw=raw)
    assert response.status_code == 400 and error_code(response) == "malformed_json"
    assert response.json["error"]["message"]


@pytest.mark.parametrize("body, field", [
    ({"code": "X", "nonce": "short"}, "nonce"),
    ({"code": "X", "nonce": "has spaces in it"}, "nonce"),
    ({"code": "X", "nonce": 12345678}, "nonce"),
    ({"code": "X", "nonce": "x" * 65}, "nonce"),
    ({"code": "X", "activity": "1"}, "activity"),
    ({"code": "X", "activity": 1.0}, "activity"),
    ({"code": "X", "scanned_at": "yesterday"}, "scanned_at"),
    ({"code": "X", "scanned_at": 1700000000}, "scanned_at"),
    ({"code": "X", "scanned_at": "2026-03-03T10:02:00"}, "scanned_at"),  # no time zone
    ({"kind": "vip"}, "kind"),
    ({"kind": "guest", "source": "tv"}, "source"),
    ({"kind": "guest", "code": "ABCD"}, "code"),
    ({"kind": "headcount", "count": 0}, "count"),
    ({"kind": "headcount", "count": 51}, "count"),
    ({"kind": "headcount", "count": "3"}, "count"),
    ({"kind": "headcount", "count": True}, "count"),
    ({"code": "X", "count": 2}, "count"),
    ({"code": "X", "colour": "red"}, "colour"),
])
def test_validation_errors_name_the_field(api, body, field):
    response = api(body)
    assert response.status_code == 422, response.json
    assert error_code(response) == "invalid_field" and response.json["error"]["field"] == field
    assert checkins() == [] and scans() == []


# -- tokens -----------------------------------------------------------------------------------------

def test_missing_token(api):
    response = api({"code": "X"}, token=None)
    assert response.status_code == 401 and error_code(response) == "token_missing"


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Token xyz", "Bearer not-a-real-token"])
def test_bad_token(client, kiosk, header):
    response = client.post("/api/v1/checkins", json={"code": "X"}, headers={"Authorization": header})
    assert response.status_code == 401 and error_code(response) == "token_invalid"


def test_revoked_token(api, kiosk):
    device, _token = kiosk
    device.revoked_at = utcnow()
    db.session.commit()
    response = api({"code": "X"})
    assert response.status_code == 403 and error_code(response) == "token_revoked"
    assert checkins() == [] and scans() == []


def test_token_is_checked_before_the_body(api):
    response = api(None, raw=b"{", token="nonsense")
    assert response.status_code == 401


def test_revoked_token_is_checked_before_the_body(api, kiosk):
    """The check-in reads the tablet together with the body's activity and card; a refused body
    still answers for the token first."""
    assert error_code(api(None, raw=b"{")) == "malformed_json"
    assert error_code(api({"code": "X", "colour": "red"})) == "invalid_field"
    device, _token = kiosk
    device.revoked_at = utcnow()
    db.session.commit()
    for response in (api(None, raw=b"{"), api({"code": "X", "colour": "red"}), api({"code": "X", "activity": "1"})):
        assert response.status_code == 403 and error_code(response) == "token_revoked"


# -- where and when ---------------------------------------------------------------------------------

def test_activity_of_another_bop(api, make_activity, make_location):
    elsewhere = make_activity(location=make_location(), title="Taalcafé")
    _visitor, code = make_visitor()
    response = api({"code": code, "activity": elsewhere.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_found"
    assert checkins() == []


def test_activity_that_does_not_exist(api):
    response = api({"code": "X", "activity": 999999})
    assert response.status_code == 404 and error_code(response) == "activity_not_found"


def test_activity_on_another_day(api, make_activity, bop):
    other_day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][(local_today().weekday() + 2) % 7]
    later = make_activity(location=bop, title="Taalcafé", rrule=f"FREQ=WEEKLY;BYDAY={other_day}")
    _visitor, code = make_visitor()
    response = api({"code": code, "activity": later.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"
    assert checkins() == [] and scans() == []


def test_activity_cancelled_today(api, walk):
    db.session.add(ActivityChange(activity_id=walk.id, original_date=local_today(), cancelled=True, reason="Koningsdag"))
    db.session.commit()
    _visitor, code = make_visitor()
    response = api({"code": code, "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


def test_closure_today_refuses_the_activity(api, walk, bop):
    today = local_today()
    db.session.add(Closure(location_id=bop.id, first_date=today - timedelta(days=1),
                           last_date=today + timedelta(days=1), reason="Kerstvakantie"))
    db.session.commit()
    _visitor, code = make_visitor()
    response = api({"code": code, "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


def test_activity_moved_onto_today(api, make_activity, bop):
    today = local_today()
    in_two_days = today + timedelta(days=2)
    later = make_activity(location=bop, title="Taalcafé", rrule=f"FREQ=WEEKLY;BYDAY={BYDAY[in_two_days.weekday()]}")
    db.session.add(ActivityChange(activity_id=later.id, original_date=in_two_days, new_date=today))
    db.session.commit()
    _visitor, code = make_visitor()
    assert api({"code": code, "activity": later.id, "nonce": nonce()}).status_code == 201


def test_activity_moved_away_from_today(api, walk):
    db.session.add(ActivityChange(activity_id=walk.id, original_date=local_today(),
                                  new_date=local_today() + timedelta(days=1)))
    db.session.commit()
    _visitor, code = make_visitor()
    response = api({"code": code, "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


# -- nothing is cached: changes by staff count from the very next scan ---------------------------------

def test_cancelling_counts_from_the_next_scan(api, walk):
    assert api({"code": make_visitor()[1], "activity": walk.id, "nonce": nonce()}).status_code == 201
    db.session.add(ActivityChange(activity_id=walk.id, original_date=local_today(), cancelled=True, reason="Ziek"))
    db.session.commit()
    response = api({"code": make_visitor("Jan")[1], "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


def test_changing_the_rule_counts_from_the_next_scan(api, walk):
    """Whether a rule produces today is kept per process, keyed by the rule's values, which every
    scan reads afresh: a rule moved to another weekday refuses the very next scan."""
    assert api({"code": make_visitor()[1], "activity": walk.id, "nonce": nonce()}).status_code == 201
    walk.rrule = f"FREQ=WEEKLY;BYDAY={BYDAY[(local_today().weekday() + 1) % 7]}"
    db.session.commit()
    response = api({"code": make_visitor("Jan")[1], "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


def test_a_closure_counts_from_the_next_scan(api, walk, bop):
    assert api({"code": make_visitor()[1], "activity": walk.id, "nonce": nonce()}).status_code == 201
    db.session.add(Closure(location_id=bop.id, first_date=local_today(), last_date=local_today(), reason="Storing"))
    db.session.commit()
    response = api({"code": make_visitor("Jan")[1], "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 404 and error_code(response) == "activity_not_today"


def test_revoking_a_card_counts_from_the_next_scan(api, walk):
    visitor, code = make_visitor()
    assert api({"code": code, "activity": walk.id, "nonce": nonce()}).json["status"] == "ok"
    visitor.cards[0].revoked_at = utcnow()
    db.session.commit()
    answer = api({"code": code, "nonce": nonce()}).json  # the drop-in: a slot she is not checked in for
    assert answer["status"] == "revoked" and answer["name"] is None


def test_revoking_a_tablet_counts_from_its_next_request(api, kiosk):
    device, _token = kiosk
    assert api({"kind": "guest", "nonce": nonce()}).status_code == 201
    device.revoked_at = utcnow()
    db.session.commit()
    response = api({"kind": "guest", "nonce": nonce()})
    assert response.status_code == 403 and error_code(response) == "token_revoked"
    assert len(checkins()) == 1


def test_kiosk_last_seen_is_written_at_most_once_a_minute(api, kiosk):
    device, _token = kiosk
    device.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    api({"kind": "guest", "nonce": nonce()})
    db.session.refresh(device)
    seen = device.last_seen_at
    assert seen > utcnow() - timedelta(seconds=30)
    api({"kind": "guest", "nonce": nonce()})
    db.session.refresh(device)
    assert device.last_seen_at == seen


def test_scanned_at_in_the_far_future(api):
    _visitor, code = make_visitor()
    future = iso(datetime.now(UTC) + timedelta(days=400))
    response = api({"code": code, "nonce": nonce(), "scanned_at": future})
    assert response.status_code == 422 and error_code(response) == "scanned_at_in_future"
    assert checkins() == []


def test_small_clock_skew_is_fine(api):
    _visitor, code = make_visitor()
    ahead = iso(datetime.now(UTC) + timedelta(minutes=2))
    assert api({"code": code, "nonce": nonce(), "scanned_at": ahead}).status_code == 201


def test_scanned_at_in_the_far_past(api):
    _visitor, code = make_visitor()
    response = api({"code": code, "nonce": nonce(), "scanned_at": "2001-01-01T10:00:00+01:00"})
    assert response.status_code == 422 and error_code(response) == "scanned_at_too_old"
    assert checkins() == []


def test_late_upload_keeps_its_original_time_and_day(api):
    """An offline kiosk uploads yesterday afternoon's scan this morning: it counts for yesterday."""
    visitor, code = make_visitor()
    yesterday_3pm = datetime.combine(local_today() - timedelta(days=1), datetime.min.time()).replace(
        hour=15, tzinfo=to_local(utcnow()).tzinfo)
    response = api({"code": code, "nonce": nonce(), "scanned_at": yesterday_3pm.isoformat()})
    assert response.status_code == 201
    [row] = checkins(visitor_id=visitor.id)
    assert row.day == local_today() - timedelta(days=1)
    assert to_local(row.client_time).hour == 15 and row.server_time > row.client_time
    # And today the same card is a new visit.
    assert api({"code": code, "nonce": nonce()}).json["status"] == "ok"


# -- guests and headcounts ------------------------------------------------------------------------

def test_guest_and_headcount(api, walk):
    assert api({"kind": "guest", "activity": walk.id, "nonce": nonce()}).status_code == 201
    response = api({"kind": "headcount", "count": 4, "activity": walk.id, "nonce": nonce()})
    assert response.status_code == 201 and response.json["status"] == "ok" and response.json["name"] is None
    rows = checkins(slot=walk.id)
    assert [(r.method, r.count, r.visitor_id) for r in rows] == [("guest", 1, None), ("headcount", 4, None)]


def test_two_guests_are_two_rows(api):
    api({"kind": "guest", "nonce": nonce()})
    api({"kind": "guest", "nonce": nonce()})
    assert len(checkins(slot=0)) == 2


# -- the kiosk's day ---------------------------------------------------------------------------------

def test_kiosk_today_lists_this_bops_activities(client, kiosk, bop, make_activity, make_location):
    make_activity(location=bop, title="Wandelclub")
    make_activity(location=bop, title="Taalcafé", start_time=datetime.min.time().replace(hour=13))
    cancelled = make_activity(location=bop, title="Spreekuur")
    db.session.add(ActivityChange(activity_id=cancelled.id, original_date=local_today(), cancelled=True))
    make_activity(location=make_location(), title="Elders")
    db.session.commit()
    response = client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {kiosk[1]}"})
    assert response.status_code == 200
    body = response.json
    assert body["location"] == {"slug": "rijn-en-vliet", "name": "Rijn en Vliet"}
    assert [a["title"] for a in body["activities"]] == ["Wandelclub", "Taalcafé"]
    assert body["day"] == local_today().isoformat()
    assert all(a["pictogram"].endswith(".svg") for a in body["activities"])
    assert body["running"] in (None, *[a["id"] for a in body["activities"]])
    assert sum(a["running"] for a in body["activities"]) == (body["running"] is not None)


def test_kiosk_today_marks_the_running_activity(client, kiosk, bop, make_activity):
    now = to_local(utcnow())  # 10:30, the suite's frozen clock
    start = (now - timedelta(minutes=10)).time().replace(second=0, microsecond=0)
    running = make_activity(location=bop, title="Koffie", category="coffee", start_time=start, duration_minutes=120)
    response = client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {kiosk[1]}"})
    assert response.json["running"] == running.id


def test_kiosk_today_needs_a_token(client):
    response = client.get("/api/v1/kiosk/today")
    assert response.status_code == 401 and error_code(response) == "token_missing"


# -- pairing -----------------------------------------------------------------------------------------

def test_pairing_gives_a_token_once(client, login, bop):
    login("coordinator")
    response = client.post("/staff/kiosks", data={"location_id": bop.id, "name": "Tablet koffietafel"})
    assert response.status_code == 302
    device = db.session.execute(db.select(KioskDevice)).scalar_one()
    code = device.pairing_code
    page = client.get(response.location)
    assert format_code(code)[:4] in page.text and "<svg" in page.text
    client.post("/staff/logout")

    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    paired = client.post("/api/v1/kiosk/pair", json={"code": typed})
    assert paired.status_code == 201
    token = paired.json["token"]
    assert paired.json["location"]["slug"] == "rijn-en-vliet"
    assert client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    again = client.post("/api/v1/kiosk/pair", json={"code": code})
    assert again.status_code == 404 and error_code(again) == "pairing_code_unknown"
    db.session.refresh(device)
    assert device.token_hash != token and len(device.token_hash) == 64  # only the hash is kept


def test_expired_pairing_code(client, bop):
    from bop.checkin.kiosk import create_pairing
    device = create_pairing(db.session, bop, "Oud", None, utcnow() - timedelta(minutes=16))
    db.session.commit()
    response = client.post("/api/v1/kiosk/pair", json={"code": device.pairing_code})
    assert response.status_code == 404 and error_code(response) == "pairing_code_unknown"


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": 5}, {"code": "x" * 41}])
def test_pairing_validation(client, body):
    response = client.post("/api/v1/kiosk/pair", json=body)
    assert response.status_code == 422 and error_code(response) == "code_required"


def test_pairing_is_rate_limited(client):
    answers = [client.post("/api/v1/kiosk/pair", json={"code": "ABCD-EFGH"}) for _ in range(12)]
    assert [a.status_code for a in answers] == [404] * 10 + [429, 429]
    assert answers[-1].get_json() == {"error": {"code": "too_many_attempts",
                                                "message": "Te veel pogingen. Wacht tien minuten en probeer het opnieuw."}}
    assert int(answers[-1].headers["Retry-After"]) > 0
    # Another address is not held up by this one.
    other = client.post("/api/v1/kiosk/pair", json={"code": "ABCD-EFGH"}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 404


def test_the_api_is_limited_per_tablet(client, app, bop):
    app.config["API_LIMIT"] = "3 per minute"
    _device, token = make_kiosk(bop, "Tablet 1")
    _other, other_token = make_kiosk(bop, "Tablet 2")
    today = [client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {token}"}) for _ in range(4)]
    assert [r.status_code for r in today] == [200, 200, 200, 429]
    assert error_code(today[-1]) == "too_many_attempts"
    # The second tablet at the same BOP (same address) has its own count.
    assert client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {other_token}"}).status_code == 200


def test_check_ins_are_limited_per_tablet(client, app, bop):
    """The check-in reads its tablet itself (no device_required): the blueprint's limit still counts it."""
    app.config["API_LIMIT"] = "3 per minute"
    _device, token = make_kiosk(bop, "Tablet 1")
    answers = [client.post("/api/v1/checkins", json={"kind": "guest", "nonce": nonce()},
                           headers={"Authorization": f"Bearer {token}"}) for _ in range(4)]
    assert [r.status_code for r in answers] == [201, 201, 201, 429]
    assert error_code(answers[-1]) == "too_many_attempts"
    assert len(checkins()) == 3 and len(scans()) == 3


def test_revoking_a_tablet(client, login, kiosk):
    device, token = kiosk
    login("coordinator")
    page = client.get(f"/staff/kiosks/{device.id}/revoke")
    assert page.status_code == 200 and "Tablet koffietafel" in page.text
    assert client.post(f"/staff/kiosks/{device.id}/revoke").status_code == 302
    response = client.get("/api/v1/kiosk/today", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and error_code(response) == "token_revoked"


def test_tablets_page_is_for_coordinators(client, login):
    login("worker")
    assert client.get("/staff/kiosks").status_code == 403


# -- the rest of the API surface ------------------------------------------------------------------

def test_unknown_api_address_and_wrong_method_are_json(client, kiosk):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.is_json
    wrong = client.get("/api/v1/checkins", headers={"Authorization": f"Bearer {kiosk[1]}"})
    assert wrong.status_code == 405 and wrong.is_json


def test_pair_kiosk_command(app, bop):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "pair-kiosk", "rijn-en-vliet", "Tablet gang", "--token-only"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    from bop.checkin.kiosk import device_for_token
    device = device_for_token(db.session, token)
    assert device is not None and device.name == "Tablet gang" and device.location_id == bop.id
    missing = runner.invoke(args=["bop", "pair-kiosk", "nergens", "Tablet"])
    assert missing.exit_code != 0 and "nergens" in missing.output
