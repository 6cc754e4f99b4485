"""Check-in semantics (bop.checkin) on their own, and under concurrency against a live server."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from support import checkins, make_kiosk, make_visitor, nonce, post_json, scans

from bop.checkin import redeem as semantics
from bop.checkin.attendance import attendance
from bop.checkin.models import CheckIn, Method
from bop.checkin.redeem import (
    Attempt,
    Kind,
    Status,
    TimeRefused,
    accepted_time,
    clean_raw,
    redeem,
)
from bop.checkin.statements import ActivityRef, takes_place
from bop.clock import TZ, local_today
from bop.extensions import db
from bop.planning.models import ActivityChange, Closure
from bop.planning.programme import occurrence_on, running_now, series_of, todays_programme
from bop.visitors.models import Card, Visitor
from bop.visitors.records import last_visits

NOW = datetime(2026, 3, 3, 9, 30)  # naive UTC: 10:30 in Amsterdam


def attempt(bop, **fields) -> Attempt:
    return Attempt(location=bop, day=fields.pop("day", date(2026, 3, 3)), **fields)


def test_first_check_in_is_kept(bop):
    visitor, code = make_visitor("Fatima")
    first = redeem(db.session, attempt(bop, code=code, client_time=NOW - timedelta(minutes=5)), NOW)
    db.session.commit()
    later = redeem(db.session, attempt(bop, code=code, client_time=NOW + timedelta(minutes=40)), NOW + timedelta(minutes=41))
    db.session.commit()
    assert first.status == Status.OK and first.name == "Fatima"
    assert later.status == Status.ALREADY and later.checkin.id == first.checkin.id
    assert later.time == NOW - timedelta(minutes=5)
    assert last_visits(db.session, [visitor.id]) == {visitor.id: date(2026, 3, 3)}


def test_once_per_activity_and_once_for_the_drop_in(bop, make_activity):
    walk = make_activity(location=bop)
    _visitor, code = make_visitor()
    results = [redeem(db.session, attempt(bop, code=code, activity=a), NOW).status for a in (walk, None, walk, None)]
    db.session.commit()
    assert results == [Status.OK, Status.OK, Status.ALREADY, Status.ALREADY]


def test_a_new_day_is_a_new_visit(bop):
    _visitor, code = make_visitor()
    assert redeem(db.session, attempt(bop, code=code), NOW).status == Status.OK
    assert redeem(db.session, attempt(bop, code=code, day=date(2026, 3, 4)), NOW).status == Status.OK


def test_two_bops_count_separately(bop, make_location):
    _visitor, code = make_visitor()
    other = make_location()
    assert redeem(db.session, attempt(bop, code=code), NOW).status == Status.OK
    assert redeem(db.session, attempt(other, code=code), NOW).status == Status.OK


def test_nonce_replays_the_stored_answer(bop):
    _visitor, code = make_visitor("Piet")
    used = nonce()
    first = redeem(db.session, attempt(bop, code=code, nonce=used), NOW)
    db.session.commit()
    again = redeem(db.session, attempt(bop, code=code.lower(), nonce=used), NOW + timedelta(hours=1))
    assert (again.status, again.name, again.checkin.id, again.replayed) == (Status.OK, "Piet", first.checkin.id, True)
    other = redeem(db.session, attempt(bop, code=make_visitor("Jan")[1], nonce=used), NOW)
    assert other.status == Status.INVALID and other.reason == "nonce_reused"
    db.session.rollback()
    assert len(checkins()) == 1 and len(scans()) == 1


def test_failed_scans_are_logged_with_their_raw_code(bop):
    _visitor, revoked = make_visitor(revoked=True)
    for raw in ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", revoked, "hello\x00world", "x" * 300]:
        redeem(db.session, attempt(bop, code=raw), NOW)
    db.session.commit()
    assert [(s.status, s.raw_code[:20]) for s in scans()] == [
        ("unknown", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"), ("revoked", revoked), ("invalid", "hello\ufffdworld"), ("invalid", "x" * 20)]
    assert len(scans()[-1].raw_code) == 200
    assert checkins() == []


def test_a_replayed_guest_leaves_one_check_in_without_a_rollback(bop):
    """The Scan is stored with its answer after the check-in: a retry inserts its own guest
    check-in first, finds the nonce answered, and deletes it again. Nothing of it remains even
    when the caller commits rather than rolls back."""
    used = nonce()
    first = redeem(db.session, attempt(bop, kind=Kind.GUEST, method=Method.GUEST, nonce=used), NOW)
    db.session.commit()
    again = redeem(db.session, attempt(bop, kind=Kind.GUEST, method=Method.GUEST, nonce=used), NOW)
    db.session.commit()
    assert (again.status, again.replayed, again.checkin.id) == (Status.OK, True, first.checkin.id)
    other = redeem(db.session, attempt(bop, kind=Kind.HEADCOUNT, count=3, nonce=used), NOW)
    db.session.commit()
    assert other.reason == "nonce_reused"
    assert [row.id for row in checkins()] == [first.checkin.id] and len(scans()) == 1


def test_a_replay_after_staff_removed_the_check_in_stores_nothing(bop):
    """The retry's own check-in (the slot is free again) is deleted: only the stored answer comes
    back, and the visitor has no visit again."""
    visitor, code = make_visitor("Piet")
    used = nonce()
    redeem(db.session, attempt(bop, code=code, nonce=used), NOW)
    db.session.commit()
    db.session.execute(db.delete(CheckIn))
    db.session.commit()
    later = NOW + timedelta(hours=2)
    again = redeem(db.session, attempt(bop, code=code, nonce=used, client_time=later), later)
    db.session.commit()
    assert (again.replayed, again.status, again.name, again.checkin) == (True, Status.OK, "Piet", None)
    assert checkins() == [] and len(scans()) == 1
    assert last_visits(db.session, [visitor.id]) == {}


def test_guest_and_headcount_are_not_named(bop):
    redeem(db.session, attempt(bop, kind=Kind.GUEST, method=Method.GUEST, source="neighbour"), NOW)
    redeem(db.session, attempt(bop, kind=Kind.HEADCOUNT, count=3), NOW)
    redeem(db.session, attempt(bop, kind=Kind.HEADCOUNT, count=1), NOW)
    visitor, code = make_visitor("Fatima")
    redeem(db.session, attempt(bop, code=code), NOW)
    db.session.commit()
    slot = attendance(db.session, bop, date(2026, 3, 3))[0]
    assert [c.visitor.name for c in slot.named] == ["Fatima"]
    assert (slot.guests, slot.headcount, slot.total) == (1, 4, 6)


def test_staff_picks_a_visitor_by_hand(bop, make_staff):
    staff = make_staff()
    visitor, _code = make_visitor("Ans")
    result = redeem(db.session, attempt(bop, kind=Kind.VISITOR, visitor=visitor, method=Method.STAFF, staff_id=staff.id), NOW)
    db.session.commit()
    assert result.status == Status.OK
    [row] = checkins()
    assert row.method == Method.STAFF and row.staff_id == staff.id
    assert scans() == []  # a hand-made check-in is no scan


def test_last_seen_never_moves_back(bop, make_activity):
    """An offline kiosk's late upload of an earlier day leaves the later visit as last seen."""
    walk = make_activity(location=bop)
    visitor, code = make_visitor("Fatima")
    other, _ = make_visitor("Ans")
    redeem(db.session, attempt(bop, code=code, activity=walk, client_time=NOW), NOW)
    redeem(db.session, attempt(bop, code=code, day=date(2026, 3, 2), client_time=NOW - timedelta(days=1)), NOW)
    db.session.commit()
    assert last_visits(db.session, [visitor.id, other.id]) == {visitor.id: date(2026, 3, 3)}


