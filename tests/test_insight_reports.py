"""The attendance overview over HTTP: figures, guests kept apart, periods, chart, planner glance."""
from __future__ import annotations

from datetime import date, timedelta

from bop.clock import local_today
from tests.insight_support import figure, person, visit

FROM, TO = date(2026, 10, 1), date(2026, 10, 31)
RANGE = "from=2026-10-01&to=2026-10-31"


def test_overview_counts_guests_and_headcounts_apart_from_unique_visitors(client, login, bop, make_activity):
    login("volunteer")
    walk = make_activity(location=bop, title="Wandelclub")
    anna, bert = person("Anna"), person("Bert")
    visit(bop, date(2026, 9, 15), anna, walk)                 # Anna came before: returning
    for day in (date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 20)):
        visit(bop, day, anna, walk)
    visit(bop, date(2026, 10, 13), anna)                       # the drop-in, same day
    visit(bop, date(2026, 10, 14), bert, walk, source="flyer")  # Bert is new
    visit(bop, date(2026, 10, 14), None, walk, method="guest", source="neighbour")
    visit(bop, date(2026, 10, 14), None, walk, method="guest")
    visit(bop, date(2026, 10, 15), None, None, method="headcount", count=3)
    visit(bop, date(2026, 11, 2), bert, walk)                  # after the period: not counted

    response = client.get(f"/staff/reports/rijn-en-vliet?{RANGE}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert figure(page, "visits") == 4 + 1 + 2 + 3
    assert figure(page, "unique") == 2          # Anna and Bert; not the guests, not the three counted
    assert figure(page, "guests") == 2 and figure(page, "headcount") == 3
    assert figure(page, "first_time") == 1 and figure(page, "returning") == 1
    assert "oktober 2026" in page and "september 2026" in page   # compared with the month before
    assert "Wandelclub" in page and "Inloop (geen activiteit)" in page
    assert "Folder" in page and "Buren" in page
    assert "Anna" not in page and "Bert" not in page           # an overview has no names
    assert 'src="/staff/reports/rijn-en-vliet/trend.svg?from=2026-10-01&amp;to=2026-10-31"' in page


def test_the_month_before_is_the_comparison(client, login, bop):
    login()
    visit(bop, date(2026, 9, 3), person("Cas"))
    visit(bop, date(2026, 10, 3), None, method="guest", count=1)
    page = client.get(f"/staff/reports/rijn-en-vliet?{RANGE}").get_data(as_text=True)
    assert "Ervoor: 1" in page and figure(page, "visits") == 1 and figure(page, "unique") == 0


def test_all_bops_together_and_per_bop(client, login, bop, make_location):
    login()
    other = make_location(slug="slaaghwijk", name="Slaaghwijk")
    visit(bop, date(2026, 10, 5), person("Anna"))
    visit(other, date(2026, 10, 6), person("Bert"))
    visit(other, date(2026, 10, 7), None, method="headcount", count=4)
    page = client.get(f"/staff/reports/?{RANGE}").get_data(as_text=True)
    assert figure(page, "visits") == 6 and figure(page, "unique") == 2
    assert "Per BOP" in page and "Slaaghwijk" in page and "Rijn en Vliet" in page


def test_periods_shortcuts_and_bad_input_never_fail(client, login, bop):
    login()
    today = local_today()
    for query in ("", "period=week", "period=month", "period=quarter", "period=year", "period=eeuw",
                  "from=gisteren&to=2026-10-01", "from=2026-10-31&to=2026-10-01", "from=1900-01-01&to=2026-01-01",
                  "from=2010-01-01&to=2026-01-01", "from=2026-02-30&to=2026-03-01"):
        response = client.get(f"/staff/reports/rijn-en-vliet?{query}")
        assert response.status_code == 200, query
    page = client.get("/staff/reports/rijn-en-vliet?period=eeuw").get_data(as_text=True)
    assert "Deze periode ken ik niet." in page
    last_month_end = today.replace(day=1) - timedelta(days=1)
    page = client.get("/staff/reports/rijn-en-vliet").get_data(as_text=True)
    assert f'value="{last_month_end.replace(day=1).isoformat()}"' in page and f'value="{last_month_end.isoformat()}"' in page
    page = client.get("/staff/reports/rijn-en-vliet?from=2026-10-31&to=2026-10-01").get_data(as_text=True)
    assert "De einddatum ligt vóór de begindatum." in page
    assert client.get("/staff/reports/nergens").status_code == 404
    assert client.get("/staff/reports/nergens.csv").status_code == 404
    assert client.get("/staff/reports/rijn-en-vliet.docx").status_code == 404


def test_trend_chart_is_an_svg_with_a_bar_per_week(client, login, bop):
    login()
    visit(bop, date(2026, 10, 6), None, method="headcount", count=7)
    visit(bop, date(2026, 10, 20), None, method="headcount", count=12)
    response = client.get(f"/staff/reports/rijn-en-vliet/trend.svg?{RANGE}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.count("<rect") >= 3 and "wk 41" in svg and "wk 43" in svg
    assert ">12<" in svg and ">7<" in svg     # the numbers above the bars


def test_reports_need_a_login(client, bop):
    assert client.get("/staff/reports/").status_code == 302
    assert client.get("/staff/reports/rijn-en-vliet.csv").status_code == 302


def test_week_planner_shows_the_attendance_of_the_last_four_weeks(client, login, walk, bop):
    login()
    monday = local_today() - timedelta(days=local_today().weekday())
    for weeks_ago, n in ((4, 12), (3, 9), (2, 14), (1, 11)):
        visit(bop, monday - timedelta(weeks=weeks_ago), None, walk, method="headcount", count=n)
    visit(bop, monday - timedelta(weeks=5), None, walk, method="headcount", count=99)   # too long ago
    visit(bop, monday, None, walk, method="headcount", count=50)                        # this week: not full yet
    page = client.get("/staff/plan/rijn-en-vliet").get_data(as_text=True)
    assert "laatste 4 weken: 12 · 9 · 14 · 11" in page
