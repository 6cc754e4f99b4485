"""Demo data around today's date: two welfare organisations and three BOPs.

- "Welzijn Leiden" runs BOP Rijn en Vliet (the full programme) and BOP Slaaghwijk;
  coordinator@example.org works at both, worker@example.org at Rijn en Vliet only.
- "Buurtwerk Roodenburg" runs BOP Roodenburg; coordinator2@ and worker2@example.org.
- admin@example.org is the city-wide administrator (organisations and their first coordinator).
"""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, time, timedelta

from PIL import Image, ImageDraw

from ..accounts.models import Location, Organisation, Role, Staff
from ..clock import local_today
from ..extensions import db
from ..planning import schedule
from ..planning.models import Activity, ActivityChange, ActivityTranslation, Closure
from .demo_history import load_history

DEMO_PASSWORD = "bop-demo-2026"

# Capabilities that site may not import (insight: a door-to-door round, a story beside the
# figures) add their own demo rows here: each is called with the demo BOP and `today`.
DEMO_EXTRAS: list[Callable[[Location, date], None]] = []
THRESHOLD = "U hoeft zich niet aan te melden. Geen ervaring nodig."


def demo_portrait(colour: str) -> bytes:
    """A friendly drawn silhouette, so the demo flyer shows where the contact's photo goes."""
    image = Image.new("RGB", (400, 400), "#e8eef2")
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 70, 270, 210), fill="#c68b59")
    draw.ellipse((70, 230, 330, 520), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _staff(email: str, name: str, role: Role, organisation: Organisation | None, **fields) -> Staff:
    staff = Staff(email=email, name=name, role=role, organisation=organisation, password_hash="", **fields)
    staff.set_password(DEMO_PASSWORD)
    return staff


def load_demo(today: date | None = None) -> Location:
    """Add the demo organisations and BOPs to the session (the caller commits). Dates follow
    `today`. Returns BOP Rijn en Vliet."""
    today = today or local_today()
    monday = schedule.monday_of(today)
    start = monday - timedelta(weeks=26)   # the programme ran all along: six months of visits (demo_history)

    leiden = Organisation(name="Welzijn Leiden")
    samira = _staff("coordinator@example.org", "Samira el Amrani", Role.COORDINATOR, leiden,
                    phone="071 512 34 56", whatsapp="06 12 34 56 78", photo=demo_portrait("#2a6f97"))
    joke = _staff("worker@example.org", "Joke de Vries", Role.WORKER, leiden,
                  phone="071 512 34 57", whatsapp="06 87 65 43 21", photo=demo_portrait("#8a5a9e"))
    admin = _staff("admin@example.org", "Gemeente Leiden, beheer", Role.ADMIN, None)

    bop = Location(
        organisation=leiden,
        slug="rijn-en-vliet", name="BOP Rijn en Vliet", address="Rijnstraat 12, 2313 AB Leiden",
        phone="071 512 34 56", opening_hours="maandag tot en met vrijdag 9:30 tot 12:00",
        description="Een huiskamer in de wijk. Kom binnen voor koffie, een praatje of een activiteit. "
                    "Iedereen is welkom.",
        contact=samira,
    )

    def activity(**fields) -> Activity:
        fields.setdefault("threshold_note", THRESHOLD)
        fields.setdefault("first_date", start)
        return Activity(location=bop, **fields)

    coffee = activity(
        title="Inloopochtend met koffie", category="coffee", host=joke,
        summary="Koffie, thee en een praatje. Loop gewoon binnen.",
        description="Elke ochtend staat de koffie klaar. U kunt blijven zo lang u wilt.",
        start_time=time(9, 30), duration_minutes=150, rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    walk = activity(
        title="Wandelclub", category="walk", host=samira,
        summary="Wandelen in de wijk, hooguit 2 km.",
        description="We lopen rustig een rondje door de wijk. Daarna drinken we samen koffie.",
        start_time=time(10, 0), duration_minutes=60, rrule="FREQ=WEEKLY;BYDAY=TU", bring="Goede schoenen")
    talk = activity(
        title="Taalcafé: Nederlands praten", category="language", host_name="Fatima, vrijwilliger",
        summary="Nederlands oefenen door te praten. Zonder boeken.",
        description="We praten over gewone dingen: de markt, het weer, de buurt. Fouten maken mag.",
        start_time=time(10, 0), duration_minutes=90, rrule="FREQ=WEEKLY;BYDAY=WE")
    health = activity(
        title="Gezondheidsspreekuur", category="health", host_name="Anouk, wijkverpleegkundige",
        summary="De wijkverpleegkundige meet uw bloeddruk en geeft advies.",
        description="Heeft u een vraag over uw gezondheid? Anouk luistert en denkt mee.",
        start_time=time(10, 0), duration_minutes=90, rrule="FREQ=WEEKLY;BYDAY=TH")
    create = activity(
        title="Samen maken", category="creative", host=joke,
        summary="Tekenen, haken of plakken. Alles is er.",
        start_time=time(13, 30), duration_minutes=90, rrule="FREQ=MONTHLY;BYDAY=1FR")
    haircut = activity(
        title="Kapper: knippen voor 3 euro", category="other", host_name="Kapper Mehmet",
        summary="Mehmet knipt uw haar voor 3 euro.", price_cents=300, capacity=8,
        start_time=time(13, 0), duration_minutes=120, rrule="FREQ=DAILY;COUNT=1",
        first_date=monday + timedelta(days=5),
        threshold_note="Kom gewoon langs. Wie eerst komt, is eerst aan de beurt.")

    # This week: the nurse comes in the afternoon. Next week: the walking club has a day off.
    health.changes.append(ActivityChange(original_date=monday + timedelta(days=3), new_start_time=time(14, 0),
                                         reason="De wijkverpleegkundige komt 's middags."))
    walk.changes.append(ActivityChange(original_date=monday + timedelta(days=8), cancelled=True,
                                       reason="Studiedag van het team"))
    talk.changes.append(ActivityChange(original_date=monday + timedelta(days=2 + 14), cancelled=True,
                                       reason="De vrijwilligers zijn op cursus"))
    kings_day = date(today.year if today < date(today.year, 4, 27) else today.year + 1, 4, 27)
    if kings_day.weekday() == 1:  # a Tuesday: the walking club gives way to Koningsdag
        walk.changes.append(ActivityChange(original_date=kings_day, cancelled=True, reason="Koningsdag"))

    for item, translations in [
        (walk, {"en": ("Walking club", "A walk in the neighbourhood, 2 km at most."),
                "tr": ("Yürüyüş kulübü", "Mahallede yürüyüş, en fazla 2 km."),
                "ar": ("نادي المشي", "نمشي في الحي، 2 كم على الأكثر.")}),
        (coffee, {"en": ("Coffee morning", "Coffee, tea and a chat. Just walk in."),
                  "tr": ("Kahve sabahı", "Kahve, çay ve sohbet. Gelin, buyurun."),
                  "ar": ("صباح القهوة", "قهوة وشاي وحديث. تفضلوا بالدخول.")}),
        (talk, {"en": ("Language café: speaking Dutch", "Practise Dutch by talking. No books."),
                "tr": ("Dil kafe: Hollandaca konuşma", "Konuşarak Hollandaca pratik. Kitap yok."),
                "ar": ("مقهى اللغة: تكلم الهولندية", "تدرّب على الهولندية بالكلام. بدون كتب.")}),
    ]:
        for lang, (title, summary) in translations.items():
            item.translations.append(ActivityTranslation(lang=lang, title=title, summary=summary))

    christmas_eve = date(today.year, 12, 24) if today <= date(today.year, 12, 24) else date(today.year + 1, 12, 24)
    bop.closures.append(Closure(first_date=christmas_eve, last_date=christmas_eve + timedelta(days=10),
                                reason="Kerstvakantie"))
    joke.locations.append(bop)
    db.session.add_all([admin, samira, joke, bop, coffee, walk, talk, health, create, haircut])
    _other_bops(leiden, start)
    db.session.flush()
    load_history(bop, {"coffee": coffee, "walk": walk, "talk": talk, "health": health, "create": create}, today)
    for extra in DEMO_EXTRAS:
        extra(bop, today)
    return bop


def _other_bops(leiden: Organisation, start: date) -> None:
    """BOP Slaaghwijk beside Rijn en Vliet, and a second organisation with BOP Roodenburg."""
    slaaghwijk = Location(
        organisation=leiden, slug="slaaghwijk", name="BOP Slaaghwijk",
        address="Slaaghstraat 3, 2316 EA Leiden", phone="071 512 34 60",
        opening_hours="dinsdag en donderdag 13:00 tot 16:00",
        description="Koffie en een praatje in het wijkcentrum van de Slaaghwijk.")
    slaaghwijk.activities += [
        Activity(title="Koffie en een praatje", category="coffee", summary="Loop binnen voor koffie.",
                 start_time=time(13, 0), duration_minutes=180, rrule="FREQ=WEEKLY;BYDAY=TU,TH",
                 first_date=start, host_name="Ria, vrijwilliger", threshold_note=THRESHOLD),
        Activity(title="Stoelyoga", category="sport", summary="Rustig bewegen op een stoel.",
                 start_time=time(14, 0), duration_minutes=45, rrule="FREQ=WEEKLY;BYDAY=TH",
                 first_date=start, host_name="Lotte", threshold_note=THRESHOLD),
    ]

    roodenburg_org = Organisation(name="Buurtwerk Roodenburg")
    karim = _staff("coordinator2@example.org", "Karim Bouzid", Role.COORDINATOR, roodenburg_org,
                   phone="071 523 45 60", whatsapp="06 23 45 67 80", photo=demo_portrait("#3d7a3a"))
    els = _staff("worker2@example.org", "Els Jansen", Role.WORKER, roodenburg_org,
                 phone="071 523 45 61", whatsapp="06 34 56 78 90", photo=demo_portrait("#a0522d"))
    roodenburg = Location(
        organisation=roodenburg_org, slug="roodenburg", name="BOP Roodenburg",
        address="Roodenburgerstraat 40, 2315 AC Leiden", phone="071 523 45 60",
        opening_hours="maandag en woensdag 10:00 tot 12:30", contact=karim,
        description="De huiskamer van Roodenburg: koffie, taal en samen eten.")
    roodenburg.activities += [
        Activity(title="Inloop met koffie", category="coffee", summary="Koffie, thee en een praatje.",
                 start_time=time(10, 0), duration_minutes=150, rrule="FREQ=WEEKLY;BYDAY=MO,WE",
                 first_date=start, host=els, threshold_note=THRESHOLD),
        Activity(title="Samen eten", category="other", summary="Samen koken en eten. U betaalt 2 euro.",
                 start_time=time(17, 30), duration_minutes=120, rrule="FREQ=WEEKLY;BYDAY=WE", price_cents=200,
                 first_date=start, host=karim, threshold_note=THRESHOLD),
    ]
    els.locations.append(roodenburg)
    db.session.add_all([slaaghwijk, roodenburg_org, karim, els, roodenburg])