def test_a_card_made_in_the_same_transaction_is_found(bop):
    """redeem reads cards on the connection (no autoflush), so it flushes the caller's changes first."""
    visitor = Visitor(name="Nieuw", organisation_id=bop.organisation_id)
    visitor.cards.append(Card(code="K7QM2XHP9RTB4WCE"))
    db.session.add(visitor)
    result = redeem(db.session, attempt(bop, code="k7qm-2xhp-9rtb-4wce"), NOW)
    assert (result.status, result.name) == (Status.OK, "Nieuw")


def test_takes_place_agrees_with_occurrence_on(bop, make_activity):
    """The kiosk API's narrow reads give the same answer as the full expansion, day by day."""
    tuesday = date(2026, 3, 3)
    walk = make_activity(location=bop, rrule="FREQ=WEEKLY;BYDAY=TU", first_date=tuesday - timedelta(weeks=2))
    db.session.add_all([
        ActivityChange(activity_id=walk.id, original_date=tuesday, cancelled=True, reason="Koningsdag"),
        ActivityChange(activity_id=walk.id, original_date=tuesday + timedelta(weeks=1),
                       new_date=tuesday + timedelta(weeks=1, days=1)),                      # moved to Wednesday
        ActivityChange(activity_id=walk.id, original_date=tuesday + timedelta(weeks=2),
                       new_date=tuesday + timedelta(weeks=1, days=3)),                      # moved a week early
        Closure(location_id=bop.id, first_date=tuesday + timedelta(weeks=3),
                last_date=tuesday + timedelta(weeks=3, days=6), reason="Voorjaarsvakantie"),
    ])
    db.session.commit()
    ref = ActivityRef(walk.id, bop.id, walk.title, walk.category, series_of(walk))
    days = [tuesday - timedelta(days=7) + timedelta(days=n) for n in range(42)]
    narrow = [day for day in days if takes_place(db.session, ref, day)]
    full = [day for day in days if occurrence_on(bop, walk, day) is not None]
    assert narrow == full
    assert narrow == [date(2026, 2, 24), date(2026, 3, 11), date(2026, 3, 13), date(2026, 3, 31)]


