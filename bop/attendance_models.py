"""Attendance models: pseudonymous visitors, their cards, paired kiosks, check-ins and scans.

Privacy (AVG): a visitor is a first name or nickname plus a random card code. No address, BSN,
birth date or health data. A phone number is kept only with recorded consent, for outreach calls.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import Activity, Location, Staff, utcnow


class Visitor(db.Model):
    __tablename__ = "visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))             # first name or nickname, for the greeting
    language: Mapped[str] = mapped_column(String(8), default="")  # preferred language of the screens
    phone: Mapped[str] = mapped_column(String(40), default="")    # only with consent, for outreach calls
    phone_consent_at: Mapped[datetime | None]
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]

    home_location: Mapped[Location | None] = relationship()
    cards: Mapped[list[Card]] = relationship(back_populates="visitor", cascade="all, delete-orphan")


class Card(db.Model):
    """A printed card with a random code. Lost cards are revoked, never reused."""

    __tablename__ = "card"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    visitor: Mapped[Visitor] = relationship(back_populates="cards")


class KioskDevice(db.Model):
    """A tablet paired to one location. It holds its own token; only its hash is stored."""

    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    pairing_expires_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paired_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]

    location: Mapped[Location] = relationship()


class Method(StrEnum):
    CARD = "card"            # card scanned at a kiosk
    PHONE = "phone"          # the visitor's own phone, /bop/<slug>/in
    STAFF = "staff"          # added by hand by a staff member
    HEADCOUNT = "headcount"  # "+1 bezoeker"
    GUEST = "guest"          # "Nieuw? Tik hier" at a kiosk: a guest without a card or name


class CheckIn(db.Model):
    """Someone came to a location on a day, optionally for one activity.

    `slot` is the activity id, or 0 for the drop-in (no activity), so that the unique constraint
    makes a named visitor count once per activity per day even under concurrent scans. Guests and
    headcounts have no visitor, and SQL treats their NULLs as distinct.
    """

    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("visitor_id", "location_id", "day", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    slot: Mapped[int] = mapped_column(default=0)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(default=1)   # > 1 only for an anonymised or headcount row
    method: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(20), default="")  # how a newcomer heard of the BOP
    client_time: Mapped[datetime | None]          # when the kiosk or phone recorded it (UTC)
    server_time: Mapped[datetime] = mapped_column(default=utcnow)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    location: Mapped[Location] = relationship()
    activity: Mapped[Activity | None] = relationship()
    visitor: Mapped[Visitor | None] = relationship()
    staff: Mapped[Staff | None] = relationship()


class Scan(db.Model):
    """Every card scan or kiosk request with a nonce, with its answer, as pretix logs them.

    A retry with the same nonce gets the stored answer back; failed scans (unknown, revoked,
    invalid) keep their raw code and reason for the staff.
    """

    __tablename__ = "scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id", ondelete="SET NULL"))
    raw_code: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkin.id", ondelete="SET NULL"))
    client_time: Mapped[datetime | None]
    server_time: Mapped[datetime] = mapped_column(default=utcnow)
