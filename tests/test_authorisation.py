"""Authorisation: every staff route, asked by every kind of staff member, about their own BOP, another
BOP of their organisation, and a BOP of another organisation.

Where a request is refused, nothing in the database changes and no name or phone number of the
visitors there appears in the answer. The world: organisation A runs BOPs A1 and A2, organisation
B runs B1; a worker and a volunteer of A work at A1 only.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta

import pytest
from conftest import PASSWORD
from support import BYDAY, make_kiosk, make_visitor

from bop.accounts.models import Location, Organisation, Role, Staff
from bop.checkin.models import CheckIn
from bop.extensions import db
from bop.insight.models import FlyerRound
from bop.planning.models import Activity, Closure

DAY = date(2026, 11, 24)  # the suite's frozen Tuesday
PUBLIC_OR_SELF = {"auth.login", "auth.logout", "organisations.index"}  # not about a BOP


class Place:
    """A BOP with one of everything a staff route can name, and its visitors' private words."""

    def __init__(self, location: Location, worker: Staff):
        self.location = location
        self.worker = worker
        self.activity = Activity(location=location, title=f"Koffie {location.slug}", category="coffee",
                                 start_time=time(10),
                                 duration_minutes=60, rrule=f"FREQ=WEEKLY;BYDAY={BYDAY[DAY.weekday()]}",
                                 first_date=DAY - timedelta(weeks=2))
        self.closure = Closure(location=location, first_date=DAY + timedelta(days=40),
                               last_date=DAY + timedelta(days=41), reason="Vakantie")
        db.session.add_all([self.activity, self.closure])
        db.session.commit()
        tag = location.slug.replace("-", "")
        self.visitor, _code = make_visitor(f"Geheim{tag}", location=location, phone=f"0611{len(tag):02d}{tag[:4]}",
                                           phone_consent_at=datetime(2026, 1, 1))
        self.other_visitor, _code = make_visitor(f"Ander{tag}", location=location)
        self.checkin = CheckIn(location_id=location.id, day=DAY, slot=0, visitor_id=self.visitor.id, method="card")
        db.session.add(self.checkin)
        db.session.commit()
        self.device, _token = make_kiosk(location)
        self.round = FlyerRound(location_id=location.id, day=DAY, areas="Rijnstraat", flyers=50,
                                marker=location.slug.replace("-", "")[:6])
        db.session.add(self.round)
        db.session.commit()
        self.secrets = [self.visitor.name, self.other_visitor.name, self.visitor.phone]

    def values(self) -> dict:
        """What each URL variable is when a route names this BOP or something of it."""
        return {
            "slug": self.location.slug, "activity_id": self.activity.id, "day": DAY.isoformat(),
            "closure_id": self.closure.id, "staff_id": self.worker.id, "visitor_id": self.visitor.id,
            "other_id": self.other_visitor.id, "card_id": self.visitor.cards[0].id,
            "checkin_id": self.checkin.id, "device_id": self.device.id, "size": "a4", "round_id": self.round.id,
        }

    def query(self) -> str:
        """Query arguments for routes that name their BOP or visitor in the query string."""
        return (f"?bop={self.location.slug}&location={self.location.slug}&week=2026-W48"
                f"&ids={self.visitor.id}&q=Geheim")  # a search that would find the visitors there

    def form(self) -> dict:
        return {"location_id": self.location.id, "slot": 0, "kind": "guest", "name": "Nieuw",
                "home_location_id": self.location.id, "title": "Gekaapt", "category": "coffee",
                "reason": "Gekaapt", "first_date": "2027-01-04", "last_date": "2027-01-05", "action": "cancel",
                "slug": self.location.slug, "email": "nieuw@example.org", "role": "worker"}


