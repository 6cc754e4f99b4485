"""Every staff list shows a page at a time (a city's history and its organisations never make one
page unbounded), keeps its order across pages, and shows only what the staff member may see."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from support import make_kiosk

from bop.accounts.models import Organisation
from bop.clock import local_today
from bop.extensions import db
from bop.planning.models import Closure
from bop.visitors.codes import generate_code
from bop.visitors.models import Card, Visitor

PAGE = 3


@pytest.fixture
def small_pages(app):
    app.config["PAGE_SIZE"] = PAGE


def rows(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


def pages_of(client, url: str, pattern: str) -> list[list[str]]:
    """The rows of every page of a list, following its "Volgende" links."""
    found = []
    while url:
        page = client.get(url).get_data(as_text=True)
        found.append(rows(page, pattern))
        following = re.search(r'<a class="button button-secondary" rel="next" href="([^"]+)"', page)
        url = following.group(1).replace("&amp;", "&") if following else None
        assert len(found) < 20
    return found


def test_staff_list_is_paginated(client, small_pages, login, make_staff):
    coordinator = login("coordinator", name="Anna")
    for n in range(6):
        make_staff(name=f"Medewerker {n}")
    found = pages_of(client, "/staff/people/", r'<td data-label="Naam"><a href="/staff/people/(\d+)"')
    assert [len(p) for p in found] == [3, 3, 1]
    ids = [int(i) for page in found for i in page]
    assert len(set(ids)) == 7 and coordinator.id in ids
    page = client.get("/staff/people/").get_data(as_text=True)
    assert "Bladzijde 1 van 3" in page


def test_locations_list_is_paginated(client, small_pages, login, make_location):
    login("coordinator")
    for n in range(7):
        make_location(name=f"BOP {n}", slug=f"plek-{n}")
    found = pages_of(client, "/staff/locations/", r"<h2>(BOP \d)</h2>")
    assert [len(p) for p in found] == [3, 3, 1]
    assert [name for page in found for name in page] == [f"BOP {n}" for n in range(7)]   # by name, across pages


def test_tablet_list_is_paginated(client, small_pages, login, bop):
    login("coordinator")
    for n in range(5):
        make_kiosk(bop, name=f"Tablet {n}")
    found = pages_of(client, "/staff/kiosks", r'<td data-label="Naam">(Tablet \d)</td>')
    assert [len(p) for p in found] == [3, 2]
    assert sorted(name for page in found for name in page) == [f"Tablet {n}" for n in range(5)]


def test_organisation_list_is_paginated(client, small_pages, make_staff):
    admin = make_staff(role="admin", organisation=None, email="beheer@example.org")
    db.session.add_all(Organisation(name=f"Organisatie {n}") for n in range(5))
    db.session.commit()
    assert client.post("/staff/login", data={"email": admin.email, "password": "correct horse battery"}).status_code == 302
    found = pages_of(client, "/staff/organisations/", r"<tr><td>([^<]+)</td>")
    assert [len(p) for p in found] == [3, 3]   # five and the fixture's own
    assert len({name for page in found for name in page}) == 6


def test_closures_are_paginated_coming_ones_first(client, small_pages, login, bop):
    login("worker")
    today = local_today()
    for weeks in (-30, -20, -10, 2, 6):   # three past, two coming
        first = today + timedelta(weeks=weeks)
        db.session.add(Closure(location=bop, first_date=first, last_date=first + timedelta(days=3),
                               reason=f"Dicht {weeks}"))
    db.session.commit()
    found = pages_of(client, f"/staff/plan/{bop.slug}/closures", r"</strong>: (Dicht -?\d+)")
    # The coming ones soonest first, then the past ones latest first.
    assert found == [["Dicht 2", "Dicht 6", "Dicht -10"], ["Dicht -20", "Dicht -30"]]


def test_merge_candidates_are_only_visitors_one_may_see(client, login, bop, make_location):
    login("coordinator")
    mine = Visitor(name="Fatima", organisation_id=bop.organisation_id, home_location=bop,
                   cards=[Card(code=generate_code())])
    other = Organisation(name="Buurtwerk Elders")
    also = Visitor(name="Fatima B.", organisation_id=bop.organisation_id, home_location=bop)
    theirs = Visitor(name="Fatima A.", organisation=other)
    db.session.add_all([mine, also, theirs])
    db.session.commit()
    page = client.get(f"/staff/visitors/{mine.id}/merge?q=Fatima").get_data(as_text=True)
    assert f"/merge/{also.id}" in page and f"/merge/{theirs.id}" not in page and "Fatima A." not in page


def test_a_round_offers_only_the_organisations_own_staff(client, login, bop, make_staff):
    login("worker", name="Joke")
    other = Organisation(name="Buurtwerk Elders")
    db.session.add(other)
    db.session.commit()
    make_staff(name="Karim van elders", organisation=other)
    page = client.get(f"/staff/rounds/{bop.slug}").get_data(as_text=True)
    assert "Joke" in page and "Karim van elders" not in page


def test_visitor_list_counts_the_visits_the_retention_period_keeps(client, login, bop, walk, app):
    """The visitor list reads each listed visitor's visits of the retention period only (what the
    monthly anonymisation keeps by name), not their whole history, for every page."""
    from bop.checkin.models import CheckIn

    login("coordinator")
    visitor = Visitor(name="Henk", organisation_id=bop.organisation_id, home_location=bop,
                      cards=[Card(code=generate_code())])
    db.session.add(visitor)
    db.session.flush()
    today = local_today()
    for days in (1, 10, 364, 365, 366, 800):
        db.session.add(CheckIn(location=bop, day=today - timedelta(days=days), slot=0, visitor=visitor, method="card"))
    db.session.commit()
    page = client.get("/staff/visitors/").get_data(as_text=True)
    assert "Bezoeken (laatste 365 dagen)" in page
    assert re.search(r'data-label="Bezoeken \(laatste 365 dagen\)">4</td>', page)
    app.config["RETENTION_DAYS"] = 1000
    page = client.get("/staff/visitors/").get_data(as_text=True)
    assert re.search(r'data-label="Bezoeken \(laatste 1000 dagen\)">6</td>', page)
