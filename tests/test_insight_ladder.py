"""The participatieladder over HTTP: only with consent, never for volunteers, gone when withdrawn,
in the export and erasure, and in the report as suppressed counts with an estimate and its assumptions."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from bop.clock import local_today
from bop.extensions import db
from bop.insight.ladder import DEFAULT_VALUES
from bop.insight.ladder_models import LadderConsent, LadderStep
from bop.visitors.records import erase_visitor, export_visitor
from tests.insight_support import person, visit


def steps() -> list[tuple[int, int]]:
    db.session.expire_all()
    return [(s.visitor_id, s.rung) for s in db.session.execute(db.select(LadderStep).order_by(LadderStep.id)).scalars()]


def test_measuring_needs_consent_first(client, login, bop):
    login("worker")
    noor = person("Noor")
    page = client.get(f"/staff/visitors/{noor.id}").get_data(as_text=True)
    assert f'href="/staff/ladder/{noor.id}"' in page
    today = local_today().isoformat()
    assert client.post(f"/staff/ladder/{noor.id}", data={"action": "step", "s-rung": "2", "s-day": today}).status_code == 403
    page = client.post(f"/staff/ladder/{noor.id}", data={"action": "consent"}).get_data(as_text=True)
    assert "Zet het vinkje alleen als de bezoeker toestemming geeft." in page
    assert db.session.get(LadderConsent, noor.id) is None
    assert client.post(f"/staff/ladder/{noor.id}", data={"action": "consent", "c-consent": "y"}).status_code == 302
    assert client.post(f"/staff/ladder/{noor.id}", data={"action": "step", "s-rung": "2", "s-day": today}).status_code == 302
    for bad in ({"s-rung": "9", "s-day": today}, {"s-rung": "3", "s-day": (local_today() + timedelta(days=3)).isoformat()},
                {"s-rung": "3", "s-day": "gisteren"}):
        response = client.post(f"/staff/ladder/{noor.id}", data={"action": "step", **bad})
        assert response.status_code == 200
    assert steps() == [(noor.id, 2)]
    page = client.get(f"/staff/ladder/{noor.id}").get_data(as_text=True)
    assert "2. sociale contacten buiten de deur" in page


def test_volunteers_see_no_ladder(client, login, bop):
    login("volunteer")
    noor = person("Noor")
    assert client.get(f"/staff/ladder/{noor.id}").status_code == 403
    assert "Participatieladder" not in client.get(f"/staff/visitors/{noor.id}").get_data(as_text=True)


def test_withdrawing_consent_removes_every_measurement(client, login, bop):
    login("worker")
    noor = person("Noor")
    client.post(f"/staff/ladder/{noor.id}", data={"action": "consent", "c-consent": "y"})
    client.post(f"/staff/ladder/{noor.id}", data={"action": "step", "s-rung": "1", "s-day": local_today().isoformat()})
    assert "intrekken?" in client.get(f"/staff/ladder/{noor.id}/withdraw").get_data(as_text=True)
    assert steps() == [(noor.id, 1)]
    assert client.post(f"/staff/ladder/{noor.id}/withdraw").status_code == 302
    assert steps() == [] and db.session.get(LadderConsent, noor.id) is None


def test_ladder_is_exported_and_erased_with_the_visitor(app):
    noor = person("Noor")
    db.session.add_all([LadderConsent(visitor_id=noor.id), LadderStep(visitor_id=noor.id, day=date(2026, 9, 1), rung=2)])
    db.session.commit()
    exported = export_visitor(db.session, noor)["participation_ladder"]
    assert exported[1] == {"day": "2026-09-01", "rung": 2} and "consent_given_at" in exported[0]
    erase_visitor(db.session, noor)
    db.session.commit()
    assert steps() == [] and db.session.execute(db.select(LadderConsent)).first() is None


def measured(bop, moves: list[tuple[int, int]]) -> None:
    for i, (first, last) in enumerate(moves):
        visitor = person(f"Bezoeker {i}")
        visit(bop, date(2026, 6, 1), visitor)
        db.session.add_all([LadderConsent(visitor_id=visitor.id),
                            LadderStep(visitor_id=visitor.id, day=date(2026, 6, 1), rung=first),
                            LadderStep(visitor_id=visitor.id, day=date(2026, 9, 1), rung=last)])
    once = person("Eenmaal")                                # one measurement: not in the movement
    visit(bop, date(2026, 6, 1), once)
    db.session.add_all([LadderConsent(visitor_id=once.id), LadderStep(visitor_id=once.id, day=date(2026, 6, 1), rung=1)])
    db.session.commit()


def test_report_shows_movement_suppressed_with_the_estimate_and_its_assumptions(client, login, bop):
    moves = [(1, 2)] * 4 + [(2, 3)] * 3 + [(3, 3)] * 2
    measured(bop, moves)
    login("coordinator")
    page = client.get("/staff/reports/rijn-en-vliet?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    section = page.split('id="ladder-title"')[1].split("</section>")[0]
    assert "<td>Hoger op de ladder</td><td>x</td>" in section      # 7: hidden, or the 2 who stayed follow
    assert "<td>Op dezelfde trede</td><td>&lt;5</td>" in section and "<td>Totaal</td><td>9</td>" in section
    expected = sum(DEFAULT_VALUES[b] - DEFAULT_VALUES[a] for a, b in moves)
    assert f"€ {expected:,}".replace(",", ".") in section and "pilots" in section
    rows = list(csv.reader(io.StringIO(client.get("/staff/reports/rijn-en-vliet.csv?from=2026-10-01&to=2026-10-31")
                                       .data.decode("utf-8-sig")), delimiter=";"))
    assert ["Hoger op de ladder", "x"] in rows and ["Op dezelfde trede", "<5"] in rows


def test_volunteers_get_no_ladder_in_report_or_export(client, login, bop):
    measured(bop, [(1, 2)] * 6)
    login("volunteer")
    assert "ladder-title" not in client.get("/staff/reports/rijn-en-vliet").get_data(as_text=True)
    assert "ladder" not in client.get("/staff/reports/rijn-en-vliet.csv").data.decode("utf-8-sig")
