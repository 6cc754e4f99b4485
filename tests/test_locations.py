"""Locations (BOPs): coordinators add, edit and delete them; slugs are permanent web addresses."""
from __future__ import annotations

import pytest

from bop.accounts.models import Location
from bop.extensions import db
from bop.planning.models import Activity


def location_by_slug(slug: str) -> Location | None:
    db.session.expire_all()
    return db.session.execute(db.select(Location).filter_by(slug=slug)).scalar_one_or_none()


def location_form(**overrides) -> dict:
    data = {"name": "BOP Rijn en Vliet", "slug": "rijn-en-vliet", "address": "Rijnstraat 12, 2313 AB Leiden",
            "phone": "071 512 34 56", "opening_hours": "maandag tot en met vrijdag 9:30 tot 12:00",
            "description": "Een huiskamer in de wijk.", "contact_id": "0"}
    data.update(overrides)
    return data


def test_everyone_on_the_staff_sees_the_locations(client, login, make_location, make_staff):
    contact = make_staff(name="Samira el Amrani")
    make_location(name="BOP De Kom", address="Komstraat 3", contact_id=contact.id)
    login("volunteer")
    response = client.get("/staff/locations/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "BOP De Kom" in page and "Komstraat 3" in page and "Samira el Amrani" in page
    assert "Plek toevoegen" not in page and "Gegevens wijzigen" not in page


def test_no_locations_yet(client, login):
    login("coordinator")
    page = client.get("/staff/locations/").get_data(as_text=True)
    assert "Er is nog geen plek. Voeg eerst een plek toe." in page
    page = client.get("/staff/plan/", follow_redirects=True).get_data(as_text=True)
    assert "Er is nog geen plek om te plannen." in page and "/staff/locations/new" in page


def test_coordinator_adds_a_location_with_a_contact(client, login, make_staff):
    login("coordinator")
    contact = make_staff(name="Joke de Vries")
    page = client.get("/staff/locations/new").get_data(as_text=True)
    assert "Joke de Vries" in page and "— nog niemand —" in page
    response = client.post("/staff/locations/new", data=location_form(contact_id=str(contact.id)))
    assert response.status_code == 302 and response.headers["Location"] == "/staff/locations/"
    location = location_by_slug("rijn-en-vliet")
    assert (location.name, location.address, location.phone, location.contact_id) == (
        "BOP Rijn en Vliet", "Rijnstraat 12, 2313 AB Leiden", "071 512 34 56", contact.id)
    assert "BOP Rijn en Vliet is toegevoegd." in client.get("/staff/locations/").get_data(as_text=True)
    public = client.get("/bop/rijn-en-vliet")
    assert public.status_code == 200 and "Een huiskamer in de wijk." in public.get_data(as_text=True)


@pytest.mark.parametrize("slug, message", [
    ("de-kom", "Deze korte naam is al in gebruik."),
    ("new", "Deze korte naam is gereserveerd. Kies een andere."),
    ("staff", "Deze korte naam is gereserveerd. Kies een andere."),
    ("Rijn en Vliet", "Gebruik kleine letters, cijfers en streepjes, zoals rijn-en-vliet."),
    ("rijn--vliet", "Gebruik kleine letters, cijfers en streepjes, zoals rijn-en-vliet."),
    ("-rijn", "Gebruik kleine letters, cijfers en streepjes, zoals rijn-en-vliet."),
    ("", "Vul een korte naam in."),
])
def test_bad_slug_is_refused_and_the_form_keeps_what_was_typed(client, login, make_location, slug, message):
    login("coordinator")
    make_location(slug="de-kom")
    response = client.post("/staff/locations/new", data=location_form(slug=slug))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="slug-error"' in page  # next to the slug field
    assert 'value="BOP Rijn en Vliet"' in page and 'value="Rijnstraat 12, 2313 AB Leiden"' in page
    assert db.session.execute(db.select(db.func.count()).select_from(Location)).scalar_one() == 1


def test_ten_thousand_characters_in_a_name(client, login):
    login("coordinator")
    response = client.post("/staff/locations/new", data=location_form(name="x" * 10_000))
    assert response.status_code == 200
    assert "Veld mag niet langer zijn dan 120 karakters." in response.get_data(as_text=True)
    assert location_by_slug("rijn-en-vliet") is None


def test_coordinator_edits_a_location(client, login, make_location):
    login("coordinator")
    location = make_location(slug="de-kom", name="BOP De Kom")
    page = client.get("/staff/locations/de-kom").get_data(as_text=True)
    assert 'value="BOP De Kom"' in page and 'value="de-kom"' in page
    response = client.post("/staff/locations/de-kom", data=location_form(name="BOP De Kom (nieuw)", slug="de-kom"))
    assert response.status_code == 302
    assert location_by_slug("de-kom").name == "BOP De Kom (nieuw)"
    # Without activities the address may still change.
    response = client.post("/staff/locations/de-kom", data=location_form(name="BOP De Kom", slug="kom"))
    assert response.status_code == 302
    assert location_by_slug("kom").id == location.id


def test_slug_of_a_location_with_activities_is_permanent(client, login, make_activity, make_location):
    login("coordinator")
    location = make_location(slug="de-kom")
    make_activity(location=location)
    response = client.post("/staff/locations/de-kom", data=location_form(name="BOP De Kom", slug="andere-naam"))
    assert response.status_code == 200
    assert "kan daarom niet meer veranderen" in response.get_data(as_text=True)
    assert location_by_slug("de-kom") is not None and location_by_slug("andere-naam") is None


def test_slug_cannot_take_another_locations_slug_on_edit(client, login, make_location):
    login("coordinator")
    make_location(slug="de-kom")
    make_location(slug="het-dok")
    response = client.post("/staff/locations/het-dok", data=location_form(slug="de-kom"))
    assert response.status_code == 200
    assert "Deze korte naam is al in gebruik." in response.get_data(as_text=True)
    assert location_by_slug("het-dok") is not None


def test_delete_asks_first_then_removes_with_its_activities(client, login, make_location, make_activity):
    login("coordinator")
    location = make_location(slug="de-kom", name="BOP De Kom")
    make_activity(location=location)
    response = client.get("/staff/locations/de-kom/delete")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "BOP De Kom verwijderen?" in page and "Ja, verwijderen" in page
    assert location_by_slug("de-kom") is not None
    response = client.post("/staff/locations/de-kom/delete")
    assert response.status_code == 302
    assert location_by_slug("de-kom") is None
    assert db.session.execute(db.select(db.func.count()).select_from(Activity)).scalar_one() == 0
    assert client.get("/bop/de-kom").status_code == 404


def test_unknown_location_is_404(client, login):
    login("coordinator")
    for url in ["/staff/locations/nergens", "/staff/locations/nergens/delete", "/staff/plan/nergens"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Deze pagina is er niet" in response.get_data(as_text=True)


def test_worker_cannot_add_a_location(client, login):
    login("worker")
    response = client.post("/staff/locations/new", data=location_form())
    assert response.status_code == 403
    assert location_by_slug("rijn-en-vliet") is None
