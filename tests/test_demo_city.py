"""`flask bop demo --city`: a small city (the options scale it down) holds what the command says,
every BOP's agenda answers, and a city coordinator sees their own organisation's visitors only."""
from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import func, select

from bop.accounts.models import Location, Organisation, Role, Staff
from bop.checkin.models import CheckIn, KioskDevice
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import Activity
from bop.site.demo import DEMO_PASSWORD
from bop.visitors.models import Card, Visitor

SMALL = ["--city-organisations", "3", "--city-bops", "7", "--city-visitors", "400", "--city-checkins", "6000"]


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def city(app):
    result = app.test_cli_runner().invoke(args=["bop", "demo", "--city", *SMALL])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def test_the_city_has_what_the_command_says(city):
    assert count(Organisation) == 3
    assert count(Location) == 7
    assert count(Activity) == 7 * 30       # the demo's three BOPs keep their programme; the new ones share the rest
    assert count(Visitor) == 400
    assert count(CheckIn) == 6000
    # Every visitor has a card; every BOP a paired tablet; the history spans five years and today.
    assert count(Card, Card.revoked_at.is_(None)) == 400
    assert count(KioskDevice, KioskDevice.revoked_at.is_(None)) == 7
    first, last = db.session.execute(select(func.min(CheckIn.day), func.max(CheckIn.day))).one()
    assert (local_today() - first).days > 4 * 365 and last == local_today()
    per_bop = dict(db.session.execute(select(CheckIn.location_id, func.count()).group_by(CheckIn.location_id)).all())
    assert len(per_bop) == 7 and min(per_bop.values()) > 500
    # Organisations of 2 or 3 BOPs (7 in 3), each with a coordinator.
    sizes = db.session.execute(select(func.count()).select_from(Location).group_by(Location.organisation_id)).scalars()
    assert sorted(sizes) == [2, 2, 3]
    coordinators = db.session.execute(select(Staff.organisation_id).where(Staff.role == Role.COORDINATOR)).scalars()
    assert sorted(set(coordinators)) == sorted(db.session.execute(select(Organisation.id)).scalars())
    # A named visitor counts once per BOP, day and activity (the unique constraint held), and
    # every visitor belongs to the organisation of their home BOP.
    assert count(Visitor, Visitor.organisation_id != select(Location.organisation_id)
                 .where(Location.id == Visitor.home_location_id).scalar_subquery()) == 0
    assert "city built" in city.output


def test_every_agenda_answers_and_the_demo_is_there(city, client):
    slugs = db.session.execute(select(Location.slug)).scalars().all()
    assert {"rijn-en-vliet", "slaaghwijk", "roodenburg"} <= set(slugs)
    for slug in slugs:
        assert client.get(f"/bop/{slug}").status_code == 200, slug
        assert client.get(f"/bop/{slug}/agenda.ics").status_code == 200, slug
    page = client.get("/bop/rijn-en-vliet").get_data(as_text=True).replace("\u00ad", "")  # without soft hyphens
    assert "Inloopochtend met koffie" in page and "Wandelclub" in page   # the demo's own programme


def login(client, email: str) -> None:
    response = client.post("/staff/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email


def test_a_city_coordinator_sees_only_their_organisations_visitors(city, client):
    organisation = db.session.execute(select(Organisation).filter_by(name="Stichting Samen Merenwijk")).scalar_one()
    coordinator = db.session.execute(select(Staff).filter_by(email="coordinator3@example.org")).scalar_one()
    assert coordinator.organisation_id == organisation.id
    login(client, "coordinator3@example.org")
    own = count(Visitor, Visitor.organisation_id == organisation.id)
    assert 0 < own < 400
    page = client.get("/staff/visitors/").get_data(as_text=True)
    pages = math.ceil(own / 50)
    assert (f"Bladzijde 1 van {pages}" in page) if pages > 1 else "Bladzijde" not in page
    listed = {int(n) for n in re.findall(r'href="/staff/visitors/(\d+)"', page)}
    owners = dict(db.session.execute(select(Visitor.id, Visitor.organisation_id).where(Visitor.id.in_(listed))).all())
    assert len(listed) == min(own, 50) and set(owners.values()) == {organisation.id}
    others = db.session.execute(select(Visitor.id).where(Visitor.organisation_id != organisation.id).limit(5)).scalars()
    for visitor_id in others:
        assert client.get(f"/staff/visitors/{visitor_id}").status_code == 404
    # Today's list of one of their BOPs has content; another organisation's BOP is refused.
    mine = db.session.execute(select(Location.slug).filter_by(organisation_id=organisation.id)).scalars().first()
    today = client.get(f"/staff/checkin/today.json?bop={mine}").get_json()
    assert sum(len(section["named"]) for section in today["sections"]) > 0
    assert client.get("/staff/checkin/today?bop=rijn-en-vliet").status_code == 403


def test_the_demo_logins_work_in_the_city(city, client):
    login(client, "worker@example.org")
    assert client.get("/staff/checkin/today?bop=rijn-en-vliet").status_code == 200
    assert client.get("/staff/checkin/today?bop=slaaghwijk").status_code == 403   # Rijn en Vliet only


def test_a_city_is_built_on_an_empty_database_only(city, app):
    runner = app.test_cli_runner()
    again = runner.invoke(args=["bop", "demo", "--city", *SMALL])
    assert again.exit_code != 0 and "empty database" in again.output
    assert count(Location) == 7
    left = runner.invoke(args=["bop", "demo", "--city", "--if-empty", *SMALL])
    assert left.exit_code == 0 and "already has data" in left.output
    plain = runner.invoke(args=["bop", "demo"])
    assert plain.exit_code != 0


def test_a_city_smaller_than_the_demo_is_refused(app):
    result = app.test_cli_runner().invoke(args=["bop", "demo", "--city", "--city-organisations", "3", "--city-bops", "3"])
    assert result.exit_code != 0 and "more BOPs than organisations" in result.output
    assert count(Location) == 0
