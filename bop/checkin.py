"""Check-in semantics: what happens when a card is scanned, a guest is counted or a phone taps in.

Modelled on pretix's `redeem` (src/pretix/base/services/checkin.py):

* A named visitor counts once per location, day and slot (an activity, or 0 for the drop-in). The
  unique constraint on CheckIn enforces that, so two kiosks scanning one card at the same moment
  leave exactly one row: the loser of the race gets an IntegrityError inside a SAVEPOINT and
  answers `already`. The first check-in and its time are kept; later scans never overwrite it.
* A request with a nonce is answered once and stored as a Scan; a retry with the same nonce gets
  the same answer back (a kiosk that lost the response retries safely). The same nonce with a
  different request is a client bug: `invalid`/`nonce_reused`, and nothing is stored.
* Failed scans (unknown, revoked or malformed codes) are stored too, with the raw code (cut to
  fit) so staff can see what went wrong.
* Client time and server time are both kept. A kiosk that was offline uploads its queue later with
  the original scan times; those are accepted within `MAX_UPLOAD_AGE`, and must not lie in the
  future (beyond a little clock skew).

No Flask here: the caller passes the SQLAlchemy session and plain values, and commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .attendance_models import Card, CheckIn, Method, Scan, Visitor
from .cards import MAX_RAW_LENGTH, normalize_code
from .models import Activity, Location
from . import schedule
from .programme import Scheduled, changes_of, closures_of, occurrences_between, series_of
from .schedule import TZ

# A tablet offline on Friday afternoon may only come back on Monday morning.
MAX_UPLOAD_AGE = timedelta(hours=72)
# Tablet clocks drift; a scan "from the future" beyond this is refused.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_HEADCOUNT = 50
# How a newcomer heard of the BOP; "" when they skipped the question. "poster" is only set from
# the agenda's `bron` cookie, never asked.
SOURCES = ("flyer", "neighbour", "worker", "other", "poster")
# An activity counts as "running" from a little before its start, when people arrive for coffee.
RUNNING_LEAD = timedelta(minutes=15)
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
class Attempt:
    """One check-in request, in plain values."""

    location: Location
    day: date                          # the local date the check-in is for
    activity: Activity | None = None   # None: the drop-in
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
class Result:
    status: Status
    reason: str = ""                     # machine-readable detail, e.g. "revoked_code"
    checkin: CheckIn | None = None       # the new check-in, or the earlier one for `already`
    visitor: Visitor | None = None
    activity: Activity | None = None
    replayed: bool = False

    @property
    def name(self) -> str | None:
        return self.visitor.name if self.visitor is not None else None

    @property
    def time(self) -> datetime | None:
        """When the (first) check-in happened, naive UTC."""
        return checkin_time(self.checkin) if self.checkin is not None else None


def checkin_time(checkin: CheckIn) -> datetime:
    """The moment someone arrived: the device's clock when it told us, else ours."""
    return checkin.client_time or checkin.server_time


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A naive UTC datetime as aware Europe/Amsterdam time."""
    return moment.replace(tzinfo=timezone.utc).astimezone(TZ)


def to_utc_naive(moment: datetime) -> datetime:
    """An aware datetime (any zone) as naive UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


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


def local_day(moment_utc: datetime) -> date:
    return to_local(moment_utc).date()


def clean_raw(raw: object) -> str:
    """What was scanned, safe to store and show: cut to the column, no control characters.

    PostgreSQL refuses NUL in text, and a terminal or admin page should not get escape codes.
    """
    text = raw if isinstance(raw, str) else repr(raw)
    text = "".join(c if c.isprintable() else "\ufffd" for c in text[: MAX_RAW_LENGTH + 1])
    return text[:MAX_RAW_LENGTH]


def todays_programme(location: Location, day: date) -> list[Scheduled]:
    """The activities that take place at `location` on `day` (cancelled ones left out)."""
    return [s for s in occurrences_between(location, day, day) if not s.occurrence.cancelled]


def running_now(programme: list[Scheduled], now: datetime) -> Scheduled | None:
    """The activity going on at `now` (aware): the one that started last, if several overlap."""
    going = [s for s in programme if s.occurrence.start - RUNNING_LEAD <= now < s.occurrence.end]
    return max(going, key=lambda s: s.occurrence.start) if going else None


def occurrence_on(location: Location, activity: Activity | None, day: date) -> Scheduled | None:
    """The activity's (not cancelled) occurrence on `day`, if any.

    The same expansion as `occurrences_between`, restricted to one activity: every kiosk scan asks
    this, and loading the whole programme for it would cost more than the check-in itself.
    """
    if activity is None or activity.location_id != location.id:
        return None
    found = schedule.expand([series_of(activity)], changes_of(activity), closures_of(location), day, day)
    return next((Scheduled(activity, o) for o in found if not o.cancelled), None)


