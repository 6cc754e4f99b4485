"""The public face: the week agenda, the location chooser, the iCalendar feed and the health check."""
from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import ActivityChange, Closure

DUTCH_WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def day_section(page: str, day: date) -> str:
    match = re.search(rf'<section class="agenda-day[^"]*" aria-labelledby="d-{day.isoformat()}">(.*?)</section>',
                      page, re.S)
    assert match, f"no section for {day}"
    return match.group(1).replace("\u00ad", "")  # the words, without the soft hyphens of long ones


def assert_styled_404(response):
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="nl"' in page and 'class="site-header"' in page
    assert "Deze pagina is er niet" in page and "Naar de agenda" in page


@pytest.fixture
def location(make_location, make_staff):
    contact = make_staff(name="Samira el Amrani", email="samira.geheim@example.org", phone="071 512 34 56",
                         whatsapp="06 11 22 33 44")
    return make_location(slug="rijn-en-vliet", name="BOP Rijn en Vliet", address="Rijnstraat 12, Leiden",
                         description="Een huiskamer in de wijk.", contact_id=contact.id)


# --------------------------------------------------------------------------- / and the chooser


def test_one_location_sends_straight_to_its_week(client, location):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/bop/rijn-en-vliet"
    response = client.get("/?week=2026-W10&bron=flyer")
    assert response.headers["Location"] == "/bop/rijn-en-vliet?week=2026-W10&bron=flyer"


@pytest.mark.parametrize("query", ["?slug=elders", "?_external=1", "?_scheme=javascript"])
def test_root_with_odd_query_is_not_a_500(client, location, query):
    response = client.get("/" + query)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/bop/rijn-en-vliet")


def test_several_locations_get_a_chooser(client, location, make_location):
    make_location(slug="de-kom", name="BOP De Kom", address="Komstraat 3")
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kies uw buurtplek" in page
    assert 'href="/bop/rijn-en-vliet"' in page and 'href="/bop/de-kom"' in page and "Komstraat 3" in page


