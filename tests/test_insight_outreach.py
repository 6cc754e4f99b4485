"""Out of sight ("Uit beeld") and new faces over HTTP: who is on the list, who is not, who may see names."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bop.clock import local_today, utcnow
from bop.extensions import db
from bop.insight.models import OutreachContact
from bop.visitors.models import Visitor
from bop.visitors.records import erase_visitor, export_visitor
from tests.insight_support import person, visit


def weeks_ago(weeks: int, days: int = 0):
    return local_today() - timedelta(weeks=weeks, days=days)


def regular(bop, name: str, last_weeks_ago: int, activity=None, **fields) -> Visitor:
    """Four visits a week apart, the last one `last_weeks_ago` weeks ago."""
    visitor = person(name, **fields)
    for extra in range(4):
        visit(bop, weeks_ago(last_weeks_ago + extra), visitor, activity)
    return visitor


def people_listed(page: str) -> list[str]:
    return re.findall(r'<li class="outreach-person"[^>]*>\s*<h3><a [^>]*>([^<]+)</a>', page)


def test_a_regular_who_stopped_coming_appears_and_one_seen_last_week_does_not(client, login, bop, walk):
    login("worker")
    regular(bop, "Fatima", 6, walk)
    regular(bop, "Kees", 4, walk)
    regular(bop, "Ria", 1, walk)                       # came last week
    occasional = person("Sem")
    visit(bop, weeks_ago(5), occasional)                # only twice: not a regular
    visit(bop, weeks_ago(6), occasional)
    page = client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)
    assert people_listed(page) == ["Fatima", "Kees"]    # longest away first
    assert "Komt meestal naar: Wandelclub" in page and "6 weken geleden" in page
    # Thresholds on the page: two visits are enough, and anyone away for 5 weeks or more.
    page = client.get("/staff/outreach/rijn-en-vliet?visits=2&away=5").get_data(as_text=True)
    assert people_listed(page) == ["Fatima", "Sem"]
    # Nonsense never fails: out-of-range numbers are kept within bounds.
    for query in ("visits=-4", "visits=abc&away=9999", "window=0", "page=-1", "page=x", "new=100000"):
        assert client.get(f"/staff/outreach/rijn-en-vliet?{query}").status_code == 200, query


def test_phone_links_only_with_consent_in_the_visitors_language(client, login, bop, walk):
    login("worker", name="Joke de Vries")
    regular(bop, "Ayşe", 5, walk, phone="06 12 34 56 78", phone_consent_at=utcnow(), language="tr")
    regular(bop, "Piet", 5, walk, phone="06 99 99 99 99")   # no consent: no links
    page = client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)
    assert 'href="tel:+31612345678"' in page and "tel:+31699999999" not in page
    (href,) = re.findall(r'href="(https://wa\.me/[^"]+)"', page)
    url = urlsplit(href.replace("&amp;", "&"))
    assert url.path == "/31612345678"
    text = parse_qs(url.query)["text"][0]
    assert text.startswith("Merhaba Ayşe") and "Joke" in text and "Rijn en Vliet" in text
    assert 'action="https://wa.me/31612345678"' in page    # the editable message's form


def test_recorded_contacts_take_people_off_the_list(client, login, bop, walk):
    staff = login("worker")
    fatima = regular(bop, "Fatima", 6, walk)
    kees = regular(bop, "Kees", 5, walk)
    jan = regular(bop, "Jan", 4, walk)
    for who, outcome in ((fatima, "reached"), (kees, "no_contact"), (jan, "no_answer")):
        response = client.post("/staff/outreach/rijn-en-vliet/contacts", data={"visitor_id": who.id, "outcome": outcome})
        assert response.status_code == 302
    page = client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)
    assert people_listed(page) == ["Jan"] and "Eerder geprobeerd" in page and "geen gehoor" in page
    contacts = db.session.execute(db.select(OutreachContact).order_by(OutreachContact.id)).scalars().all()
    assert [(c.visitor_id, c.outcome, c.staff_id, c.day) for c in contacts] == [
        (fatima.id, "reached", staff.id, local_today()), (kees.id, "no_contact", staff.id, local_today()),
        (jan.id, "no_answer", staff.id, local_today())]
    # Bad posts are refused without a trace.
    for data in ({"visitor_id": jan.id, "outcome": "ziek"}, {"visitor_id": "x", "outcome": "reached"},
                 {"visitor_id": 99999, "outcome": "reached"}):
        assert client.post("/staff/outreach/rijn-en-vliet/contacts", data=data).status_code in (400, 404)
    assert len(db.session.execute(db.select(OutreachContact)).all()) == 3


def test_no_contact_is_never_shown_again_unless_they_come_back(client, login, bop, walk):
    login("worker")
    kees = regular(bop, "Kees", 8, walk)
    db.session.add(OutreachContact(visitor_id=kees.id, location_id=bop.id, day=weeks_ago(6), outcome="no_contact"))
    db.session.commit()
    assert people_listed(client.get("/staff/outreach/rijn-en-vliet?window=30").get_data(as_text=True)) == []
    # Half a year later he still is not on it, with any thresholds.
    assert people_listed(client.get("/staff/outreach/rijn-en-vliet?window=104&away=1&visits=1").get_data(as_text=True)) == []
    # He came back after saying so, and then stayed away again: a new start.
    visit(bop, weeks_ago(5), kees, walk)
    visit(bop, weeks_ago(4), kees, walk)
    assert people_listed(client.get("/staff/outreach/rijn-en-vliet?window=30").get_data(as_text=True)) == ["Kees"]


def test_a_volunteer_sees_counts_but_no_names(client, login, bop, walk):
    login("volunteer")
    regular(bop, "Fatima", 6, walk, phone="0612345678", phone_consent_at=utcnow())
    visit(bop, weeks_ago(1), person("Nieuwe Noor"), walk, source="flyer")
    response = client.get("/staff/outreach/rijn-en-vliet")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fatima" not in page and "Noor" not in page and "wa.me" not in page and "tel:" not in page
    assert "1 vaste bezoeker is een tijdje niet geweest." in page and "1 nieuw gezicht." in page
    assert client.post("/staff/outreach/rijn-en-vliet/contacts", data={"visitor_id": 1, "outcome": "reached"}).status_code == 403


def test_new_faces_with_first_activity_and_how_they_heard(client, login, bop, walk):
    login("coordinator")
    noor = person("Noor")
    visit(bop, weeks_ago(2), noor, walk, source="flyer")
    visit(bop, weeks_ago(1), noor)
    old = person("Oud")
    visit(bop, weeks_ago(10), old)
    visit(bop, weeks_ago(1), old, walk)                  # not new: first came ten weeks ago
    visit(bop, weeks_ago(1), None, walk, method="guest", count=2, source="neighbour")
    page = client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)
    section = page.split('id="new-title"')[1]
    assert "Noor" in section and "Wandelclub" in section and "Folder" in section and "Oud" not in section
    assert "Daarnaast 2 gasten zonder naam." in section


def test_contacts_are_exported_and_erased_with_the_visitor(app, bop, walk, make_staff):
    staff = make_staff()
    fatima = regular(bop, "Fatima", 6, walk)
    db.session.add(OutreachContact(visitor_id=fatima.id, location_id=bop.id, day=weeks_ago(1), outcome="reached",
                                   staff_id=staff.id))
    db.session.commit()
    exported = export_visitor(db.session, fatima)
    assert exported["outreach_contacts"] == [{"day": weeks_ago(1).isoformat(), "outcome": "reached",
                                              "location": "Rijn en Vliet", "staff": staff.name}]
    erase_visitor(db.session, fatima)
    db.session.commit()
    assert db.session.execute(db.select(OutreachContact)).all() == []


def test_outreach_index_and_unknown_bop(client, login, bop):
    login()
    response = client.get("/staff/outreach/")
    assert response.status_code == 302 and response.location.endswith("/staff/outreach/rijn-en-vliet")
    assert client.get("/staff/outreach/nergens").status_code == 404
    assert "Uit beeld" in client.get("/staff/outreach/rijn-en-vliet").get_data(as_text=True)


def test_merging_two_visitors_keeps_their_contacts_and_ladder(app, bop, walk):
    from bop.insight.ladder_models import LadderConsent, LadderStep
    from bop.visitors.records import merge_visitors

    keep, gone = person("Fatima"), person("Fatma")
    db.session.add_all([OutreachContact(visitor_id=gone.id, location_id=bop.id, day=weeks_ago(1), outcome="no_answer"),
                        LadderConsent(visitor_id=gone.id),
                        LadderStep(visitor_id=gone.id, day=weeks_ago(2), rung=3)])
    db.session.commit()
    merge_visitors(db.session, keep, gone)
    db.session.commit()
    db.session.expire_all()
    assert [c.visitor_id for c in db.session.execute(db.select(OutreachContact)).scalars()] == [keep.id]
    assert [(s.visitor_id, s.rung) for s in db.session.execute(db.select(LadderStep)).scalars()] == [(keep.id, 3)]
    assert [c.visitor_id for c in db.session.execute(db.select(LadderConsent)).scalars()] == [keep.id]
