"""The demo BOP "Rijn en Vliet": its agenda and feed over HTTP, and the CLI commands around it."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from bop.accounts.models import Location, Staff
from bop.clock import local_today
from bop.extensions import db
from bop.planning import schedule
from bop.planning.models import Activity, ActivityChange, Closure
from bop.planning.programme import occurrences_between
from bop.site.demo import DEMO_PASSWORD, load_demo

TZ = schedule.TZ


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def day_section(page: str, day: date) -> str:
    match = re.search(rf'<section class="agenda-day[^"]*" aria-labelledby="d-{day.isoformat()}">(.*?)</section>',
                      page, re.S)
    assert match, f"no section for {day}"
    return match.group(1).replace("\u00ad", "")  # the words, without the soft hyphens of long ones


def demo() -> Location:
    location = load_demo()
    db.session.commit()
    return location


def test_demo_agenda_lists_this_weeks_programme(client):
    location = demo()
    monday = schedule.monday_of(local_today())
    response = client.get("/bop/rijn-en-vliet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "BOP Rijn en Vliet" in page and "Deze week" in page
    scheduled = occurrences_between(location, monday, monday + timedelta(days=6))
    on = [s for s in scheduled if not s.occurrence.cancelled]
    assert len(on) >= 9  # coffee five mornings, walk, language café, health hour, hairdresser
    for item in scheduled:
        o = item.occurrence
        section = day_section(page, o.date)
        times = f"{o.start:%H:%M} – {o.end:%H:%M}"
        if o.cancelled:
            assert f"<del>{item.activity.title}</del>" in section, item
        else:
            assert item.activity.title in section and times in section, (item.activity.title, o.date, times)
    # The demo's own facts, independent of the expansion code.
    assert "Wandelclub" in day_section(page, monday + timedelta(days=1))
    assert "Taalcafé: Nederlands praten" in day_section(page, monday + timedelta(days=2))
    thursday = day_section(page, monday + timedelta(days=3))
    assert "Gezondheidsspreekuur" in thursday and "14:00 – 15:30" in thursday
    assert "Let op: deze keer op een andere dag of tijd." in thursday and "De wijkverpleegkundige komt" in thursday
    saturday = day_section(page, monday + timedelta(days=5))
    assert "Kapper: knippen voor 3 euro" in saturday and "€ 3,00" in saturday
    for offset in range(5):
        assert "Inloopochtend met koffie" in day_section(page, monday + timedelta(days=offset))
    assert "@example.org" not in page


def test_demo_next_week_shows_the_walking_club_cancelled(client):
    demo()
    tuesday = schedule.monday_of(local_today()) + timedelta(days=8)
    page = client.get(f"/bop/rijn-en-vliet?week={schedule.iso_week_label(tuesday)}").get_data(as_text=True)
    section = day_section(page, tuesday)
    assert "<del>Wandelclub</del>" in section and "Gaat niet door</strong>: Studiedag van het team" in section


def client_instances(calendar: Calendar, summary: str, start: date, end: date) -> list[datetime]:
    """Expand one series the way a calendar client does: RRULE minus EXDATE, then RECURRENCE-ID overrides."""
    events = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == summary]
    (master,) = [e for e in events if "RECURRENCE-ID" not in e]
    dtstart = master.decoded("DTSTART")
    rules = rruleset()
    rules.rrule(rrulestr(master["RRULE"].to_ical().decode(), dtstart=dtstart))
    exdates = master.get("EXDATE", [])
    for prop in exdates if isinstance(exdates, list) else [exdates]:
        for value in prop.dts:
            rules.exdate(value.dt)
    lo = datetime.combine(start, time.min, tzinfo=TZ)
    hi = datetime.combine(end, time.max, tzinfo=TZ)
    instances = {moment: moment for moment in rules.between(lo, hi, inc=True)}
    for override in (e for e in events if "RECURRENCE-ID" in e):
        instances[override.decoded("RECURRENCE-ID")] = override.decoded("DTSTART")
    return sorted(s for s in instances.values() if start <= s.date() <= end)


def test_demo_feed_has_the_walking_club_on_each_of_the_next_four_weeks_minus_cancellations(client):
    demo()
    response = client.get("/bop/rijn-en-vliet/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert {"Wandelclub", "Inloopochtend met koffie", "Taalcafé: Nederlands praten", "Gezondheidsspreekuur"} <= summaries

    next_monday = schedule.monday_of(local_today()) + timedelta(weeks=1)
    last_sunday = next_monday + timedelta(weeks=4, days=-1)
    found = client_instances(calendar, "Wandelclub", next_monday, last_sunday)

    # Expected, straight from the demo's rows: every Tuesday, minus its cancelled dates and the closures.
    walk = db.session.execute(db.select(Activity).filter_by(title="Wandelclub")).scalar_one()
    cancelled = {c.original_date for c in db.session.execute(
        db.select(ActivityChange).filter_by(activity_id=walk.id, cancelled=True)).scalars()}
    closures = db.session.execute(db.select(Closure)).scalars().all()
    tuesdays = [next_monday + timedelta(weeks=n, days=1) for n in range(4)]
    expected = [datetime.combine(d, time(10, 0), tzinfo=TZ) for d in tuesdays
                if d not in cancelled and not any(c.first_date <= d <= c.last_date for c in closures)]
    assert found == expected
    assert tuesdays[0] not in [moment.date() for moment in found]  # the demo cancels next week's Tuesday
    assert len(found) >= 2


def test_demo_cli_loads_once(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo loaded" in result.output and DEMO_PASSWORD in result.output
    assert (count(Location), count(Staff), count(Activity)) == (3, 5, 10)

    result = runner.invoke(args=["bop", "demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo not loaded" in result.output
    assert (count(Location), count(Staff), count(Activity)) == (3, 5, 10)

    result = runner.invoke(args=["bop", "demo"])
    assert result.exit_code != 0
    assert "already there" in result.output
    assert (count(Location), count(Staff), count(Activity)) == (3, 5, 10)

    # The printed logins work.
    response = client.post("/staff/login", data={"email": "coordinator@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200


def test_demo_if_empty_leaves_an_existing_installation_alone(app, make_location):
    make_location(slug="de-kom")
    result = app.test_cli_runner().invoke(args=["bop", "demo", "--if-empty"])
    assert result.exit_code == 0 and "demo not loaded" in result.output
    assert count(Location) == 1 and count(Activity) == 0


def test_create_coordinator_who_can_log_in(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "create-coordinator", "--email", " Anna@Example.org ", "--name", "Anna Bakker",
                                 "--password", "een lang wachtwoord"])
    assert result.exit_code == 0, result.output
    assert "anna@example.org" in result.output
    db.session.expire_all()
    staff = db.session.execute(db.select(Staff).filter_by(email="anna@example.org")).scalar_one()
    assert (staff.name, staff.role, staff.active) == ("Anna Bakker", "coordinator", True)
    response = client.post("/staff/login", data={"email": "anna@example.org", "password": "een lang wachtwoord"})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200  # coordinators manage staff


def test_create_coordinator_prompts_and_refuses_bad_input(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "create-coordinator"],
                           input="bea@example.org\nBea\neen lang wachtwoord\neen lang wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert count(Staff) == 1
    result = runner.invoke(args=["bop", "create-coordinator", "--email", "bea@example.org", "--name", "Bea",
                                 "--password", "een lang wachtwoord"])
    assert result.exit_code != 0 and "There is already an account" in result.output
    result = runner.invoke(args=["bop", "create-coordinator", "--email", "kort@example.org", "--name", "Kort",
                                 "--password", "kort"])
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    assert count(Staff) == 1


def test_create_coordinator_without_a_terminal_takes_the_password_from_the_environment(app, client):
    """The production recipe's provisioning step: no prompt, no password on the command line."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bop", "create-coordinator", "--email", "beheer@example.org", "--name", "Beheer"],
                           env={"BOP_COORDINATOR_PASSWORD": "uit de omgeving 2026"}, input="")
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output  # nothing was asked
    response = client.post("/staff/login", data={"email": "beheer@example.org", "password": "uit de omgeving 2026"})
    assert response.status_code == 302
    short = runner.invoke(args=["bop", "create-coordinator", "--email", "kort@example.org", "--name", "Kort"],
                          env={"BOP_COORDINATOR_PASSWORD": "kort"}, input="")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    assert count(Staff) == 1