@pytest.mark.parametrize("client_time, refused", [
    (NOW + timedelta(minutes=6), "scanned_at_in_future"),
    (NOW - semantics.MAX_UPLOAD_AGE - timedelta(minutes=1), "scanned_at_too_old"),
])
def test_times_that_cannot_be_right(client_time, refused):
    with pytest.raises(TimeRefused) as error:
        accepted_time(client_time, NOW)
    assert error.value.code == refused


def test_times_that_are_fine():
    assert accepted_time(None, NOW) == NOW
    assert accepted_time(NOW + timedelta(minutes=4), NOW) == NOW + timedelta(minutes=4)
    assert accepted_time(NOW - timedelta(hours=47), NOW) == NOW - timedelta(hours=47)
    aware = datetime(2026, 3, 3, 10, 0, tzinfo=TZ)
    assert accepted_time(aware, NOW) == datetime(2026, 3, 3, 9, 0)


def test_clean_raw():
    assert clean_raw("ab\x00\x1bc") == "ab\ufffd\ufffdc"
    assert len(clean_raw("é" * 1000)) == 200
    assert clean_raw(42) == "42"


def test_running_now_prefers_the_latest_start(bop, make_activity):
    make_activity(location=bop, title="Inloop", category="coffee", start_time=time(9, 0), duration_minutes=180)
    make_activity(location=bop, title="Taalcafé", category="language", start_time=time(10, 0), duration_minutes=60)
    programme = todays_programme(bop, local_today())
    at = lambda h, m: datetime.combine(local_today(), time(h, m), TZ)  # noqa: E731
    assert running_now(programme, at(8, 30)) is None
    assert running_now(programme, at(8, 50)).activity.title == "Inloop"       # 15 minutes early counts
    assert running_now(programme, at(9, 50)).activity.title == "Taalcafé"
    assert running_now(programme, at(11, 30)).activity.title == "Inloop"
    assert running_now(programme, at(12, 0)) is None


# -- concurrency ------------------------------------------------------------------------------------

def test_twenty_parallel_scans_of_one_card_leave_one_check_in(live_server, bop, make_activity):
    """Twenty kiosks (threads) scan the same card for the same occurrence at the same moment,
    over real HTTP against a threaded server and a file SQLite database."""
    walk = make_activity(location=bop)
    visitor, code = make_visitor("Fatima")
    tokens = [make_kiosk(bop, f"Tablet {n}")[1] for n in range(20)]
    activity_id = walk.id
    start = threading.Barrier(20)
    answers: list[tuple[int, str]] = []

    def scan(token: str) -> None:
        start.wait()
        status, body = post_json(f"{live_server}/api/v1/checkins",
                                 {"code": code, "activity": activity_id, "nonce": nonce()}, token)
        answers.append((status, body.get("status")))

    threads = [threading.Thread(target=scan, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(answers) == {(201, "ok"): 1, (200, "already"): 19}
    assert len(checkins(visitor_id=visitor.id)) == 1
    assert Counter(s.status for s in scans()) == {"ok": 1, "already": 19}


def test_parallel_retries_of_one_guest_count_once(live_server, bop):
    """A kiosk that retries the same guest request while the first is still running."""
    _device, token = make_kiosk(bop)
    used = nonce()
    start = threading.Barrier(10)
    answers = []

    def send() -> None:
        start.wait()
        answers.append(post_json(f"{live_server}/api/v1/checkins", {"kind": "guest", "nonce": used}, token))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert {status for status, _body in answers} == {201}
    assert len({body["checkin_id"] for _status, body in answers}) == 1
    assert len(checkins()) == 1 and len(scans()) == 1
