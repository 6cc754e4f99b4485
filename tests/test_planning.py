"""The staff week planner: activities, per-date changes, closures and translations, over HTTP."""
from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from support import BYDAY

from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import Activity, ActivityChange, ActivityTranslation, Closure
from bop.site.templating import format_short_day

DUTCH_WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def activity_form(**overrides) -> dict:
    """A valid weekly activity on Tuesdays, as the browser posts the form."""
    data = {"title": "Wandelclub", "category": "walk", "summary": "Wandelen in de wijk, hooguit 2 km.",
            "description": "", "host_id": "0", "host_name": "Samira", "start_time": "10:00", "end_time": "11:00",
            "repeat": "weekly", "weekdays": ["1"], "interval": "1", "nth": "1", "month_weekday": "0",
            "first_date": "2026-03-03", "last_date": "", "price": "", "capacity": "", "bring": "Goede schoenen",
            "threshold_note": "U hoeft zich niet aan te melden."}
    data.update(overrides)
    return data


def field_errors(page: str, field: str) -> list[str]:
    """The error messages rendered next to one form field."""
    return re.findall(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)


def day_section(page: str, day: date) -> str:
    """The planner's column for one day."""
    match = re.search(rf'<section class="planner-day[^"]*" aria-labelledby="day-{day.isoformat()}">(.*?)</section>',
                      page, re.S)
    assert match, f"no column for {day}"
    return match.group(1).replace("\u00ad", "")  # the words, without the soft hyphens of long ones


@pytest.fixture
def location(make_location):
    return make_location(slug="de-kom", name="BOP De Kom")


# --------------------------------------------------------------------------- the week planner


def test_planner_shows_this_week_in_dutch(client, login, location, make_activity):
    login("worker")
    make_activity(location=location, title="Wandelclub", start_time=time(10, 0), duration_minutes=60)
    today = local_today()
    monday = schedule.monday_of(today)
    response = client.get("/staff/plan/de-kom")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert f"Week {monday.isocalendar().week}: maandag" in page
    # Today's column is marked, its heading a short Dutch day ("di 24 nov" on the frozen Tuesday).
    assert f'class="planner-day is-today" aria-labelledby="day-{today.isoformat()}"' in page
    assert f">{DUTCH_WEEKDAYS[today.weekday()][:2]} {today.day} " in page
    column = day_section(page, today)
    assert "Wandelclub" in column and "10:00–11:00" in column and "Samira" in column
    others = [day_section(page, d) for d in schedule.week_dates(monday) if d != today]
    assert all("Wandelclub" not in c for c in others)
    assert "Niets gepland" in others[0]


