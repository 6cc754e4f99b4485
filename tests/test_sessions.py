"""Finding 3: cookies are SameSite=Lax (and Secure when the public URL is https), "stay logged in"
lasts one working day, and logout, a new password or switching an account off end every session
of that account, copied cookies included (the session version on the staff row)."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest

from bop import create_app
from bop.extensions import db
from tests.conftest import PASSWORD, config_for


def logged_in(client) -> bool:
    return client.get("/staff/plan/").status_code == 200


def set_cookies(response) -> dict:
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            cookies[name] = (morsel, header)
    return cookies


def log_in(client, staff, remember=False, password=PASSWORD):
    data = {"email": staff.email, "password": password} | ({"remember": "y"} if remember else {})
    response = client.post("/staff/login", data=data)
    assert response.status_code == 302
    return response


def copy_cookie(source, target, name):
    target.set_cookie(name, source.get_cookie(name).value)


def test_cookies_are_samesite_lax_and_remembered_for_a_working_day(client, make_staff):
    response = log_in(client, make_staff(), remember=True)
    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        morsel, header = cookies[name]
        assert morsel["samesite"] == "Lax" and morsel["httponly"], header
        assert not morsel["secure"], header  # no PUBLIC_URL: plain http on 127.0.0.1 must work
    expires = datetime.strptime(cookies["remember_token"][0]["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert timedelta(hours=11, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=12)


def test_cookies_are_secure_when_the_public_url_is_https(app, make_staff):
    served = create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"], PUBLIC_URL="https://bop.example.nl"))
    staff = make_staff()
    response = log_in(served.test_client(), staff, remember=True)
    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        morsel, header = cookies[name]
        assert morsel["secure"] and morsel["samesite"] == "Lax", header
    with served.app_context():
        db.session.remove()


def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, make_staff):
    staff = make_staff()
    mine, thief = app.test_client(), app.test_client()
    log_in(mine, staff)
    copy_cookie(mine, thief, "session")
    assert logged_in(thief)  # the copy works, as a stolen cookie would
    assert mine.post("/staff/logout").status_code == 302
    assert not logged_in(thief)
    assert not logged_in(mine)
    response = thief.get("/staff/plan/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_a_remember_cookie_copied_before_logout_is_refused_after_it(app, make_staff):
    staff = make_staff()
    mine, later = app.test_client(), app.test_client()
    log_in(mine, staff, remember=True)
    copy_cookie(mine, later, "remember_token")  # the browser closed and opened again: only this cookie
    assert logged_in(later)
    fresh = app.test_client()
    copy_cookie(mine, fresh, "remember_token")
    mine.post("/staff/logout")
    assert not logged_in(fresh)


def test_logout_ends_the_sessions_on_other_computers_too(app, make_staff):
    staff = make_staff()
    office, home = app.test_client(), app.test_client()
    log_in(office, staff)
    log_in(home, staff)
    office.post("/staff/logout")
    assert not logged_in(home)
    log_in(home, staff)  # logging in again works as before
    assert logged_in(home)


def test_changing_a_password_ends_another_clients_session(app, make_staff):
    staff = make_staff()
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, staff)
    log_in(phone, staff)
    data = {"name": staff.name, "email": staff.email, "phone": "", "whatsapp": "", "password": "a brand new password"}
    assert laptop.post(f"/staff/people/{staff.id}", data=data).status_code == 302
    assert logged_in(laptop)      # where the password was changed, work goes on
    assert not logged_in(phone)   # everywhere else the old session is over
    assert phone.post("/staff/login", data={"email": staff.email, "password": PASSWORD}).status_code == 200
    log_in(phone, staff, password="a brand new password")
    assert logged_in(phone)


def test_a_coordinator_changing_someones_password_or_switching_them_off_logs_them_out(app, make_staff):
    coordinator, worker = make_staff(role="coordinator"), make_staff(role="worker")
    manager, desk = app.test_client(), app.test_client()
    log_in(manager, coordinator)
    log_in(desk, worker)
    data = {"name": worker.name, "email": worker.email, "role": "worker", "active": "y", "phone": "", "whatsapp": ""}
    assert manager.post(f"/staff/people/{worker.id}", data=data).status_code == 302
    assert logged_in(desk)  # saving without a new password or a change of state ends nothing
    del data["active"]
    assert manager.post(f"/staff/people/{worker.id}", data=data).status_code == 302
    assert not logged_in(desk)
    assert logged_in(manager)


@pytest.mark.parametrize("user_id", ["{id}", "{id}:{bad}", "{id}:x", "x:0", "", "{id}:0:0"])
def test_a_cookie_without_the_current_session_version_is_refused(app, make_staff, user_id):
    staff = make_staff()
    staff.end_sessions()
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id.format(id=staff.id, bad=staff.session_version - 1)
        session["_fresh"] = True
    assert not logged_in(client)
    with client.session_transaction() as session:
        session["_user_id"] = staff.get_id()
    assert logged_in(client)


def test_a_session_signed_with_an_earlier_key_is_refused_after_the_key_changes(app, make_staff):
    """The session's signer is kept between requests (bop.site.secret_key.SessionCookies): a new key
    must still make a new one, so a cookie of the old key opens nothing."""
    staff = make_staff()
    client = app.test_client()
    log_in(client, staff)
    assert logged_in(client)
    app.secret_key = "another-long-random-key-of-at-least-32-characters"
    assert not logged_in(client)
    log_in(client, staff)
    assert logged_in(client)


def test_a_kept_session_cookie_still_expires_and_a_changed_one_is_verified_afresh(app, make_staff, monkeypatch):
    """A verified session cookie is kept with its values (bop.site.secret_key.SessionCookies): its age
    is still checked on every request, and one changed character makes it a cookie never seen."""
    staff = make_staff()
    client = app.test_client()
    log_in(client, staff)
    assert logged_in(client) and logged_in(client)  # the second request reads the kept cookie
    value = client.get_cookie("session").value

    def changed_at(position: int) -> str:
        # Not the last character of a base64 part: its last bits can be padding, which decodes the same.
        return value[:position] + ("A" if value[position] != "A" else "B") + value[position + 1:]

    for forged in (changed_at(value.rindex(".") + 1),        # another signature
                   changed_at(1 if value[0] == "." else 0)):  # other data
        thief = app.test_client()
        thief.set_cookie("session", forged)
        assert not logged_in(thief)
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert not logged_in(client)
