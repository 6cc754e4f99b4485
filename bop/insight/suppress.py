"""Small-cell protection for everything that leaves the organisation (the funder export).

Rule: no group of fewer than 5 people can be told apart. A count of 1 to 4 is printed as `<5`
(primary suppression), and no such count may be recovered by subtracting the printed cells from a
printed total. We use **secondary suppression**, not rounding to base 5:

- the numbers a funder reconciles (totals, large cells) stay exact; rounding would make every
  figure wrong by up to 2 and totals would no longer add up, which auditors then query;
- the issue asks for `<5` in the small cells, which rounding does not give;
- rounding alone does not protect either: with two cells rounded up by 2 and a total rounded down
  by 2 (e.g. 8, 8 and 1 of 17 printed as 10, 10, `<5` and 15) the `<5` is exactly 1 again.

Every table is a set of 1-dimensional *groups*: parts that add up to a printed total (visits per
activity add up to the visits, per weekday too, and so on). For each group:

1. a total of 1–4: the total and every part (zeros too) print `<5`; nothing inside can be pinned
   down, as any part could be 0 or the whole total;
2. otherwise each part of 1–4 prints `<5`; then, while any `<5` cell can be worked out exactly
   from what is printed, the smallest other printed part is hidden too, as `x` (secondary
   suppression), and when no part is left, the total itself (and then that total everywhere it is
   printed: groups share a total by `key`).

"Worked out exactly" is decided the way a careful reader would: a `<5` cell is 1–4, an `x` cell is
0 or at least 5 (all of 1–4 print `<5`), printed cells are exact, and the parts add up to the
total. A `<5` cell is safe when at least two values remain possible. The reader's reasoning is done
with exact integer interval arithmetic (sums of unions of intervals), not guessed.

Columns that do not add up (unique visitors per activity: one person comes to several) get
primary suppression only, and no total is printed for them.

Pure code: plain ints in, printed strings out; no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "x"
INF = 10**15

Intervals = tuple[tuple[int, int], ...]   # sorted, disjoint, closed
EXACT_SMALL: Intervals = ((1, THRESHOLD - 1),)
ANY_SMALL: Intervals = ((0, THRESHOLD - 1),)
HIDDEN_RANGE: Intervals = ((0, 0), (THRESHOLD, INF))


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _merge(parts: list[tuple[int, int]]) -> Intervals:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(parts):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def _plus(a: Intervals, b: Intervals) -> Intervals:
    return _merge([(x0 + y0, min(INF, x1 + y1)) for x0, x1 in a for y0, y1 in b])


def _overlaps(a: Intervals, b: Intervals) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


@dataclass
class Group:
    """Parts that add up to a total. `total=None`: the parts do not add up; no total is printed."""

    parts: list[int]
    total: int | None = None
    key: str | None = None          # groups with the same key print the same total
    shown: list[str] = field(default_factory=list)
    total_shown: str = ""


def possible_values(ranges: Sequence[Intervals], total: Intervals, cell: int) -> list[int]:
    """The values cell `cell` can take when each part lies in `ranges[i]` and the parts add up
    to something in `total` (small ranges are listed; only used for cells of at most 4)."""
    others: Intervals = ((0, 0),)
    for i, r in enumerate(ranges):
        if i != cell:
            others = _plus(others, r)
    found = []
    for lo, hi in ranges[cell]:
        for value in range(lo, min(hi, THRESHOLD * 2) + 1):
            wanted = tuple((max(0, t0 - value), max(-1, t1 - value)) for t0, t1 in total)
            if _overlaps(wanted, others):
                found.append(value)
    return found


def _reader_ranges(parts: list[int], shown: list[str]) -> list[Intervals]:
    return [EXACT_SMALL if s == SMALL else HIDDEN_RANGE if s == HIDDEN else ((v, v),)
            for v, s in zip(parts, shown, strict=True)]


def _unsafe(group: Group, total_hidden: bool) -> bool:
    """Can a reader pin down one of the group's `<5` cells exactly?"""
    assert group.total is not None
    ranges = _reader_ranges(group.parts, group.shown)
    total: Intervals = HIDDEN_RANGE if total_hidden else ((group.total, group.total),)
    return any(len(possible_values(ranges, total, i)) < 2 for i, s in enumerate(group.shown) if s == SMALL)


def _protect_one(group: Group, hidden_totals: set[str]) -> bool:
    """Fill in `shown` and `total_shown`; True when the group had to hide its (shared) total."""
    parts, total = group.parts, group.total
    if total is None:
        group.shown = [SMALL if is_small(v) else str(v) for v in parts]
        return False
    if total < THRESHOLD:
        group.shown = [SMALL if total else "0" for _ in parts]
        group.total_shown = SMALL if total else "0"
        return False
    total_hidden = group.key in hidden_totals
    group.shown = [SMALL if is_small(v) else str(v) for v in parts]
    while _unsafe(group, total_hidden):
        candidates = [(v == 0, v, i) for i, (v, s) in enumerate(zip(parts, group.shown, strict=True))
                      if s not in (SMALL, HIDDEN)]
        if candidates:
            group.shown[min(candidates)[2]] = HIDDEN
        elif not total_hidden:
            total_hidden = True
        else:  # cannot happen: with the total hidden, every `<5` cell can be any of 1–4
            raise AssertionError("group cannot be protected")
    group.total_shown = HIDDEN if total_hidden else str(total)
    return total_hidden and group.key not in hidden_totals


def protect(groups: Sequence[Group]) -> None:
    """Suppress every group in place; a total hidden in one group is hidden in all that share it."""
    hidden_totals: set[str] = set()
    while True:
        newly = False
        for group in groups:
            if _protect_one(group, hidden_totals):
                if group.key is None:
                    group.key = f"_{id(group)}"
                hidden_totals.add(group.key)
                newly = True
        if not newly:
            return


def protected(parts: list[int], total: int | None = None) -> tuple[list[str], str]:
    """One group on its own: the printed parts and the printed total."""
    group = Group(list(parts), total)
    protect([group])
    return group.shown, group.total_shown
