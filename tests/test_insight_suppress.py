"""Small-cell suppression, checked against a brute-force reader who tries every possible table."""
from __future__ import annotations

import itertools
import random

import pytest

from bop.insight.suppress import HIDDEN, SMALL, Group, protect, protected


def reader_possibilities(shown: list[str], total_shown: str, bound: int) -> list[tuple[int, ...]]:
    """Every table (parts, total) a reader who knows the rules finds consistent with what is printed.

    `<5` is 1–4 (0–4 when the total itself is `<5`: then the whole breakdown prints `<5`), `x` is 0 or
    at least 5, and printed numbers are exact. Values are tried up to `bound`."""
    def options(cell: str, tiny: bool) -> range | list[int]:
        if cell == SMALL:
            return range(0 if tiny else 1, 5)
        if cell == HIDDEN:
            return [0, *range(5, bound + 1)]
        return [int(cell)]

    tiny = total_shown == SMALL
    totals = options(total_shown, False) if total_shown else None
    found = []
    for parts in itertools.product(*(options(c, tiny) for c in shown)):
        if totals is None or sum(parts) in totals:
            found.append(parts)
    return found


def assert_safe(parts: list[int], total: int | None = None) -> None:
    shown, total_shown = protected(parts, total)
    for value, cell in zip(parts, shown, strict=True):
        assert not (cell.isdigit() and 0 < int(cell) < 5)         # a 1–4 is never printed
        if cell.isdigit():
            assert int(cell) == value                            # what is printed is true
    if total_shown.isdigit():
        assert int(total_shown) == total and not 0 < total < 5
    if total is None:
        return
    worlds = reader_possibilities(shown, total_shown, bound=max(total, 5) + 6)
    assert tuple(parts) in worlds                                # the truth is among them
    for i, cell in enumerate(shown):
        if cell == SMALL or 0 < parts[i] < 5:
            assert len({w[i] for w in worlds}) >= 2, (parts, shown, total_shown, i)


@pytest.mark.parametrize("parts", [
    [1, 5, 20], [1, 5], [3, 12], [1, 1, 1, 1], [8, 8, 1], [0, 0, 7], [2, 3, 30], [4, 4], [1, 1], [4, 0, 0, 6],
    [1, 0, 0, 5], [2, 9, 9, 9], [0, 3], [5, 5, 1], [6], [3], [0], [1, 2, 3, 4],
])
def test_known_hard_cases(parts):
    assert_safe(parts, sum(parts))


def test_random_tables_never_leak_a_small_cell():
    rng = random.Random(20261129)
    for _ in range(400):
        parts = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12]) for _ in range(rng.randint(1, 5))]
        assert_safe(parts, sum(parts))


def test_large_cells_and_totals_stay_exact():
    shown, total = protected([120, 45, 0, 33], 198)
    assert shown == ["120", "45", "0", "33"] and total == "198"


def test_one_small_cell_hides_the_next_smallest_too():
    shown, total = protected([3, 12, 40], 55)
    assert shown == [SMALL, HIDDEN, "40"] and total == "55"


def test_columns_that_do_not_add_up_get_primary_suppression_only():
    assert protected([3, 12, 0]) == ([SMALL, "12", "0"], "")


def test_a_total_hidden_in_one_table_is_hidden_in_every_table_that_prints_it():
    by_activity = Group([1, 5], 6, key="visits")     # only hiding the total protects the 1
    by_weekday = Group([6, 0], 6, key="visits")
    protect([by_weekday, by_activity])
    assert by_activity.total_shown == HIDDEN and by_weekday.total_shown == HIDDEN
