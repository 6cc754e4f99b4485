"""Visitors and cards through real HTTP requests: roles, CRUD, consent, merge, erase, export,
revoke/reissue, the card PDFs and posters read back (QR codes decoded), and the CLI."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from support import decode_qr, pdf_text, render_pages
from support import make_visitor as visitor_with_card

from bop.checkin.models import CheckIn, Scan
from bop.extensions import db
from bop.visitors.codes import format_code
from bop.visitors.models import Card, Visitor
from bop.visitors.records import issue_card


@pytest.fixture
def make_visitor(app, make_location):
    def make(name="Fatma", *, location=None, **fields) -> Visitor:
        return visitor_with_card(name, location=location, **fields)[0]

    return make


def checkin(visitor, location, day, activity=None, *, at=None, **fields) -> CheckIn:
    row = CheckIn(location_id=location.id, day=day, slot=activity.id if activity else 0,
                  activity_id=activity.id if activity else None, visitor_id=visitor.id if visitor else None,
                  method="card", server_time=at or datetime(day.year, day.month, day.day, 9, 0), **fields)
    db.session.add(row)
    db.session.commit()
    return row


def code_of(visitor: Visitor) -> str:
    return next(c.code for c in visitor.cards if c.revoked_at is None)


# -- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/staff/visitors/", "/staff/visitors/new", "/staff/visitors/1", "/staff/visitors/1/card.pdf",
    "/staff/visitors/cards.pdf?ids=1", "/staff/visitors/1/export.json", "/staff/locations/x/poster-a4.pdf",
])
def test_anonymous_gets_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/login" in response.location


def test_volunteer_may_look_and_print_but_not_change(client, login, make_visitor, make_location):
    visitor = make_visitor("Ayşe", location=make_location(), phone="06 12345678", phone_consent_at=datetime(2026, 1, 5))
    login("volunteer")
    index = client.get("/staff/visitors/")
    assert index.status_code == 200 and "Ayşe" in index.text
    assert "Bezoeker toevoegen" not in index.text
    show = client.get(f"/staff/visitors/{visitor.id}")
    assert show.status_code == 200
    assert "06 12345678" not in show.text  # the phone number is for the workers' outreach calls only
    assert "Gegevens wijzigen" not in show.text and "verwijderen" not in show.text
    assert client.get(f"/staff/visitors/{visitor.id}/card.pdf").status_code == 200
    for url in ["/staff/visitors/new", f"/staff/visitors/{visitor.id}/edit", f"/staff/visitors/{visitor.id}/delete",
                f"/staff/visitors/{visitor.id}/export.json", f"/staff/visitors/{visitor.id}/merge",
                f"/staff/visitors/{visitor.id}/cards/new"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/visitors/new", data={"name": "X"}).status_code == 403
    assert client.post(f"/staff/visitors/{visitor.id}/delete").status_code == 403
    assert db.session.get(Visitor, visitor.id) is not None


# -- list, search, paging -------------------------------------------------------------------------


def test_empty_list_says_so(client, login):
    login()
    assert "Er zijn nog geen bezoekers" in client.get("/staff/visitors/").text


def test_search_by_part_of_a_name_or_by_a_typed_card_code(client, login, make_visitor):
    login()
    ayse = make_visitor("Ayşe")
    make_visitor("Fatma")
    make_visitor("100%_Piet")
    text = client.get("/staff/visitors/?q=atm").text
    assert "Fatma" in text and "Ayşe" not in text
    # A code read out over the phone: lower case, spaces instead of dashes.
    typed = " ".join(format_code(code_of(ayse)).lower().split("-"))
    text = client.get("/staff/visitors/", query_string={"q": typed}).text
    assert "Ayşe" in text and "Fatma" not in text
    # LIKE wildcards are taken literally.
    text = client.get("/staff/visitors/", query_string={"q": "%_"}).text
    assert "100%_Piet" in text and "Fatma" not in text
    text = client.get("/staff/visitors/?q=Nobody").text
    assert "Geen bezoekers gevonden" in text


def test_list_is_paged(app, client, login, make_visitor):
    app.config["PAGE_SIZE"] = 3
    login()
    for i in range(7):
        make_visitor(f"Bezoeker {i}")
    first = client.get("/staff/visitors/").text
    assert "Bezoeker 0" in first and "Bezoeker 3" not in first and "7 bezoekers" in first
    assert "Bladzijde 1 van 3" in first
    third = client.get("/staff/visitors/?page=3").text
    assert "Bezoeker 6" in third and "Bezoeker 0" not in third
    assert client.get("/staff/visitors/?page=99").status_code == 200


# -- create and edit, consent rule ----------------------------------------------------------------


def test_create_gives_a_card_and_keeps_typed_input_on_errors(client, login, make_location):
    location = make_location()
    login()
    response = client.post("/staff/visitors/new", data={"name": "  ", "language": "tr", "home_location_id": location.id})
    assert response.status_code == 200
    assert "Vul een voornaam of bijnaam in." in response.text

    response = client.post("/staff/visitors/new", data={"name": "x" * 61, "language": "tr",
                                                        "home_location_id": location.id})
    assert "hooguit 60 tekens" in response.text

    response = client.post("/staff/visitors/new", data={"name": "Şükrü", "language": "tr",
                                                        "home_location_id": location.id, "phone": "", })
    assert response.status_code == 302
    visitor = db.session.execute(db.select(Visitor).filter_by(name="Şükrü")).scalar_one()
    assert visitor.language == "tr" and visitor.home_location_id == location.id
    assert len(visitor.cards) == 1 and len(visitor.cards[0].code) == 16
    assert visitor.phone == "" and visitor.phone_consent_at is None
    page = client.get(response.location).text
    assert format_code(visitor.cards[0].code) in page and "Kaart printen" in page


def test_a_phone_number_without_consent_is_refused(client, login):
    login()
    response = client.post("/staff/visitors/new", data={"name": "Jan", "language": "", "home_location_id": 0,
                                                        "phone": "06 12345678"})
    assert response.status_code == 200
    assert "Zonder toestemming bewaren we geen telefoonnummer" in response.text
    assert 'value="Jan"' in response.text and 'value="06 12345678"' in response.text  # kept what was typed
    assert db.session.execute(db.select(Visitor)).first() is None

    response = client.post("/staff/visitors/new", data={"name": "Jan", "language": "", "home_location_id": 0,
                                                        "phone": "06 12345678", "phone_consent": "y"})
    assert response.status_code == 302
    visitor = db.session.execute(db.select(Visitor)).scalar_one()
    assert visitor.phone == "06 12345678" and visitor.phone_consent_at is not None

    bad = client.post("/staff/visitors/new", data={"name": "Kees", "phone": "bel me; DROP TABLE", "phone_consent": "y",
                                                   "language": "", "home_location_id": 0})
    assert "Gebruik alleen cijfers" in bad.text


def test_withdrawing_consent_clears_the_phone(client, login, make_visitor):
    consented = datetime(2026, 3, 1, 10, 0)
    visitor = make_visitor("Jan", phone="06 12345678", phone_consent_at=consented)
    login()
    form = client.get(f"/staff/visitors/{visitor.id}/edit").text
    assert 'value="06 12345678"' in form and "checked" in form
    # Editing something else keeps the number and the original consent date.
    client.post(f"/staff/visitors/{visitor.id}/edit", data={
        "name": "Jantje", "language": "nl", "home_location_id": 0, "phone": "06 12345678", "phone_consent": "y"})
    db.session.refresh(visitor)
    assert visitor.name == "Jantje" and visitor.phone_consent_at == consented
    response = client.post(f"/staff/visitors/{visitor.id}/edit", data={
        "name": "Jantje", "language": "nl", "home_location_id": 0, "phone": "06 12345678"}, follow_redirects=True)
    assert "Het telefoonnummer is gewist" in response.text
    db.session.refresh(visitor)
    assert visitor.phone == "" and visitor.phone_consent_at is None


# -- merge ----------------------------------------------------------------------------------------


def test_merge_moves_cards_and_checkins_and_resolves_same_day_duplicates(
        client, login, make_visitor, make_location, make_activity):
    location = make_location()
    walk = make_activity(location=location)
    keep = make_visitor("Fatma", location=location)
    gone = make_visitor("Fatima", phone="06 1", phone_consent_at=datetime(2026, 2, 2), language="ar")
    d1, d2, d3 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
    checkin(keep, location, d1, walk, at=datetime(2026, 11, 2, 10, 5))
    earlier = checkin(gone, location, d1, walk, at=datetime(2026, 11, 2, 10, 1))   # same slot, earlier
    checkin(keep, location, d2, at=datetime(2026, 11, 3, 9, 0))
    later = checkin(gone, location, d2, at=datetime(2026, 11, 3, 11, 0))           # same drop-in, later
    checkin(gone, location, d3, walk)
    scan = Scan(location_id=location.id, raw_code=code_of(gone), status="ok", checkin_id=later.id)
    db.session.add(scan)
    db.session.commit()
    gone_code, keep_code = code_of(gone), code_of(keep)
    login()

    confirm = client.get(f"/staff/visitors/{keep.id}/merge/{gone.id}")
    assert confirm.status_code == 200 and "samenvoegen?" in confirm.text
    picked = client.get(f"/staff/visitors/{keep.id}/merge?q=Fati").text
    assert f"/staff/visitors/{keep.id}/merge/{gone.id}" in picked
    response = client.post(f"/staff/visitors/{keep.id}/merge/{gone.id}")
    assert response.status_code == 302 and response.location.endswith(f"/staff/visitors/{keep.id}")

    db.session.expire_all()
    assert db.session.get(Visitor, gone.id) is None
    kept = db.session.get(Visitor, keep.id)
    assert {c.code for c in kept.cards} == {gone_code, keep_code}
    assert all(c.revoked_at is None for c in kept.cards)  # both cards keep working
    rows = db.session.execute(db.select(CheckIn).order_by(CheckIn.day)).scalars().all()
    assert [(r.day, r.visitor_id) for r in rows] == [(d1, keep.id), (d2, keep.id), (d3, keep.id)]
    assert rows[0].id == earlier.id                    # the first time is kept
    assert rows[1].server_time.hour == 9
    assert kept.phone == "06 1" and kept.language == "ar"  # filled from the other record
    assert db.session.get(Scan, scan.id).checkin_id is None  # the doubled check-in is gone

    assert client.get(f"/staff/visitors/{keep.id}/merge/{keep.id}").status_code == 302


# -- erase and export -----------------------------------------------------------------------------


def test_delete_asks_first_then_erases_the_person_but_keeps_the_counts(client, login, make_visitor, make_location):
    location = make_location()
    visitor = make_visitor("Ayşe", location=location, phone="06 9", phone_consent_at=datetime(2026, 1, 1))
    code = code_of(visitor)
    checkin(visitor, location, date(2026, 11, 2))
    checkin(visitor, location, date(2026, 11, 3))
    db.session.add(Scan(location_id=location.id, raw_code=format_code(code), status="ok"))
    db.session.commit()
    login()
    confirm = client.get(f"/staff/visitors/{visitor.id}/delete")
    assert "Ayşe verwijderen?" in confirm.text and "De 2 bezoeken blijven meetellen" in confirm.text
    assert db.session.get(Visitor, visitor.id) is not None

    response = client.post(f"/staff/visitors/{visitor.id}/delete", follow_redirects=True)
    assert "Ayşe is verwijderd" in response.text
    db.session.expire_all()
    assert db.session.execute(db.select(Visitor)).first() is None
    assert db.session.execute(db.select(Card)).first() is None
    rows = db.session.execute(db.select(CheckIn)).scalars().all()
    assert len(rows) == 2 and all(r.visitor_id is None for r in rows)
    assert db.session.execute(db.select(Scan.raw_code)).scalar_one() == ""
    assert code not in json.dumps([r.raw_code for r in db.session.execute(db.select(Scan)).scalars()])


def test_export_holds_everything_stored_about_the_visitor(client, login, make_visitor, make_activity):
    walk = make_activity(title="Wandelclub")
    visitor = make_visitor("Łucja", location=walk.location, phone="06 5", phone_consent_at=datetime(2026, 4, 1),
                           language="pl")
    old = visitor.cards[0]
    old.revoked_at = datetime(2026, 5, 1)
    issue_card(db.session, visitor)
    db.session.commit()
    checkin(visitor, walk.location, date(2026, 11, 2), walk, source="flyer")
    login()
    response = client.get(f"/staff/visitors/{visitor.id}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["visitor"]["name"] == "Łucja" and data["visitor"]["phone"] == "06 5"
    assert data["visitor"]["language"] == "pl" and data["visitor"]["phone_consent_at"].startswith("2026-04-01")
    assert len(data["cards"]) == 2 and data["cards"][0]["revoked_at"].startswith("2026-05-01")
    assert data["checkins"] == [{
        "day": "2026-11-02", "location": walk.location.name, "activity": "Wandelclub", "method": "card",
        "source": "flyer", "client_time": None, "server_time": "2026-11-02T09:00:00", "recorded_by_staff": None}]


def test_visit_history_is_shown_newest_first(client, login, make_visitor, make_activity):
    walk = make_activity(title="Wandelclub")
    visitor = make_visitor("Kees", location=walk.location)
    checkin(visitor, walk.location, date(2026, 10, 6), walk)
    checkin(visitor, walk.location, date(2026, 11, 3))
    login("volunteer")
    text = client.get(f"/staff/visitors/{visitor.id}").text
    assert "2 bezoeken" in text
    assert text.index("3 november 2026") < text.index("6 oktober 2026")
    assert "Wandelclub" in text and "Inloop" in text


# -- cards ----------------------------------------------------------------------------------------


def test_revoke_asks_first_then_blocks_the_card(client, login, make_visitor):
    visitor = make_visitor("Piet")
    card = visitor.cards[0]
    login()
    confirm = client.get(f"/staff/visitors/{visitor.id}/cards/{card.id}/revoke")
    assert "blokkeren?" in confirm.text and db.session.get(Card, card.id).revoked_at is None
    client.post(f"/staff/visitors/{visitor.id}/cards/{card.id}/revoke")
    db.session.expire_all()
    assert db.session.get(Card, card.id).revoked_at is not None
    # No valid card: printing says so instead of printing a dead code.
    response = client.get(f"/staff/visitors/{visitor.id}/card.pdf", follow_redirects=True)
    assert "heeft geen geldige kaart" in response.text
    # A card of another visitor cannot be revoked through this one.
    other = make_visitor("Ans")
    assert client.post(f"/staff/visitors/{visitor.id}/cards/{other.cards[0].id}/revoke").status_code == 404


def test_reissue_for_a_lost_card_blocks_the_old_one(client, login, make_visitor):
    visitor = make_visitor("Mohammed")
    old = code_of(visitor)
    login()
    assert "De oude kaart is kwijt" in client.get(f"/staff/visitors/{visitor.id}/cards/new").text
    client.post(f"/staff/visitors/{visitor.id}/cards/new", data={"revoke_old": "y"})
    db.session.expire_all()
    cards = {c.code: c for c in db.session.get(Visitor, visitor.id).cards}
    assert len(cards) == 2 and cards[old].revoked_at is not None
    new = next(code for code, c in cards.items() if c.revoked_at is None)
    # The new card is the one printed.
    pdf = client.get(f"/staff/visitors/{visitor.id}/card.pdf").data
    assert decode_qr(render_pages(pdf)[0]) == [new]
    # An extra card without blocking: both work.
    client.post(f"/staff/visitors/{visitor.id}/cards/new", data={})
    db.session.expire_all()
    assert sum(c.revoked_at is None for c in db.session.get(Visitor, visitor.id).cards) == 2


def test_card_pdf_carries_the_code_name_bop_and_phone(client, login, make_visitor, make_location):
    location = make_location(name="BOP Rijn en Vliet", phone="071 512 34 56")
    visitor = make_visitor("Şükrü", location=location)
    login("volunteer")
    response = client.get(f"/staff/visitors/{visitor.id}/card.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    for expected in ["Şükrü", "BOP Rijn en Vliet", "071 512 34 56", format_code(code_of(visitor)),
                     "Bezoekerskaart", "Vragen? Bel"]:  # the fixed words, filled in by the view
        assert expected in text
    assert decode_qr(render_pages(response.data)[0]) == [code_of(visitor)]

    without = pdf_text(client.get(f"/staff/visitors/{visitor.id}/card.pdf?name=0").data)
    assert "Şükrü" not in without and format_code(code_of(visitor)) in without


def test_batch_of_cards_in_the_chosen_order_skipping_blocked_ones(client, login, make_visitor, make_location):
    location = make_location()
    visitors = [make_visitor(f"Bezoeker{i}", location=location) for i in range(12)]
    blocked = visitors[5]
    blocked.cards[0].revoked_at = datetime(2026, 1, 1)
    db.session.commit()
    login()
    ids = [v.id for v in visitors]
    query = f"ids={','.join(map(str, ids[:6]))}&ids={','.join(map(str, ids[6:]))}&ids=999999"
    response = client.get(f"/staff/visitors/cards.pdf?{query}")
    assert response.status_code == 200
    pages = render_pages(response.data)
    assert len(pages) == 2  # 11 valid cards: ten on the first sheet, one on the second
    expected = [code_of(v) for v in visitors if v is not blocked]
    assert sorted(decode_qr(pages[0]) + decode_qr(pages[1])) == sorted(expected)
    assert decode_qr(pages[1]) == [expected[-1]]
    text = pdf_text(response.data)
    assert "Bezoeker0" in text and "Bezoeker5" not in text

    no_names = pdf_text(client.get(f"/staff/visitors/cards.pdf?ids={ids[0]}&name=0").data)
    assert "Bezoeker0" not in no_names

    nothing = client.get(f"/staff/visitors/cards.pdf?ids={blocked.id}", follow_redirects=True)
    assert "Kies eerst bezoekers met een geldige kaart" in nothing.text
    assert client.get("/staff/visitors/cards.pdf").status_code == 302
    garbled = client.get(f"/staff/visitors/cards.pdf?ids={ids[0]},abc")  # no checkbox sends that
    assert garbled.status_code == 400 and "Deze lijst met bezoekers klopt niet" in garbled.text


# -- posters --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size, width_mm", [("a4", 210), ("a3", 297)])
def test_poster_points_to_the_self_checkin_page(client, login, make_activity, size, width_mm):
    walk = make_activity(title="Wandelclub", category="walk")
    login("volunteer")
    response = client.get(f"/staff/locations/{walk.location.slug}/poster-{size}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(width_mm / 25.4 * 72, abs=1)
    text = reader.pages[0].extract_text()
    assert "Scan mij met uw telefoon" in text and walk.location.name in text and "Welkom bij" in text
    assert reader.metadata.title == f"Poster aanmelden - {walk.location.name}"
    url = f"http://localhost/bop/{walk.location.slug}/in"
    assert decode_qr(render_pages(response.data, dpi=50)[0]) == [url]


def test_poster_for_unknown_place_or_size_is_not_found(client, login, make_location):
    location = make_location()
    login()
    assert client.get(f"/staff/locations/{location.slug}/poster-a5.pdf").status_code == 404
    assert client.get("/staff/locations/nope/poster-a4.pdf").status_code == 404
    assert f"/staff/locations/{location.slug}/poster-a3.pdf" in client.get("/staff/visitors/").text


# -- command line ---------------------------------------------------------------------------------


def test_cli_create_visitor_prints_the_card_code(app, make_location):
    location = make_location()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "create-visitor", "Ayşe", "--location", location.slug, "--language", "tr"])
    assert result.exit_code == 0, result.output
    visitor = db.session.execute(db.select(Visitor).filter_by(name="Ayşe")).scalar_one()
    assert visitor.home_location_id == location.id and visitor.language == "tr"
    assert format_code(code_of(visitor)) in result.output

    result = runner.invoke(args=["bop", "create-visitor", "Jan", "--location", "nope"])
    assert result.exit_code != 0 and "no location" in result.output
    result = runner.invoke(args=["bop", "create-visitor", "   "])
    assert result.exit_code != 0
    assert db.session.execute(db.select(db.func.count()).select_from(Visitor)).scalar_one() == 1


def test_a_new_card_never_reuses_a_code_in_use(app, make_visitor, monkeypatch):
    """80-bit codes practically never clash; when the generator does repeat one, the clash is
    caught and a fresh code drawn, so two visitors never share a card."""
    first = make_visitor("Eerste")
    taken = code_of(first)
    fresh = iter([taken, taken, "K7M2QX9PW4RT8HJD"])
    monkeypatch.setattr("bop.visitors.records.generate_code", lambda: next(fresh))
    second = make_visitor("Tweede")
    assert code_of(second) == "K7M2QX9PW4RT8HJD" != taken
    assert next(fresh, None) is None  # both clashes were drawn and refused


def test_anonymise_command_turns_old_named_checkins_into_counts(app, make_visitor, make_location):
    from datetime import timedelta

    from bop.clock import local_today

    location = make_location()
    fatma = make_visitor(location=location)
    old_day, recent_day = local_today() - timedelta(days=400), local_today() - timedelta(days=3)
    old, recent = checkin(fatma, location, old_day), checkin(fatma, location, recent_day)
    db.session.add(Scan(location_id=location.id, raw_code=code_of(fatma), status="ok", checkin_id=old.id,
                        server_time=datetime(old_day.year, old_day.month, old_day.day, 9, 0)))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["bop", "anonymise-checkins", "--older-than-days", "365"])

    assert result.exit_code == 0, result.output
    assert "1 check-ins" in result.output
    db.session.expire_all()
    assert db.session.get(CheckIn, old.id).visitor_id is None      # still counted, no longer named
    assert db.session.get(CheckIn, recent.id).visitor_id == fatma.id
    assert db.session.execute(db.select(Scan.raw_code)).scalar_one() == ""
    too_soon = app.test_cli_runner().invoke(args=["bop", "anonymise-checkins", "--older-than-days", "7"])
    assert too_soon.exit_code != 0  # at least 30 days, so this month's list is never wiped by a typo


def test_last_seen_is_forgotten_with_the_visits(app, client, login, make_visitor, make_location):
    """"Laatst gezien" is the day of the latest named check-in: once the old ones are anonymised,
    the visitor's page no longer tells when they came."""
    from datetime import timedelta

    from bop.clock import local_today

    location = make_location()
    fatma = make_visitor(location=location)
    checkin(fatma, location, local_today() - timedelta(days=400))
    login("coordinator")
    seen = re.compile(r"Laatst gezien</th><td>([^<]+)</td>")
    assert seen.search(client.get(f"/staff/visitors/{fatma.id}").text).group(1) != "nog niet"
    result = app.test_cli_runner().invoke(args=["bop", "anonymise-checkins", "--older-than-days", "365"])
    assert result.exit_code == 0, result.output
    assert seen.search(client.get(f"/staff/visitors/{fatma.id}").text).group(1) == "nog niet"


