"""The flyer through the app: real HTTP requests to the public PDF URL and the staff flyer page,
with the PDFs read back (pypdf text, pypdfium2 render, zxing-cpp QR decode)."""
from __future__ import annotations

import io
import re
from datetime import date, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from support import flat, pdf_text

from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import ActivityChange, ActivityTranslation, Closure
from bop.planning.programme import occurrences_between

WEEK = "2026-W48"          # Monday 23 to Sunday 29 November 2026
MONDAY = date(2026, 11, 23)
TRANSLATIONS = Path(__file__).resolve().parent.parent / "bop" / "translations"


def portrait() -> bytes:
    image = Image.new("RGB", (400, 400), "#e8eef2")
    ImageDraw.Draw(image).ellipse((130, 70, 270, 210), fill="#c68b59")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def bop(make_location, make_staff, make_activity):
    """A BOP with a week that has everything: a cancellation, a move, a closure day, a price."""
    samira = make_staff(name="Samira el Amrani", phone="071 512 34 56", whatsapp="06 12 34 56 78", photo=portrait())
    location = make_location(slug="rijn-en-vliet", name="BOP Rijn en Vliet", address="Rijnstraat 12, 2313 AB Leiden",
                             opening_hours="maandag tot en met vrijdag 9:30 tot 12:00", contact=samira)
    start = date(2026, 11, 2)
    coffee = make_activity(location=location, title="Inloopochtend met koffie", category="coffee",
                           summary="Koffie, thee en een praatje.", rrule="FREQ=WEEKLY;BYDAY=MO,WE",
                           start_time=time(9, 30), duration_minutes=150, first_date=start)
    walk = make_activity(location=location, title="Wandelclub", category="walk",
                         summary="Wandelen in de wijk, hooguit 2 km.", rrule="FREQ=WEEKLY;BYDAY=TU",
                         start_time=time(14, 0), duration_minutes=60, first_date=start)
    health = make_activity(location=location, title="Gezondheidsspreekuur", category="health",
                           summary="De wijkverpleegkundige meet uw bloeddruk.", rrule="FREQ=WEEKLY;BYDAY=TH",
                           start_time=time(13, 30), duration_minutes=90, first_date=start)
    make_activity(location=location, title="Kapper", category="other", summary="Knippen voor 3 euro.",
                  rrule="FREQ=WEEKLY;BYDAY=FR", start_time=time(13, 0), duration_minutes=120, first_date=start,
                  price_cents=300)
    db.session.add_all([
        ActivityChange(activity=walk, original_date=date(2026, 11, 24), cancelled=True, reason="Koningsdag"),
        ActivityChange(activity=health, original_date=date(2026, 11, 26), new_date=date(2026, 11, 26),
                       new_start_time=time(15, 0)),
        Closure(location=location, first_date=date(2026, 11, 27), last_date=date(2026, 11, 27), reason="Studiedag"),
        ActivityTranslation(activity=coffee, lang="ar", title="صباح القهوة", summary="قهوة وشاي وحديث"),
        ActivityTranslation(activity=walk, lang="ar", title="نادي المشي", summary="نمشي في الحي"),
        ActivityTranslation(activity=coffee, lang="tr", title="Kahve sabahı", summary="Kahve, çay ve sohbet"),
    ])
    db.session.commit()
    return location


def get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


# ---------------------------------------------------------------- the public PDF


