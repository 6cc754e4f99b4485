"""The kiosk API speaks the kiosk's language, and greets a card holder in the language of their record."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from support import make_kiosk, make_visitor, nonce

from bop.extensions import db
from bop.planning.models import ActivityTranslation


@pytest.fixture
def token(bop):
    return make_kiosk(bop)[1]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_today_gives_translated_titles_and_marks_dutch_fallbacks(client, token, bop, make_activity):
    walk = make_activity(location=bop, title="Wandelclub")
    walk.translations.append(ActivityTranslation(lang="ar", title="نادي المشي"))
    make_activity(location=bop, title="Taalcafé: Nederlands oefenen zonder boeken", category="language")
    db.session.commit()

    arabic = client.get("/api/v1/kiosk/today?lang=ar", headers=bearer(token)).json
    assert arabic["lang"] == "ar"
    assert sorted((a["title"], a["lang"]) for a in arabic["activities"]) == [
        ("Taalcafé: Nederlands oefenen zonder boeken", "nl"), ("نادي المشي", "ar")]

    dutch = client.get("/api/v1/kiosk/today", headers=bearer(token)).json
    assert dutch["lang"] == "nl"
    assert sorted((a["title"], a["lang"]) for a in dutch["activities"]) == [
        ("Taalcafé: Nederlands oefenen zonder boeken", "nl"), ("Wandelclub", "nl")]


@pytest.mark.parametrize("kiosk_lang", ["nl", "pl"])
def test_card_holder_is_greeted_in_the_language_of_their_record(client, token, kiosk_lang):
    visitor, code = make_visitor("Yasmin")
    visitor.language = "ar"
    db.session.commit()
    body = client.post(f"/api/v1/checkins?lang={kiosk_lang}", json={"code": code, "nonce": nonce()},
                       headers=bearer(token)).json
    with force_locale("ar"):
        greeting = _("Welkom, %(name)s!", name="Yasmin")
    assert greeting != "Welkom, Yasmin!"  # the catalogue really has it
    assert body["status"] == "ok" and body["language"] == "ar" and body["message"] == greeting

    again = client.post(f"/api/v1/checkins?lang={kiosk_lang}", json={"code": code, "nonce": nonce()},
                        headers=bearer(token)).json
    assert again["status"] == "already" and again["language"] == "ar"
    with force_locale("ar"):
        assert again["message"] == _("Al aangemeld om %(time)s", time=again["checked_in_at"][11:16])


def test_without_a_preference_the_kiosk_language_is_used(client, token):
    _visitor, code = make_visitor("Ans")
    body = client.post("/api/v1/checkins?lang=tr", json={"code": code}, headers=bearer(token)).json
    with force_locale("tr"):
        assert body["message"] == _("Welkom, %(name)s!", name="Ans")
    assert body["language"] == "tr"
    unknown = client.post("/api/v1/checkins?lang=tr", json={"code": "AAAA-BBBB-CCCC-DDDD"}, headers=bearer(token)).json
    assert unknown["status"] == "unknown" and unknown["language"] == "tr"
