"""Participatieladder records, opt-in: the visitor's consent and the rungs measured together with them.

Personal data with a purpose (showing what the BOP does for people, in aggregate): only with
recorded consent, never for volunteers, in the visitor's export, gone with erasure, and withdrawing
consent removes every measurement.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from ..visitors.models import Visitor
from ..visitors.records import PersonalRecords, register_personal_records


class LadderConsent(db.Model):
    __tablename__ = "ladder_consent"

    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"), primary_key=True)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))


class LadderStep(db.Model):
    """One measurement: on `day` the visitor stood on `rung` (1–6), recorded with them."""

    __tablename__ = "ladder_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    rung: Mapped[int]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def withdraw(session, visitor_id: int) -> None:
    session.execute(db.delete(LadderStep).where(LadderStep.visitor_id == visitor_id))
    session.execute(db.delete(LadderConsent).where(LadderConsent.visitor_id == visitor_id))


def _export(session, visitor: Visitor) -> list[dict]:
    consent = session.get(LadderConsent, visitor.id)
    if consent is None:
        return []
    steps = session.execute(db.select(LadderStep).filter_by(visitor_id=visitor.id).order_by(LadderStep.day)).scalars()
    return [{"consent_given_at": consent.given_at.isoformat()},
            *({"day": s.day.isoformat(), "rung": s.rung} for s in steps)]


def _move(session, keep: Visitor, gone: Visitor) -> None:
    session.execute(db.update(LadderStep).where(LadderStep.visitor_id == gone.id).values(visitor_id=keep.id))
    if session.get(LadderConsent, keep.id) is None and session.get(LadderConsent, gone.id) is not None:
        consent = session.get(LadderConsent, gone.id)
        session.add(LadderConsent(visitor_id=keep.id, given_at=consent.given_at, recorded_by_id=consent.recorded_by_id))
    session.execute(db.delete(LadderConsent).where(LadderConsent.visitor_id == gone.id))
    if session.get(LadderConsent, keep.id) is None:   # no consent for the person kept: nothing stays
        withdraw(session, keep.id)


register_personal_records(PersonalRecords("participation_ladder", _export, lambda s, v: withdraw(s, v.id), _move))