def test_no_location_yet(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Er staat nog geen plek in de agenda." in response.get_data(as_text=True)


# --------------------------------------------------------------------------- the week


def test_this_week_in_dutch_with_pictogram_and_price(client, location, make_activity):
    make_activity(location=location, title="Wandelclub", category="walk", start_time=time(10, 0),
                  summary="Wandelen in de wijk, hooguit 2 km.", bring="Goede schoenen",
                  threshold_note="U hoeft zich niet aan te melden.")
    make_activity(location=location, title="Kapper", category="other", start_time=time(13, 0),
                  duration_minutes=120, price_cents=300, host_name="Kapper Mehmet")
    today = local_today()
    response = client.get("/bop/rijn-en-vliet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert "Deze week" in page and "BOP Rijn en Vliet" in page and "Een huiskamer in de wijk." in page
    section = day_section(page, today)
    assert f"Vandaag, {DUTCH_WEEKDAYS[today.weekday()]}" in section
    assert "Wandelclub" in section and "10:00 – 11:00" in section
    assert 'src="/static/pictograms/walk.svg"' in section and 'alt="Wandelen"' in section
    assert "Gratis" in section and "Met Samira" in section
    assert "Neem mee: Goede schoenen" in section and "U hoeft zich niet aan te melden." in section
    assert "Kapper" in section and "13:00 – 15:00" in section and "€ 3,00" in section
    assert section.index("Wandelclub") < section.index("Kapper")
    for day in schedule.week_dates(schedule.monday_of(today)):
        if day != today:
            assert "Geen activiteiten" in day_section(page, day)
    assert 'href="/bop/rijn-en-vliet/agenda.ics"' in page


def test_public_page_shows_no_staff_only_data(client, location, make_activity, make_staff):
    host = make_staff(name="Joke de Vries", email="joke.geheim@example.org", whatsapp="06 99 88 77 66")
    make_activity(location=location, host_id=host.id, host_name="")
    page = client.get("/bop/rijn-en-vliet").get_data(as_text=True)
    assert "Met Joke de Vries" in page
    assert "Vragen? Bel of app Samira el Amrani:" in page and 'href="tel:0715123456"' in page
    assert "@example.org" not in page
    assert "06 99 88 77 66" not in page
    assert "/staff/" not in page  # no edit links, no staff menu
    assert "Deze dag wijzigen" not in page and "Uitloggen" not in page


def test_cancelled_date_is_struck_out_with_its_reason(client, location, make_activity):
    activity = make_activity(location=location, title="Wandelclub")
    db.session.add(ActivityChange(activity=activity, original_date=local_today(), cancelled=True, reason="Koningsdag"))
    db.session.commit()
    section = day_section(client.get("/bop/rijn-en-vliet").get_data(as_text=True), local_today())
    assert '<del>Wandelclub</del>' in section and "<del>10:00 – 11:00</del>" in section
    assert "Gaat niet door</strong>: Koningsdag" in section
    assert "is-cancelled" in section and "Gratis" not in section
    # Next week it is on again.
    next_week = schedule.iso_week_label(local_today() + timedelta(weeks=1))
    section = day_section(client.get(f"/bop/rijn-en-vliet?week={next_week}").get_data(as_text=True),
                          local_today() + timedelta(weeks=1))
    assert "<del>" not in section and "Wandelclub" in section


def test_moved_date_is_noted(client, location, make_activity):
    activity = make_activity(location=location, title="Gezondheidsspreekuur", duration_minutes=90)
    today = local_today()
    other_day = today - timedelta(days=1) if today.weekday() else today + timedelta(days=1)
    db.session.add(ActivityChange(activity=activity, original_date=today, new_date=other_day,
                                  new_start_time=time(14, 0), reason="De verpleegkundige komt 's middags."))
    db.session.commit()
    page = client.get("/bop/rijn-en-vliet").get_data(as_text=True)
    assert "Gezondheidsspreekuur" not in day_section(page, today)
    section = day_section(page, other_day)
    assert "Gezondheidsspreekuur" in section and "14:00 – 15:30" in section
    assert "Let op: deze keer op een andere dag of tijd." in section
    assert "De verpleegkundige komt &#39;s middags." in section  # the reason the worker gave, for everyone


def test_closure_is_shown(client, location, make_activity):
    make_activity(location=location)
    today = local_today()
    db.session.add(Closure(location=location, first_date=today, last_date=today + timedelta(days=1),
                           reason="Kerstvakantie"))
    db.session.commit()
    section = day_section(client.get("/bop/rijn-en-vliet").get_data(as_text=True), today)
    assert "Gesloten: Kerstvakantie" in section
    assert "<del>Wandelclub</del>" in section and "Gaat niet door</strong>: Kerstvakantie" in section


def test_other_week_and_its_navigation(client, location, make_activity):
    make_activity(location=location, first_date=date(2026, 1, 1), rrule="FREQ=WEEKLY;BYDAY=TU")
    response = client.get("/bop/rijn-en-vliet?week=2026-W10")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Week 10" in page and "maandag 2 maart" in page and "zondag 8 maart" in page
    assert "Wandelclub" in day_section(page, date(2026, 3, 3))
    assert 'href="/bop/rijn-en-vliet?week=2026-W09" rel="prev"' in page
    assert 'href="/bop/rijn-en-vliet?week=2026-W11" rel="next"' in page
    assert ">Deze week</a>" in page  # a way back to this week
    page = client.get("/bop/rijn-en-vliet?week=2026-W53").get_data(as_text=True)  # 2026 has 53 ISO weeks
    assert "Week 53" in page and 'href="/bop/rijn-en-vliet?week=2027-W01" rel="next"' in page
    assert "maandag 28 december" in page and "zondag 3 januari" in page


@pytest.mark.parametrize("week", ["2026-W60", "abc", "2027-W53", "2026-W00", "2026-W1", "1999-W10",
                                  "2026-w10", "٢٠٢٦-W10", "2026-W10x"])
def test_a_week_that_does_not_exist_is_a_friendly_404(client, location, week):
    assert_styled_404(client.get("/bop/rijn-en-vliet", query_string={"week": week}))


def test_unknown_slug_is_a_friendly_404(client, location):
    assert_styled_404(client.get("/bop/bestaat-niet"))
    assert_styled_404(client.get("/bop/bestaat-niet/agenda.ics"))
    assert_styled_404(client.get("/bestaat/niet"))


def test_flyer_source_is_remembered(client, location):
    response = client.get("/bop/rijn-en-vliet?bron=flyer")
    assert response.status_code == 200
    assert "bron=flyer" in response.headers["Set-Cookie"]
    assert "Set-Cookie" not in client.get("/bop/rijn-en-vliet?bron=spam").headers


# --------------------------------------------------------------------------- feed and health


def test_feed_is_a_calendar_with_the_activity_and_its_cancellation(client, location, make_activity):
    activity = make_activity(location=location, title="Wandelclub", rrule="FREQ=WEEKLY;BYDAY=TU",
                             first_date=date(2026, 3, 3))
    # A Tuesday a week or two ago (within FEED_WEEKS_BACK), and one long ago: the feed leaves
    # exceptions older than FEED_WEEKS_BACK out, so it does not grow with the years.
    recent = schedule.monday_of(local_today()) - timedelta(days=6)
    db.session.add(ActivityChange(activity=activity, original_date=recent, cancelled=True, reason="Studiedag"))
    db.session.add(ActivityChange(activity=activity, original_date=date(2026, 3, 10), cancelled=True, reason="Oud"))
    db.session.commit()
    response = client.get("/bop/rijn-en-vliet/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'inline; filename="rijn-en-vliet.ics"'
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "BOP Rijn en Vliet"
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Wandelclub"
    assert str(event["UID"]) == f"activity-{activity.id}@localhost"
    assert event.decoded("DTSTART") == datetime_at(date(2026, 3, 3), 10)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU"]
    assert [d.dt for d in event["EXDATE"].dts] == [datetime_at(recent, 10)]
    assert str(event["LOCATION"]) == "BOP Rijn en Vliet, Rijnstraat 12, Leiden"
    assert "Studiedag" not in response.get_data(as_text=True)
    # The UID is stable between fetches.
    again = Calendar.from_ical(client.get("/bop/rijn-en-vliet/agenda.ics").data)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(event["UID"])]


def datetime_at(day: date, hour: int):
    return schedule.local(day, time(hour, 0))


def test_feed_of_an_empty_location_is_still_valid(client, location):
    response = client.get("/bop/rijn-en-vliet/agenda.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    assert calendar.walk("VEVENT") == [] and len(calendar.walk("VTIMEZONE")) == 1


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_typed_html_is_shown_as_text(client, location, make_activity):
    make_activity(location=location, title="<script>alert(1)</script>Wandelclub", summary="<b>vet</b>")
    page = client.get("/bop/rijn-en-vliet").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<b>vet</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Wandelclub" in page
