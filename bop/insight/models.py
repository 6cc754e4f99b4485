"""What the insight pages store: outreach contacts and the highlights beside a report.

An outreach contact is personal data about a visitor (that staff tried to reach them, and the
outcome from a short list, never free text); it is exported and erased with the visitor
(`visitors.records` hooks). Highlights are stories about a BOP and a period, not about a person.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Location, Staff
from ..clock import utcnow
from ..extensions import db
from ..visitors.models import Visitor
from ..visitors.records import PersonalRecords, register_personal_records


class Outcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    NO_CONTACT = "no_contact"   # does not want to be contacted: off the list until they come back


OUTCOME_LABELS = {
    Outcome.REACHED: _l("Bereikt"), Outcome.NO_ANSWER: _l("Geen gehoor"),
    Outcome.NO_CONTACT: _l("Wil geen contact"),
}


class OutreachContact(db.Model):
    """A staff member tried to reach a visitor who was out of sight."""

    __tablename__ = "outreach_contact"
    __table_args__ = (Index("ix_outreach_contact_visitor_day", "visitor_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    day: Mapped[date]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    visitor: Mapped[Visitor] = relationship()
    staff: Mapped[Staff | None] = relationship()
    location: Mapped[Location | None] = relationship()


HIGHLIGHTS_MAX = 2000


class Highlight(db.Model):
    """Stories beside the numbers, per BOP and report period (printed in the funder PDF)."""

    __tablename__ = "report_highlight"
    __table_args__ = (UniqueConstraint("location_id", "first_day", "last_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    location: Mapped[Location] = relationship()


def _export_contacts(session, visitor: Visitor) -> list[dict]:
    rows = session.execute(db.select(OutreachContact).filter_by(visitor_id=visitor.id)
                           .order_by(OutreachContact.day, OutreachContact.id)).scalars()
    return [{"day": c.day.isoformat(), "outcome": c.outcome, "location": c.location.name if c.location else None,
             "staff": c.staff.name if c.staff else None} for c in rows]


def _erase_contacts(session, visitor: Visitor) -> None:
    session.execute(db.delete(OutreachContact).where(OutreachContact.visitor_id == visitor.id))


def _move_contacts(session, keep: Visitor, gone: Visitor) -> None:
    session.execute(db.update(OutreachContact).where(OutreachContact.visitor_id == gone.id)
                    .values(visitor_id=keep.id))


register_personal_records(PersonalRecords("outreach_contacts", _export_contacts, _erase_contacts, _move_contacts))


round_volunteer = db.Table(
    "round_volunteer", db.metadata,
    db.Column("round_id", ForeignKey("flyer_round.id", ondelete="CASCADE"), primary_key=True),
    db.Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class FlyerRound(db.Model):
    """A door-to-door round: a date, an area (streets or flat complexes, never people), the
    volunteers and the number of flyers. Its `marker` rides along in the flyers' QR code."""

    __tablename__ = "flyer_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    areas: Mapped[str] = mapped_column(String(500), default="")   # one street or complex a line
    flyers: Mapped[int] = mapped_column(default=0)
    marker: Mapped[str] = mapped_column(String(6), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    location: Mapped[Location] = relationship()
    volunteers: Mapped[list[Staff]] = relationship(secondary=round_volunteer, order_by="Staff.name")

    @property
    def area_lines(self) -> list[str]:
        return [line.strip() for line in self.areas.splitlines() if line.strip()]


class RoundOpen(db.Model):
    """How often the agenda was opened through a round's QR code, per day (a count, no visitor)."""

    __tablename__ = "round_open"
    __table_args__ = (UniqueConstraint("round_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("flyer_round.id", ondelete="CASCADE"))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)
