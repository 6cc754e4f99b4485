"""Door-to-door rounds over HTTP: plan one, print its flyers and sheet, count what it brought."""
from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader
from test_card_pdf import decode_qr, render_pages

from bop.clock import local_today
from bop.extensions import db
from bop.insight.models import FlyerRound, RoundOpen
from bop.planning import schedule
from tests.insight_support import visit


def new_round(client, **fields) -> FlyerRound:
    data = {"day": local_today().isoformat(), "areas": "Rijnstraat\nFlat Vlietzicht (1 t/m 120)", "flyers": "250"}
    data.update(fields)
    response = client.post("/staff/rounds/rijn-en-vliet", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.execute(db.select(FlyerRound).order_by(FlyerRound.id.desc()).limit(1)).scalar_one()


def test_plan_a_round_with_volunteers_and_see_it_listed(client, login, bop, make_staff):
    login("worker")
    fenna = make_staff(role="volunteer", name="Fenna Vrijwilliger")
    flyer_round = new_round(client, volunteers=[str(fenna.id)])
    assert flyer_round.area_lines == ["Rijnstraat", "Flat Vlietzicht (1 t/m 120)"] and flyer_round.flyers == 250
    assert [s.name for s in flyer_round.volunteers] == ["Fenna Vrijwilliger"] and len(flyer_round.marker) == 6
    page = client.get("/staff/rounds/rijn-en-vliet").get_data(as_text=True)
    assert "Rijnstraat · Flat Vlietzicht (1 t/m 120)" in page and "250 folders" in page and "Fenna Vrijwilliger" in page
    assert f'name="ronde" value="{flyer_round.marker}"' in page


def test_a_round_needs_streets_and_a_sensible_number_of_flyers(client, login, bop):
    login("worker")
    response = client.post("/staff/rounds/rijn-en-vliet", data={"day": local_today().isoformat(), "areas": " ",
                                                                  "flyers": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Schrijf minstens één straat of flat op." in page and "Kies tussen 1 en 5000 folders." in page
    response = client.post("/staff/rounds/rijn-en-vliet", data={"day": "morgen", "areas": "Rijnstraat", "flyers": "x"})
    page = response.get_data(as_text=True)
    assert "Dit is geen bestaande datum." in page and "Rijnstraat" in page and "morgen" in page  # typed stays
    assert db.session.execute(db.select(FlyerRound)).first() is None


def test_volunteers_see_rounds_but_do_not_plan_them(client, login, bop):
    login("volunteer")
    assert client.get("/staff/rounds/rijn-en-vliet").status_code == 200
    assert client.post("/staff/rounds/rijn-en-vliet", data={"areas": "Rijnstraat", "flyers": "10"}).status_code == 403
    assert client.get("/staff/rounds/nergens").status_code == 404


def test_the_rounds_flyer_carries_its_marker_and_the_agenda_counts_the_opens(client, login, bop, walk):
    login("worker")
    flyer_round = new_round(client)
    week = schedule.iso_week_label(flyer_round.day)
    response = client.get(f"/bop/rijn-en-vliet/flyer/{week}.pdf?format=A4&ronde={flyer_round.marker}")
    assert response.status_code == 200
    (url,) = decode_qr(render_pages(response.data)[0])
    query = parse_qs(urlsplit(url).query)
    assert query["ronde"] == [flyer_round.marker] and query["bron"] == ["flyer"]
    plain = client.get(f"/bop/rijn-en-vliet/flyer/{week}.pdf?format=A4")
    assert "ronde" not in decode_qr(render_pages(plain.data)[0])[0]        # ordinary flyers stay as they were

    for _ in range(3):
        assert client.get(urlsplit(url).path + "?" + urlsplit(url).query).status_code == 200
    assert client.get(f"/bop/rijn-en-vliet?week={week}&ronde=zzzzzz").status_code == 200   # unknown: ignored
    db.session.expire_all()
    assert [(o.round_id, o.day, o.count) for o in db.session.execute(db.select(RoundOpen)).scalars()] == [
        (flyer_round.id, local_today(), 3)]
    page = client.get("/staff/rounds/rijn-en-vliet").get_data(as_text=True)
    assert 'data-field="opens">3<' in page


def test_first_visits_within_four_weeks_count_for_the_latest_round(client, login, bop, walk):
    login("worker")
    today = local_today()
    older = new_round(client, day=(today - timedelta(weeks=8)).isoformat())
    newer = new_round(client, day=(today - timedelta(weeks=3)).isoformat())
    visit(bop, today - timedelta(weeks=7), None, walk, method="guest", source="flyer")          # older round
    visit(bop, today - timedelta(weeks=2), None, walk, method="guest", source="flyer", count=2)  # newer round
    visit(bop, today - timedelta(weeks=2), None, walk, method="guest", source="neighbour")      # newer, another way
    visit(bop, today - timedelta(days=25), None, walk, method="guest", source="flyer")  # between the two: neither
    visit(bop, today - timedelta(weeks=2), None, walk, method="guest")                          # said nothing
    page = client.get("/staff/rounds/rijn-en-vliet").get_data(as_text=True)
    newer_part = page.split(f'data-round="{newer.id}"')[1].split("</li>")[0]
    older_part = page.split(f'data-round="{older.id}"')[1].split("</li>")[0]
    assert 'data-field="flyer">2<' in newer_part and 'data-field="other">1<' in newer_part
    assert 'data-field="flyer">1<' in older_part and 'data-field="other">0<' in older_part


def test_round_sheet_lists_streets_flyers_volunteers_and_the_contact(client, login, bop, make_staff):
    login("worker")
    contact = make_staff(name="Samira el Amrani", phone="071 512 34 56")
    bop.contact = contact
    bop.phone = ""
    db.session.commit()
    fenna = make_staff(role="volunteer", name="Fenna")
    flyer_round = new_round(client, volunteers=[str(fenna.id)])
    response = client.get(f"/staff/rounds/rijn-en-vliet/{flyer_round.id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    for expected in ("Folderronde", "Rijnstraat", "Flat Vlietzicht (1 t/m 120)", "Neem 250 folders mee.", "Fenna",
                     "Samira el Amrani, 071 512 34 56"):
        assert expected in text, expected
    (url,) = decode_qr(render_pages(response.data)[0])
    assert f"ronde={flyer_round.marker}" in url and url.startswith("http://localhost/bop/rijn-en-vliet")


def test_delete_a_round_after_confirming(client, login, bop):
    login("worker")
    flyer_round = new_round(client)
    page = client.get(f"/staff/rounds/rijn-en-vliet/{flyer_round.id}/delete").get_data(as_text=True)
    assert "weghalen?" in page
    assert db.session.get(FlyerRound, flyer_round.id) is not None
    assert client.post(f"/staff/rounds/rijn-en-vliet/{flyer_round.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(FlyerRound, flyer_round.id) is None
