"""Accounts: organisations, their staff members (with roles) and the locations (BOPs) they run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..extensions import db

if TYPE_CHECKING:  # the planning models refer back to Location by name; no import at run time
    from ..planning.models import Activity, Closure


# Checked when an e-mail address has no account, so that the answer takes as long as for one that has.
_DUMMY_HASH = generate_password_hash("no account has this password")


def check_dummy_password(password: str) -> bool:
    check_password_hash(_DUMMY_HASH, password)
    return False


class Role(StrEnum):
    ADMIN = "admin"               # city-wide: creates organisations and their first coordinator
    COORDINATOR = "coordinator"   # manages the staff, BOPs and tablets of one organisation, and plans
    WORKER = "worker"             # plans activities at the BOPs assigned to them
    VOLUNTEER = "volunteer"       # may look at the BOPs assigned to them, not edit


class Organisation(db.Model):
    """A welfare organisation (or a library, a church's community work): owns BOPs, staff, visitors."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


# Which BOPs a worker or volunteer works at. Coordinators reach every BOP of their organisation.
staff_location = Table(
    "staff_location",
    db.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("location.id", ondelete="CASCADE"), primary_key=True),
)


class _Identified(Protocol):
    id: int
    role: str
    session_version: int


class StaffRules:
    """What a staff member may do by role, and what Flask-Login keeps of them: shared by the account
    (`Staff`) and the plain values a request is signed in as (`SignedIn`)."""

    def get_id(self: _Identified) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: id and session version."""
        return f"{self.id}:{self.session_version or 0}"

    @property
    def can_plan(self: _Identified) -> bool:
        return self.role in (Role.COORDINATOR, Role.WORKER)

    @property
    def can_manage(self: _Identified) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_admin(self: _Identified) -> bool:
        return self.role == Role.ADMIN


class Staff(StaffRules, UserMixin, db.Model):
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
    # Part of every session and remember-me cookie (see get_id): raising it ends them all.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # None only for a city-wide administrator, who belongs to no organisation.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                        index=True)

    organisation: Mapped[Organisation | None] = relationship()
    locations: Mapped[list[Location]] = relationship(secondary=staff_location, order_by="Location.name")

    def set_password(self, password: str) -> None:
        if self.password_hash:  # a new password ends the sessions that knew the old one
            self.end_sessions()
        self.password_hash = generate_password_hash(password)  # scrypt, werkzeug's default

    def end_sessions(self) -> None:
        """Every session of this account, on every computer, is refused from now on."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def __repr__(self) -> str:
        return f"<Staff {self.email}>"


@dataclass(frozen=True, eq=False)
class SignedIn(StaffRules, UserMixin):
    """The staff member a request is signed in as (`current_user`), as plain values read without the
    ORM: every staff request loads it first, also a page served from memory, where building a
    `Staff` object was a tenth of the work. What changes the account loads its `Staff` row."""

    id: int
    name: str
    role: str
    organisation_id: int | None
    session_version: int


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
    # Moved on by every change of what the public pages show (bop.planning.versioning); the
    # agenda, agenda.ics and the flyer derive their ETag and Last-Modified from it.
    programme_version: Mapped[int] = mapped_column(default=0, server_default="0")
    programme_changed_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # Moved on by every check-in of an earlier day added, changed or removed here
    # (bop.checkin.past_visits); the kept week planner has it in its state.
    past_visits_version: Mapped[int] = mapped_column(default=0, server_default="0")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[Staff | None] = relationship(foreign_keys=[contact_id])
    activities: Mapped[list[Activity]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Activity.start_time"
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Closure.first_date"
    )

    def __repr__(self) -> str:
        return f"<Location {self.slug}>"