def invalid_reason(raw: object) -> str:
    return "code_too_long" if isinstance(raw, str) and len(raw) > MAX_RAW_LENGTH else "malformed_code"


def redeem(session: Session, attempt: Attempt, now: datetime | None = None) -> Result:
    """Record one check-in attempt and answer it. The caller commits (or rolls back).

    Optimistic first: most scans are new check-ins, so the first round inserts straight away and
    lets the unique constraints speak. When one fails (this visitor is already checked in for the
    slot, or this nonce was answered before, perhaps by a concurrent request), the SAVEPOINT is
    rolled back and the next round looks first and answers from what it finds.
    """
    now = now or utc_now()
    card = _card_for(session, attempt)   # read before taking the lock: cards hardly ever change
    _lock_for_write(session)
    for round_ in range(3):
        optimistic = round_ == 0
        if attempt.nonce and not optimistic:
            earlier = session.execute(select(Scan).filter_by(nonce=attempt.nonce)).scalar_one_or_none()
            if earlier is not None:
                return _replay(session, earlier, attempt)
        try:
            with session.begin_nested():
                return _redeem_once(session, attempt, card, now, look_first=not optimistic)
        except IntegrityError:
            continue
    raise RuntimeError("check-in kept colliding with concurrent requests")


def _lock_for_write(session: Session) -> None:
    """On SQLite, take the write lock before the first read of this transaction.

    In WAL mode a transaction that read first and writes later fails at once with "database is
    locked" (SQLITE_BUSY_SNAPSHOT) when another writer committed in between; busy_timeout cannot
    help it. BEGIN IMMEDIATE makes concurrent check-ins queue up instead. PostgreSQL needs none of
    this: its unique index makes the second insert wait for the first transaction.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _card_for(session: Session, attempt: Attempt) -> Card | None:
    if attempt.kind != Kind.CARD or attempt.code is None:
        return None
    code = normalize_code(attempt.code)
    if code is None:
        return None
    return session.execute(
        select(Card).filter_by(code=code).options(joinedload(Card.visitor))
    ).scalar_one_or_none()


def _redeem_once(session: Session, attempt: Attempt, card: Card | None, now: datetime,
                 look_first: bool) -> Result:
    if attempt.kind in (Kind.GUEST, Kind.HEADCOUNT):
        checkin = _new_checkin(attempt, now, visitor=None)
        session.add(checkin)
        session.flush()
        _log_scan(session, attempt, now, Status.OK, checkin)
        return Result(Status.OK, checkin=checkin, activity=attempt.activity)

    visitor, failure = _visitor_for(attempt, card)
    if failure is not None:
        _log_scan(session, attempt, now, failure.status)
        return failure

    existing = _existing_checkin(session, attempt, visitor) if look_first else None
    if existing is not None:
        _log_scan(session, attempt, now, Status.ALREADY, existing)
        return Result(Status.ALREADY, "already_checked_in", existing, visitor, attempt.activity)

    seen = attempt.client_time or now
    if visitor.last_seen_at is None or visitor.last_seen_at < seen:
        visitor.last_seen_at = seen
    checkin = _new_checkin(attempt, now, visitor=visitor)
    session.add(checkin)
    session.flush()  # IntegrityError when this visitor is already in (maybe by a concurrent scan)
    _log_scan(session, attempt, now, Status.OK, checkin)
    return Result(Status.OK, checkin=checkin, visitor=visitor, activity=attempt.activity)


def _visitor_for(attempt: Attempt, card: Card | None) -> tuple[Visitor | None, Result | None]:
    if attempt.kind == Kind.VISITOR:
        if attempt.visitor is None:
            return None, Result(Status.UNKNOWN, "unknown_visitor", activity=attempt.activity)
        return attempt.visitor, None
    if attempt.code is None or normalize_code(attempt.code) is None:
        return None, Result(Status.INVALID, invalid_reason(attempt.code), activity=attempt.activity)
    if card is None:
        return None, Result(Status.UNKNOWN, "unknown_code", activity=attempt.activity)
    if card.revoked_at is not None:
        return None, Result(Status.REVOKED, "revoked_code", visitor=None, activity=attempt.activity)
    return card.visitor, None


def _existing_checkin(session: Session, attempt: Attempt, visitor: Visitor) -> CheckIn | None:
    return session.execute(
        select(CheckIn).filter_by(
            visitor_id=visitor.id, location_id=attempt.location.id, day=attempt.day, slot=attempt.slot
        )
    ).scalar_one_or_none()


def _new_checkin(attempt: Attempt, now: datetime, visitor: Visitor | None) -> CheckIn:
    method = Method.HEADCOUNT if attempt.kind == Kind.HEADCOUNT else attempt.method
    return CheckIn(
        location_id=attempt.location.id,
        day=attempt.day,
        slot=attempt.slot,
        activity_id=attempt.activity.id if attempt.activity is not None else None,
        visitor_id=visitor.id if visitor is not None else None,
        count=attempt.count if attempt.kind == Kind.HEADCOUNT else 1,
        method=method,
        source=attempt.source if attempt.kind == Kind.GUEST else "",
        client_time=attempt.client_time,
        server_time=now,
        device_id=attempt.device_id,
        staff_id=attempt.staff_id,
    )


def _log_scan(session: Session, attempt: Attempt, now: datetime, status: Status,
              checkin: CheckIn | None = None) -> None:
    """Store the answer to a request with a nonce (for replays) and every scanned code (a log).

    A phone's or a staff member's successful check-in needs no Scan: the CheckIn row says it all.
    """
    if attempt.nonce is None and (
        attempt.kind != Kind.CARD
        or (attempt.method != Method.CARD and status in (Status.OK, Status.ALREADY))
    ):
        return
    # A plain INSERT, not an ORM object: nothing reads the row back in this request, and it saves
    # a unit-of-work flush on every scan. IntegrityError when this nonce was answered before.
    session.execute(insert(Scan.__table__).values(
        nonce=attempt.nonce,
        location_id=attempt.location.id,
        device_id=attempt.device_id,
        raw_code=clean_raw(attempt.code) if attempt.kind == Kind.CARD and attempt.code is not None else "",
        status=str(status),
        activity_id=attempt.activity.id if attempt.activity is not None else None,
        checkin_id=checkin.id if checkin is not None else None,
        client_time=attempt.client_time,
        server_time=now,
    ))


def _replay(session: Session, scan: Scan, attempt: Attempt) -> Result:
    """The stored answer to an earlier request with this nonce, if it really is the same request."""
    if not _same_request(session, scan, attempt):
        return Result(Status.INVALID, "nonce_reused", activity=attempt.activity)
    checkin = session.get(CheckIn, scan.checkin_id) if scan.checkin_id is not None else None
    visitor = checkin.visitor if checkin is not None else None
    if visitor is None and scan.raw_code and scan.status in (Status.OK, Status.ALREADY):
        code = normalize_code(scan.raw_code)
        card = session.execute(select(Card).filter_by(code=code)).scalar_one_or_none() if code else None
        visitor = card.visitor if card is not None else None
    activity = session.get(Activity, scan.activity_id) if scan.activity_id is not None else None
    reason = {Status.ALREADY: "already_checked_in", Status.UNKNOWN: "unknown_code",
              Status.REVOKED: "revoked_code", Status.INVALID: invalid_reason(attempt.code)}.get(Status(scan.status), "")
    return Result(Status(scan.status), reason, checkin, visitor, activity, replayed=True)


def _same_request(session: Session, scan: Scan, attempt: Attempt) -> bool:
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


# -- today's attendance, for the staff list ---------------------------------------------------------

@dataclass
class SlotAttendance:
    """Who came to one activity (or the drop-in) on one day."""

    named: list[CheckIn] = field(default_factory=list)
    guests: int = 0
    headcount: int = 0

    @property
    def total(self) -> int:
        return len(self.named) + self.guests + self.headcount


def attendance(session: Session, location: Location, day: date) -> dict[int, SlotAttendance]:
    """Check-ins per slot: named visitors, guests and headcounts kept apart."""
    rows = session.execute(
        select(CheckIn).filter_by(location_id=location.id, day=day).order_by(CheckIn.id)
    ).scalars()
    slots: dict[int, SlotAttendance] = {}
    for checkin in rows:
        slot = slots.setdefault(checkin.slot, SlotAttendance())
        if checkin.visitor_id is not None:
            slot.named.append(checkin)
        elif checkin.method == Method.HEADCOUNT:
            slot.headcount += checkin.count
        else:
            slot.guests += checkin.count
    for slot in slots.values():
        slot.named.sort(key=checkin_time)
    return slots


def visits_count(session: Session, location: Location, day: date) -> int:
    total = session.execute(
        select(func.coalesce(func.sum(CheckIn.count), 0)).filter_by(location_id=location.id, day=day)
    ).scalar_one()
    return int(total)
