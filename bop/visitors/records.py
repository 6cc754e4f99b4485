"""Keeping visitor records: cards, merging, erasure and export (AVG), card faces for print.

Plain functions on a SQLAlchemy session; they change it and leave the commit to the caller.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import or_, select, update

from ..accounts.models import Location
from ..checkin.models import CheckIn, Scan
from ..clock import utcnow
from ..extensions import DbSession
from ..printing.cards import CardFace
from .codes import format_code, generate_code
from .models import Card, Visitor


def issue_card(session: DbSession, visitor: Visitor, *, revoke_old: bool = False) -> Card:
    """A new card with a fresh random code; with `revoke_old` (a lost card) the others stop working."""
    if revoke_old:
        for card in visitor.cards:
            if card.revoked_at is None:
                card.revoked_at = utcnow()
    while True:
        code = generate_code()  # 80 bits: a clash is practically impossible, but cheap to rule out
        if session.execute(select(Card.id).filter_by(code=code)).first() is None:
            break
    card = Card(code=code)
    visitor.cards.append(card)
    return card


def active_card(visitor: Visitor) -> Card | None:
    """The newest card that still works."""
    cards = [c for c in visitor.cards if c.revoked_at is None]
    return max(cards, key=lambda c: (c.issued_at, c.id or 0)) if cards else None


def merge_visitors(session: DbSession, keep: Visitor, gone: Visitor) -> None:
    """`gone` turned out to be `keep`: its cards and check-ins move over, then it is deleted.

    Both cards keep working (the visitor may carry either). Where both have a check-in for the
    same place, day and slot, the earlier one stays, as a check-in's first time is kept, and the
    other is deleted before the move, so the unique constraint never fires.
    """
    if keep.id == gone.id:
        raise ValueError("cannot merge a visitor with itself")
    mine = {(c.location_id, c.day, c.slot): c for c in session.execute(
        select(CheckIn).filter_by(visitor_id=keep.id)).scalars()}
    for theirs in session.execute(select(CheckIn).filter_by(visitor_id=gone.id)).scalars().all():
        ours = mine.get((theirs.location_id, theirs.day, theirs.slot))
        if ours is None:
            continue
        if (theirs.server_time, theirs.id) < (ours.server_time, ours.id):
            session.delete(ours)
            mine[(theirs.location_id, theirs.day, theirs.slot)] = theirs
        else:
            session.delete(theirs)
    session.flush()
    session.execute(update(CheckIn).where(CheckIn.visitor_id == gone.id).values(visitor_id=keep.id))
    for card in list(gone.cards):
        card.visitor = keep
    keep.language = keep.language or gone.language
    keep.home_location_id = keep.home_location_id or gone.home_location_id
    if not keep.phone and gone.phone:
        keep.phone, keep.phone_consent_at = gone.phone, gone.phone_consent_at
    keep.created_at = min(keep.created_at, gone.created_at)
    seen = [t for t in (keep.last_seen_at, gone.last_seen_at) if t]
    keep.last_seen_at = max(seen) if seen else None
    session.flush()
    session.expire(gone, ["cards"])
    session.delete(gone)


def erase_visitor(session: DbSession, visitor: Visitor) -> int:
    """Delete a visitor (AVG right to erasure); returns how many check-ins were anonymised.

    The check-ins stay, without the link to the person: the BOP keeps its visitor numbers
    (principle 2: old named check-ins can become counts), and a check-in without a visitor is
    indistinguishable from a guest's, so nothing leads back to the person. Deleting them instead
    would change last year's attendance figures. The codes of their cards are also blanked in the
    scan log, which would otherwise still hold them.
    """
    codes = [c.code for c in visitor.cards]
    checkin_ids = select(CheckIn.id).where(CheckIn.visitor_id == visitor.id)
    if codes:
        session.execute(update(Scan).where(or_(
            Scan.checkin_id.in_(checkin_ids),
            Scan.raw_code.in_(codes + [format_code(c) for c in codes]),
        )).values(raw_code=""))
    result = session.execute(update(CheckIn).where(CheckIn.visitor_id == visitor.id).values(visitor_id=None))
    session.delete(visitor)
    return result.rowcount or 0


def export_visitor(session: DbSession, visitor: Visitor) -> dict:
    """Everything stored about one visitor, for an AVG access request."""

    def iso(value):
        return value.isoformat() if value is not None else None

    checkins = session.execute(
        select(CheckIn).filter_by(visitor_id=visitor.id).order_by(CheckIn.day, CheckIn.server_time)
    ).scalars()
    codes = [c.code for c in visitor.cards]
    scans = session.execute(
        select(Scan).where(Scan.raw_code.in_(codes + [format_code(c) for c in codes])).order_by(Scan.server_time)
    ).scalars() if codes else []
    return {
        "visitor": {
            "id": visitor.id,
            "name": visitor.name,
            "language": visitor.language,
            "phone": visitor.phone,
            "phone_consent_at": iso(visitor.phone_consent_at),
            "home_location": visitor.home_location.name if visitor.home_location else None,
            "created_at": iso(visitor.created_at),
            "last_seen_at": iso(visitor.last_seen_at),
        },
        "cards": [
            {"code": c.code, "issued_at": iso(c.issued_at), "revoked_at": iso(c.revoked_at)}
            for c in sorted(visitor.cards, key=lambda c: c.issued_at)
        ],
        "checkins": [
            {
                "day": iso(c.day),
                "location": c.location.name,
                "activity": c.activity.title if c.activity else None,
                "method": c.method,
                "source": c.source,
                "client_time": iso(c.client_time),
                "server_time": iso(c.server_time),
                "recorded_by_staff": c.staff.name if c.staff else None,
            }
            for c in checkins
        ],
        "scans": [
            {"code": s.raw_code, "status": s.status, "location": session.get(Location, s.location_id).name,
             "client_time": iso(s.client_time), "server_time": iso(s.server_time)}
            for s in scans
        ],
    }


def card_location(session: DbSession, visitor: Visitor) -> Location | None:
    """The BOP printed on the card: the visitor's own, else their organisation's first one."""
    if visitor.home_location is not None:
        return visitor.home_location
    return session.execute(select(Location).filter_by(organisation_id=visitor.organisation_id)
                           .order_by(Location.id).limit(1)).scalar_one_or_none()


def card_face(session: DbSession, visitor: Visitor, card: Card, *, with_name: bool) -> CardFace:
    location = card_location(session, visitor)
    phone = ""
    if location is not None:
        phone = location.phone or (location.contact.phone if location.contact else "")
    return CardFace(
        code=card.code,
        code_label=format_code(card.code),
        bop_name=location.name if location else "BOP",
        phone=phone,
        first_name=visitor.name if with_name else "",
    )




def anonymise_checkins(session: DbSession, before: date) -> int:
    """Cut the link between visitors and their check-ins from before `before` (principle 2).

    What stays is a count per place, day and activity: enough for the yearly report, while who
    came when is forgotten. The raw codes of those days' scans go too. Returns how many
    check-ins were anonymised.
    """
    old = CheckIn.day < before
    session.execute(update(Scan).where(Scan.checkin_id.in_(select(CheckIn.id).where(old))).values(raw_code=""))
    session.execute(update(Scan).where(Scan.server_time < datetime.combine(before, time.min)).values(raw_code=""))
    result = session.execute(update(CheckIn).where(old, CheckIn.visitor_id.is_not(None)).values(visitor_id=None))
    return result.rowcount or 0
