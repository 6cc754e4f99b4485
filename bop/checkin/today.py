"""Who is here today: the staff list per activity, live, with corrections by hand (blueprint `checkin`).

Named visitors, guests and headcounts are counted separately. The page works without JavaScript;
with it, a small script polls `today.json` every few seconds and redraws the lists. Corrections go
through the same `redeem` as the kiosk, recorded with the staff member who made them.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Row, bindparam, func, select
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from ..accounts import access
from ..accounts.access import Can
from ..accounts.auth import planner_required, staff_required
from ..accounts.models import Location
from ..clock import local_day, local_now, to_local, utcnow
from ..extensions import db
from ..planning.models import Activity
from ..planning.programme import occurrence_on, running_now, running_on, todays_programme
from ..site import pagecache
from ..site.inputs import BoundedIntegerField, parse_id
from ..visitors.codes import normalize_code
from ..visitors.models import Card, Visitor
from ..visitors.records import last_visits
from ..visitors.scope import visible_visitors
from . import redeem as semantics
from .attendance import SlotAttendance, attendance
from .models import METHOD_LABELS, CheckIn, Method
from .redeem import Attempt, Kind, Status

bp = Blueprint("checkin", __name__, url_prefix="/staff/checkin")

POLL_SECONDS = 5
MAX_MATCHES = 20


class AddForm(FlaskForm):
    location_id = HiddenField(validators=[InputRequired()])
    slot = BoundedIntegerField(validators=[InputRequired()])  # 0 is the drop-in
    kind = StringField(validators=[AnyOf(["visitor", "guest", "headcount"])])
    query = StringField(_l("Naam of kaartcode"), validators=[Optional(), Length(max=100)])
    visitor_id = BoundedIntegerField(validators=[Optional()], minimum=1)


class ConfirmForm(FlaskForm):
    pass


def chosen_bop(mine: list[Row]) -> Row | None:
    """The row (from `access.choices`) of ?bop=<slug>, if the staff member works there; else of the
    first of their BOPs."""
    slug = request.args.get("bop") or (mine[0].slug if mine else None)
    return access.chosen(slug, mine) if slug else None


def sections(location: Location, now: datetime) -> list[dict]:
    """Today's activities plus the drop-in, each with its attendance; also slots that only have
    check-ins (an activity cancelled after people came)."""
    day = now.date()
    programme = todays_programme(location, day)
    running = running_now(programme, now)
    counted = attendance(db.session, location, day)
    result = [{"slot": semantics.DROP_IN, "activity": None, "start": None, "end": None, "running": False,
               "attendance": counted.get(semantics.DROP_IN, SlotAttendance())}]
    for item in programme:
        result.append({"slot": item.activity.id, "activity": item.activity, "start": item.occurrence.start,
                       "end": item.occurrence.end, "running": item is running,
                       "attendance": counted.get(item.activity.id, SlotAttendance())})
    listed = {section["slot"] for section in result}
    others = [slot for slot in counted if slot not in listed]
    found = {a.id: a for a in db.session.execute(select(Activity).where(Activity.id.in_(others))).scalars()} \
        if others else {}
    for slot in others:
        result.append({"slot": slot, "activity": found.get(slot), "start": None, "end": None,
                       "running": False, "attendance": counted[slot]})
    return result


def anonymous_rows(location: Location, day) -> dict[int, list[CheckIn]]:
    rows = db.session.execute(
        select(CheckIn).filter_by(location_id=location.id, day=day, visitor_id=None).order_by(CheckIn.id)
    ).scalars()
    grouped: dict[int, list[CheckIn]] = {}
    for row in rows:
        grouped.setdefault(row.slot, []).append(row)
    return grouped


def state(bop: Row, locations: list[Row], now: datetime) -> tuple:
    """Everything today's list shows, as plain values read fresh on every request: the key under
    which the page is kept (`pagecache`). The BOP's row holds its name and programme version; one
    query on the (location, day) index reads the check-ins, with the names shown."""
    checkins = db.session.connection().execute(_TODAYS_CHECKINS, {"location": bop.id, "day": now.date()}).all()
    # Plain tuples (the chooser's rows too, as on the planner): the key is hashed and compared on
    # every poll, and a Row compares field by field in Python.
    return (tuple(bop), running_on(bop, now), tuple(map(tuple, locations)), tuple(map(tuple, checkins)))


# Built once, run on the session's connection without the ORM: it runs on every poll of every
# staff screen, and building and loading it through the ORM cost three times running it.
_TODAYS_CHECKINS = (
    select(CheckIn.id, CheckIn.slot, CheckIn.visitor_id, Visitor.name, CheckIn.method, CheckIn.count,
           CheckIn.client_time, CheckIn.server_time)
    .outerjoin(Visitor, Visitor.id == CheckIn.visitor_id)
    .where(CheckIn.location_id == bindparam("location"), CheckIn.day == bindparam("day")).order_by(CheckIn.id)
)


def hhmm(checkin: CheckIn) -> str:
    return to_local(semantics.checkin_time(checkin)).strftime("%H:%M")


@bp.route("/today")
@staff_required
def today():
    locations = access.choices(current_user)
    bop = chosen_bop(locations)
    if bop is None:
        return render_template("checkin/today.html", location=None, locations=[])
    now = local_now()

    def render() -> str:
        location = db.get_or_404(Location, bop.id)
        return render_template(
            "checkin/today.html", location=location, locations=locations, sections=sections(location, now),
            anonymous=anonymous_rows(location, now.date()), day=now.date(), form=AddForm(), hhmm=hhmm,
            method_labels=METHOD_LABELS, poll_seconds=POLL_SECONDS,
            # For the script; built here because Jinja's _() would try to fill in %(time)s itself.
            strings={"offline": _("Geen verbinding; de lijst is misschien niet meer actueel."),
                     "updated": _("Bijgewerkt om %(time)s")},
        )

    return pagecache.page(state(bop, locations, now), render)


@bp.route("/today.json")
@staff_required
def today_json():
    bop = access.choice(current_user, request.args.get("bop"))
    if bop is None:
        return jsonify(sections=[])
    now = local_now()
    return pagecache.answer(state(bop, [], now), lambda: json_body(db.get_or_404(Location, bop.id), now),
                            "application/json")


def json_body(location: Location, now: datetime) -> str:
    anonymous = anonymous_rows(location, now.date())
    can_change = current_user.can_plan

    def row(checkin: CheckIn) -> dict:
        return {
            "id": checkin.id,
            "name": checkin.visitor.name if checkin.visitor else None,
            "visitor_url": url_for("visitors.show", visitor_id=checkin.visitor_id) if checkin.visitor_id else None,
            "time": hhmm(checkin),
            "method": str(METHOD_LABELS.get(checkin.method, checkin.method)),
            "count": checkin.count,
            "headcount": checkin.method == Method.HEADCOUNT,
            "remove_url": url_for(".remove", checkin_id=checkin.id) if can_change else None,
        }

    return current_app.json.dumps(dict(day=now.date().isoformat(), sections=[{
        "slot": section["slot"],
        "named": [row(c) for c in section["attendance"].named],
        "anonymous": [row(c) for c in anonymous.get(section["slot"], [])],
        "guests": section["attendance"].guests,
        "headcount": section["attendance"].headcount,
        "total": section["attendance"].total,
    } for section in sections(location, now)]))


@bp.route("/add", methods=["POST"])
@planner_required
def add():
    form = AddForm()
    location_id = parse_id(form.location_id.data)
    location = db.session.get(Location, location_id) if location_id is not None else None
    if location is None or not form.validate_on_submit():
        abort(400)
    access.require(current_user, Can.PLAN, location)
    back = redirect(url_for(".today", bop=location.slug) + f"#slot-{form.slot.data}")
    now_utc = utcnow()
    day = local_day(now_utc)
    activity = None
    if form.slot.data != semantics.DROP_IN:
        scheduled = occurrence_on(location, db.session.get(Activity, form.slot.data), day)
        if scheduled is None:
            flash(_("Deze activiteit is er vandaag niet."), "warning")
            return back
        activity = scheduled.activity
    base = dict(location=location, day=day, activity=activity, staff_id=current_user.id, method=Method.STAFF)

    if form.kind.data == "guest":
        semantics.redeem(db.session, Attempt(kind=Kind.GUEST, **base), now_utc)
        db.session.commit()
        flash(_("Een gast is erbij geteld."), "success")
        return back
    if form.kind.data == "headcount":
        semantics.redeem(db.session, Attempt(kind=Kind.HEADCOUNT, count=1, **base), now_utc)
        db.session.commit()
        flash(_("Eén bezoeker is erbij geteld."), "success")
        return back

    if form.visitor_id.data:
        matches = list(db.session.execute(select(Visitor).where(
            Visitor.id == form.visitor_id.data, visible_visitors(current_user))).scalars())
    else:
        matches = find_visitors(location, form.query.data or "")
    if not matches:
        flash(_("Niemand gevonden met „%(query)s”. Zoek op een deel van de naam, of typ de hele kaartcode.",
                query=form.query.data or ""), "warning")
        return back
    if len(matches) > 1:
        shown = matches[:MAX_MATCHES]
        return render_template("checkin/pick.html", location=location, activity=activity, slot=form.slot.data,
                               matches=shown, more=len(matches) > MAX_MATCHES, query=form.query.data, form=AddForm(),
                               last_seen=last_visits(db.session, [m.id for m in shown]))
    visitor = matches[0]
    result = semantics.redeem(db.session, Attempt(kind=Kind.VISITOR, visitor=visitor, **base), now_utc)
    db.session.commit()
    if result.status == Status.ALREADY:
        flash(_("%(name)s was al aangemeld om %(time)s.", name=visitor.name, time=hhmm(result.checkin)), "warning")
    else:
        flash(_("%(name)s is aangemeld.", name=visitor.name), "success")
    return back


def find_visitors(location: Location, query: str) -> list[Visitor]:
    """A whole card code of the BOP's organisation finds its holder (the card in hand works at every
    BOP of the organisation); a part of a name finds the visitors the staff member sees."""
    query = " ".join(query.split())
    if not query:
        return []
    code = normalize_code(query)
    if code is not None:
        card = db.session.execute(select(Card).join(Card.visitor).where(
            Card.code == code, Card.revoked_at.is_(None), Visitor.organisation_id == location.organisation_id,
        )).scalar_one_or_none()
        if card is not None:
            return [card.visitor]
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(db.session.execute(
        select(Visitor).where(Visitor.name.ilike(f"%{escaped}%", escape="\\"), visible_visitors(current_user))
        .order_by(func.lower(Visitor.name), Visitor.id).limit(MAX_MATCHES + 1)
    ).scalars())


@bp.route("/<int:checkin_id>/remove", methods=["GET", "POST"])
@planner_required
def remove(checkin_id: int):
    checkin = db.get_or_404(CheckIn, checkin_id)
    location = access.require(current_user, Can.PLAN, checkin.location)
    form = ConfirmForm()
    if form.validate_on_submit():
        who = checkin.visitor.name if checkin.visitor else str(METHOD_LABELS.get(checkin.method, checkin.method))
        db.session.delete(checkin)
        db.session.commit()
        flash(_("Aanmelding weggehaald: %(who)s.", who=who), "success")
        return redirect(url_for(".today", bop=location.slug))
    return render_template("checkin/remove.html", checkin=checkin, form=form, hhmm=hhmm, method_labels=METHOD_LABELS)
