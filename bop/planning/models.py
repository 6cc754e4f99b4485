"""Planning models: activities, their translations and per-date changes, and closures."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Location, Staff
from ..clock import utcnow
from ..extensions import db


class Activity(db.Model):
    """A recurring (or one-off) activity at a location; its dates come from `rrule`."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    # One short line for the flyer and the agenda ("Wandelen in de wijk, hooguit 2 km").
    summary: Mapped[str] = mapped_column(String(160), default="")
    host_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    host_name: Mapped[str] = mapped_column(String(120), default="")  # a host who is not staff
    start_time: Mapped[time]
    duration_minutes: Mapped[int]
    # RFC 5545 RRULE value without the "RRULE:" prefix, e.g. "FREQ=WEEKLY;BYDAY=TU".
    rrule: Mapped[str] = mapped_column(String(200))
    first_date: Mapped[date]
    last_date: Mapped[date | None]
    capacity: Mapped[int | None]
    price_cents: Mapped[int] = mapped_column(default=0)
    bring: Mapped[str] = mapped_column(String(200), default="")
    threshold_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    location: Mapped[Location] = relationship(back_populates="activities")
    host: Mapped[Staff | None] = relationship()
    changes: Mapped[list[ActivityChange]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityChange.original_date"
    )
    translations: Mapped[list[ActivityTranslation]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )

    @property
    def host_display(self) -> str:
        return self.host.name if self.host else self.host_name

    def translated(self, lang: str) -> ActivityTranslation | None:
        return next((t for t in self.translations if t.lang == lang), None)

    def __repr__(self) -> str:
        return f"<Activity {self.title!r}>"


class ActivityTranslation(db.Model):
    """A staff-entered title, summary and reassurance line in another language (agenda, kiosk, bilingual flyers)."""

    __tablename__ = "activity_translation"
    __table_args__ = (UniqueConstraint("activity_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(160), default="")
    threshold_note: Mapped[str] = mapped_column(String(200), default="", server_default="")  # the reassurance line

    activity: Mapped[Activity] = relationship(back_populates="translations")


class ActivityChange(db.Model):
    """One date of a series cancelled (with a public reason) or moved to another date/time."""

    __tablename__ = "activity_change"
    __table_args__ = (UniqueConstraint("activity_id", "original_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    original_date: Mapped[date]
    cancelled: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(200), default="")
    new_date: Mapped[date | None]
    new_start_time: Mapped[time | None]

    activity: Mapped[Activity] = relationship(back_populates="changes")


class Closure(db.Model):
    """The whole location is closed from first_date to last_date inclusive (holidays)."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    first_date: Mapped[date]
    last_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")

    location: Mapped[Location] = relationship(back_populates="closures")
