"""Pure parts of the reports: periods and their buckets, phone links, the ladder's arithmetic."""
from __future__ import annotations

from datetime import date

import pytest

from bop.insight.contact import international_digits, tel_url, whatsapp_url
from bop.insight.ladder import DEFAULT_VALUES, movement
from bop.insight.periods import Period, buckets, fold, parse_period, shortcut, weekday_totals


@pytest.mark.parametrize(("kind", "today", "first", "last"), [
    ("week", date(2026, 11, 29), date(2026, 11, 16), date(2026, 11, 22)),     # a Sunday: last full week
    ("week", date(2026, 11, 30), date(2026, 11, 23), date(2026, 11, 29)),
    ("month", date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
    ("month", date(2024, 3, 1), date(2024, 2, 1), date(2024, 2, 29)),          # leap year
    ("quarter", date(2026, 11, 29), date(2026, 7, 1), date(2026, 9, 30)),
    ("quarter", date(2026, 2, 1), date(2025, 10, 1), date(2025, 12, 31)),
    ("year", date(2026, 11, 29), date(2025, 1, 1), date(2025, 12, 31)),
])
def test_shortcuts_are_the_last_full_period(kind, today, first, last):
    assert shortcut(kind, today) == Period(first, last)


def test_the_period_before_a_whole_month_quarter_or_year_is_the_one_before():
    assert Period(date(2026, 3, 1), date(2026, 3, 31)).previous() == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period(date(2026, 7, 1), date(2026, 9, 30)).previous() == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert Period(date(2025, 1, 1), date(2025, 12, 31)).previous() == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert Period(date(2026, 10, 5), date(2026, 10, 14)).previous() == Period(date(2026, 9, 25), date(2026, 10, 4))


def test_parse_period_refuses_nonsense_in_dutch():
    today = date(2026, 11, 29)
    assert parse_period(None, None, None, today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    for first, last, kind in (("2026-10-31", "2026-10-01", None), ("x", "2026-10-01", None), (None, None, "eeuw"),
                              ("2000-01-01", "2026-01-01", None), ("1999-12-31", "2000-01-02", None)):
        with pytest.raises(ValueError):
            parse_period(first, last, kind, today)


def test_buckets_are_weeks_up_to_a_quarter_then_months_and_fold_adds_up():
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    weeks = buckets(october)
    assert [b.label for b in weeks] == ["wk 40", "wk 41", "wk 42", "wk 43", "wk 44"]
    assert weeks[0].first == date(2026, 10, 1) and weeks[-1].last == date(2026, 10, 31)   # clipped
    year = buckets(Period(date(2025, 1, 1), date(2025, 12, 31)))
    assert len(year) == 12 and year[0].label == "jan" and year[-1].last == date(2025, 12, 31)
    per_day = {date(2026, 10, 1): 3, date(2026, 10, 5): 4, date(2026, 10, 31): 5}
    assert fold(per_day, weeks) == [3, 4, 0, 0, 5] and sum(weekday_totals(per_day)) == 12


@pytest.mark.parametrize(("phone", "digits"), [
    ("06 12 34 56 78", "31612345678"), ("06-12345678", "31612345678"), ("+31 6 1234 5678", "31612345678"),
    ("0031 6 12345678", "31612345678"), ("+31 (0)6 12345678", "31612345678"), ("071 512 34 56", "31715123456"),
    ("+44 7700 900123", "447700900123"), ("12", None), ("612345678", None), ("", None),
])
def test_phone_numbers_for_wa_me(phone, digits):
    assert international_digits(phone) == digits


def test_whatsapp_link_carries_the_message_url_encoded():
    url = whatsapp_url("06 12 34 56 78", "Hallo Ayşe, de koffie staat klaar! 50% & meer?")
    assert url == "https://wa.me/31612345678?text=Hallo%20Ay%C5%9Fe%2C%20de%20koffie%20staat%20klaar%21%2050%25%20%26%20meer%3F"
    assert tel_url("06 12 34 56 78") == "tel:+31612345678" and whatsapp_url("12", "x") is None


def test_ladder_movement_and_value():
    result = movement([(1, 2), (2, 2), (4, 3), (3, 6)], DEFAULT_VALUES)
    assert (result.up, result.same, result.down, result.people) == (2, 1, 1, 4)
    assert result.value == (DEFAULT_VALUES[2] - DEFAULT_VALUES[1]) + (DEFAULT_VALUES[3] - DEFAULT_VALUES[4]) + \
        (DEFAULT_VALUES[6] - DEFAULT_VALUES[3])
