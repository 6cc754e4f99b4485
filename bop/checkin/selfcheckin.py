"""Self check-in on the visitor's own phone: /bop/<slug>/in, the URL on the koffietafel poster.

No account, no form: today's activities as big tiles, one tap, "Welkom!". Each tile is a plain POST
form, so it works without JavaScript. Abuse limits: a phone checks in once per activity per day
(remembered in the signed session cookie, which holds nothing personal), and each address may post
only so often.

"Onthoud mij op deze telefoon" is opt-in: it creates a visitor with just a first name and a card
whose random code lives in a cookie on that phone only, so next time the phone greets them by name.
The card shows up in the staff's visitor list like a printed one and can be revoked there; the
visitor can also make the phone forget them.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from ..accounts.models import Location
from ..clock import local_day, local_now, utcnow
from ..extensions import db
from ..planning.models import Activity
from ..planning.programme import occurrence_on, running_now, running_on, todays_programme
from ..site import errors, pagecache
from ..site.args import location_or_404
from ..site.inputs import BoundedIntegerField
from ..site.ratelimit import TOO_MANY_POSTS, address_key, configured, limiter
from ..visitors.codes import generate_code, normalize_code
from ..visitors.models import Card, Visitor
from . import redeem as semantics
from .models import CheckIn, Method
from .redeem import Attempt, Kind, Status
from .sources import Source

bp = Blueprint("selfcheckin", __name__)

COOKIE = "bop_me"
COOKIE_AGE = 365 * 24 * 3600
# Every post of the public check-in counts against one limit per address (SELFCHECKIN_LIMIT).
limiter.shared_limit(configured("SELFCHECKIN_LIMIT"), scope="selfcheckin", key_func=address_key,
                     methods=["POST"], error_message=TOO_MANY_POSTS)(bp)


class TileForm(FlaskForm):
    activity = BoundedIntegerField(validators=[InputRequired()])  # 0 is the drop-in


class SourceForm(FlaskForm):
    source = HiddenField()


class RememberForm(FlaskForm):
    name = StringField(_l("Uw voornaam"), validators=[
        DataRequired(_l("Vul uw voornaam in, of een bijnaam.")),
        Length(max=60, message=_l("Dat is te lang. Een voornaam is genoeg.")),
    ])


class ForgetForm(FlaskForm):
    pass


# -- who is this phone? ---------------------------------------------------------------------------------

def remembered_card() -> Card | None:
    code = normalize_code(request.cookies.get(COOKIE, ""))
    if code is None:
        return None
    card = db.session.execute(select(Card).filter_by(code=code)).scalar_one_or_none()
    return card if card is not None and card.revoked_at is None else None


def done_today(location: Location, day: date) -> set[int]:
    """The slots this phone already checked in for today at this location (kept in the session)."""
    record = session.get("checked_in", {})
    if record.get("day") != day.isoformat():
        return set()
    return {int(slot) for key, slot in (item.split(":") for item in record.get("slots", [])) if int(key) == location.id}


def mark_done(location: Location, day: date, slot: int) -> None:
    record = session.get("checked_in", {})
    if record.get("day") != day.isoformat():
        record = {"day": day.isoformat(), "slots": []}
    record["slots"] = [*record["slots"], f"{location.id}:{slot}"]
    session["checked_in"] = record


def title_of(activity) -> str:
    translation = activity.translated(str(get_locale()))
    return translation.title if translation else activity.title


# -- pages ------------------------------------------------------------------------------------------

@bp.get("/bop/<slug>/in")
def index(slug: str):
    location = location_or_404(slug)
    now = local_now()
    card = remembered_card()
    visitor = card.visitor if card else None
    done = done_today(location, now.date())
    # What the tiles show: the programme's version, the activity going on now, and this phone's
    # greeting and check-ins of today.
    state = (location.id, location.programme_version, location.programme_changed_at, running_on(location, now),
             visitor.id if visitor else None, visitor.name if visitor else None, tuple(sorted(done)))

    def render() -> str:
        programme = todays_programme(location, now.date())
        return render_template(
            "selfcheckin/index.html", location=location, programme=programme, running=running_now(programme, now),
            visitor=visitor, done=done, form=TileForm(), forget_form=ForgetForm(), title_of=title_of,
        )

    return pagecache.page(state, render)


@bp.post("/bop/<slug>/in")
def check_in(slug: str):
    location = location_or_404(slug)
    form = TileForm()
    if form.activity.process_errors:  # not a number any tile sends: a tampered or garbled post
        return errors.render_error(400, "bad_activity",
                                   _("Deze activiteit bestaat niet. Ga terug en tik op een activiteit."))
    if not form.validate_on_submit():
        flash(_("Dat lukte niet. Tik nog een keer op de activiteit."), "warning")
        return redirect(url_for(".index", slug=slug))
    now_utc = utcnow()
    day = local_day(now_utc)
    activity = None
    if form.activity.data:
        scheduled = occurrence_on(location, db.session.get(Activity, form.activity.data), day)
        if scheduled is None:
            flash(_("Deze activiteit is er vandaag niet. Kies een andere."), "warning")
            return redirect(url_for(".index", slug=slug))
        activity = scheduled.activity
    slot = activity.id if activity else semantics.DROP_IN

    if slot in done_today(location, day):
        session["welcome"] = {"slot": slot, "status": "already", "checkin": None}
        return redirect(url_for(".welcome", slug=slug))

    card = remembered_card()
    result = None
    if card is not None:
        result = semantics.redeem(db.session, Attempt(
            location=location, day=day, activity=activity, kind=Kind.CARD, code=card.code, method=Method.PHONE,
        ), now_utc)
    if result is None or result.status not in (Status.OK, Status.ALREADY):
        source = request.cookies.get("bron", "")  # set by the agenda when opened from a flyer or poster
        result = semantics.redeem(db.session, Attempt(
            location=location, day=day, activity=activity, kind=Kind.GUEST, method=Method.PHONE,
            source=source if source in set(Source) else ""), now_utc)
    db.session.commit()
    if result.checkin is None:  # a guest check-in is always stored; never a card's failure here
        abort(409)
    mark_done(location, day, slot)
    session["welcome"] = {"slot": slot, "status": str(result.status), "checkin": result.checkin.id}
    return redirect(url_for(".welcome", slug=slug))


@bp.get("/bop/<slug>/in/welkom")
def welcome(slug: str):
    location = location_or_404(slug)
    shown = session.get("welcome")
    if not shown:
        return redirect(url_for(".index", slug=slug))
    activity = None
    if shown["slot"]:
        day = local_day(utcnow())
        scheduled = occurrence_on(location, db.session.get(Activity, shown["slot"]), day)
        activity = scheduled.activity if scheduled else None
    checkin = db.session.get(CheckIn, shown["checkin"]) if shown.get("checkin") else None
    card = remembered_card()
    visitor = card.visitor if card else None
    ask_source = (checkin is not None and checkin.visitor_id is None and not checkin.source
                  and not session.get("source_asked"))
    return render_template(
        "selfcheckin/welcome.html", location=location, activity=activity, title_of=title_of,
        already=shown["status"] == "already", visitor=visitor, ask_source=ask_source,
        sources=Source.asked(), source_form=SourceForm(), remember_form=RememberForm(),
        can_remember=visitor is None and checkin is not None and checkin.visitor_id is None,
    )


def own_anonymous_checkin(location: Location) -> CheckIn | None:
    """The phone's own check-in of this visit, and only while it is still anonymous."""
    shown = session.get("welcome") or {}
    checkin = db.session.get(CheckIn, shown["checkin"]) if shown.get("checkin") else None
    if checkin is None or checkin.location_id != location.id or checkin.visitor_id is not None \
            or checkin.method != Method.PHONE:
        return None
    return checkin


