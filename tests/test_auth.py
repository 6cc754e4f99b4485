"""Staff login and logout, and the role rules on every staff page and every form post."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from bop.accounts.models import Location, Staff
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import Activity, ActivityChange, ActivityTranslation, Closure
from tests.conftest import PASSWORD


def logged_in(client) -> bool:
    """Whether the client's session is logged in: a staff-only page answers instead of sending to login."""
    return client.get("/staff/locations/").status_code == 200


def test_login_page_is_dutch(client):
    response = client.get("/staff/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert "Inloggen voor medewerkers" in page
    assert "E-mailadres" in page and "Wachtwoord" in page


def test_login_with_right_password_goes_to_the_planner(client, make_staff):
    staff = make_staff(email="joke@example.org", name="Joke")
    response = client.post("/staff/login", data={"email": "  Joke@Example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/plan/") or response.headers["Location"].endswith("/staff/")
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Welkom, Joke." in page
    assert staff.name in page  # the staff menu shows who is logged in
    assert logged_in(client)


def test_wrong_password_keeps_the_email_and_says_so_in_dutch(client, make_staff):
    make_staff(email="joke@example.org")
    response = client.post("/staff/login", data={"email": "joke@example.org", "password": "wrong password"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page
    assert re.search(r'<input[^>]*name="email"[^>]*value="joke@example.org"', page)
    assert "wrong password" not in page  # the password is never echoed back
    assert not logged_in(client)


def test_unknown_email_gets_the_same_message(client):
    response = client.post("/staff/login", data={"email": "nobody@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_empty_login_form_asks_for_both_fields(client):
    response = client.post("/staff/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Vul uw e-mailadres in." in page and "Vul uw wachtwoord in." in page


def test_inactive_account_is_refused(client, make_staff):
    staff = make_staff(active=False)
    response = client.post("/staff/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_deactivated_while_logged_in_loses_access(client, login):
    staff = login("worker")
    assert client.get("/staff/plan/").status_code in (200, 302)
    staff.active = False
    db.session.commit()
    response = client.get("/staff/locations/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_password_is_stored_hashed(make_staff):
    staff = make_staff()
    assert PASSWORD not in staff.password_hash
    assert staff.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_next_is_followed_to_a_local_path(client, make_staff):
    staff = make_staff()
    response = client.post("/staff/login?next=/staff/locations/", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/locations/"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil.example", " //evil.example",
])
def test_next_never_leaves_the_site(client, make_staff, target):
    staff = make_staff()
    response = client.post("/staff/login", query_string={"next": target},
                           data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser would follow: a path on this host (no scheme, no host, no "//" or "/\\" prefix).
    assert urlsplit(location).scheme == "" and urlsplit(location).netloc == "", location
    assert location.startswith("/") and location[1:2] not in ("/", "\\"), location


def test_anonymous_staff_page_redirects_to_login_and_back(client, make_staff, make_location):
    make_location(slug="de-kom")
    response = client.get("/staff/plan/de-kom?week=2026-W10")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
    login_page = client.get(response.headers["Location"])
    assert "Log eerst in om deze pagina te zien." in login_page.get_data(as_text=True)
    staff = make_staff()
    response = client.post(response.headers["Location"], data={"email": staff.email, "password": PASSWORD})
    assert response.headers["Location"] == "/staff/plan/de-kom?week=2026-W10"


def test_logged_in_user_on_login_page_goes_to_the_planner(client, login):
    login("worker")
    response = client.get("/staff/login")
    assert response.status_code == 302
    assert "/staff/" in response.headers["Location"]


def test_logout_is_a_post(client, login):
    login("worker")
    assert client.get("/staff/logout").status_code == 405
    assert logged_in(client)
    response = client.post("/staff/logout")
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "U bent uitgelogd." in page
    assert not logged_in(client)


def test_csrf_is_checked_when_enabled(app, client, make_staff):
    app.config["WTF_CSRF_ENABLED"] = True
    staff = make_staff()
    response = client.post("/staff/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Dit formulier was verlopen" in response.get_data(as_text=True)
    assert not logged_in(client)
    # With the token from the page the same login works.
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staff/login", data={"email": staff.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


# --------------------------------------------------------------------------- role rules


@pytest.fixture
def world(make_staff, make_location, make_activity):
    """One of everything a staff page can be about, and snapshot() of the state they could change."""
    other = make_staff(role="worker", name="Andere Medewerker")
    location = make_location(slug="de-kom", name="BOP De Kom")
    activity = make_activity(location=location)
    today = local_today()
    change = ActivityChange(activity=activity, original_date=today - timedelta(weeks=1), cancelled=True, reason="Ziek")
    closure = Closure(location=location, first_date=today + timedelta(days=60), last_date=today + timedelta(days=70),
                      reason="Verbouwing")
    db.session.add_all([change, closure])
    db.session.commit()
    return {"other": other, "location": location, "activity": activity, "closure": closure,
            "rule_date": today.isoformat()}


def snapshot() -> dict:
    db.session.expire_all()
    rows = {}
    for model in (Staff, Location, Activity, ActivityChange, ActivityTranslation, Closure):
        rows[model.__name__] = sorted(
            tuple(str(getattr(obj, column.key)) for column in model.__table__.columns
                  if column.key not in ("updated_at",))
            for obj in db.session.execute(db.select(model)).scalars()
        )
    return rows


def staff_gets(w) -> list[str]:
    a, loc = w["activity"].id, w["location"].slug
    return [
        "/staff/", "/staff/plan/", f"/staff/plan/{loc}", f"/staff/plan/{loc}?week=2026-W10",
        f"/staff/plan/{loc}/activities/new", f"/staff/activities/{a}", f"/staff/activities/{a}/delete",
        f"/staff/activities/{a}/dates/{w['rule_date']}", f"/staff/activities/{a}/translations",
        f"/staff/plan/{loc}/closures", "/staff/locations/", "/staff/locations/new", f"/staff/locations/{loc}",
        f"/staff/locations/{loc}/delete", "/staff/people/", "/staff/people/new", f"/staff/people/{w['other'].id}",
        f"/staff/people/{w['other'].id}/photo.jpg",
    ]


def activity_form(**overrides) -> dict:
    data = {"title": "Nieuwe activiteit", "category": "coffee", "host_id": "0", "host_name": "Samira",
            "start_time": "10:00", "end_time": "11:00", "repeat": "weekly", "weekdays": ["1"], "interval": "1",
            "nth": "1", "month_weekday": "0", "first_date": "2026-03-02", "price": ""}
    data.update(overrides)
    return data


def staff_posts(w) -> list[tuple[str, dict]]:
    a, loc = w["activity"].id, w["location"].slug
    return [
        (f"/staff/plan/{loc}/activities/new", activity_form()),
        (f"/staff/activities/{a}", activity_form(title="Overschreven")),
        (f"/staff/activities/{a}/delete", {}),
        (f"/staff/activities/{a}/dates/{w['rule_date']}", {"action": "cancel", "reason": "Koningsdag"}),
        (f"/staff/activities/{a}/translations", {"title_en": "Walking club"}),
        (f"/staff/plan/{loc}/closures", {"first_date": "2026-12-24", "last_date": "2027-01-03", "reason": "Kerst"}),
        (f"/staff/closures/{w['closure'].id}/delete", {}),
        ("/staff/locations/new", {"name": "Nieuw", "slug": "nieuw", "contact_id": "0"}),
        (f"/staff/locations/{loc}", {"name": "Hernoemd", "slug": loc, "contact_id": "0"}),
        (f"/staff/locations/{loc}/delete", {}),
        ("/staff/people/new", {"name": "Nieuw", "email": "nieuw@example.org", "role": "coordinator",
                               "password": "a long password"}),
        (f"/staff/people/{w['other'].id}", {"name": "Gekaapt", "email": "gekaapt@example.org", "role": "coordinator",
                                           "active": "y"}),
    ]


def test_anonymous_is_sent_to_login_for_every_staff_page(client, world):
    for url in staff_gets(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/staff/login" in response.headers["Location"], url


def test_anonymous_cannot_change_anything(client, world):
    before = snapshot()
    for url, data in staff_posts(world):
        response = client.post(url, data=data)
        assert response.status_code == 302, url
        assert "/staff/login" in response.headers["Location"], url
    assert snapshot() == before


def test_volunteer_can_look_at_the_planning(client, login, world):
    login("volunteer")
    a, loc = world["activity"].id, world["location"].slug
    for url in [f"/staff/plan/{loc}", f"/staff/activities/{a}", f"/staff/activities/{a}/translations",
                f"/staff/plan/{loc}/closures", "/staff/locations/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/staff/activities/{a}").get_data(as_text=True)
    assert "U kunt deze activiteit bekijken, maar niet wijzigen." in page
    assert "<fieldset disabled>" in page
    assert 'value="Wandelclub"' in page
    planner = client.get(f"/staff/plan/{loc}").get_data(as_text=True)
    assert "Wandelclub" in planner
    assert "Nieuwe activiteit" not in planner and "Deze dag wijzigen" not in planner


def test_volunteer_cannot_change_anything(client, login, world):
    login("volunteer")
    before = snapshot()
    for url, data in staff_posts(world):
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert "Geen toegang" in response.get_data(as_text=True), url
    assert snapshot() == before


def test_volunteer_cannot_open_the_change_forms(client, login, world):
    login("volunteer")
    a, loc = world["activity"].id, world["location"].slug
    for url in [f"/staff/plan/{loc}/activities/new", f"/staff/activities/{a}/delete",
                f"/staff/activities/{a}/dates/{world['rule_date']}", "/staff/locations/new",
                f"/staff/locations/{loc}", "/staff/people/", f"/staff/people/{world['other'].id}"]:
        assert client.get(url).status_code == 403, url


def test_worker_plans_but_does_not_manage_staff_or_locations(client, login, world):
    me = login("worker")
    a, loc = world["activity"].id, world["location"].slug
    for url in [f"/staff/plan/{loc}", f"/staff/plan/{loc}/activities/new", f"/staff/activities/{a}",
                f"/staff/activities/{a}/delete", f"/staff/activities/{a}/dates/{world['rule_date']}",
                f"/staff/plan/{loc}/closures", "/staff/locations/", f"/staff/people/{me.id}"]:
        assert client.get(url).status_code == 200, url
    for url in ["/staff/people/", "/staff/people/new", f"/staff/people/{world['other'].id}", "/staff/locations/new",
                f"/staff/locations/{loc}", f"/staff/locations/{loc}/delete"]:
        assert client.get(url).status_code == 403, url
    before = snapshot()
    for url, data in staff_posts(world)[7:]:  # the location and staff posts
        assert client.post(url, data=data).status_code == 403, url
    assert snapshot() == before
    nav = client.get(f"/staff/plan/{loc}").get_data(as_text=True)
    assert 'href="/staff/people/"' not in nav


def test_coordinator_can_open_every_staff_page(client, login, world):
    login("coordinator")
    world["other"].photo = b"\xff\xd8 not checked here"
    db.session.commit()
    for url in staff_gets(world):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:  # only the bare planner addresses redirect, to the first BOP
            assert response.headers["Location"].startswith("/staff/plan/de-kom"), url
    nav = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert 'href="/staff/people/"' in nav and 'href="/staff/locations/"' in nav