def test_flyer_shows_exactly_the_agendas_occurrences(client, bop):
    body = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf")
    text = pdf_text(body)
    scheduled = occurrences_between(bop, MONDAY, MONDAY + timedelta(days=6))
    # The week as the agenda has it: coffee Mon+Wed, the walk cancelled, the health hour moved to
    # 15:00, the hairdresser cancelled by the closure.
    assert [(s.activity.title, s.occurrence.start.strftime("%a %H:%M"), s.occurrence.cancelled) for s in scheduled] == [
        ("Inloopochtend met koffie", "Mon 09:30", False),
        ("Wandelclub", "Tue 14:00", True),
        ("Inloopochtend met koffie", "Wed 09:30", False),
        ("Gezondheidsspreekuur", "Thu 15:00", False),
        ("Kapper", "Fri 13:00", True),
    ]
    # Cut the text at every "hh:mm – hh:mm": one piece per printed occurrence, in order.
    starts = [m.start() for m in re.finditer(r"\d\d:\d\d – \d\d:\d\d", text)]
    pieces = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    assert len(pieces) == len(scheduled)
    for s, piece in zip(scheduled, pieces, strict=True):
        assert piece.startswith(f"{s.occurrence.start:%H:%M} – {s.occurrence.end:%H:%M}")
        assert s.activity.title in piece
        assert ("Gaat niet door" in piece) == s.occurrence.cancelled, s.activity.title
        # Every free activity says so; the hairdresser shows its price instead.
        assert ("Gratis" in piece) == (s.activity.price_cents == 0), s.activity.title
    assert "Gaat niet door: Koningsdag" in text
    assert "Gaat niet door: Studiedag" in text
    assert "Let op: andere dag of tijd" in text
    assert "13:30" not in text  # the health hour's usual time is not printed
    assert "€ 3,00" in text
    assert "Iedereen is welkom. U hoeft zich niet aan te melden." in text
    for fixed in ("BOP Rijn en Vliet", "Programma week 48: 23 tot en met 29 november", "Maandag 23 november",
                  "Rijnstraat 12, 2313 AB Leiden", "maandag tot en met vrijdag 9:30 tot 12:00",
                  "Samira el Amrani", "071 512 34 56", "06 12 34 56 78"):
        assert fixed in text


def test_a_moved_date_says_its_new_time_and_the_reason_the_agenda_shows(client, bop):
    change = db.session.execute(db.select(ActivityChange).filter_by(original_date=date(2026, 11, 26))).scalar_one()
    change.reason = "De zaal is bezet."
    db.session.commit()
    agenda = client.get(f"/bop/rijn-en-vliet?week={WEEK}").get_data(as_text=True)
    assert "De zaal is bezet." in agenda  # what the agenda shows, the flyer prints
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "Let op: andere dag of tijd. Nu om 15:00. De zaal is bezet." in text
    english = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=en"))
    assert "Note: different day or time. Now at 15:00." in english
    assert "13:30" not in text + english  # the usual time is not printed as if it were on


def test_qr_code_opens_the_agenda_of_that_week_with_flyer_marker(client, bop):
    body = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf")
    document = pdfium.PdfDocument(body)
    image = document[0].render(scale=3).to_pil()
    document.close()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    url = urlsplit(codes[0].text)
    assert url.path == "/bop/rijn-en-vliet"
    assert parse_qs(url.query) == {"week": [WEEK], "bron": ["flyer"]}
    # And that URL works: the agenda of week 48, remembering where the visitor came from.
    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 200
    assert "Wandelclub" in response.get_data(as_text=True)
    assert "bron=flyer" in response.headers.get("Set-Cookie", "")


