"""Out of sight ("Uit beeld") and new faces: whom to call on Monday morning, and whom to welcome.

Volunteers see the counts only; welfare workers and coordinators see first names, phone links and
can record that they tried to reach someone (outcome from a short list, never free text).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..accounts.auth import planner_required, staff_required
from ..checkin.models import CheckIn
from ..checkin.sources import SOURCE_LABELS
from ..clock import local_today
from ..extensions import db
from ..languages import LANGUAGES
from ..site.inputs import parse_id
from ..visitors.models import Visitor
from ..visitors.scope import visitor_or_404
from . import absence
from .blueprint import bp
from .contact import tel_url, whatsapp_base, whatsapp_url
from .models import OUTCOME_LABELS, Outcome, OutreachContact
from .scope import visible_locations

# (query name, default, lowest, highest): every number on the page is bounded, never a 500.
THRESHOLDS = {
    "visits": (3, 1, 50),     # at least this many visits ...
    "window": (12, 2, 104),   # ... in the last this many weeks ...
    "away": (3, 1, 52),       # ... and not seen for this many weeks or more
    "new": (4, 1, 26),        # new faces of the last this many weeks
}


def bounded(name: str) -> int:
    default, low, high = THRESHOLDS[name]
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def _location(slug: str):
    location = next((loc for loc in visible_locations(current_user) if loc.slug == slug), None)
    if location is None:
        abort(404)
    return location


def message_for(visitor: Visitor, location, staff) -> str:
    """The short, kind WhatsApp message, in the visitor's own language (B1, polite)."""
    language = visitor.language if visitor.language in LANGUAGES else "nl"
    with force_locale(language):
        return _("Hallo %(name)s, we hebben u een tijdje niet gezien. De koffie staat klaar! "
                 "Groeten van %(staff)s, %(bop)s", name=visitor.name, staff=staff.name.split(" ")[0],
                 bop=location.name)


@bp.route("/outreach/")
@staff_required
def outreach_index():
    visible = visible_locations(current_user)
    if not visible:
        return render_template("insight/outreach.html", location=None, locations=[])
    return redirect(url_for(".outreach", slug=visible[0].slug))


@bp.route("/outreach/<slug>")
@staff_required
def outreach(slug: str):
    location = _location(slug)
    today = local_today()
    values = {name: bounded(name) for name in THRESHOLDS}
    away = absence.out_of_sight(db.session, location.id, today, min_visits=values["visits"],
                                window_weeks=values["window"], away_weeks=values["away"])
    newcomers = absence.new_faces(db.session, location.id, today, values["new"])
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, (len(away) + size - 1) // size)
    try:
        page = min(max(int(request.args.get("page", 1)), 1), pages)
    except ValueError:
        page = 1
    shown = away[(page - 1) * size: page * size] if current_user.can_plan else []
    links = {}
    for person in shown:
        visitor = person.visitor
        if visitor.phone and visitor.phone_consent_at:
            text = message_for(visitor, location, current_user)
            links[visitor.id] = {"tel": tel_url(visitor.phone), "whatsapp": whatsapp_url(visitor.phone, text),
                                 "whatsapp_base": whatsapp_base(visitor.phone), "message": text}
    return render_template(
        "insight/outreach.html", location=location, locations=visible_locations(current_user), today=today,
        away=away, shown=shown, newcomers=newcomers, guests=absence.new_guests(db.session, location.id, today,
                                                                                values["new"]),
        values=values, limits=THRESHOLDS, links=links, page=page, pages=pages, form=FlaskForm(),
        outcomes=OUTCOME_LABELS, source_labels={k.value: str(v) for k, v in SOURCE_LABELS.items()},
        show_names=current_user.can_plan,
    )


@bp.route("/outreach/<slug>/contacts", methods=["POST"])
@planner_required
def record_contact(slug: str):
    location = _location(slug)
    form = FlaskForm()
    outcome = request.form.get("outcome", "")
    visitor_id = parse_id(request.form.get("visitor_id"))
    if visitor_id is None or not form.validate_on_submit() or outcome not in {o.value for o in Outcome}:
        abort(400)
    visitor = visitor_or_404(current_user, visitor_id)
    came_here = db.session.execute(db.select(CheckIn.id).filter_by(
        visitor_id=visitor.id, location_id=location.id).limit(1)).first()
    if came_here is None:
        abort(404)
    db.session.add(OutreachContact(visitor_id=visitor.id, location_id=location.id, day=local_today(),
                                   staff_id=current_user.id, outcome=outcome))
    db.session.commit()
    flash(_("Opgeslagen: %(name)s, %(outcome)s.", name=visitor.name,
            outcome=str(OUTCOME_LABELS[Outcome(outcome)]).lower()), "success")
    keep = {k: v for k, v in request.args.items() if k in THRESHOLDS}
    return redirect(url_for(".outreach", slug=slug, **keep))
