"""Staff accounts: coordinators manage them; everyone keeps their own contact details and photo."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..extensions import db
from ..site.args import page_from_request
from . import access
from .auth import coordinator_required, staff_required
from .forms import EMAIL, PHONE, MultiCheckboxField
from .models import Role, Staff

bp = Blueprint("people", __name__, url_prefix="/staff/people")

ROLE_LABELS = {
    Role.COORDINATOR: _l("Coördinator — beheert medewerkers en plekken"),
    Role.WORKER: _l("Welzijnswerker — plant activiteiten"),
    Role.VOLUNTEER: _l("Vrijwilliger — kan kijken, niet wijzigen"),
}
# A plain shape check: WTForms' Email() needs the email_validator package, which is not installed.
PHOTO_MAX_SIDE = 600


class StaffForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)])
    email = EmailField(_l("E-mailadres (om in te loggen)"), validators=[
        DataRequired(_l("Vul een e-mailadres in.")), EMAIL, Length(max=254)])
    role = SelectField(_l("Rol"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
                       default=Role.WORKER.value)
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), Length(max=40), PHONE])
    whatsapp = StringField(_l("WhatsApp-nummer"), validators=[Optional(), Length(max=40), PHONE])
    new_photo = FileField(_l("Foto (voor de flyer)"), validators=[
        FileAllowed(["jpg", "jpeg", "png"], _l("Kies een foto in JPG of PNG."))])
    remove_photo = BooleanField(_l("Foto weghalen"))
    password = PasswordField(_l("Nieuw wachtwoord"), validators=[
        Optional(), Length(min=10, max=200, message=_l("Een wachtwoord heeft minstens 10 tekens."))])
    active = BooleanField(_l("Account actief"), default=True)
    locations = MultiCheckboxField(_l("Werkt bij"), coerce=int, description=_l(
        "Welzijnswerkers en vrijwilligers zien en doen alleen iets bij deze plekken. "
        "Een coördinator werkt bij alle plekken van de organisatie."))

    def __init__(self, *args, staff: Staff | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._staff = staff
        self.locations.choices = [(loc.id, loc.name) for loc in access.locations(current_user, access.Can.MANAGE)]

    def validate_email(self, field):
        email = field.data.strip().lower()
        other = db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one_or_none()
        if other is not None and other is not self._staff:
            raise ValidationError(_("Er is al een medewerker met dit e-mailadres."))

    def validate_new_photo(self, field):
        if field.data:
            try:
                field.processed = shrink_photo(field.data.read())
            except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
                raise ValidationError(_("Deze foto kunnen we niet lezen. Probeer een andere.")) from None


def shrink_photo(data: bytes) -> bytes:
    """A small JPEG: enough for print at 3 cm, small enough to keep in the database."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        return out.getvalue()


@bp.route("/")
@coordinator_required
def index():
    # A page at a time, with where each works (one query for the page) and whether they have a
    # photo (one query: the photos themselves stay in the database).
    page = db.paginate(db.select(Staff).filter_by(organisation_id=current_user.organisation_id)
                       .options(selectinload(Staff.locations)).order_by(Staff.active.desc(), Staff.name, Staff.id),
                       page=page_from_request(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [person.id for person in page.items]
    with_photo = set(db.session.execute(db.select(Staff.id).where(Staff.id.in_(ids), Staff.photo.is_not(None)))
                     .scalars()) if ids else set()
    return render_template("people/index.html", page=page, people=page.items, with_photo=with_photo,
                           role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def create():
    form = StaffForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Geef een eerste wachtwoord."))
        else:
            staff = Staff(password_hash="", organisation_id=current_user.organisation_id)
            _apply(form, staff)
            db.session.add(staff)
            db.session.commit()
            flash(_("Medewerker %(name)s is toegevoegd.", name=staff.name), "success")
            return redirect(url_for(".index"))
    return render_template("people/form.html", form=form, staff=None)


@bp.route("/<int:staff_id>", methods=["GET", "POST"])
@staff_required
def edit(staff_id: int):
    staff = _colleague_or_404(staff_id)
    themselves = staff.id == current_user.id
    if not themselves and not current_user.can_manage:
        abort(403)
    form = StaffForm(obj=staff, staff=staff)
    if not form.is_submitted():
        form.locations.data = [loc.id for loc in staff.locations]
    if not current_user.can_manage:  # only coordinators change roles, accounts and where one works
        del form.role, form.active, form.locations
    if form.validate_on_submit():
        if themselves and form.role is not None \
                and (form.role.data != Role.COORDINATOR or not form.active.data) \
                and staff.role == Role.COORDINATOR and _coordinator_count() == 1:
            # Demoting or switching off the last coordinator would leave nobody to manage staff.
            field = form.role if form.role.data != Role.COORDINATOR else form.active
            field.errors = [_("U bent de laatste coördinator. Maak eerst iemand anders coördinator.")]
        else:
            _apply(form, staff)
            db.session.commit()
            if themselves and form.password.data:
                login_user(staff)  # a new password ends the other sessions; this one goes on
            flash(_("De gegevens zijn opgeslagen."), "success")
            # Who demoted themselves may no longer see the list (current_user holds the role they had).
            manages = staff.can_manage if themselves else current_user.can_manage
            return redirect(url_for(".index") if manages else url_for(".edit", staff_id=staff.id))
    return render_template("people/form.html", form=form, staff=staff)


@bp.route("/<int:staff_id>/photo.jpg")
@staff_required
def photo(staff_id: int):
    staff = _colleague_or_404(staff_id)
    if not staff.photo:
        abort(404)
    return staff.photo, 200, {"Content-Type": "image/jpeg", "Cache-Control": "private, max-age=60"}


def _apply(form: StaffForm, staff: Staff) -> None:
    staff.name = form.name.data.strip()
    staff.email = form.email.data.strip().lower()
    staff.phone = (form.phone.data or "").strip()
    staff.whatsapp = (form.whatsapp.data or "").strip()
    if form.role is not None:
        staff.role = form.role.data
        if staff.active and not form.active.data:
            staff.end_sessions()  # switched off: logged out everywhere at once
        staff.active = form.active.data
    if form.locations is not None:
        chosen = set(form.locations.data or [])
        staff.locations = [loc for loc in access.locations(current_user, access.Can.MANAGE) if loc.id in chosen]
    if form.password.data:
        staff.set_password(form.password.data)
    if form.remove_photo.data:
        staff.photo = None
    elif getattr(form.new_photo, "processed", None):
        staff.photo = form.new_photo.processed


def _colleague_or_404(staff_id: int) -> Staff:
    """A staff member of one's own organisation; other organisations' staff do not exist here."""
    staff = db.get_or_404(Staff, staff_id)
    if staff.organisation_id is None or staff.organisation_id != current_user.organisation_id:
        abort(404)
    return staff


def _coordinator_count() -> int:
    return db.session.execute(
        db.select(db.func.count()).select_from(Staff)
        .filter_by(role=Role.COORDINATOR, active=True, organisation_id=current_user.organisation_id)
    ).scalar_one()
