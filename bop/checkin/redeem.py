"""Check-in semantics: what happens when a card is scanned, a guest is counted or a phone taps in.

Modelled on pretix's `redeem` (src/pretix/base/services/checkin.py):

* A named visitor counts once per location, day and slot (an activity, or 0 for the drop-in). The
  unique constraint on CheckIn enforces that, so two kiosks scanning one card at the same moment
  leave exactly one row: the check-in is inserted with `ON CONFLICT DO NOTHING`, and the loser of
  the race inserts nothing and answers `already`. No unique-key error, so a busy morning leaves
  the database's error log empty. The first check-in and its time are kept; later scans never
  overwrite it.
* A request with a nonce is answered once and stored as a Scan; a retry with the same nonce gets
  the same answer back (a kiosk that lost the response retries safely). Its Scan row is inserted
  with the answer, after the check-in and in the same transaction, the same way: whoever inserts
  it owns the request; a concurrent retry waits for that transaction (PostgreSQL: at the unique
  index; SQLite: at the write lock), deletes the check-in it had just inserted, and replays the
  stored answer. One INSERT per scan rather than an INSERT to claim the nonce and an UPDATE with
  the answer. The same nonce with a different request is a client bug: `invalid`/`nonce_reused`,
  and nothing is stored.
* Failed scans (unknown, revoked or malformed codes) are stored too, with the raw code (cut to
  fit) so staff can see what went wrong.
* Client time and server time are both kept. A kiosk that was offline uploads its queue later with
  the original scan times; those are accepted within `MAX_UPLOAD_AGE`, and must not lie in the
  future (beyond a little clock skew).

No Flask here: the caller passes the SQLAlchemy session and plain values, and commits. The
programme itself (what is on today, what is running) is planning's: `bop/planning/programme.py`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select

from ..accounts.models import Location
from ..clock import local_day, to_utc_naive, utcnow
from ..extensions import DbSession
from ..planning.models import Activity
from ..visitors.codes import MAX_RAW_LENGTH, normalize_code
from ..visitors.models import Card, Visitor
from . import past_visits
from .models import CheckIn, Method, Scan
from .statements import CARD_HOLDER, DELETE_CHECKIN, ActivityRef, insert_checkin, insert_scan

# A tablet offline on Friday afternoon may only come back on Monday morning.
MAX_UPLOAD_AGE = timedelta(hours=72)
# Tablet clocks drift; a scan "from the future" beyond this is refused.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_HEADCOUNT = 50
DROP_IN = 0  # the slot of a check-in without an activity


class Status(StrEnum):
    OK = "ok"
    ALREADY = "already"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    INVALID = "invalid"


class Kind(StrEnum):
    CARD = "card"            # a visitor's card code (or the code a remembered phone holds)
    VISITOR = "visitor"      # a known visitor picked by a staff member
    GUEST = "guest"          # someone without a card: counted, not named
    HEADCOUNT = "headcount"  # "+1 bezoeker": only a number


@dataclass(frozen=True)
class LocationRef:
    """A location by its id alone: all a check-in needs of it.

    The kiosk API knows the id from the device row and would otherwise load the Location entity
    on every scan only to read `.id` back.
    """

    id: int


@dataclass(frozen=True)
class Attempt:
    """One check-in request, in plain values."""

    location: Location | LocationRef
    day: date                          # the local date the check-in is for
    activity: Activity | ActivityRef | None = None   # None: the drop-in
    kind: Kind = Kind.CARD
    code: str | None = None            # raw, as scanned or typed (Kind.CARD)
    visitor: Visitor | None = None     # Kind.VISITOR
    count: int = 1                     # Kind.HEADCOUNT
    source: str = ""                   # Kind.GUEST: how they heard of the BOP
    method: Method = Method.CARD
    nonce: str | None = None
    client_time: datetime | None = None  # naive UTC
    device_id: int | None = None
    staff_id: int | None = None

    @property
    def slot(self) -> int:
        return self.activity.id if self.activity is not None else DROP_IN


@dataclass(frozen=True)
class CheckedIn:
    """A stored check-in as an answer needs it.

    Plain values rather than the CheckIn entity: the new row is inserted with Core (see
    `_new_checkin`), and an answer made of plain values can still be read after the commit,
    which expires entities. So the caller can commit first and release SQLite's write lock sooner.
    """

    id: int
    client_time: datetime | None
    server_time: datetime


@dataclass(frozen=True)
class Result:
    status: Status
    reason: str = ""                     # machine-readable detail, e.g. "revoked_code"
    checkin: CheckedIn | None = None     # the new check-in, or the earlier one for `already`
    name: str | None = None              # the visitor's first name or nickname, for the greeting
    activity: Activity | ActivityRef | None = None
    replayed: bool = False
    language: str = ""                   # the visitor's preferred language ("" when none), for the greeting

    @property
    def time(self) -> datetime | None:
        """When the (first) check-in happened, naive UTC."""
        return checkin_time(self.checkin) if self.checkin is not None else None


def checkin_time(checkin: CheckIn | CheckedIn) -> datetime:
    """The moment someone arrived: the device's clock when it told us, else ours."""
    return checkin.client_time or checkin.server_time


