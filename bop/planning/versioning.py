"""The programme version of a location: a counter (and the time of the last change) that every
change of what its public pages show moves on.

A `before_flush` listener on every SQLAlchemy session, so no code path can forget it: the staff
pages, the CLI, the demo data and the tests all go through the ORM. It bumps the location of
every new, changed or deleted activity, per-date change, translation or closure, and the
location itself when its own details change; a changed staff member (a host's name, the contact
on the flyer) bumps every location. The public agenda, `agenda.ics` and the flyer derive their
ETag and Last-Modified from it (`bop.site.conditional`). Core UPDATE/INSERT statements on these
tables bypass it; outside migrations only the demo city's bulk inserts (`bop/site/demo_city.py`)
use them, and it moves the versions of its BOPs itself.
"""
from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..accounts.models import Location, Staff
from ..clock import utcnow
from .models import Activity, ActivityChange, ActivityTranslation, Closure

VERSION_FIELDS = {"programme_version", "programme_changed_at"}


def _location_id(session: Session, obj: object) -> int | None:
    if isinstance(obj, Activity | Closure):
        return obj.location_id if obj.location_id is not None else getattr(obj.location, "id", None)
    if isinstance(obj, ActivityChange | ActivityTranslation):
        activity = obj.activity if obj.activity is not None else session.get(Activity, obj.activity_id)
        return None if activity is None else _location_id(session, activity)
    return None


def _changed(session: Session, obj: object) -> bool:
    if isinstance(obj, Location):  # its own details, not the version columns this listener sets
        changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
        return bool(changed - VERSION_FIELDS)
    return session.is_modified(obj, include_collections=False)


@event.listens_for(Session, "before_flush")
def bump_programme_versions(session: Session, flush_context, instances) -> None:
    ids: set[int] = set()
    every = False
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, Staff):
                every = every or obj in session.deleted or _changed(session, obj) or obj in session.new
            elif isinstance(obj, Location):
                if obj not in session.new and obj not in session.deleted and _changed(session, obj):
                    ids.add(obj.id)
            elif isinstance(obj, Activity | ActivityChange | ActivityTranslation | Closure):
                if obj in session.dirty and not _changed(session, obj):
                    continue
                location_id = _location_id(session, obj)
                if location_id is not None:
                    ids.add(location_id)
        if every:
            ids.update(session.execute(select(Location.id)).scalars())
        now = utcnow()
        for location_id in ids:
            location = session.get(Location, location_id)
            if location is None or location in session.deleted:
                continue
            location.programme_version = Location.programme_version + 1  # atomic in SQL
            location.programme_changed_at = now
