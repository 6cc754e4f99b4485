"""The visitor pages in the visitor's language (DESIGN.md: "other languages one tap away").

Over HTTP: ?lang= picks the language and a cookie remembers it, the switch keeps the page's other
query arguments, Arabic is right to left, unknown codes fall back to Dutch, staff pages stay Dutch.
Catalogues: every string of the visitor pages is translated in each language, placeholders intact.
"""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.dates import format_date
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import ActivityTranslation

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "tr", "pl", "uk", "ar"]
SWITCH = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "pl": "Polski", "uk": "Українська", "ar": "العربية"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture
def bop(make_location):
    return make_location(slug="rijn-en-vliet", name="Rijn en Vliet", phone="071 512 34 56")


@pytest.fixture
def walk(make_activity, bop):
    return make_activity(location=bop, title="Wandelclub", category="walk")


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def switch_links(page: str) -> dict[str, str]:
    """lang code -> href of the language switch, which must name each language in its own script."""
    nav = re.search(r'<nav class="language-switch".*?</nav>', page, re.S)
    assert nav, "no language switch on this page"
    links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)"[^>]*>([^<]*)</a>', nav.group(0))
    assert {code: name for _, code, name in links} == SWITCH
    return {code: html.unescape(href) for href, code, _ in links}


def weekday(day, lang: str) -> str:
    return format_date(day, "EEEE", locale=lang)


# --------------------------------------------------------------------------- the agenda

def test_agenda_in_turkish_is_remembered_in_a_cookie(client, bop, walk):
    page = client.get("/bop/rijn-en-vliet?lang=tr").text
    assert html_tag(page) == '<html lang="tr" dir="ltr">'
    assert "Bu hafta" in page and "Önceki hafta" in page and "Sonraki hafta" in page
    assert f"Bugün, {weekday(local_today(), 'tr')}" in page
    assert "Mahalle buluşma yeri" in page
    assert "Ücretsiz" in page and 'alt="Yürüyüş"' in page and "Samira ile" in page
    for dutch in ("Deze week", "Vandaag", "Gratis", "Geen activiteiten", weekday(local_today(), "nl")):
        assert dutch not in page
    assert client.get_cookie("lang").value == "tr"

    again = client.get("/bop/rijn-en-vliet").text  # no ?lang=: the cookie decides
    assert html_tag(again) == '<html lang="tr" dir="ltr">' and "Bu hafta" in again


def test_agenda_shows_the_staff_translation_of_an_activity(client, bop, walk):
    db.session.add(ActivityTranslation(activity_id=walk.id, lang="tr", title="Yürüyüş kulübü", summary="Mahallede 2 km."))
    db.session.commit()
    turkish = client.get("/bop/rijn-en-vliet?lang=tr").text
    assert "Yürüyüş kulübü" in turkish and "Mahallede 2 km." in turkish and "Wandelclub" not in turkish
    polish = client.get("/bop/rijn-en-vliet?lang=pl").text  # no Polish translation: the Dutch title
    assert "Wandelclub" in polish and "Wandelen in de wijk" in polish


def test_arabic_is_right_to_left(client, bop, walk):
    page = client.get("/bop/rijn-en-vliet?lang=ar").text
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "هذا الأسبوع" in page and "مكان لقاء الجيران" in page and "مجاني" in page
    assert weekday(local_today(), "ar") in page
    assert "Deze week" not in page
    # The language links keep their own direction inside the right-to-left page.
    assert re.search(r'hreflang="en" lang="en" dir="ltr"', page) and re.search(r'hreflang="ar" lang="ar" dir="rtl"', page)


def test_the_switch_keeps_the_week_and_sets_only_the_language(client, bop, walk):
    later = schedule.iso_week_label(local_today() + timedelta(weeks=10))
    number = int(later.split("W")[1])
    page = client.get(f"/bop/rijn-en-vliet?week={later}&lang=pl").text
    assert f"Tydzień {number}" in page
    links = switch_links(page)
    for code, href in links.items():
        url = urlsplit(href)
        assert url.path == "/bop/rijn-en-vliet"
        assert parse_qs(url.query) == {"week": [later], "lang": [code]}
    assert re.search(r'hreflang="pl"[^>]*aria-current="true"', page)

    turkish = client.get(links["tr"]).text  # one tap
    assert f"{number}. hafta" in turkish and html_tag(turkish) == '<html lang="tr" dir="ltr">'


def test_the_chooser_has_the_switch(client, make_location):
    make_location(slug="noord", name="BOP Noord")
    make_location(slug="zuid", name="BOP Zuid")
    page = client.get("/?lang=en").text
    assert "Choose your meeting place" in page and "BOP Noord" in page
    assert urlsplit(switch_links(page)["uk"]).query == "lang=uk"


def test_unknown_language_falls_back_to_dutch(client, bop, walk):
    page = client.get("/bop/rijn-en-vliet?lang=xx").text
    assert html_tag(page) == '<html lang="nl" dir="ltr">'
    assert "Deze week" in page and "Gratis" in page and weekday(local_today(), "nl") in page
    assert client.get_cookie("lang") is None  # nothing remembered

    client.set_cookie("lang", "klingon")
    page = client.get("/bop/rijn-en-vliet").text
    assert html_tag(page) == '<html lang="nl" dir="ltr">' and "Deze week" in page


# --------------------------------------------------------------------------- self check-in

