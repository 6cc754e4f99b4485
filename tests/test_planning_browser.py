"""A welfare worker plans in a real Chromium: log in, create a weekly activity, cancel one date,
and the public agenda shows both the activity and the struck-out date with its reason."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bop.clock import local_today
from bop.planning import schedule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_plan_cancel_and_see_on_public_agenda(live_server, page, make_staff, make_location, tmp_path):
    worker = make_staff(role="worker", name="Samira el Amrani")
    location = make_location(slug="rijn-en-vliet", name="BOP Rijn en Vliet")
    next_monday = schedule.monday_of(local_today()) + timedelta(days=7)
    next_tuesday = next_monday + timedelta(days=1)

    page.goto(f"{live_server}/staff/login")
    page.get_by_label("E-mailadres").fill(worker.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**/staff/plan/{location.slug}")

    page.get_by_role("link", name="Nieuwe activiteit").click()
    page.get_by_label("Naam van de activiteit").fill("Wandelclub")
    page.get_by_label("Soort (kiest het plaatje)").select_option("walk")
    page.get_by_label("Eén korte zin voor de agenda en de flyer").fill("Wandelen in de wijk, hooguit 2 km.")
    page.get_by_label("Wie begeleidt?").select_option(label="Samira el Amrani")
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("11:00")
    page.get_by_label("Elke week (of om de paar weken)").check()
    for box in page.locator("input[name=weekdays]").all():
        box.uncheck()
    page.get_by_label("dinsdag").check()
    page.get_by_label("Eerste datum").fill(next_monday.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Wandelclub staat in de planning.").wait_for()
    page.screenshot(path=str(tmp_path / "planner.png"), full_page=True)

    # Cancel next Tuesday only, from the planner.
    day = page.locator(f"section[aria-labelledby='day-{next_tuesday.isoformat()}']")
    day.get_by_role("link", name="Deze dag wijzigen").click()
    page.get_by_label("Gaat niet door").check()
    page.get_by_label("Reden (iedereen ziet deze)").fill("Koningsdag")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De wijziging voor deze dag is opgeslagen.").wait_for()

    week_after = schedule.iso_week_label(next_monday + timedelta(days=7))
    page.goto(f"{live_server}/bop/{location.slug}?week={schedule.iso_week_label(next_monday)}")
    cancelled = page.locator("article.activity.is-cancelled")
    assert cancelled.locator("del", has_text="Wandelclub").is_visible()
    assert "Koningsdag" in cancelled.inner_text()

    page.goto(f"{live_server}/bop/{location.slug}?week={week_after}")
    active = page.locator("article.activity", has_text="Wandelclub")
    assert active.count() == 1
    assert "is-cancelled" not in active.get_attribute("class")
    assert "10:00 – 11:00" in active.inner_text()
    assert "Gratis" in active.inner_text()
