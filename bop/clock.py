"""The one clock: UTC for storage, Europe/Amsterdam for everything a person sees.

Stored times are naive UTC (SQLite has no time zones); days and times on screens and paper are
Amsterdam's, so a server on UTC never shows yesterday's programme after midnight. No Flask here.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Now as naive UTC, the form every stored timestamp has."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A naive UTC datetime as aware Europe/Amsterdam time."""
    return moment.replace(tzinfo=UTC).astimezone(TZ)


def to_utc_naive(moment: datetime) -> datetime:
    """An aware datetime (any zone) as naive UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_day(moment_utc: datetime) -> date:
    """The Amsterdam date of a naive UTC moment."""
    return to_local(moment_utc).date()


def local_now() -> datetime:
    return datetime.now(TZ)


def local_today() -> date:
    return local_now().date()
