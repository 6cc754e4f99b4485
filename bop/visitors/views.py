"""Staff pages for visitors and cards, the card sheet PDFs and the koffietafel posters."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts import access
from ..accounts.access import Can
from ..accounts.auth import planner_required, staff_required
from ..accounts.models import Location
from ..categories import Category
from ..checkin.models import METHOD_LABELS, CheckIn
from ..clock import local_today, to_local, utcnow
from ..extensions import db
from ..languages import LANGUAGE_NAMES, OTHER_LANGUAGES
from ..planning.models import Activity
from ..printing import cards as card_pdf
from ..site.args import location_or_404, page_from_request, page_of_rows
from ..site.inputs import parse_id
from ..site.templating import day_year_formatter, format_day_year
from ..site.urls import public_url
from .codes import format_code, normalize_code
from .forms import NewCardForm, VisitorForm
from .models import Card, Visitor
from .records import active_card, card_face, erase_visitor, export_visitor, issue_card, last_visits, merge_visitors
from .scope import visible_visitors, visitor_or_404

bp = Blueprint("visitors", __name__)

MAX_BATCH = 500  # cards in one PDF: 50 sheets, more than any BOP prints at once
HISTORY_PAGE_SIZE = 50


@bp.route("/staff/visitors/")
@staff_required
def index():
    q = request.args.get("q", "").strip()[:100]
    # Cards with the visitors (one query for the page), not one query per visitor.
    query = _search(select(Visitor).where(visible_visitors(current_user)).options(selectinload(Visitor.cards))
                    .order_by(func.lower(Visitor.name), Visitor.id), q)
    page = db.paginate(query, page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [v.id for v in page.items]
    # Visits and the last visit per visitor on this page, in one query, within the retention
    # period: named check-ins older than that are anonymised every month anyway, and a regular's
    # years of visits are not read again for every page of the list.
    days = int(current_app.config["RETENTION_DAYS"])
    stats = {visitor_id: (count, last) for visitor_id, count, last in db.session.execute(
        select(CheckIn.visitor_id, func.count(), func.max(CheckIn.day))
        .where(CheckIn.visitor_id.in_(ids), CheckIn.day >= local_today() - timedelta(days=days))
        .group_by(CheckIn.visitor_id))} if ids else {}
    locations = access.locations(current_user)
    return render_template("visitors/index.html", page=page, q=q, stats=stats, locations=locations, retention_days=days,
                           active_card=active_card, format_code=format_code, language_names=LANGUAGE_NAMES)


@bp.route("/staff/visitors/new", methods=["GET", "POST"])
@planner_required
def create():
    form = VisitorForm()
    if not form.is_submitted() and len(form.home_location_id.choices) == 2:
        form.home_location_id.data = form.home_location_id.choices[1].value  # the only BOP
    if form.validate_on_submit():
        visitor = Visitor(name="", organisation_id=current_user.organisation_id)
        _apply(form, visitor)
        db.session.add(visitor)
        issue_card(db.session, visitor)
        db.session.commit()
        flash(_("%(name)s is toegevoegd, met een kaart. Print de kaart hieronder.", name=visitor.name), "success")
        return redirect(url_for(".show", visitor_id=visitor.id))
    return render_template("visitors/form.html", form=form, visitor=None)


@bp.route("/staff/visitors/<int:visitor_id>")
@staff_required
def show(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    # The five values a row shows, as plain rows: loading each visit with its place and activity as
    # objects cost about 60 µs a row, and a regular's page has fifty.
    history = page_of_rows(
        select(CheckIn.day, CheckIn.client_time, CheckIn.server_time, Location.name, Activity.title, CheckIn.method)
        .join(Location, Location.id == CheckIn.location_id).outerjoin(Activity, Activity.id == CheckIn.activity_id)
        .where(CheckIn.visitor_id == visitor.id).order_by(CheckIn.day.desc(), CheckIn.server_time.desc()),
        select(func.count()).where(CheckIn.visitor_id == visitor.id), HISTORY_PAGE_SIZE)
    return render_template(
        "visitors/show.html", visitor=visitor, history=history, visits=visit_rows(history.items),
        card=active_card(visitor), cards=sorted(visitor.cards, key=lambda c: c.issued_at, reverse=True),
        format_code=format_code, language_name=LANGUAGE_NAMES.get(visitor.language, visitor.language),
        last_seen=last_visits(db.session, [visitor.id]).get(visitor.id), dated=format_day_year)


def visit_rows(rows: list) -> list[tuple[str, str, str, str, str]]:
    """Day, time, place, activity and how, as the visitor page shows them. Formatted here, in one
    pass, rather than by five template calls per row: a regular's page has fifty rows."""
    drop_in = _("Inloop")
    labels = {str(method): str(label) for method, label in METHOD_LABELS.items()}
    day_year = day_year_formatter()
    return [(day_year(day), to_local(client_time or server_time).strftime("%H:%M"), place,
             activity or drop_in, labels.get(method, method))
            for day, client_time, server_time, place, activity, method in rows]


