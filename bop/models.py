"""Planning models: staff, locations (BOPs), activities and their per-date changes and closures.

Check-in models (visitors, cards, kiosks, check-ins) live in `bop/attendance_models.py`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Role(StrEnum):
    COORDINATOR = "coordinator"   # manages staff and locations, and plans
    WORKER = "worker"             # plans activities
    VOLUNTEER = "volunteer"       # may look, not edit


class Staff(UserMixin, db.Model):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.WORKER)
    # Phone and WhatsApp are printed on flyers: the one contact people recognise.
    phone: Mapped[str] = mapped_column(String(40), default="")
    whatsapp: Mapped[str] = mapped_column(String(40), default="")
    # A small JPEG, resized on upload; printed on flyers next to the name.
    photo: Mapped[bytes | None] = mapped_column(db.LargeBinary, deferred=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt, werkzeug's default

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def can_plan(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.WORKER)

    @property
    def can_manage(self) -> bool:
        return self.role == Role.COORDINATOR

    def __repr__(self) -> str:
        return f"<Staff {self.email}>"


class Location(db.Model):
    """One BuurtOntmoetingsPlek."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    contact: Mapped[Staff | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Activity.start_time"
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Closure.first_date"
    )

    def __repr__(self) -> str:
        return f"<Location {self.slug}>"


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
    """A staff-entered title and summary in another language, for bilingual flyers."""

    __tablename__ = "activity_translation"
    __table_args__ = (UniqueConstraint("activity_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(160), default="")

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