def test_anonymise_command_takes_its_default_from_the_retention_setting(app, make_visitor, make_location):
    from datetime import timedelta

    from bop.clock import local_today

    location = make_location()
    fatma = make_visitor(location=location)
    day_100, day_400 = local_today() - timedelta(days=100), local_today() - timedelta(days=400)
    at_100, at_400 = checkin(fatma, location, day_100), checkin(fatma, location, day_400)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["bop", "anonymise-checkins"])  # the default: 365 days
    assert result.exit_code == 0, result.output
    assert f"1 check-ins from before {(local_today() - timedelta(days=365)).isoformat()}" in result.output
    db.session.expire_all()
    assert db.session.get(CheckIn, at_400.id).visitor_id is None
    assert db.session.get(CheckIn, at_100.id).visitor_id == fatma.id

    app.config["RETENTION_DAYS"] = 90  # as BOP_RETENTION_DAYS=90 in the environment sets it
    result = runner.invoke(args=["bop", "anonymise-checkins"])
    assert result.exit_code == 0 and "1 check-ins" in result.output
    db.session.expire_all()
    assert db.session.get(CheckIn, at_100.id).visitor_id is None

    app.config["RETENTION_DAYS"] = 7
    result = runner.invoke(args=["bop", "anonymise-checkins"])
    assert result.exit_code == 1 and "at least 30" in result.output


def test_retention_days_comes_from_the_environment(monkeypatch, migrated_database):
    from bop import create_app
    from tests.conftest import config_for

    monkeypatch.setenv("BOP_RETENTION_DAYS", "400")
    app = create_app(config_for(migrated_database))
    assert app.config["RETENTION_DAYS"] == 400