@bp.route("/staff/visitors/<int:visitor_id>/edit", methods=["GET", "POST"])
@planner_required
def edit(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    had_consent = visitor.phone_consent_at is not None
    form = VisitorForm(obj=visitor, had_consent=had_consent)
    if not form.is_submitted():
        form.home_location_id.data = visitor.home_location_id or 0
        form.phone_consent.data = had_consent
    if form.validate_on_submit():
        withdrawn = had_consent and not form.phone_consent.data
        _apply(form, visitor)
        db.session.commit()
        if withdrawn:
            flash(_("De toestemming is ingetrokken. Het telefoonnummer is gewist."), "info")
        flash(_("De gegevens zijn opgeslagen."), "success")
        return redirect(url_for(".show", visitor_id=visitor.id))
    return render_template("visitors/form.html", form=form, visitor=visitor)


def _apply(form: VisitorForm, visitor: Visitor) -> None:
    visitor.name = " ".join(form.name.data.split())
    visitor.language = form.language.data or ""
    visitor.home_location_id = form.home_location_id.data or None
    phone = (form.phone.data or "").strip()
    if form.phone_consent.data and phone:
        if visitor.phone_consent_at is None:
            visitor.phone_consent_at = utcnow()  # when consent was given, kept across edits
        visitor.phone = phone
    else:
        # No consent (or withdrawn), or no number: nothing is kept, not even the consent date.
        visitor.phone, visitor.phone_consent_at = "", None


@bp.route("/staff/visitors/<int:visitor_id>/delete", methods=["GET", "POST"])
@planner_required
def delete(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    form = FlaskForm()
    if form.validate_on_submit():
        name = visitor.name
        erase_visitor(db.session, visitor)
        db.session.commit()
        flash(_("%(name)s is verwijderd. De bezoeken tellen nog mee, zonder naam.", name=name), "success")
        return redirect(url_for(".index"))
    visits = db.session.execute(select(func.count()).where(CheckIn.visitor_id == visitor.id)).scalar_one()
    return render_template("visitors/delete.html", form=form, visitor=visitor, visits=visits)


@bp.route("/staff/visitors/<int:visitor_id>/export.json")
@planner_required
def export(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    body = json.dumps(export_visitor(db.session, visitor), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="bezoeker-{visitor.id}.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/staff/visitors/<int:visitor_id>/merge")
@planner_required
def merge_pick(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    q = request.args.get("q", "").strip()[:100]
    candidates = []
    if q:
        # Only visitors this staff member may see (another organisation's names never show here).
        query = (select(Visitor).where(Visitor.id != visitor.id, visible_visitors(current_user))
                 .options(selectinload(Visitor.home_location)).order_by(func.lower(Visitor.name), Visitor.id).limit(50))
        candidates = db.session.execute(_search(query, q)).scalars().all()
    return render_template("visitors/merge_pick.html", visitor=visitor, q=q, candidates=candidates)


@bp.route("/staff/visitors/<int:visitor_id>/merge/<int:other_id>", methods=["GET", "POST"])
@planner_required
def merge(visitor_id: int, other_id: int):
    keep = visitor_or_404(current_user, visitor_id)
    gone = visitor_or_404(current_user, other_id)
    if keep.id == gone.id:
        flash(_("Kies een andere bezoeker om mee samen te voegen."), "error")
        return redirect(url_for(".merge_pick", visitor_id=keep.id))
    form = FlaskForm()
    if form.validate_on_submit():
        gone_name = gone.name
        merge_visitors(db.session, keep, gone)
        db.session.commit()
        flash(_("%(gone)s en %(keep)s zijn nu één bezoeker.", gone=gone_name, keep=keep.name), "success")
        return redirect(url_for(".show", visitor_id=keep.id))
    counts = dict(db.session.execute(
        select(CheckIn.visitor_id, func.count()).where(CheckIn.visitor_id.in_([keep.id, gone.id]))
        .group_by(CheckIn.visitor_id)).all())
    return render_template("visitors/merge_confirm.html", form=form, keep=keep, gone=gone, counts=counts)


@bp.route("/staff/visitors/<int:visitor_id>/cards/new", methods=["GET", "POST"])
@planner_required
def new_card(visitor_id: int):
    visitor = visitor_or_404(current_user, visitor_id)
    form = NewCardForm()
    if not form.is_submitted():
        form.revoke_old.data = True  # most new cards replace a lost one
    if form.validate_on_submit():
        card = issue_card(db.session, visitor, revoke_old=form.revoke_old.data)
        db.session.commit()
        flash(_("Nieuwe kaart %(code)s gemaakt. Print hem hieronder.", code=format_code(card.code)), "success")
        return redirect(url_for(".show", visitor_id=visitor.id))
    return render_template("visitors/new_card.html", form=form, visitor=visitor, card=active_card(visitor),
                           format_code=format_code)


@bp.route("/staff/visitors/<int:visitor_id>/cards/<int:card_id>/revoke", methods=["GET", "POST"])
@planner_required
def revoke_card(visitor_id: int, card_id: int):
    visitor_or_404(current_user, visitor_id)
    card = db.one_or_404(select(Card).filter_by(id=card_id, visitor_id=visitor_id))
    form = FlaskForm()
    if card.revoked_at is not None:
        flash(_("Deze kaart was al geblokkeerd."), "info")
        return redirect(url_for(".show", visitor_id=visitor_id))
    if form.validate_on_submit():
        card.revoked_at = utcnow()
        db.session.commit()
        flash(_("Kaart %(code)s is geblokkeerd. Bij het scannen zegt de tablet nu dat de kaart niet meer geldig is.",
                code=format_code(card.code)), "success")
        return redirect(url_for(".show", visitor_id=visitor_id))
    return render_template("visitors/revoke.html", form=form, card=card, visitor=card.visitor,
                           format_code=format_code)


@bp.route("/staff/visitors/<int:visitor_id>/card.pdf")
@staff_required
def card_sheet(visitor_id: int):
    """One card; `?name=0` leaves the first name off (some visitors want no name on it)."""
    visitor = visitor_or_404(current_user, visitor_id)
    card = active_card(visitor)
    if card is None:
        flash(_("%(name)s heeft geen geldige kaart. Maak eerst een nieuwe kaart.", name=visitor.name), "error")
        return redirect(url_for(".show", visitor_id=visitor.id))
    pdf = card_pdf.card_sheet_pdf([card_face(db.session, visitor, card, with_name=request.args.get("name") != "0")],
                                  title=_("Bezoekerskaart"), texts=_card_texts())
    return _pdf_response(pdf, f"kaart-{visitor.id}.pdf")


@bp.route("/staff/visitors/cards.pdf")
@staff_required
def card_batch():
    """The cards of the chosen visitors: `?ids=3,5,8` or `?ids=3&ids=5`, `&name=0` without names."""
    parts = [part for value in request.args.getlist("ids") for part in value.split(",") if part.strip()]
    ids = [parse_id(part) for part in parts]
    if None in ids:
        abort(400, _("Deze lijst met bezoekers klopt niet. Kies de bezoekers opnieuw in de lijst."))
    ids = list(dict.fromkeys(ids))[:MAX_BATCH]
    with_name = request.args.get("name", "1") != "0"
    visitors = db.session.execute(
        select(Visitor).where(Visitor.id.in_(ids), visible_visitors(current_user))).scalars().all() if ids else []
    by_id = {v.id: v for v in visitors}
    faces = []
    for visitor_id in ids:  # in the order chosen
        visitor = by_id.get(visitor_id)
        card = active_card(visitor) if visitor else None
        if card is not None:
            faces.append(card_face(db.session, visitor, card, with_name=with_name))
    if not faces:
        flash(_("Kies eerst bezoekers met een geldige kaart."), "error")
        return redirect(url_for(".index"))
    return _pdf_response(card_pdf.card_sheet_pdf(faces, title=_("Bezoekerskaarten"), texts=_card_texts()),
                         "kaarten.pdf")


@bp.route("/staff/locations/<slug>/poster-<size>.pdf")
@staff_required
def poster(slug: str, size: str):
    if size not in card_pdf.POSTER_SIZES:
        abort(404)
    location = access.require(current_user, Can.VIEW, location_or_404(slug))
    # The pictograms of what happens there, in programme order; coffee when nothing is planned yet.
    pictograms = list(dict.fromkeys(_category(a.category).pictogram_path for a in location.activities))
    pictograms = pictograms or [Category.COFFEE.pictogram_path]
    # The URL contract's self check-in page, on the public address (never an internal host name).
    url = public_url("selfcheckin.index", slug=location.slug)
    phone = location.phone or (location.contact.phone if location.contact else "")
    # ?lang=ar etc. adds a second language under the Dutch, as on the flyer.
    lang2 = request.args.get("lang", "")
    if lang2 and lang2 not in OTHER_LANGUAGES:
        abort(404)
    with force_locale("nl"):
        texts = _poster_texts()
    texts2 = None
    if lang2:
        with force_locale(lang2):
            texts2 = _poster_texts()
    pdf = card_pdf.poster_pdf(url=url, bop_name=location.name, pictograms=pictograms, phone=phone, size=size,
                              texts=texts, texts2=texts2)
    return _pdf_response(pdf, f"poster-{location.slug}-{size}.pdf")


def _card_texts() -> card_pdf.CardTexts:
    """The card sheet's fixed words in the staff member's language (card_pdf has no Flask)."""
    return card_pdf.CardTexts(title=_("Bezoekerskaarten"), card=_("Bezoekerskaart"), questions=_("Vragen? Bel"))


def _poster_texts() -> card_pdf.PosterTexts:
    # gettext without arguments leaves %(phone)s in place; the poster fills in the number.
    return card_pdf.PosterTexts(title=_("Poster aanmelden"), welcome=_("Welkom bij"),
                                instruction=_("Scan mij met uw telefoon"), questions=_("Vragen? Bel %(phone)s"))


def _search(query, q: str):
    """A whole card code (any case, spaces or dashes) finds its visitor; other text a part of a name."""
    if not q:
        return query
    code = normalize_code(q)
    if code:
        return query.where(Visitor.cards.any(Card.code == code))
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return query.where(Visitor.name.ilike(f"%{escaped}%", escape="\\"))


def _category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        return Category.OTHER


def _pdf_response(pdf: bytes, filename: str) -> Response:
    # Inline, so the browser opens its print dialog; no-store, as a card sheet carries valid codes.
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


