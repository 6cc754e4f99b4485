"""Staff login and the role rules: coordinators manage, workers plan, volunteers look."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..extensions import db, login_manager
from ..site.ratelimit import login_limits
from .models import SignedIn, Staff, check_dummy_password

bp = Blueprint("auth", __name__, url_prefix="/staff")

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log eerst in om deze pagina te zien.")
login_manager.login_message_category = "info"


# Built once and run without the ORM: every staff request loads its staff member first.
_SIGNED_IN = select(Staff.id, Staff.name, Staff.role, Staff.organisation_id, Staff.session_version,
                    Staff.active).where(Staff.id == bindparam("id"))


@login_manager.user_loader
def load_staff(session_id: str) -> SignedIn | None:
    """The staff member of a session or remember-me cookie, if that session was not ended since:
    the cookie holds "id:session_version" (Staff.get_id), and logout, a new password or switching
    the account off raise the version on the staff row."""
    staff_id, _sep, version = session_id.partition(":")
    if not (staff_id.isascii() and staff_id.isdigit() and version.isascii() and version.isdigit()):
        return None  # also the bare ids of cookies from before session versions: log in again
    row = db.session.connection().execute(_SIGNED_IN, {"id": int(staff_id)}).one_or_none()
    if row is None or not row.active or row.session_version != int(version):
        return None
    return SignedIn(row.id, row.name, row.role, row.organisation_id, row.session_version)


def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Staff of an organisation; the city-wide administrator has only the organisations page.
staff_required = _role_required(lambda staff: not staff.is_admin)
planner_required = _role_required(lambda staff: staff.can_plan)
coordinator_required = _role_required(lambda staff: staff.can_manage)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))])
    remember = BooleanField(_l("Ingelogd blijven op deze computer"))


def _safe_next(target: str | None) -> str | None:
    """Only follow ?next= to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("planning.week"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        staff = db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one_or_none()
        # An unknown address costs the same hash as a known one, so timing tells no one who has an account.
        right = staff.check_password(form.password.data) if staff else check_dummy_password(form.password.data)
        if staff is None or not right or not staff.active:
            form.password.errors.append(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."))
        else:
            login_user(staff, remember=form.remember.data)
            flash(_("Welkom, %(name)s.", name=staff.name), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("planning.week"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # ends this account's sessions everywhere, copied cookies too
        db.get_or_404(Staff, current_user.id).end_sessions()
        db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("agenda.index"))
