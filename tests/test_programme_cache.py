"""The expansion `programme_between` keeps per process: a repeated window expands nothing, and
every change of the programme shows on the very next request (the key holds the version)."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from bop.accounts.models import Location
from bop.clock import local_today
from bop.extensions import db
from bop.planning import programme, schedule
from bop.planning.models import Activity, ActivityChange, ActivityTranslation, Closure


@pytest.fixture
def expansions(monkeypatch) -> list[int]:
    """How many times `schedule.expand` ran (one entry per call)."""
    calls: list[int] = []
    real = schedule.expand

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(schedule, "expand", counted)
    return calls


def tiles(client, slug: str) -> str:
    db.session.remove()  # a fresh session per request, as in production
    response = client.get(f"/bop/{slug}/in")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_repeated_window_is_not_expanded_again(client, bop, walk, expansions):
    first = tiles(client, bop.slug)
    assert "Wandelclub" in first
    again = tiles(client, bop.slug)
    assert len(expansions) == 1
    assert "Wandelclub" in again


@pytest.mark.parametrize("change", ["cancel", "move away", "close", "rename", "new activity", "end the series"])
def test_every_change_shows_on_the_next_request(client, bop, walk, make_activity, expansions, change):
    ids = walk.id, bop.id
    assert "Wandelclub" in tiles(client, bop.slug)
    walk, bop = db.session.get(Activity, ids[0]), db.session.get(Location, ids[1])  # the page ended the session
    today = local_today()
    if change == "cancel":
        db.session.add(ActivityChange(activity=walk, original_date=today, cancelled=True, reason="Regen"))
    elif change == "move away":
        db.session.add(ActivityChange(activity=walk, original_date=today, new_date=today + timedelta(days=1),
                                      new_start_time=time(14, 0)))
    elif change == "close":
        db.session.add(Closure(location=bop, first_date=today, last_date=today, reason="Verbouwing"))
    elif change == "rename":
        walk.title = "Ommetje"
    elif change == "new activity":
        make_activity(location=bop, title="Koffieochtend", category="coffee", start_time=time(9, 0))
    elif change == "end the series":
        walk.last_date = today - timedelta(days=1)
    db.session.commit()

    page = tiles(client, bop.slug)
    assert len(expansions) == 2
    if change == "rename":
        assert "Ommetje" in page and "Wandelclub" not in page
    elif change == "new activity":
        assert "Wandelclub" in page and "Koffieochtend" in page
    else:
        assert "Wandelclub" not in page


def test_a_translation_shows_on_the_next_request(client, bop, walk, expansions):
    walk_id = walk.id
    assert "Walking club" not in tiles(client, bop.slug)
    db.session.add(ActivityTranslation(activity_id=walk_id, lang="en", title="Walking club"))
    db.session.commit()
    db.session.remove()
    response = client.get(f"/bop/{bop.slug}/in?lang=en")
    assert "Walking club" in response.get_data(as_text=True)


def test_the_kept_expansions_are_bounded(app, make_location, make_activity):
    location = make_location()
    make_activity(location=location)
    today = local_today()
    for days in range(programme.WINDOWS_KEPT + 10):
        programme.programme_between(location, today + timedelta(days=days), today + timedelta(days=days))
    assert len(programme._EXPANDED) == programme.WINDOWS_KEPT


def test_an_unsaved_change_that_is_rolled_back_leaves_nothing_behind(app, bop, walk):
    """A view that adds a closure and reads the programme before it commits (or rolls back) sees
    the closure, and nothing of it is kept for the requests after a rollback."""
    today, bop_id = local_today(), bop.id
    db.session.add(Closure(location=bop, first_date=today, last_date=today, reason="Verbouwing"))
    during = programme.programme_between(bop, today, today)
    assert [s.occurrence.cancelled for s in during.scheduled] == [True]
    db.session.rollback()
    for _ in range(2):  # built again, then from the kept expansion
        db.session.remove()
        bop = db.session.get(Location, bop_id)
        after = programme.programme_between(bop, today, today)
        assert [s.occurrence.cancelled for s in after.scheduled] == [False]
        assert after.closures == []