def test_planner_previous_and_next_week(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    monday = schedule.monday_of(local_today())
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    previous_label = schedule.iso_week_label(monday - timedelta(days=7))
    next_label = schedule.iso_week_label(monday + timedelta(days=7))
    assert f'href="/staff/plan/de-kom?week={previous_label}" rel="prev"' in page
    assert f'href="/staff/plan/de-kom?week={next_label}" rel="next"' in page

    page = client.get(f"/staff/plan/de-kom?week={next_label}").get_data(as_text=True)
    assert "Wandelclub" in day_section(page, local_today() + timedelta(days=7))
    # The week before the first date has nothing in it.
    before = schedule.iso_week_label(activity.first_date - timedelta(days=7))
    page = client.get(f"/staff/plan/de-kom?week={before}").get_data(as_text=True)
    assert "Wandelclub" not in page and page.count("Niets gepland") == 7


def test_bare_planner_goes_to_the_first_location_and_keeps_the_week(client, login, make_location):
    login("worker")
    make_location(slug="zuid", name="BOP Zuid")
    make_location(slug="noord", name="BOP Noord")
    response = client.get("/staff/plan/?week=2026-W10")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/plan/noord?week=2026-W10"
    page = client.get("/staff/plan/noord").get_data(as_text=True)
    assert "BOP Zuid" in page  # the location switcher


@pytest.mark.parametrize("query", ["?slug=elders", "?_external=1", "?_anchor=x&week=2026-W10"])
def test_bare_planner_with_odd_query_is_not_a_500(client, login, make_location, query):
    login("worker")
    make_location(slug="noord")
    response = client.get("/staff/plan/" + query)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/plan/noord")


@pytest.mark.parametrize("week", ["2026-W60", "abc", "2027-W53", "2026-W00", "1999-W10", "2026-W1", ""])
def test_planner_bad_week_is_a_friendly_404(client, login, location, week):
    login("worker")
    response = client.get("/staff/plan/de-kom", query_string={"week": week})
    if week == "":
        assert response.status_code == 200  # an empty week means this week
        return
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Deze pagina is er niet" in page and 'class="site-header"' in page


def test_conflict_warning_when_one_host_is_in_two_places(client, login, location, make_activity):
    login("worker")
    make_activity(location=location, title="Wandelclub", host_name="Samira", start_time=time(10, 0))
    make_activity(location=location, title="Taalcafé", host_name=" samira ", start_time=time(10, 30))
    make_activity(location=location, title="Koffie", host_name="Joke", start_time=time(10, 0))
    make_activity(location=location, title="Middag", host_name="Samira", start_time=time(11, 30))  # right after
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    warnings = re.findall(r'<p class="flash flash-warning" role="alert">([^<]*)</p>', page)
    day = local_today()
    assert len(warnings) == 1
    assert "Samira staat op" in warnings[0] and DUTCH_WEEKDAYS[day.weekday()] in warnings[0]
    assert "Wandelclub" in warnings[0] and "Taalcafé" in warnings[0]


def test_conflict_between_staff_hosts_and_none_when_one_is_cancelled(client, login, location, make_activity,
                                                                     make_staff):
    login("worker")
    host = make_staff(name="Joke de Vries")
    make_activity(location=location, title="Wandelclub", host_id=host.id, host_name="")
    other = make_activity(location=location, title="Taalcafé", host_id=host.id, host_name="", start_time=time(10, 15))
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "Joke de Vries staat op" in page and "twee keer tegelijk ingepland" in page
    db.session.add(ActivityChange(activity=other, original_date=local_today(), cancelled=True, reason="Ziek"))
    db.session.commit()
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "twee keer tegelijk ingepland" not in page
    assert "Vervalt: Ziek" in day_section(page, local_today())


# --------------------------------------------------------------------------- creating and editing


def test_create_form_starts_on_the_day_clicked(client, login, location):
    login("worker")
    page = client.get("/staff/plan/de-kom/activities/new?date=2026-03-03").get_data(as_text=True)
    assert 'value="2026-03-03"' in page
    assert re.search(r'<input[^>]*checked[^>]*name="weekdays"[^>]*value="1"|<input[^>]*name="weekdays"[^>]*'
                     r'value="1"[^>]*checked|<input checked[^>]*value="1"', page)
    assert "U hoeft zich niet aan te melden. Geen ervaring nodig." in page
    assert "dinsdag" in page and "zaterdag" in page
    assert client.get("/staff/plan/de-kom/activities/new?date=morgen").status_code == 200


def test_create_weekly_activity(client, login, location):
    login("worker")
    response = client.post("/staff/plan/de-kom/activities/new",
                           data=activity_form(price="2,50", capacity="12", weekdays=["1", "3"]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/plan/de-kom?week=2026-W10"
    activity = db.session.execute(db.select(Activity)).scalar_one()
    assert activity.location_id == location.id
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert (activity.start_time, activity.duration_minutes) == (time(10, 0), 60)
    assert (activity.price_cents, activity.capacity, activity.host_name) == (250, 12, "Samira")
    assert activity.first_date == date(2026, 3, 3) and activity.last_date is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wandelclub staat in de planning." in page
    assert "Wandelclub" in day_section(page, date(2026, 3, 3)) and "Wandelclub" in day_section(page, date(2026, 3, 5))
    assert "Wandelclub" not in day_section(page, date(2026, 3, 4))


@pytest.mark.parametrize("typed, cents", [("2,50", 250), ("2.50", 250), ("€ 3", 300), ("€3,-", 300),
                                          ("gratis", 0), ("", 0), ("0,75", 75), ("12", 1200)])
def test_prices_as_people_type_them(client, login, location, typed, cents):
    login("worker")
    response = client.post("/staff/plan/de-kom/activities/new", data=activity_form(price=typed))
    assert response.status_code == 302, typed
    assert db.session.execute(db.select(Activity.price_cents)).scalar_one() == cents


def test_monthly_and_once(client, login, location):
    login("worker")
    client.post("/staff/plan/de-kom/activities/new", data=activity_form(
        title="Samen maken", repeat="monthly", nth="1", month_weekday="4", weekdays=[]))
    client.post("/staff/plan/de-kom/activities/new", data=activity_form(
        title="Kapper", repeat="once", first_date="07-03-2026", last_date="01-01-2030", weekdays=[]))
    rules = dict(db.session.execute(db.select(Activity.title, Activity.rrule)).all())
    assert rules == {"Samen maken": "FREQ=MONTHLY;BYDAY=1FR", "Kapper": "FREQ=DAILY;COUNT=1"}
    kapper = db.session.execute(db.select(Activity).filter_by(title="Kapper")).scalar_one()
    assert kapper.first_date == date(2026, 3, 7) and kapper.last_date is None
    page = client.get("/staff/plan/de-kom?week=2026-W10").get_data(as_text=True)
    assert "Samen maken" in day_section(page, date(2026, 3, 6)) and "Kapper" in day_section(page, date(2026, 3, 7))
    page = client.get("/staff/plan/de-kom?week=2026-W11").get_data(as_text=True)
    assert "Kapper" not in page and "Samen maken" not in page


@pytest.mark.parametrize("overrides, field, message", [
    ({"start_time": "11:00", "end_time": "10:00"}, "end_time", "De eindtijd moet na de begintijd liggen."),
    ({"start_time": "10:00", "end_time": "10:00"}, "end_time", "De eindtijd moet na de begintijd liggen."),
    ({"start_time": "25:00"}, "start_time", "Dit is geen geldige tijd. Schrijf hem als 10:00."),
    ({"end_time": ""}, "end_time", "Vul een eindtijd in."),
    ({"first_date": "2026-03-10", "last_date": "2026-03-01"}, "last_date", "De laatste datum ligt vóór de eerste datum."),
    ({"first_date": "2026-02-30"}, "first_date", "Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar."),
    ({"first_date": "31-04-2026"}, "first_date", "Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar."),
    ({"first_date": ""}, "first_date", "Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar."),
    ({"last_date": "gisteren"}, "last_date", "Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar."),
    ({"weekdays": []}, "weekdays", "Kies minstens één dag."),
    ({"interval": "0"}, "interval", "Kies een getal van 1 tot 52."),
    ({"price": "abc"}, "price", "Schrijf de prijs als een bedrag, zoals 2,50. Laat leeg als het gratis is."),
    ({"price": "-2"}, "price", "Schrijf de prijs als een bedrag, zoals 2,50. Laat leeg als het gratis is."),
    ({"title": "x" * 10_000}, "title", "Gebruik hooguit 120 tekens."),
    ({"title": "   "}, "title", "Vul een naam in."),
    ({"capacity": "0"}, "capacity", "Kies een getal van 1 tot 1000."),
    ({"capacity": "veel"}, "capacity", "Ongeldig getal."),
    ({"host_name": ""}, "host_name", "Kies een begeleider of vul een naam in."),
    ({"category": "dance"}, "category", "Ongeldige keuze."),
])
def test_bad_activity_input_is_refused_next_to_the_field_and_keeps_what_was_typed(
        client, login, location, overrides, field, message):
    login("worker")
    data = activity_form(**overrides)
    response = client.post("/staff/plan/de-kom/activities/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in field_errors(page, field), (field_errors(page, field), page.count("field-error"))
    assert count(Activity) == 0
    # What was typed is still there, the bad value included.
    if field != "title":
        assert 'value="Wandelclub"' in page
    if field not in ("weekdays", "category") and isinstance(data[field], str) and data[field].strip():
        typed = data[field].replace("&", "&amp;")
        assert f'value="{typed}"' in page, typed
    assert 'value="Goede schoenen"' in page
    assert re.search(r'<input[^>]*value="10:00"', page) or field == "start_time"


def test_edit_form_shows_the_stored_values(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location, start_time=time(9, 30), duration_minutes=150, price_cents=250,
                             rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", capacity=8)
    page = client.get(f"/staff/activities/{activity.id}").get_data(as_text=True)
    assert 'value="Wandelclub"' in page
    assert 'value="09:30"' in page and 'value="12:00"' in page
    assert 'value="2,50"' in page and 'value="8"' in page and 'value="2"' in page
    checked = re.findall(r'<input[^>]*name="weekdays"[^>]*>', page)
    assert [("checked" in tag) for tag in checked] == [True, False, True, False, False, False, False]
    assert "Komende keren" in page and "deze dag wijzigen" in page


def test_edit_activity_and_see_it_in_the_planner(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    weekday = str(local_today().weekday())
    response = client.post(f"/staff/activities/{activity.id}", data=activity_form(
        title="Wandelclub (kort rondje)", weekdays=[weekday], first_date=activity.first_date.isoformat(),
        start_time="14:00", end_time="15:30", price="1"))
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/activities/{activity.id}"
    changed = fresh(Activity, activity.id)
    assert (changed.title, changed.start_time, changed.duration_minutes, changed.price_cents) == (
        "Wandelclub (kort rondje)", time(14, 0), 90, 100)
    assert "De wijzigingen zijn opgeslagen." in client.get(response.headers["Location"]).get_data(as_text=True)
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "14:00–15:30" in day_section(page, local_today())


def test_editing_a_series_keeps_changes_that_no_longer_fit_and_warns(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    cancelled_day = local_today() + timedelta(weeks=1)
    db.session.add(ActivityChange(activity=activity, original_date=cancelled_day, cancelled=True, reason="Koningsdag"))
    db.session.commit()
    other_weekday = (local_today().weekday() + 1) % 7
    response = client.post(f"/staff/activities/{activity.id}", data=activity_form(
        weekdays=[str(other_weekday)], first_date=activity.first_date.isoformat()), follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Let op: 1 aangepaste datum(s) vallen niet meer in het nieuwe schema." in page
    assert "past niet meer in het schema" in page and "Koningsdag" in page
    assert fresh(Activity, activity.id).rrule == f"FREQ=WEEKLY;BYDAY={BYDAY[other_weekday]}"
    # Not lost: still in the database, and the planner says so on every week.
    assert count(ActivityChange) == 1
    planner = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "Let op: de wijziging van Wandelclub op" in planner and "past niet meer in het schema." in planner
    # The worker can look at that date and let the old change go.
    response = client.post(f"/staff/activities/{activity.id}/dates/{cancelled_day.isoformat()}",
                           data={"action": "restore"})
    assert response.status_code == 302
    assert count(ActivityChange) == 0
    assert "past niet meer in het schema" not in client.get("/staff/plan/de-kom").get_data(as_text=True)


def test_edit_activity_with_a_rule_the_form_cannot_show(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location, rrule="FREQ=DAILY;INTERVAL=3")
    response = client.get(f"/staff/activities/{activity.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Wandelclub"' in page
    assert "Het herhaalschema van deze activiteit (FREQ=DAILY;INTERVAL=3) past niet in dit formulier." in page


def test_delete_activity_asks_first(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    db.session.add(ActivityChange(activity=activity, original_date=local_today(), cancelled=True, reason="x"))
    db.session.commit()
    response = client.get(f"/staff/activities/{activity.id}/delete")
    assert response.status_code == 200
    assert "Wandelclub uit de planning halen?" in response.get_data(as_text=True)
    assert count(Activity) == 1
    response = client.post(f"/staff/activities/{activity.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/plan/de-kom"
    assert count(Activity) == 0 and count(ActivityChange) == 0
    assert "Wandelclub is uit de planning gehaald." in client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert client.get(f"/staff/activities/{activity.id}").status_code == 404


# --------------------------------------------------------------------------- one date


def test_cancel_one_date_with_a_reason(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    day = local_today() + timedelta(weeks=1)
    url = f"/staff/activities/{activity.id}/dates/{day.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    assert "Alleen deze dag verandert" in page and DUTCH_WEEKDAYS[day.weekday()] in page
    response = client.post(url, data={"action": "cancel", "reason": "Koningsdag"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/plan/de-kom?week={schedule.iso_week_label(day)}"
    change = db.session.execute(db.select(ActivityChange)).scalar_one()
    assert (change.original_date, change.cancelled, change.reason) == (day, True, "Koningsdag")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vervalt: Koningsdag" in day_section(page, day)
    # The other weeks are untouched.
    page = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "Vervalt" not in day_section(page, local_today())
    # Reopening the date shows what was chosen.
    page = client.get(url).get_data(as_text=True)
    assert 'value="Koningsdag"' in page
    assert re.search(r'<input checked[^>]*value="cancel"|<input[^>]*value="cancel"[^>]*checked', page)


def test_cancel_needs_a_reason(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    response = client.post(f"/staff/activities/{activity.id}/dates/{local_today().isoformat()}",
                           data={"action": "cancel", "reason": "  "})
    assert response.status_code == 200
    assert "Schrijf kort waarom het niet doorgaat. Bezoekers zien dit." in field_errors(
        response.get_data(as_text=True), "reason")
    assert count(ActivityChange) == 0


def test_move_one_date_to_the_afternoon_and_to_another_day(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    day = local_today() + timedelta(weeks=1)
    url = f"/staff/activities/{activity.id}/dates/{day.isoformat()}"
    response = client.post(url, data={"action": "move", "new_start_time": "14:00", "reason": "Andere tijd"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Same day, other time: the old time, not the day it already is.
    assert "14:00–15:00" in day_section(page, day) and "Verplaatst van 10:00" in day_section(page, day)
    assert f"Verplaatst van {format_short_day(day)}" not in page
    change = db.session.execute(db.select(ActivityChange)).scalar_one()
    assert (change.cancelled, change.new_start_time, change.new_date) == (False, time(14, 0), None)

    new_day = day + timedelta(days=1)
    response = client.post(url, data={"action": "move", "new_date": new_day.strftime("%d-%m-%Y"), "new_start_time": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/plan/de-kom?week={schedule.iso_week_label(new_day)}"
    db.session.expire_all()
    change = db.session.execute(db.select(ActivityChange)).scalar_one()
    assert (change.new_date, change.new_start_time) == (new_day, None)
    page = client.get(f"/staff/plan/de-kom?week={schedule.iso_week_label(new_day)}").get_data(as_text=True)
    if schedule.monday_of(new_day) == schedule.monday_of(day):
        assert "Wandelclub" not in day_section(page, day)
    assert "10:00–11:00" in day_section(page, new_day)
    assert f"Verplaatst van {format_short_day(day)}" in day_section(page, new_day)  # another day: the old day


def test_move_needs_a_date_or_a_time(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    url = f"/staff/activities/{activity.id}/dates/{local_today().isoformat()}"
    response = client.post(url, data={"action": "move", "new_date": "", "new_start_time": ""})
    assert response.status_code == 200
    assert "Kies een nieuwe datum of een nieuwe tijd." in response.get_data(as_text=True)
    response = client.post(url, data={"action": "move", "new_date": "30-02-2026"})
    assert response.status_code == 200
    assert "Dit is geen bestaande datum." in response.get_data(as_text=True)
    assert 'value="30-02-2026"' in response.get_data(as_text=True)
    assert count(ActivityChange) == 0


def test_restore_a_cancelled_date(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    day = local_today()
    url = f"/staff/activities/{activity.id}/dates/{day.isoformat()}"
    client.post(url, data={"action": "cancel", "reason": "Ziek"})
    assert count(ActivityChange) == 1
    response = client.post(url, data={"action": "restore"})
    assert response.status_code == 302
    assert count(ActivityChange) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wandelclub gaat op deze dag gewoon door." in page
    assert "Vervalt" not in day_section(page, day)


def test_a_date_the_rule_does_not_produce_is_404(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    for day in [local_today() + timedelta(days=1), "2026-02-30", "2026-13-01", "morgen"]:
        day = day if isinstance(day, str) else day.isoformat()
        response = client.get(f"/staff/activities/{activity.id}/dates/{day}")
        assert response.status_code == 404, day
        assert client.post(f"/staff/activities/{activity.id}/dates/{day}",
                           data={"action": "cancel", "reason": "x"}).status_code == 404, day
    assert count(ActivityChange) == 0


# --------------------------------------------------------------------------- closures


def test_add_and_delete_a_closure(client, login, location, make_activity):
    login("worker")
    make_activity(location=location)
    today = local_today()
    response = client.post("/staff/plan/de-kom/closures", data={
        "first_date": today.strftime("%d-%m-%Y"), "last_date": (today + timedelta(days=10)).isoformat(),
        "reason": "Kerstvakantie"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/plan/de-kom/closures"
    closure = db.session.execute(db.select(Closure)).scalar_one()
    assert (closure.first_date, closure.last_date, closure.reason) == (today, today + timedelta(days=10),
                                                                       "Kerstvakantie")
    page = client.get("/staff/plan/de-kom/closures").get_data(as_text=True)
    assert "De sluiting is opgeslagen." in page and "Kerstvakantie" in page
    planner = client.get("/staff/plan/de-kom").get_data(as_text=True)
    assert "Vervalt: Kerstvakantie" in day_section(planner, today)

    assert client.get(f"/staff/closures/{closure.id}/delete").status_code == 405
    response = client.post(f"/staff/closures/{closure.id}/delete")
    assert response.status_code == 302
    assert count(Closure) == 0
    assert "De sluiting is weggehaald." in client.get("/staff/plan/de-kom/closures").get_data(as_text=True)


def test_closures_list_shows_the_years(client, login, location):
    login("worker")
    db.session.add(Closure(location=location, first_date=date(2026, 12, 24), last_date=date(2027, 1, 3),
                           reason="Kerstvakantie"))
    db.session.commit()
    page = client.get("/staff/plan/de-kom/closures").get_data(as_text=True)
    assert "donderdag 24 december 2026 – zondag 3 januari 2027" in page
    assert "Vervalt" not in client.get("/staff/plan/de-kom").get_data(as_text=True)


@pytest.mark.parametrize("data, field, message", [
    ({"first_date": "2026-12-28", "last_date": "2026-12-24"}, "last_date", "De laatste dag ligt vóór de eerste dag."),
    ({"first_date": "2026-01-01", "last_date": "2027-06-01"}, "last_date", "Een sluiting duurt hooguit een jaar."),
    ({"first_date": "32-12-2026"}, "first_date", "Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar."),
    ({"reason": ""}, "reason", "Schrijf kort waarom de plek dicht is."),
])
def test_bad_closure_is_refused(client, login, location, data, field, message):
    login("worker")
    form = {"first_date": "2026-12-24", "last_date": "2027-01-03", "reason": "Kerstvakantie", **data}
    response = client.post("/staff/plan/de-kom/closures", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in field_errors(page, field)
    if field != "reason":
        assert 'value="Kerstvakantie"' in page
    assert count(Closure) == 0


# --------------------------------------------------------------------------- translations


def test_translations_are_saved_and_removed(client, login, location, make_activity):
    login("worker")
    activity = make_activity(location=location)
    url = f"/staff/activities/{activity.id}/translations"
    page = client.get(url).get_data(as_text=True)
    assert "Türkçe" in page and 'dir="rtl"' in page
    response = client.post(url, data={"title_en": "Walking club", "summary_en": "A short walk.",
                                      "title_tr": "", "summary_tr": "Kısa bir yürüyüş."})
    assert response.status_code == 302
    rows = {t.lang: (t.title, t.summary) for t in db.session.execute(db.select(ActivityTranslation)).scalars()}
    assert rows == {"en": ("Walking club", "A short walk."), "tr": ("Wandelclub", "Kısa bir yürüyüş.")}
    page = client.get(url).get_data(as_text=True)
    assert 'value="Walking club"' in page
    response = client.post(url, data={"title_en": "Walking club", "summary_en": ""})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {t.lang: (t.title, t.summary) for t in db.session.execute(db.select(ActivityTranslation)).scalars()}
    assert rows == {"en": ("Walking club", "")}
    response = client.post(url, data={"title_en": "x" * 10_000})
    assert response.status_code == 200
    assert "Veld mag niet langer zijn dan 120 karakters." in field_errors(response.get_data(as_text=True), "title_en")


def test_host_from_the_staff_list(client, login, location, make_staff):
    login("worker")
    host = make_staff(name="Joke de Vries")
    gone = make_staff(name="Oud Account", active=False)
    page = client.get("/staff/plan/de-kom/activities/new").get_data(as_text=True)
    assert f'<option value="{host.id}">Joke de Vries</option>' in page and "Oud Account" not in page
    response = client.post("/staff/plan/de-kom/activities/new",
                           data=activity_form(host_id=str(gone.id), host_name=""))
    assert response.status_code == 200 and "Ongeldige keuze." in field_errors(response.get_data(as_text=True), "host_id")
    response = client.post("/staff/plan/de-kom/activities/new",
                           data=activity_form(host_id=str(host.id), host_name="wordt genegeerd"))
    assert response.status_code == 302
    activity = db.session.execute(db.select(Activity)).scalar_one()
    assert (activity.host_id, activity.host_name, activity.host_display) == (host.id, "", "Joke de Vries")


def test_an_activity_whose_host_left_can_still_be_edited(client, login, location, make_activity, make_staff):
    host = make_staff(name="Oud-collega", active=False)
    activity = make_activity(location=location, host_id=host.id, host_name="", rrule="FREQ=WEEKLY;BYDAY=TU",
                             first_date=date(2026, 3, 3))
    login("worker")
    page = client.get(f"/staff/activities/{activity.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{host.id}">Oud-collega</option>', page)
    response = client.post(f"/staff/activities/{activity.id}",
                           data=activity_form(title="Wandelclub Noord", host_id=str(host.id), host_name=""))
    assert response.status_code == 302
    assert fresh(Activity, activity.id).title == "Wandelclub Noord"
    assert fresh(Activity, activity.id).host_id == host.id
