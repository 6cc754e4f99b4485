"""Conditional public answers: the agenda, agenda.ics and the flyer answer ETag / Last-Modified
and 304 Not Modified, and every change of the programme (through any code path) changes them."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bop.accounts.models import Location
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import ActivityChange, ActivityTranslation, Closure
from bop.visitors.models import Visitor


@pytest.fixture
def staff_client(app, make_staff):
    """A second browser, signed in as a worker; the visitor's `client` stays anonymous."""
    other = app.test_client()
    staff = make_staff(role="worker")
    from tests.conftest import PASSWORD
    assert other.post("/staff/login", data={"email": staff.email, "password": PASSWORD}).status_code == 302
    return other


def urls(slug: str) -> dict[str, str]:
    week = f"{local_today().isocalendar()[0]}-W{local_today().isocalendar()[1]:02d}"
    return {"agenda": f"/bop/{slug}", "feed": f"/bop/{slug}/agenda.ics", "flyer": f"/bop/{slug}/flyer/{week}.pdf"}


def version(location_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Location, location_id).programme_version


@pytest.mark.parametrize("page", ["agenda", "feed", "flyer"])
def test_matching_if_none_match_answers_304_with_an_empty_body(client, walk, page):
    url = urls(walk.location.slug)[page]
    first = client.get(url)
    assert first.status_code == 200 and first.data
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=60"
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data


@pytest.mark.parametrize("page", ["agenda", "feed", "flyer"])
def test_a_cancellation_through_the_planner_changes_the_etag(client, staff_client, walk, page):
    url = urls(walk.location.slug)[page]
    before = client.get(url)
    response = staff_client.post(f"/staff/activities/{walk.id}/dates/{local_today().isoformat()}",
                                 data={"action": "cancel", "reason": "Zieke begeleider"})
    assert response.status_code == 302
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.data
    assert after.headers["ETag"] != before.headers["ETag"]
    if page == "agenda":
        assert "Zieke begeleider" in after.get_data(as_text=True)


def test_if_modified_since_alone_answers_304_until_the_next_change(client, walk):
    url = urls(walk.location.slug)["feed"]
    first = client.get(url)
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    db.session.add(Closure(location_id=walk.location_id, first_date=local_today() + timedelta(days=1),
                           last_date=local_today() + timedelta(days=2), reason="Verbouwing"))
    db.session.commit()
    later = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    # Last-Modified has a resolution of one second; within the same second the ETag still differs.
    assert later.headers["ETag"] != first.headers["ETag"]


def test_another_language_week_or_option_has_another_etag(client, walk):
    slug = walk.location.slug
    tags = {
        client.get(f"/bop/{slug}").headers["ETag"],
        client.get(f"/bop/{slug}?lang=en").headers["ETag"],
        client.get(f"/bop/{slug}", headers={"Accept-Language": "tr"}).headers["ETag"],
        client.get(f"/bop/{slug}?week=2027-W02").headers["ETag"],
    }
    assert len(tags) == 4
    flyer = urls(slug)["flyer"]
    assert client.get(flyer).headers["ETag"] != client.get(flyer + "?format=A5").headers["ETag"]
    assert client.get(flyer).headers["ETag"] != client.get(flyer + "?lang=ar").headers["ETag"]


def test_every_change_of_the_programme_bumps_the_version_and_nothing_else_does(walk, make_location):
    location_id = walk.location_id
    elsewhere = make_location()
    steps = [
        lambda: db.session.add(ActivityChange(activity=walk, original_date=local_today(), cancelled=True,
                                              reason="Ziek")),
        lambda: setattr(walk.changes[0], "reason", "Zieke begeleider"),
        lambda: db.session.add(ActivityTranslation(activity=walk, lang="en", title="Walking club")),
        lambda: setattr(walk, "title", "Wandelclub Noord"),
        lambda: db.session.add(Closure(location_id=location_id, first_date=local_today(),
                                       last_date=local_today(), reason="Dicht")),
        lambda: setattr(db.session.get(Location, location_id), "address", "Rijnstraat 14"),
        lambda: db.session.delete(walk.changes[0]),
    ]
    seen = version(location_id)
    for step in steps:
        step()
        db.session.commit()
        now = version(location_id)
        assert now == seen + 1
        seen = now
    untouched = version(elsewhere.id)
    db.session.add(Visitor(name="Fatima", organisation_id=db.session.execute(db.select(Location.organisation_id)).scalars().first()))
    db.session.commit()
    assert version(location_id) == seen and version(elsewhere.id) == untouched


def test_signed_in_staff_get_no_etag_on_the_agenda(staff_client, walk):
    response = staff_client.get(f"/bop/{walk.location.slug}")
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert "private" in response.headers["Cache-Control"]
