"""The city-wide administrator's page: the organisations of the installation and their first
coordinator. Nothing else: an administrator sees no BOP's visitors, plans or check-ins."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..extensions import db
from ..site.args import page_from_request
from .forms import EMAIL
from .models import Location, Organisation, Role, Staff

bp = Blueprint("organisations", __name__, url_prefix="/staff/organisations")


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


class OrganisationForm(FlaskForm):
    name = StringField(_l("Naam van de organisatie"), validators=[
        DataRequired(_l("Vul de naam van de organisatie in.")), Length(max=120)])
    coordinator_name = StringField(_l("Naam van de eerste coördinator"), validators=[
        DataRequired(_l("Vul een naam in.")), Length(max=120)])
    coordinator_email = EmailField(_l("E-mailadres van de coördinator (om in te loggen)"), validators=[
        DataRequired(_l("Vul een e-mailadres in.")), EMAIL, Length(max=254)])
    password = PasswordField(_l("Eerste wachtwoord"), validators=[
        DataRequired(_l("Geef een eerste wachtwoord.")),
        Length(min=10, max=200, message=_l("Een wachtwoord heeft minstens 10 tekens."))])

    def validate_name(self, field):
        name = " ".join(field.data.split())
        if db.session.execute(db.select(Organisation).filter_by(name=name)).first():
            raise ValidationError(_("Er is al een organisatie met deze naam."))

    def validate_coordinator_email(self, field):
        if db.session.execute(db.select(Staff).filter_by(email=field.data.strip().lower())).first():
            raise ValidationError(_("Er is al een medewerker met dit e-mailadres."))


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = Organisation(name=" ".join(form.name.data.split()))
        coordinator = Staff(organisation=organisation, role=Role.COORDINATOR, password_hash="",
                            name=form.coordinator_name.data.strip(), email=form.coordinator_email.data.strip().lower())
        coordinator.set_password(form.password.data)
        db.session.add_all([organisation, coordinator])
        db.session.commit()
        flash(_("%(name)s is toegevoegd. %(coordinator)s kan nu inloggen en de plekken en medewerkers "
                "toevoegen.", name=organisation.name, coordinator=coordinator.name), "success")
        return redirect(url_for(".index"))
    page = db.paginate(db.select(Organisation).order_by(Organisation.name, Organisation.id),
                       page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [organisation.id for organisation in page.items]
    counts = dict(db.session.execute(
        db.select(Location.organisation_id, func.count()).where(Location.organisation_id.in_(ids))
        .group_by(Location.organisation_id)).all()) if ids else {}
    return render_template("organisations/index.html", form=form, organisations=page.items, page=page, counts=counts)
