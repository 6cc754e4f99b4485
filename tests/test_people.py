"""Staff accounts: coordinators manage them; everyone keeps their own contact details and photo."""
from __future__ import annotations

import io
import re

from PIL import Image

from bop.accounts.models import Staff
from bop.extensions import db
from tests.conftest import PASSWORD


def staff_by_email(email: str) -> Staff | None:
    db.session.expire_all()
    return db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one_or_none()


def person_form(**overrides) -> dict:
    data = {"name": "Joke de Vries", "email": "joke@example.org", "role": "worker", "phone": "071 512 34 57",
            "whatsapp": "06 87 65 43 21", "password": "een lang wachtwoord", "active": "y"}
    data.update(overrides)
    return data


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#2a6f97").save(out, "PNG")
    return out.getvalue()


def test_coordinator_sees_everyone_with_role_and_contact(client, login, make_staff):
    login("coordinator", name="Samira el Amrani")
    make_staff(name="Joke de Vries", email="joke@example.org", role="worker", phone="071 512 34 57")
    make_staff(name="Oud Account", role="volunteer", active=False)
    response = client.get("/staff/people/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Joke de Vries" in page and "joke@example.org" in page and "071 512 34 57" in page
    assert "Welzijnswerker — plant activiteiten" in page
    assert "Oud Account" in page and "(uit)" in page


def test_coordinator_adds_a_worker_who_can_log_in(client, login):
    login("coordinator")
    response = client.post("/staff/people/new", data=person_form(email=" Joke@Example.org "))
    assert response.status_code == 302
    staff = staff_by_email("joke@example.org")
    assert staff is not None
    assert (staff.name, staff.role, staff.phone, staff.whatsapp, staff.active) == (
        "Joke de Vries", "worker", "071 512 34 57", "06 87 65 43 21", True)
    assert "Medewerker Joke de Vries is toegevoegd." in client.get("/staff/people/").get_data(as_text=True)
    client.post("/staff/logout")
    response = client.post("/staff/login", data={"email": "joke@example.org", "password": "een lang wachtwoord"})
    assert response.status_code == 302


def test_new_person_needs_a_first_password(client, login):
    login("coordinator")
    response = client.post("/staff/people/new", data=person_form(password=""))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Geef een eerste wachtwoord." in page
    assert 'value="Joke de Vries"' in page and 'value="joke@example.org"' in page
    assert staff_by_email("joke@example.org") is None


def test_bad_staff_input_gets_dutch_messages_and_keeps_what_was_typed(client, login, make_staff):
    login("coordinator")
    make_staff(email="taken@example.org")
    cases = [
        ({"email": "taken@example.org"}, "Er is al een medewerker met dit e-mailadres."),
        ({"email": "TAKEN@example.org"}, "Er is al een medewerker met dit e-mailadres."),
        ({"email": "not an address"}, "Dit is geen geldig e-mailadres."),
        ({"name": ""}, "Vul een naam in."),
        ({"phone": "bel me maar"}, "Gebruik alleen cijfers, spaties, + en -."),
        ({"password": "kort"}, "Een wachtwoord heeft minstens 10 tekens."),
        ({"name": "x" * 10_000}, "Veld mag niet langer zijn dan 120 karakters."),  # WTForms' own Dutch
        ({"role": "admin"}, "Ongeldige keuze."),
    ]
    for overrides, message in cases:
        data = person_form(**overrides)
        response = client.post("/staff/people/new", data=data)
        assert response.status_code == 200, overrides
        page = response.get_data(as_text=True)
        assert message in page, overrides
        assert 'class="field-error"' in page, overrides
        assert f'value="{data["phone"]}"' in page, overrides
    assert db.session.execute(db.select(db.func.count()).select_from(Staff)).scalar_one() == 2


def test_photo_is_shrunk_and_served_to_staff_only(client, login):
    login("coordinator")
    data = person_form()
    data["new_photo"] = (io.BytesIO(jpeg(1600, 1200)), "portret.png")
    response = client.post("/staff/people/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    staff = staff_by_email("joke@example.org")
    with Image.open(io.BytesIO(staff.photo)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 600 and image.size == (600, 450)
    response = client.get(f"/staff/people/{staff.id}/photo.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data == staff.photo
    client.post("/staff/logout")
    assert client.get(f"/staff/people/{staff.id}/photo.jpg").status_code == 302


def test_a_file_that_is_not_a_photo_is_refused(client, login):
    login("coordinator")
    data = person_form()
    data["new_photo"] = (io.BytesIO(b"%PDF-1.4 not a picture"), "cv.pdf")
    response = client.post("/staff/people/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Kies een foto in JPG of PNG." in response.get_data(as_text=True)
    data["new_photo"] = (io.BytesIO(b"garbage that only claims to be a jpeg"), "foto.jpg")
    response = client.post("/staff/people/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Deze foto kunnen we niet lezen. Probeer een andere." in response.get_data(as_text=True)
    assert staff_by_email("joke@example.org") is None


def test_photo_can_be_removed(client, login, make_staff):
    login("coordinator")
    staff = make_staff(photo=b"old")
    data = person_form(name=staff.name, email=staff.email, password="", remove_photo="y")
    assert client.post(f"/staff/people/{staff.id}", data=data).status_code == 302
    assert staff_by_email(staff.email).photo is None
    assert client.get(f"/staff/people/{staff.id}/photo.jpg").status_code == 404


def test_coordinator_changes_role_and_deactivates(client, login, make_staff):
    login("coordinator")
    staff = make_staff(role="worker")
    page = client.get(f"/staff/people/{staff.id}").get_data(as_text=True)
    assert f'value="{staff.email}"' in page and "Rol" in page
    data = person_form(name=staff.name, email=staff.email, role="volunteer", password="")
    del data["active"]  # an unticked checkbox is not sent
    response = client.post(f"/staff/people/{staff.id}", data=data)
    assert response.status_code == 302
    changed = staff_by_email(staff.email)
    assert changed.role == "volunteer" and changed.active is False
    assert changed.check_password(PASSWORD)  # an empty password field keeps the old password
    client.post("/staff/logout")
    assert client.post("/staff/login", data={"email": staff.email, "password": PASSWORD}).status_code == 200


def test_last_coordinator_cannot_demote_themselves(client, login):
    me = login("coordinator")
    data = person_form(name=me.name, email=me.email, role="worker", password="")
    response = client.post(f"/staff/people/{me.id}", data=data)
    assert response.status_code == 200
    assert "U bent de laatste coördinator." in response.get_data(as_text=True)
    assert staff_by_email(me.email).role == "coordinator"


def test_a_coordinator_who_makes_themselves_a_worker_lands_on_their_own_page(client, login, make_staff):
    make_staff(name="Tweede Coördinator", role="coordinator")
    me = login("coordinator")
    data = person_form(name=me.name, email=me.email, role="worker", password="")
    response = client.post(f"/staff/people/{me.id}", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/people/{me.id}"
    assert staff_by_email(me.email).role == "worker"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and 'name="role"' not in page.get_data(as_text=True)
    assert client.get("/staff/people/").status_code == 403


def test_worker_edits_own_details_but_not_own_role(client, login):
    me = login("worker")
    page = client.get(f"/staff/people/{me.id}").get_data(as_text=True)
    assert 'name="role"' not in page and 'name="active"' not in page
    data = person_form(name=me.name, email=me.email, phone="071 999 99 99", role="coordinator", password="")
    response = client.post(f"/staff/people/{me.id}", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/people/{me.id}"
    changed = staff_by_email(me.email)
    assert changed.phone == "071 999 99 99"
    assert changed.role == "worker" and changed.active


def test_worker_changes_own_password(client, login):
    me = login("worker")
    data = person_form(name=me.name, email=me.email, password="mijn nieuwe wachtwoord")
    assert client.post(f"/staff/people/{me.id}", data=data).status_code == 302
    client.post("/staff/logout")
    assert client.post("/staff/login", data={"email": me.email, "password": PASSWORD}).status_code == 200
    assert client.post("/staff/login", data={"email": me.email, "password": "mijn nieuwe wachtwoord"}).status_code == 302


def test_unknown_person_is_a_styled_404(client, login):
    login("coordinator")
    response = client.get("/staff/people/999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Deze pagina is er niet" in page and 'class="site-header"' in page
    assert re.search(r'<html lang="nl"', page)


def test_last_coordinator_cannot_switch_off_their_own_account(client, login):
    me = login("coordinator")
    data = person_form(name=me.name, email=me.email, role="coordinator", password="")
    del data["active"]  # unticked
    response = client.post(f"/staff/people/{me.id}", data=data)
    assert response.status_code == 200
    assert "U bent de laatste coördinator." in response.get_data(as_text=True)
    assert staff_by_email(me.email).active is True
    assert client.get("/staff/people/").status_code == 200  # still logged in and in charge


def test_coordinator_may_step_down_when_another_remains(client, login, make_staff):
    me = login("coordinator")
    make_staff(role="coordinator")
    data = person_form(name=me.name, email=me.email, role="worker", password="")
    response = client.post(f"/staff/people/{me.id}", data=data)
    assert response.status_code == 302
    assert staff_by_email(me.email).role == "worker"
    assert client.get("/staff/people/").status_code == 403



def test_the_menu_links_to_ones_own_account_but_not_for_the_administrator(client, login):
    """The administrator has only the organisations page: a link to an account page of theirs
    would answer 403."""
    worker = login("worker", name="Joke de Vries")
    assert f'href="/staff/people/{worker.id}"' in client.get("/staff/checkin/today").get_data(as_text=True)
    client.post("/staff/logout")
    admin = login("admin", organisation=None, locations=[], name="Stadsbeheerder")
    page = client.get("/staff/organisations/").get_data(as_text=True)
    assert "Stadsbeheerder" in page
    assert f"/staff/people/{admin.id}" not in page
    assert client.get(f"/staff/people/{admin.id}").status_code == 403
