"""Visitors and their cards.

Privacy (AVG): a visitor is a first name or nickname plus a random card code. No address, BSN,
birth date or health data. A phone number is kept only with recorded consent, for outreach calls.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Location, Organisation
from ..clock import utcnow
from ..extensions import db


class Visitor(db.Model):
    __tablename__ = "visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))             # first name or nickname, for the greeting
    language: Mapped[str] = mapped_column(String(8), default="")  # preferred language of the screens
    phone: Mapped[str] = mapped_column(String(40), default="")    # only with consent, for outreach calls
    phone_consent_at: Mapped[datetime | None]
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    # The organisation that issued the card: it works at that organisation's BOPs only.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # No "last seen" column: it is the day of the latest check-in (`records.last_visits`), so it
    # goes when old check-ins are anonymised, and a kiosk scan writes one row less.

    home_location: Mapped[Location | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    cards: Mapped[list[Card]] = relationship(back_populates="visitor", cascade="all, delete-orphan")


# The staff visitor list: an organisation's visitors by name, a page read in this order from the
# index rather than all of them sorted for every page (migration 0008).
Index("ix_visitor_organisation_name", Visitor.organisation_id, func.lower(Visitor.name), Visitor.id)


class Card(db.Model):
    """A printed card with a random code. Lost cards are revoked, never reused."""

    __tablename__ = "card"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    visitor: Mapped[Visitor] = relationship(back_populates="cards")
