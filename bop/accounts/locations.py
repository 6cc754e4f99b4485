"""Locations (BOPs): coordinators add and edit them; several BOPs share one installation."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..extensions import db
from ..site.args import page_from_request
from . import access
from .access import Can
from .auth import coordinator_required, staff_required
from .forms import PHONE, choosable_staff
from .models import Location

bp = Blueprint("locations", __name__, url_prefix="/staff/locations")

# Slugs end up in printed QR codes (principle 3), so keep them plain and permanent.
RESERVED_SLUGS = {"new", "staff", "api", "static"}


class LocationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)])
    slug = StringField(_l("Korte naam in het webadres"), validators=[
        DataRequired(_l("Vul een korte naam in.")), Length(min=2, max=60),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
               message=_l("Gebruik kleine letters, cijfers en streepjes, zoals rijn-en-vliet."))])
    address = StringField(_l("Adres"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Telefoonnummer van de plek"), validators=[Optional(), Length(max=40), PHONE])
    opening_hours = StringField(_l("Openingstijden"), validators=[Optional(), Length(max=200)],
                                description=_l("Bijvoorbeeld: maandag tot en met vrijdag 9:30 tot 12:00"))
    description = TextAreaField(_l("Korte beschrijving"), validators=[Optional(), Length(max=2000)])
    contact_id = SelectField(_l("Contactpersoon (komt op de flyer)"), coerce=int, validate_choice=True)

    def __init__(self, *args, location: Location | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._location = location
        staff = choosable_staff(location.contact_id if location else None, current_user.organisation_id)
        self.contact_id.choices = [SelectChoice(0, _("— nog niemand —"))] + [SelectChoice(s.id, s.name) for s in staff]

    def validate_slug(self, field):
        if field.data in RESERVED_SLUGS:
            raise ValidationError(_("Deze korte naam is gereserveerd. Kies een andere."))
        other = db.session.execute(db.select(Location).filter_by(slug=field.data)).scalar_one_or_none()
        if other is not None and other is not self._location:
            raise ValidationError(_("Deze korte naam is al in gebruik."))


@bp.route("/")
@staff_required
def index():
    # A page at a time, with each contact person in one query for the page.
    page = db.paginate(db.select(Location).where(Location.id.in_(access.location_ids(current_user)))
                       .options(selectinload(Location.contact)).order_by(Location.name, Location.id),
                       page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("locations/index.html", locations=page.items, page=page)


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def create():
    form = LocationForm()
    if form.validate_on_submit():
        location = Location(organisation_id=current_user.organisation_id)
        _apply(form, location)
        db.session.add(location)
        db.session.commit()
        flash(_("%(name)s is toegevoegd.", name=location.name), "success")
        return redirect(url_for(".index"))
    return render_template("locations/form.html", form=form, location=None)


@bp.route("/<slug>", methods=["GET", "POST"])
@coordinator_required
def edit(slug: str):
    location = access.require(current_user, Can.MANAGE, db.one_or_404(db.select(Location).filter_by(slug=slug)))
    form = LocationForm(obj=location, location=location)
    if not form.is_submitted():
        form.contact_id.data = location.contact_id or 0
    if form.validate_on_submit():
        if form.slug.data != location.slug and location.activities:
            # Printed flyers and posters carry the old address; changing it would break them.
            form.slug.errors.append(_("Deze plek heeft al activiteiten. Het webadres staat misschien al op flyers "
                                      "en kan daarom niet meer veranderen."))
        else:
            _apply(form, location)
            db.session.commit()
            flash(_("De gegevens zijn opgeslagen."), "success")
            return redirect(url_for(".index"))
    return render_template("locations/form.html", form=form, location=location)


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@coordinator_required
def delete(slug: str):
    location = access.require(current_user, Can.MANAGE, db.one_or_404(db.select(Location).filter_by(slug=slug)))
    form = FlaskForm()
    if form.validate_on_submit():
        db.session.delete(location)
        db.session.commit()
        flash(_("%(name)s is verwijderd.", name=location.name), "success")
        return redirect(url_for(".index"))
    return render_template("locations/delete.html", form=form, location=location)


def _apply(form: LocationForm, location: Location) -> None:
    location.name = form.name.data.strip()
    location.slug = form.slug.data
    location.address = (form.address.data or "").strip()
    location.phone = (form.phone.data or "").strip()
    location.opening_hours = (form.opening_hours.data or "").strip()
    location.description = (form.description.data or "").strip()
    location.contact_id = form.contact_id.data or None