@bp.post("/bop/<slug>/in/bron")
def answer_source(slug: str):
    location = location_or_404(slug)
    form = SourceForm()
    if form.validate_on_submit():
        session["source_asked"] = True
        checkin = own_anonymous_checkin(location)
        if checkin is not None and form.source.data in Source.asked() and not checkin.source:
            checkin.source = form.source.data
            db.session.commit()
            flash(_("Dank u wel!"), "success")
    return redirect(url_for(".welcome", slug=slug))


@bp.post("/bop/<slug>/in/onthoud")
def remember(slug: str):
    location = location_or_404(slug)
    form = RememberForm()
    checkin = own_anonymous_checkin(location)
    if checkin is None:
        return redirect(url_for(".index", slug=slug))
    if not form.validate_on_submit():
        for error in form.name.errors:
            flash(error, "error")
        return redirect(url_for(".welcome", slug=slug))
    visitor = Visitor(name=" ".join(form.name.data.split()), home_location=location,
                      organisation_id=location.organisation_id,
                      language=str(get_locale()) if str(get_locale()) != "nl" else "")
    code = generate_code()
    visitor.cards.append(Card(code=code))
    db.session.add(visitor)
    db.session.flush()
    # This visit becomes theirs: the anonymous phone check-in gets the new name.
    checkin.visitor_id = visitor.id
    db.session.commit()
    response = redirect(url_for(".welcome", slug=slug))
    response.set_cookie(COOKIE, code, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure)
    return response


@bp.post("/bop/<slug>/in/vergeet")
def forget(slug: str):
    location_or_404(slug)
    form = ForgetForm()
    if form.validate_on_submit():
        card = remembered_card()
        if card is not None:
            card.revoked_at = utcnow()
            db.session.commit()
        flash(_("Deze telefoon kent u niet meer."), "success")
    response = redirect(url_for(".index", slug=slug))
    response.delete_cookie(COOKIE, samesite="Lax", httponly=True)
    return response
