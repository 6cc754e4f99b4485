"""The public privacy page `/privacy` (DESIGN.md: what BOP stores, why, how long, whom to ask).

Over HTTP in all six languages: the translated heading, the retention period from the
configuration, every BOP's contact, one h1 and the page's language; the visitor pages link it.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bop import create_app
from bop.clock import local_today
from tests.conftest import config_for

HEADINGS = {
    "nl": "Wat BOP over u bewaart",
    "en": "What BOP keeps about you",
    "tr": "BOP'un sizinle ilgili sakladıkları",
    "pl": "Jakie dane o Panu/Pani przechowuje BOP",
    "uk": "Що BOP зберігає про вас",
    "ar": "ما يحفظه BOP عنكم",
}
RETENTION = {  # the retention sentence with the number of days in it, per language
    "nl": "Na {} dagen halen wij uw naam weg", "en": "After {} days we remove your name",
    "tr": "{} gün sonra adınızı", "pl": "Po {} dniach usuwamy", "uk": "Через {} днів ми прибираємо",
    "ar": "بعد {} يومًا نحذف اسمكم",
}


def h1s(page: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)


@pytest.mark.parametrize("lang", list(HEADINGS))
def test_the_page_in_each_language(client, make_location, make_staff, lang):
    contact = make_staff(name="Samira", phone="06 12 34 56 78")
    make_location(name="Rijn en Vliet", slug="rijn-en-vliet", contact_id=contact.id)
    response = client.get(f"/privacy?lang={lang}")
    assert response.status_code == 200
    page = response.text
    assert h1s(page) == [HEADINGS[lang]]
    assert re.search(r"<html[^>]*>", page).group(0) == \
        f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'
    assert RETENTION[lang].format(365) in page
    assert "Rijn en Vliet" in page and 'href="tel:0612345678"' in page and "Samira" in page
    assert '<nav class="language-switch"' in page
    if lang != "nl":  # nothing of the Dutch text left
        for dutch in ("Wat wij bewaren", "Uw voornaam of een bijnaam.", "Zien of wissen"):
            assert dutch not in page


def test_the_language_switch_keeps_the_page(client):
    page = client.get("/privacy?lang=tr").text
    assert 'href="/privacy?lang=pl" hreflang="pl"' in page
    assert client.get_cookie("lang").value == "tr"


def test_the_retention_period_comes_from_the_configuration(tmp_path, migrated_database):
    database = migrated_database
    app = create_app(config_for(database, RETENTION_DAYS=90))
    page = app.test_client().get("/privacy?lang=en").text
    assert "After 90 days we remove your name" in page and "365" not in page


def test_the_retention_setting_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BOP_RETENTION_DAYS", "180")
    app = create_app({"TESTING": True, "AUTO_MIGRATE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "test"})
    assert app.config["RETENTION_DAYS"] == 180


def test_anonymising_uses_the_same_retention_period(app):
    app.config["RETENTION_DAYS"] = 100
    result = app.test_cli_runner().invoke(args=["bop", "anonymise-checkins"])
    assert result.exit_code == 0, result.output
    before = local_today() - timedelta(days=100)
    assert f"from before {before.isoformat()} anonymised" in result.output
    explicit = app.test_cli_runner().invoke(args=["bop", "anonymise-checkins", "--older-than-days", "400"])
    assert (local_today() - timedelta(days=400)).isoformat() in explicit.output


def test_several_bops_each_with_their_contact(client, make_location, make_staff):
    make_location(name="Rijn en Vliet", contact_id=make_staff(name="Samira", phone="06 11 11 11 11").id)
    make_location(name="Slaaghwijk", phone="071 222 33 44")
    page = client.get("/privacy").text
    items = re.findall(r"<li><strong>(.*?)</strong>(.*?)</li>", page, re.S)
    assert [name for name, _ in items] == ["Rijn en Vliet", "Slaaghwijk"]
    assert "Samira" in items[0][1] and 'href="tel:0611111111"' in items[0][1]
    assert "Bel ons:" in items[1][1] and 'href="tel:0712223344"' in items[1][1]


def test_no_bop_yet_still_says_whom_to_ask(client):
    page = client.get("/privacy").text
    assert "Vraag het aan een medewerker bij de koffietafel." in page


def test_visitor_pages_link_the_privacy_page_and_staff_pages_do_not(client, make_location, login):
    make_location(slug="rijn-en-vliet")
    for path in ("/bop/rijn-en-vliet", "/bop/rijn-en-vliet/in", "/privacy", "/bop/does-not-exist"):
        page = client.get(path).text
        assert '<a class="footer-link" href="/privacy">Privacy: wat wij over u bewaren</a>' in page, path
    english = client.get("/bop/rijn-en-vliet?lang=en").text
    assert '<a class="footer-link" href="/privacy">Privacy: what we keep about you</a>' in english
    login("coordinator")
    staff_page = client.get("/staff/", follow_redirects=True)
    assert staff_page.status_code == 200 and "footer-link" not in staff_page.text