def test_self_check_in_in_polish(client, bop, walk):
    page = client.get("/bop/rijn-en-vliet/in?lang=pl").text
    assert html_tag(page) == '<html lang="pl" dir="ltr">'
    assert "Witamy!" in page and "Proszę dotknąć dzisiejszych zajęć." in page
    assert "Tylko wpadam" in page and "Kawa, herbata i rozmowa" in page and 'alt="Spacer"' in page
    assert "Gewoon binnenlopen" not in page
    assert urlsplit(switch_links(page)["ar"]).path == "/bop/rijn-en-vliet/in"

    response = client.post("/bop/rijn-en-vliet/in", data={"activity": walk.id})
    welcome = client.get(response.location).text  # the cookie carries Polish on
    assert "Witamy!" in welcome and "Cieszymy się z wizyty!" in welcome and "Zapamiętaj mnie na tym telefonie" in welcome
    assert "Skąd informacja o nas?" in welcome and "Ulotka" in welcome and "Sąsiedzi" in welcome
    assert 'class="language-switch"' in welcome


def test_self_check_in_in_arabic(client, bop, walk):
    page = client.get("/bop/rijn-en-vliet/in?lang=ar").text
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "أهلًا وسهلًا!" in page and "زيارة فقط" in page


# --------------------------------------------------------------------------- errors, kiosk, staff

def test_error_page_in_the_visitors_language(client):
    response = client.get("/bop/bestaat-niet?lang=uk")
    assert response.status_code == 404
    assert html_tag(response.text) == '<html lang="uk" dir="ltr">'
    assert "Такої сторінки немає" in response.text and "До програми" in response.text
    assert urlsplit(switch_links(response.text)["nl"]).path == "/bop/bestaat-niet"


def test_kiosk_screen_and_its_script_strings_are_translated(client):
    def config(lang):
        page = client.get(f"/kiosk?lang={lang}").text
        return page, json.loads(html.unescape(re.search(r'<script id="k-config"[^>]*>(.*?)</script>', page, re.S).group(1)))

    _, dutch = config("nl")
    for lang in LANGUAGES:
        page, translated = config(lang)
        # The visitor at the koffietafel picks their language on the kiosk itself (issue 11).
        assert {urlsplit(url).path for url in switch_links(page).values()} == {"/kiosk"}
        same = [key for key, text in dutch["strings"].items() if translated["strings"][key] == text]
        assert not same, f"{lang}: kiosk strings still Dutch: {same}"
    page, arabic = config("ar")
    assert html_tag(page).startswith('<html lang="ar" dir="rtl">') and "ضعوا بطاقتكم أمام الكاميرا" in page
    assert "%(name)s" in arabic["strings"]["welcome"]


def test_staff_pages_stay_dutch_even_with_the_cookie(client, login, bop, walk):
    login("worker")
    client.set_cookie("lang", "tr")
    page = client.get("/staff/plan/rijn-en-vliet").text
    assert html_tag(page) == '<html lang="nl" dir="ltr">'
    assert "Vorige week" in page and "Wandelclub" in page
    assert "Önceki hafta" not in page and 'class="language-switch"' not in page


# --------------------------------------------------------------------------- the catalogues

VISITOR_SOURCES = [
    *sorted((ROOT / "templates" / "agenda").glob("*.html")),
    *sorted((ROOT / "templates" / "selfcheckin").glob("*.html")),
    *sorted((ROOT / "templates" / "privacy").glob("*.html")),
    ROOT / "templates" / "kiosk" / "kiosk.html",  # the rest of templates/kiosk is staff pages
    ROOT / "templates" / "errors" / "error.html",
    ROOT / "bop" / "site" / "errors.py",
    ROOT / "bop" / "site" / "ratelimit.py",  # the 429 messages of the self check-in and the kiosk
    ROOT / "bop" / "categories.py",
    ROOT / "bop" / "checkin" / "selfcheckin.py",
    ROOT / "bop" / "checkin" / "sources.py",
]
# Visitor strings that live in shared files: the header, the week buttons, the price, the switch's label
# and the footer's privacy link.
VISITOR_EXTRAS = ["BOP", "Buurt Ontmoetings Plek", "Andere week", "Vorige week", "Deze week", "Volgende week",
                  "Gratis", "Taal", "Privacy: wat wij over u bewaren"]


def visitor_msgids() -> set:
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set(VISITOR_EXTRAS)
    for path in VISITOR_SOURCES:
        method = "python" if path.suffix == ".py" else "jinja2"
        found.update(message for _, message, _, _ in extract_from_file(method, str(path), keywords=keywords))
    return found


def catalogue(lang: str):
    with open(ROOT / "bop" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_the_visitor_sources_are_found():
    msgids = visitor_msgids()
    assert {"Kies uw buurtplek", "Gewoon binnenlopen", "Houd uw kaart voor de camera", "Wandelen",
            "Deze pagina is er niet", "Wat BOP over u bewaart"} <= msgids
    assert len(msgids) > 60


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_visitor_string_is_translated(lang):
    messages = catalogue(lang)
    missing, fuzzy = [], []
    for msgid in sorted(visitor_msgids(), key=str):
        message = messages.get(msgid)
        strings = message.string if message is not None and isinstance(message.string, tuple) else \
            (message.string if message is not None else "",)
        if message is None or not all(s.strip() for s in strings):
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    assert not missing, f"{lang}: {len(missing)} visitor strings without a translation: {missing}"
    assert not fuzzy, f"{lang}: fuzzy translations: {fuzzy}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    wrong = []
    for message in catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0])) | set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            # A plural form may leave the number out ("one visit"); a plain message keeps them all.
            if text and not (used <= wanted if len(ids) > 1 else used == wanted):
                wrong.append((message.id, text))
    assert not wrong, f"{lang}: placeholders differ: {wrong}"
