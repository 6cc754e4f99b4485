"""Check-in models: paired kiosks, check-ins and every scan with its answer."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Location, Staff
from ..clock import utcnow
from ..extensions import db
from ..planning.models import Activity
from ..visitors.models import Visitor


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
    """How a check-in was recorded."""

    CARD = "card"            # card scanned at a kiosk
    PHONE = "phone"          # the visitor's own phone, /bop/<slug>/in
    STAFF = "staff"          # added by hand by a staff member
    HEADCOUNT = "headcount"  # "+1 bezoeker"
    GUEST = "guest"          # "Nieuw? Tik hier" at a kiosk: a guest without a card or name


METHOD_LABELS = {
    Method.CARD: _l("Kaart gescand"), Method.PHONE: _l("Eigen telefoon"), Method.STAFF: _l("Door medewerker"),
    Method.GUEST: _l("Gast"), Method.HEADCOUNT: _l("Geteld"),
}


class CheckIn(db.Model):
    """Someone came to a location on a day, optionally for one activity.

    `slot` is the activity id, or 0 for the drop-in (no activity), so that the unique constraint
    makes a named visitor count once per activity per day even under concurrent scans. Guests and
    headcounts have no visitor, and SQL treats their NULLs as distinct.
    """

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("visitor_id", "location_id", "day", "slot"),
        # Today's list, today.json, the kiosk's today and visit counts ask location_id = ? AND
        # day = ?; this index also serves location_id alone (the foreign key's lookups).
        Index("ix_checkin_location_id_day", "location_id", "day"),
        # Reports: covers every column a report's GROUP BY reads, so a BOP's or an organisation's
        # period is read from the index alone (bench/bench_insight.py: ~5x faster on 1M check-ins).
        Index("ix_checkin_report", "location_id", "day", "visitor_id", "activity_id", "method", "source", "count"),
        # A visitor's page lists their visits latest first, a page at a time: read in this order
        # from the index, 50 rows, rather than all their visits sorted (migration 0008).
        Index("ix_checkin_visitor_id_day", "visitor_id", "day", "server_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
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