def database_digest() -> str:
    """Every row of every table, so a refused request is seen to change nothing at all."""
    db.session.expire_all()
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select().order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def world(app, organisation, make_staff, make_location):
    a1 = make_location(slug="a-een", name="BOP A1")
    a2 = make_location(slug="a-twee", name="BOP A2")
    other = Organisation(name="Organisatie B")
    db.session.add(other)
    db.session.commit()
    b1 = make_location(slug="b-een", name="BOP B1", organisation=other)
    people = {
        "coordinator": make_staff(role=Role.COORDINATOR),
        "worker": make_staff(role=Role.WORKER, locations=[a1]),
        "volunteer": make_staff(role=Role.VOLUNTEER, locations=[a1]),
        "admin": make_staff(role=Role.ADMIN, organisation=None, locations=[]),
    }
    places = {
        "own": Place(a1, people["worker"]),
        "other BOP": Place(a2, make_staff(role=Role.WORKER, locations=[a2])),
        "other organisation": Place(b1, make_staff(role=Role.WORKER, organisation=other, locations=[b1])),
    }
    return people, places


def client_for(app, staff: Staff):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def staff_routes(app) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and rule.endpoint not in PUBLIC_OR_SELF:
            routes += [(rule.endpoint, rule.rule, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(routes)


def url(rule: str, place: Place) -> str:
    values = place.values()
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule) + place.query()


# Who may reach which place at all. Anything not listed here must be refused.
REACHES = {
    "coordinator": {"own", "other BOP"},
    "worker": {"own"},
    "volunteer": {"own"},
    "admin": set(),
}


def test_the_matrix(app, world):
    people, places = world
    clients = {role: client_for(app, staff) for role, staff in people.items()}
    routes = staff_routes(app)
    assert len(routes) >= 50  # every staff route is in the walk, not a hand-picked few
    problems, sent = [], 0
    for endpoint, rule, method in routes:
        names_a_place = "<" in rule or endpoint in {
            "checkin.today", "checkin.today_json", "checkin.add", "flyers.index", "flyers.preview",
            "visitors.card_batch", "kiosk.devices"}
        for role, client in clients.items():
            for where, place in places.items():
                if where in REACHES[role]:
                    continue
                before = database_digest()
                response = client.open(url(rule, place), method=method, data=place.form() if method == "POST" else None)
                sent += 1
                body = response.get_data(as_text=True)
                what = f"{role} {method} {rule} at {where}: {response.status_code}"
                if database_digest() != before:
                    problems.append(f"{what} changed the database")
                leaked = [s for s in place.secrets if s in body]
                if leaked:
                    problems.append(f"{what} shows {leaked}")
                if "<" in rule and response.status_code not in (403, 404):
                    problems.append(f"{what} was not refused")
                if response.status_code >= 500:
                    problems.append(what)
                assert names_a_place or endpoint  # every route was asked, named place or not
    assert not problems, "\n".join(problems)
    assert sent > 400
    print(f"authorisation matrix: {sent} refused requests checked over {len(routes)} staff routes")


def test_what_may_be_reached_is_reached(app, world):
    """The other half of the matrix: the same pages answer where the staff member works."""
    people, places = world
    coordinator, worker = client_for(app, people["coordinator"]), client_for(app, people["worker"])
    own, other_bop = places["own"], places["other BOP"]
    for path in (f"/staff/plan/{own.location.slug}", f"/staff/visitors/{own.visitor.id}",
                 f"/staff/checkin/today?bop={own.location.slug}", f"/staff/activities/{own.activity.id}"):
        assert worker.get(path).status_code == 200, path
    for path in (f"/staff/plan/{other_bop.location.slug}", f"/staff/visitors/{other_bop.visitor.id}",
                 f"/staff/locations/{other_bop.location.slug}", f"/staff/kiosks/{other_bop.device.id}/revoke",
                 f"/staff/people/{other_bop.worker.id}"):
        assert coordinator.get(path).status_code == 200, path
    # Lists show one's own and leave the rest out.
    page = worker.get("/staff/visitors/").get_data(as_text=True)
    assert own.visitor.name in page and other_bop.visitor.name not in page
    page = coordinator.get("/staff/visitors/").get_data(as_text=True)
    assert own.visitor.name in page and other_bop.visitor.name in page
    assert places["other organisation"].visitor.name not in page
    people_page = coordinator.get("/staff/people/").get_data(as_text=True)
    assert places["other organisation"].worker.name not in people_page and other_bop.worker.name in people_page


def test_a_worker_changes_their_own_bop_and_nothing_else(app, world, client):
    people, places = world
    worker = client_for(app, people["worker"])
    own, other = places["own"], places["other BOP"]
    response = worker.post(f"/staff/plan/{own.location.slug}/closures",
                           data={"first_date": "2027-02-01", "last_date": "2027-02-02", "reason": "Studiedag"})
    assert response.status_code == 302
    assert db.session.execute(db.select(Closure).filter_by(location_id=own.location.id, reason="Studiedag")).first()
    response = worker.post(f"/staff/plan/{other.location.slug}/closures",
                           data={"first_date": "2027-02-01", "last_date": "2027-02-02", "reason": "Studiedag"})
    assert response.status_code == 403
    assert not db.session.execute(db.select(Closure).filter_by(location_id=other.location.id, reason="Studiedag")).first()


def test_a_card_works_at_its_own_organisations_bops_only(app, world):
    from support import checkins, nonce, scans

    _people, places = world
    own, sister, stranger = places["own"], places["other BOP"], places["other organisation"]
    code = own.visitor.cards[0].code
    client = app.test_client()
    for place, expected in ((sister, "ok"), (stranger, "unknown")):
        _device, token = make_kiosk(place.location)
        answer = client.post("/api/v1/checkins", json={"code": code, "nonce": nonce()},
                             headers={"Authorization": f"Bearer {token}"}).json
        assert answer["status"] == expected
    refused = client.post("/api/v1/checkins", json={"code": code, "nonce": nonce()},
                          headers={"Authorization": f"Bearer {make_kiosk(stranger.location)[1]}"}).json
    assert refused["reason"] == "other_organisation" and refused["name"] is None
    assert "andere organisatie" in refused["message"]
    assert [c.location_id for c in checkins(visitor_id=own.visitor.id)] == [own.location.id, sister.location.id]
    failed = scans(location_id=stranger.location.id)
    assert failed and all(s.status == "unknown" for s in failed)


def test_demo_worker2_sees_nothing_of_rijn_en_vliet_and_worker_cannot_change_roodenburg(app):
    from bop.site.demo import DEMO_PASSWORD, load_demo

    rijn = load_demo()
    db.session.commit()
    ayse, _code = make_visitor("Ayşe Rijnvliet", location=rijn, phone="0612345678",
                               phone_consent_at=datetime(2026, 1, 1))
    worker2, worker = app.test_client(), app.test_client()
    assert worker2.post("/staff/login", data={"email": "worker2@example.org", "password": DEMO_PASSWORD}).status_code == 302
    assert worker.post("/staff/login", data={"email": "worker@example.org", "password": DEMO_PASSWORD}).status_code == 302
    for path in ("/staff/", "/staff/plan/rijn-en-vliet", "/staff/visitors/", f"/staff/visitors/{ayse.id}",
                 "/staff/checkin/today?bop=rijn-en-vliet", "/staff/checkin/today.json?bop=rijn-en-vliet",
                 "/staff/visitors/?q=Ay", f"/staff/visitors/{ayse.id}/export.json", "/staff/flyers?location=rijn-en-vliet"):
        body = worker2.get(path, follow_redirects=True).get_data(as_text=True)
        assert "Ayşe" not in body and "0612345678" not in body, path
    roodenburg = db.session.execute(db.select(Location).filter_by(slug="roodenburg")).scalar_one()
    activity = roodenburg.activities[0]
    before = database_digest()
    assert worker.post(f"/staff/activities/{activity.id}/delete").status_code == 403
    assert worker.post("/staff/plan/roodenburg/closures", data={"first_date": "2027-02-01", "last_date": "2027-02-02",
                                                               "reason": "x"}).status_code == 403
    assert worker.get("/staff/plan/slaaghwijk").status_code == 403  # same organisation, not her BOP
    assert database_digest() == before