def test_staff_photo_is_embedded(client, bop):
    body = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf")
    images = []

    def walk(resources):
        for ref in (resources or {}).get("/XObject", {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                images.append(obj)
            walk(obj.get("/Resources"))

    walk(pypdf.PdfReader(io.BytesIO(body)).pages[0]["/Resources"])
    assert len(images) == 1 and images[0]["/Width"] > 100


@pytest.mark.parametrize("photo", [None, b"\xff\xd8\xff garbage, not a JPEG"])
def test_missing_or_corrupt_photo_still_gives_a_flyer(client, bop, photo):
    bop.contact.photo = photo
    db.session.commit()
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "Samira el Amrani" in text


def test_no_contact_person_prints_the_bops_own_phone(client, bop):
    bop.contact = None
    bop.phone = "071 000 11 22"
    db.session.commit()
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "071 000 11 22" in text


def _catalogue(lang: str) -> None:
    mo = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), "compile the catalogues first: pybabel compile -d bop/translations (make setup does it)"


def test_bilingual_arabic_flyer(client, bop):
    _catalogue("ar")
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=ar"))
    expected = [
        "صباح القهوة", "قهوة وشاي وحديث", "نادي المشي",            # staff-entered translations
        "ملغى", "انتبهوا: يوم أو وقت مختلف", "الجميع مرحب بهم",     # catalogue phrases, polite plural
        "لا حاجة للتسجيل", "مجاني", "الموعد الآن الساعة",
        "هل لديكم أسئلة؟ اتصلوا بي أو راسلوني", "امسحوا الرمز: البرنامج على هاتفكم",
        "الاثنين", "نوفمبر",                                          # dates in Arabic
    ]
    for phrase in expected:
        for word in re.findall(r"[\u0621-\u064A]+", phrase):
            assert word in text, word
    # Dutch stays complete, and activities without a translation print in Dutch only.
    assert "Inloopochtend met koffie" in text and "Gezondheidsspreekuur" in text and "Kapper" in text
    # On A5 the bilingual week needs a back page; its running head is Dutch too.
    pages = pypdf.PdfReader(io.BytesIO(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=ar&format=A5"))).pages
    assert len(pages) > 1 and flat(pages[1].extract_text()).startswith("BOP Rijn en Vliet — Week 48")


def test_bilingual_turkish_flyer(client, bop):
    _catalogue("tr")
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=tr"))
    for phrase in ("Kahve sabahı", "Kahve, çay ve sohbet", "İptal", "Herkes davetlidir. Kayıt olmanıza gerek yok.",
                   "Ücretsiz", "Pazartesi 23 Kasım", "Program, 48. hafta"):
        assert phrase in text, phrase
    assert "Gaat niet door" in text


@pytest.mark.parametrize("fmt, size", [("A4", (595.28, 841.89)), ("A5", (841.89, 595.28)), ("A3", (841.89, 1190.55))])
def test_formats_and_copies(client, bop, fmt, size):
    def pages(copies: int) -> list:
        body = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?format={fmt.lower()}&copies={copies}")
        return pypdf.PdfReader(io.BytesIO(body)).pages

    one, four = pages(1), pages(4)
    assert len(four) == len(one) * (2 if fmt == "A5" else 4)  # A5: two flyers on every sheet
    for page in four:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == size


def test_five_hundred_copies(client, bop):
    one = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf")
    many = get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?copies=500")
    assert len(pypdf.PdfReader(io.BytesIO(many)).pages) == 500
    assert (len(many) - len(one)) / 499 < 1024


def test_empty_week(client, bop):
    text = pdf_text(get_pdf(client, "/bop/rijn-en-vliet/flyer/2026-W40.pdf"))  # before the first date
    assert "Deze week geen activiteiten — de koffie staat wel klaar" in text


@pytest.mark.parametrize("url, status, message", [
    ("/bop/nergens/flyer/2026-W48.pdf", 404, "Deze pagina is er niet"),
    ("/bop/rijn-en-vliet/flyer/2026-W54.pdf", 404, "Deze pagina is er niet"),
    ("/bop/rijn-en-vliet/flyer/2025-W53.pdf", 404, "Deze pagina is er niet"),   # 2025 has 52 weeks
    ("/bop/rijn-en-vliet/flyer/week48.pdf", 404, "Deze pagina is er niet"),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?lang=xx", 400, "Deze taal hebben we niet"),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?format=B5", 400, "Kies als formaat A4, A5 of A3."),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?copies=0", 400, "Kies een aantal van 1 tot en met 500."),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?copies=-1", 400, "Kies een aantal van 1 tot en met 500."),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?copies=100000", 400, "Kies een aantal van 1 tot en met 500."),
    ("/bop/rijn-en-vliet/flyer/2026-W48.pdf?copies=veel", 400, "Kies een aantal van 1 tot en met 500."),
])
def test_bad_input_gets_a_clear_answer(client, bop, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_2026_w53_exists_in_a_long_year(client, bop):
    # 2026 has 53 ISO weeks (it starts on a Thursday): the flyer for its last week is fine.
    assert client.get("/bop/rijn-en-vliet/flyer/2026-W53.pdf").status_code == 200


def test_long_title_and_emoji_in_the_database(client, bop, make_activity):
    make_activity(location=bop, title="Lange titel " * 10, summary="Samen koken 🍲 en eten 👩‍🍳",
                  category="coffee", rrule="FREQ=WEEKLY;BYDAY=SA", start_time=time(11, 0), first_date=date(2026, 11, 2))
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?format=A5"))
    assert "Lange titel Lange titel" in text and "Samen koken en eten" in text


# ---------------------------------------------------------------- the staff page


def test_staff_page_needs_a_login(client, bop):
    response = client.get("/staff/flyers")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/flyers/preview.png").status_code == 302


def test_staff_page_defaults_to_next_week_and_links_the_pdf(client, bop, login):
    login(role="volunteer")  # everyone on the staff may print flyers
    response = client.get("/staff/flyers")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    next_week = schedule.iso_week_label(schedule.monday_of(local_today()) + timedelta(days=7))
    assert f'value="{next_week}"' in page
    assert f'href="/bop/rijn-en-vliet/flyer/{next_week}.pdf"' in page
    preview = re.search(r'<img src="([^"]+preview\.png[^"]*)"', page).group(1).replace("&amp;", "&")
    image_response = client.get(preview)
    assert image_response.status_code == 200 and image_response.mimetype == "image/png"
    image = Image.open(io.BytesIO(image_response.data))
    assert image.width == 900 and image.height > image.width  # A4 portrait


def test_staff_page_with_choices(client, bop, login):
    login()
    page = client.get(f"/staff/flyers?location=rijn-en-vliet&week={WEEK}&format=A5&language=ar&copies=200")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?format=A5&amp;lang=ar&amp;copies=200" in html
    assert "200 flyers op A5, twee op elk A4-vel. Knip door het midden, bij de streepjes." in html
    pages = len(pypdf.PdfReader(io.BytesIO(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?format=A5&lang=ar&copies=200"))).pages)
    assert f"De PDF heeft {pages} bladzijden." in html
    # The staff see which activities have no Arabic title yet.
    warning = html[html.index("Nog geen vertaling"):]
    assert "Gezondheidsspreekuur" in warning and "Kapper" in warning
    assert "Wandelclub" not in warning[:warning.index("</ul>")]
    preview = client.get(f"/staff/flyers/preview.png?location=rijn-en-vliet&week={WEEK}&format=A5&language=ar")
    image = Image.open(io.BytesIO(preview.data))
    assert image.width > image.height  # the A5 sheet: two flyers side by side on landscape A4


@pytest.mark.parametrize("query, message", [
    ("copies=100000", "Kies een aantal van 1 tot en met 500."),
    ("copies=0", "Kies een aantal van 1 tot en met 500."),
    ("copies=twee", "Kies een aantal van 1 tot en met 500."),
    ("week=2026-W60&copies=3", "Deze week bestaat niet."),
    ("week=&copies=3", "Kies een week."),
    ("location=onbekend&copies=3", "Kies een plek uit de lijst."),
])
def test_staff_page_explains_bad_choices_and_keeps_them(client, bop, login, query, message):
    login()
    base = {"location": "rijn-en-vliet", "week": WEEK, "format": "A4", "language": ""}
    params = dict(base, **dict(pair.split("=") for pair in query.split("&")))
    response = client.get("/staff/flyers", query_string=params)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "preview.png" not in html  # no preview of a flyer that cannot be made
    if "copies" in query and query.split("=")[1] not in ("",):
        assert f'value="{params["copies"]}"' in html  # what was typed stays in the field
    assert client.get("/staff/flyers/preview.png", query_string=params).status_code == 404


def test_staff_page_says_when_the_flyer_needs_two_pages(client, bop, login, make_activity):
    login()
    for hour in range(9, 17):
        make_activity(location=bop, title=f"Activiteit om {hour} uur", category="other", rrule="FREQ=WEEKLY;BYDAY=SA",
                      start_time=time(hour, 0), first_date=date(2026, 11, 2))
    html = client.get(f"/staff/flyers?location=rijn-en-vliet&week={WEEK}").get_data(as_text=True)
    assert "bladzijden: print dubbelzijdig." in html


def test_staff_page_without_any_bop(client, login):
    login()
    html = client.get("/staff/flyers").get_data(as_text=True)
    assert "Er is nog geen plek" in html


def test_staff_nav_links_to_the_flyer_page(client, bop, login):
    login()
    html = client.get("/staff/flyers").get_data(as_text=True)
    assert '<a href="/staff/flyers" aria-current="page">Flyer</a>' in html


def test_an_activity_on_many_days_is_printed_once_with_its_days(client, bop, make_activity):
    make_activity(location=bop, title="Soep van de dag", category="coffee", summary="Warme soep.",
                  rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", start_time=time(12, 0), duration_minutes=60,
                  first_date=date(2026, 11, 2))
    # Week 49 has no changes: the soup is printed once, for Monday to Friday.
    text = pdf_text(get_pdf(client, "/bop/rijn-en-vliet/flyer/2026-W49.pdf"))
    assert text.count("Soep van de dag") == 1 and text.count("12:00 – 13:00") == 1
    assert "Maandag tot en met vrijdag 12:00 – 13:00 Soep van de dag" in text
    # Week 48 closes on Friday (Studiedag): Monday to Thursday together, Friday cancelled on its own.
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "Maandag tot en met donderdag 12:00 – 13:00 Soep van de dag" in text
    friday = text[text.index("Vrijdag 27 november"):]
    assert "12:00 – 13:00 Soep van de dag Gaat niet door: Studiedag" in friday


def test_a_cancelled_day_breaks_the_run(client, bop, make_activity):
    soup = make_activity(location=bop, title="Soep van de dag", category="coffee", summary="Warme soep.",
                         rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH", start_time=time(12, 0), duration_minutes=60,
                         first_date=date(2026, 11, 2))
    db.session.add(ActivityChange(activity=soup, original_date=date(2026, 11, 25), cancelled=True, reason="Ziek"))
    db.session.commit()
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "Maandag, dinsdag en donderdag 12:00 – 13:00 Soep van de dag" in text
    wednesday = text[text.index("Woensdag 25 november"):text.index("Donderdag 26 november")]
    assert "12:00 – 13:00 Soep van de dag" in wednesday and "Gaat niet door: Ziek" in wednesday


def test_a_bilingual_flyer_does_not_switch_the_readers_language(client, bop):
    response = client.get(f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=ar")
    assert response.status_code == 200
    assert "lang=" not in response.headers.get("Set-Cookie", "")


DEFAULT_REASSURANCE = "U hoeft zich niet aan te melden. Geen ervaring nodig."


def test_reassurance_lines_once_for_the_week_and_with_their_own_activity(client, bop):
    """The reassurance line the agenda shows is on the flyer too: the line most activities share once,
    in the banner (less what the banner says already), a line of an activity's own with that activity,
    and none on a date that does not take place."""
    activities = {a.title: a for a in bop.activities}
    activities["Inloopochtend met koffie"].threshold_note = DEFAULT_REASSURANCE   # Monday and Wednesday
    activities["Gezondheidsspreekuur"].threshold_note = "Wie eerst komt, is eerst aan de beurt."
    activities["Wandelclub"].threshold_note = "Neem goede schoenen mee."            # cancelled this week
    db.session.commit()
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf"))
    assert "Iedereen is welkom. U hoeft zich niet aan te melden. Geen ervaring nodig." in text
    assert text.count("Geen ervaring nodig.") == 1
    assert text.count("U hoeft zich niet aan te melden.") == 1
    health = text[text.index("Gezondheidsspreekuur"):]
    health = re.split(r"\d\d:\d\d – \d\d:\d\d", health, maxsplit=1)[0]
    assert "De wijkverpleegkundige meet uw bloeddruk. Wie eerst komt, is eerst aan de beurt." in health
    assert "Neem goede schoenen mee" not in text


def test_bilingual_flyer_prints_the_translated_reassurance_line(client, bop):
    _catalogue("tr")
    coffee = next(a for a in bop.activities if a.title == "Inloopochtend met koffie")
    coffee.threshold_note = DEFAULT_REASSURANCE
    next(t for t in coffee.translations if t.lang == "tr").threshold_note = "Kayıt olmanıza gerek yok. Tecrübe gerekmez."
    db.session.commit()
    text = pdf_text(get_pdf(client, f"/bop/rijn-en-vliet/flyer/{WEEK}.pdf?lang=tr"))
    assert "Herkes davetlidir. Kayıt olmanıza gerek yok. Tecrübe gerekmez." in text
    assert text.count("Tecrübe gerekmez.") == 1 and text.count("Kayıt olmanıza gerek yok.") == 1
    assert text.count("Geen ervaring nodig.") == 1
