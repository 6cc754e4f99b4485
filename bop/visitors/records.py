"""Keeping visitor records: cards, merging, erasure and export (AVG), card faces for print.

Plain functions on a SQLAlchemy session; they change it and leave the commit to the caller.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast

from sqlalchemy import func, select, update

from ..accounts.models import Location
from ..checkin.models import CheckIn, Scan
from ..clock import utcnow
from ..extensions import DbSession
from ..printing.cards import CardFace
from .codes import CODE_LENGTH, format_code, generate_code, mentions
from .models import Card, Visitor


@dataclass(frozen=True)
class PersonalRecords:
    """Rows about a visitor that another capability keeps (e.g. insight's outreach contacts).

    They register here, so an export and an erasure cover them while the dependency still points
    one way (visitors never imports them)."""

    name: str
    export: Callable[[DbSession, Visitor], list[dict]]
    erase: Callable[[DbSession, Visitor], None]
    move: Callable[[DbSession, Visitor, Visitor], None]   # (keep, gone) when two visitors are merged


PERSONAL_RECORDS: dict[str, PersonalRecords] = {}


def register_personal_records(records: PersonalRecords) -> None:
    PERSONAL_RECORDS[records.name] = records


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


def last_visits(session: DbSession, visitor_ids: list[int]) -> dict[int, date]:
    """The day each of these visitors last came, for those who came: read from their named
    check-ins (the `(visitor_id, day, ...)` index), so it is forgotten with them when they are
    anonymised."""
    if not visitor_ids:
        return {}
    rows = session.execute(select(CheckIn.visitor_id, func.max(CheckIn.day))
                           .where(CheckIn.visitor_id.in_(visitor_ids)).group_by(CheckIn.visitor_id))
    return cast(dict[int, date], dict(rows.all()))  # visitor_id IN (...) is never NULL


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
    for records in PERSONAL_RECORDS.values():
        records.move(session, keep, gone)
    keep.created_at = min(keep.created_at, gone.created_at)
    session.flush()
    session.expire(gone, ["cards"])
    session.delete(gone)


def scans_of_cards(session: DbSession, visitor: Visitor) -> list[int]:
    """The ids of every logged scan of the visitor's cards, however the code was typed.

    The scan log keeps what was scanned as it came in ("mb73 pzkg 4pmq w4sf", "MB73-PZKG-..."), so
    comparing raw_code with the card codes in SQL misses most typed forms, and SQLite has no
    regexp_replace to normalise in the query. Normalising raw codes on insert instead would leave
    every scan logged before that unfound (a data migration), and would lose what was typed for a
    failed scan, which staff use to see what went wrong. So the normalising happens here, in Python,
    over (id, raw_code) of the rows long enough to hold a code: linear in the scan log, streamed,
    and run only for an export or an erasure, a few times a year.
    """
    codes = frozenset(c.code for c in visitor.cards)
    if not codes:
        return []
    rows = session.execute(
        select(Scan.id, Scan.raw_code).where(func.length(Scan.raw_code) >= CODE_LENGTH)
        .execution_options(yield_per=2000))
    return [scan_id for scan_id, raw in rows if mentions(raw, codes)]


def erase_visitor(session: DbSession, visitor: Visitor) -> int:
    """Delete a visitor (AVG right to erasure); returns how many check-ins were anonymised.

    The check-ins stay, without the link to the person: the BOP keeps its visitor numbers
    (principle 2: old named check-ins can become counts), and a check-in without a visitor is
    indistinguishable from a guest's, so nothing leads back to the person. Deleting them instead
    would change last year's attendance figures. The codes of their cards are also blanked in the
    scan log, which would otherwise still hold them.
    """
    checkin_ids = select(CheckIn.id).where(CheckIn.visitor_id == visitor.id)
    session.execute(update(Scan).where(Scan.checkin_id.in_(checkin_ids)).values(raw_code=""))
    scan_ids = scans_of_cards(session, visitor)
    for start in range(0, len(scan_ids), 500):
        session.execute(update(Scan).where(Scan.id.in_(scan_ids[start:start + 500])).values(raw_code=""))
    result = session.execute(update(CheckIn).where(CheckIn.visitor_id == visitor.id).values(visitor_id=None))
    for records in PERSONAL_RECORDS.values():
        records.erase(session, visitor)
    session.delete(visitor)
    return result.rowcount or 0


def export_visitor(session: DbSession, visitor: Visitor) -> dict:
    """Everything stored about one visitor, for an AVG access request."""

    def iso(value):
        return value.isoformat() if value is not None else None

    checkins = session.execute(
        select(CheckIn).filter_by(visitor_id=visitor.id).order_by(CheckIn.day, CheckIn.server_time)
    ).scalars()
    scan_ids = scans_of_cards(session, visitor)
    scans = [scan for start in range(0, len(scan_ids), 500) for scan in session.execute(
        select(Scan).where(Scan.id.in_(scan_ids[start:start + 500]))).scalars()]
    scans.sort(key=lambda s: (s.server_time, s.id))
    extra = {name: records.export(session, visitor) for name, records in sorted(PERSONAL_RECORDS.items())}
    return {
        "visitor": {
            "id": visitor.id,
            "name": visitor.name,
            "language": visitor.language,
            "phone": visitor.phone,
            "phone_consent_at": iso(visitor.phone_consent_at),
            "home_location": visitor.home_location.name if visitor.home_location else None,
            "created_at": iso(visitor.created_at),
            "last_visit": iso(last_visits(session, [visitor.id]).get(visitor.id)),
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
        **extra,
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