class TimeRefused(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "scanned_at_in_future" or "scanned_at_too_old"


def accepted_time(client_time: datetime | None, now: datetime) -> datetime:
    """The time a check-in counts for; raises TimeRefused for a clock that cannot be right."""
    if client_time is None:
        return now
    client_time = to_utc_naive(client_time)
    if client_time > now + MAX_CLOCK_SKEW:
        raise TimeRefused("scanned_at_in_future")
    if client_time < now - MAX_UPLOAD_AGE:
        raise TimeRefused("scanned_at_too_old")
    return client_time


def clean_raw(raw: object) -> str:
    """What was scanned, safe to store and show: cut to the column, no control characters.

    PostgreSQL refuses NUL in text, and a terminal or admin page should not get escape codes.
    """
    text = raw if isinstance(raw, str) else repr(raw)
    text = "".join(c if c.isprintable() else "\ufffd" for c in text[: MAX_RAW_LENGTH + 1])
    return text[:MAX_RAW_LENGTH]


def invalid_reason(raw: object) -> str:
    return "code_too_long" if isinstance(raw, str) and len(raw) > MAX_RAW_LENGTH else "malformed_code"


@dataclass(frozen=True)
class CardHolder:
    """A card as a scan needs it: whether it still works, and whose it is."""

    revoked: bool
    visitor_id: int
    name: str
    here: bool  # issued by the organisation that runs this location
    language: str = ""


def redeem(session: DbSession, attempt: Attempt, now: datetime | None = None) -> Result:
    """Record one check-in attempt and answer it. The caller commits (or rolls back).

    Nothing here relies on a failing statement: the unique keys are claimed with
    `INSERT ... ON CONFLICT DO NOTHING`, and an insert that did nothing is answered from the row that
    was there first. The loops only repeat when that row vanished in between (staff removed it).
    """
    # The statements below run on the connection, which skips the ORM's autoflush: a caller's
    # pending changes (a card made in this request, say) must reach the database first.
    session.flush()
    card = _card_for(session, attempt)   # read before taking the lock: cards hardly ever change
    return redeem_with_card(session, attempt, card, now)


# SQLite's write lock, and why nothing takes it explicitly (no BEGIN IMMEDIATE): in WAL mode a
# transaction that read first and writes later fails at once with "database is locked"
# (SQLITE_BUSY_SNAPSHOT) when another writer committed in between; busy_timeout cannot help it. A
# transaction whose first statement writes does not: SQLite retries that statement through the busy
# handler, so concurrent check-ins queue up. Python's sqlite3 module opens a transaction only right
# before the first INSERT, UPDATE or DELETE (reads before it, like the card's, run outside any
# transaction), and every path of `_redeem_once` starts with an INSERT: the check-in, or the Scan of
# a failed scan. A caller's earlier writes (`redeem` flushes them) hold the lock already. So the lock
# is taken where a BEGIN IMMEDIATE would have taken it, one statement later, without that statement
# (about 30 µs of SQLAlchemy per scan). PostgreSQL needs none of this: its unique index makes the
# second insert wait for the first transaction. Everything from the first write to the caller's
# commit holds up every other check-in, so the work in that window is kept to plain statements.
# (`tests/test_contention.py` hammers it.)


def redeem_with_card(session: DbSession, attempt: Attempt, card: CardHolder | None,
                     now: datetime | None = None) -> Result:
    """`redeem` for a caller that has read the card already, in this transaction and before the
    write lock, as `_card_for` reads it (the kiosk API reads it with the tablet, in one statement):
    None for no card, an unknown code or one that cannot be a code. Nothing may be pending in the
    session (`redeem` flushes first)."""
    now = now or utcnow()
    # SQLite's write lock: taken by the first INSERT below (see above).
    for _round in range(3):
        outcome = _redeem_once(session, attempt, card, now)
        if isinstance(outcome, Scan):
            return _replay(session, outcome, attempt)
        if outcome is not None:
            return outcome
    raise RuntimeError("check-in kept colliding with concurrent requests")


def _card_for(session: DbSession, attempt: Attempt) -> CardHolder | None:
    if attempt.kind != Kind.CARD or attempt.code is None:
        return None
    code = normalize_code(attempt.code)
    if code is None:
        return None
    row = session.connection().execute(CARD_HOLDER, {"code": code, "location_id": attempt.location.id}).one_or_none()
    if row is None:
        return None
    return CardHolder(row.revoked_at is not None, row.id, row.name, bool(row.here), row.language or "")


def _redeem_once(session: DbSession, attempt: Attempt, card: CardHolder | None,
                 now: datetime) -> Result | Scan | None:
    """The answer; or the earlier Scan with this request's nonce, when there is one (nothing of this
    attempt is kept: the caller replays that Scan); or None when the visitor's earlier check-in
    vanished while we looked (try again)."""
    visitor_id: int | None = None  # guests and headcounts: nobody by name
    name: str | None = None
    language = ""
    if attempt.kind not in (Kind.GUEST, Kind.HEADCOUNT):
        visitor, failure = _visitor_for(attempt, card)
        if failure is not None:
            return _log_scan(session, attempt, now, failure.status) or failure
        assert visitor is not None  # `_visitor_for` gives the one or the other
        visitor_id, name, language = visitor

    checkin = _new_checkin(session, attempt, now, visitor_id=visitor_id)
    if checkin is None:  # already in, perhaps by a concurrent scan a moment ago
        assert visitor_id is not None  # a guest or a headcount never conflicts
        existing = _existing_checkin(session, attempt, visitor_id)
        if existing is None:
            return None
        return (_log_scan(session, attempt, now, Status.ALREADY, existing)
                or Result(Status.ALREADY, "already_checked_in", existing, name, attempt.activity, language=language))
    earlier = _log_scan(session, attempt, now, Status.OK, checkin)
    if earlier is not None:
        # This nonce was answered before: the check-in just inserted must not stay. Deleted in the
        # same transaction, before anyone else could see it, it leaves no trace.
        session.connection().execute(DELETE_CHECKIN, {"checkin_id": checkin.id})
        return earlier
    return Result(Status.OK, checkin=checkin, name=name, activity=attempt.activity, language=language)


def _visitor_for(attempt: Attempt, card: CardHolder | None) -> tuple[tuple[int, str, str] | None, Result | None]:
    """(visitor id, name, language) of the one checking in, or the answer why nobody can be."""
    if attempt.kind == Kind.VISITOR:
        if attempt.visitor is None:
            return None, Result(Status.UNKNOWN, "unknown_visitor", activity=attempt.activity)
        return (attempt.visitor.id, attempt.visitor.name, attempt.visitor.language or ""), None
    if attempt.code is None or normalize_code(attempt.code) is None:
        return None, Result(Status.INVALID, invalid_reason(attempt.code), activity=attempt.activity)
    if card is None:
        return None, Result(Status.UNKNOWN, "unknown_code", activity=attempt.activity)
    if card.revoked:
        return None, Result(Status.REVOKED, "revoked_code", activity=attempt.activity)
    if not card.here:  # another organisation's card: logged as a failed scan, no name given back
        return None, Result(Status.UNKNOWN, "other_organisation", activity=attempt.activity)
    return (card.visitor_id, card.name, card.language), None


def _existing_checkin(session: DbSession, attempt: Attempt, visitor_id: int) -> CheckedIn | None:
    row = session.execute(
        select(CheckIn.id, CheckIn.client_time, CheckIn.server_time).filter_by(
            visitor_id=visitor_id, location_id=attempt.location.id, day=attempt.day, slot=attempt.slot
        )
    ).one_or_none()
    return CheckedIn(row.id, row.client_time, row.server_time) if row is not None else None


def _new_checkin(session: DbSession, attempt: Attempt, now: datetime, visitor_id: int | None) -> CheckedIn | None:
    """Insert the CheckIn row with a plain INSERT rather than an ORM object and a flush; None when
    this visitor already has one for the slot (nothing inserted)."""
    method = Method.HEADCOUNT if attempt.kind == Kind.HEADCOUNT else attempt.method
    checkin_id = insert_checkin(session.connection(), {
        "location_id": attempt.location.id,
        "day": attempt.day,
        "slot": attempt.slot,
        "activity_id": attempt.activity.id if attempt.activity is not None else None,
        "visitor_id": visitor_id,
        "count": attempt.count if attempt.kind == Kind.HEADCOUNT else 1,
        "method": str(method),
        "source": attempt.source if attempt.kind == Kind.GUEST else "",
        "client_time": attempt.client_time,
        "server_time": now,
        "device_id": attempt.device_id,
        "staff_id": attempt.staff_id,
    })
    if checkin_id is None:
        return None
    if attempt.day < local_day(now):  # a late upload: the ORM's listener never sees this INSERT
        past_visits.bump(session.connection(), [attempt.location.id])
    return CheckedIn(checkin_id, attempt.client_time, now)


def _scan_values(attempt: Attempt, now: datetime, status: str, checkin_id: int | None = None) -> dict:
    return {
        "nonce": attempt.nonce,
        "location_id": attempt.location.id,
        "device_id": attempt.device_id,
        "raw_code": clean_raw(attempt.code) if attempt.kind == Kind.CARD and attempt.code is not None else "",
        "status": status,
        "activity_id": attempt.activity.id if attempt.activity is not None else None,
        "checkin_id": checkin_id,
        "client_time": attempt.client_time,
        "server_time": now,
    }


def _log_scan(session: DbSession, attempt: Attempt, now: datetime, status: Status,
              checkin: CheckedIn | None = None) -> Scan | None:
    """Store the answer to a request with a nonce (for replays) and every scanned code (a log).

    A request with a nonce always gets its Scan, inserted once with its answer; when a Scan with
    that nonce is there already (or being inserted by a concurrent transaction, which PostgreSQL's
    unique index makes this one wait for; on SQLite the write lock already did) nothing is stored
    and that earlier Scan is returned: the request was answered before. A phone's or a staff
    member's successful check-in needs no Scan: the CheckIn row says it all.
    """
    values = _scan_values(attempt, now, str(status), checkin.id if checkin is not None else None)
    if not attempt.nonce:
        if attempt.kind == Kind.CARD and (attempt.method == Method.CARD or status not in (Status.OK, Status.ALREADY)):
            insert_scan(session.connection(), values)  # no nonce: NULLs never conflict
        return None
    for _round in range(3):
        if insert_scan(session.connection(), values) is not None:
            return None
        earlier = session.execute(select(Scan).filter_by(nonce=attempt.nonce)).scalar_one_or_none()
        if earlier is not None:
            return earlier
        # It vanished between the two statements (staff removed it): try to store ours again.
    raise RuntimeError("check-in kept colliding with concurrent requests")


def _replay(session: DbSession, scan: Scan, attempt: Attempt) -> Result:
    """The stored answer to an earlier request with this nonce, if it really is the same request."""
    if not _same_request(session, scan, attempt):
        return Result(Status.INVALID, "nonce_reused", activity=attempt.activity)
    checkin = session.get(CheckIn, scan.checkin_id) if scan.checkin_id is not None else None
    visitor = checkin.visitor if checkin is not None else None
    if visitor is None and scan.raw_code and scan.status in (Status.OK, Status.ALREADY):
        code = normalize_code(scan.raw_code)
        card = session.execute(select(Card).filter_by(code=code)).scalar_one_or_none() if code else None
        visitor = card.visitor if card is not None else None
    reason = {Status.ALREADY: "already_checked_in", Status.UNKNOWN: "unknown_code",
              Status.REVOKED: "revoked_code", Status.INVALID: invalid_reason(attempt.code)}.get(Status(scan.status), "")
    name = visitor.name if visitor is not None else None
    language = (visitor.language or "") if visitor is not None else ""
    stored = CheckedIn(checkin.id, checkin.client_time, checkin.server_time) if checkin is not None else None
    # attempt.activity is the scan's activity: _same_request compared their ids.
    return Result(Status(scan.status), reason, stored, name, attempt.activity, replayed=True, language=language)


def _same_request(session: DbSession, scan: Scan, attempt: Attempt) -> bool:
    activity_id = attempt.activity.id if attempt.activity is not None else None
    if scan.activity_id != activity_id or scan.location_id != attempt.location.id:
        return False
    if attempt.kind == Kind.CARD:
        if not scan.raw_code:
            return False
        new, old = normalize_code(attempt.code or ""), normalize_code(scan.raw_code)
        return new == old if new is not None and old is not None else clean_raw(attempt.code) == scan.raw_code
    if scan.raw_code:
        return False
    checkin = session.get(CheckIn, scan.checkin_id) if scan.checkin_id is not None else None
    if checkin is None:
        return True  # the check-in was removed by staff since; the request itself matched
    wanted = Method.HEADCOUNT if attempt.kind == Kind.HEADCOUNT else attempt.method
    return checkin.method == wanted and (attempt.kind != Kind.HEADCOUNT or checkin.count == attempt.count)
