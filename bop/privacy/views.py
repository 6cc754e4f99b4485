"""`/privacy` (DESIGN.md, "Public URL contract"), in plain Dutch and the visitor languages.

The page states the retention period from the configuration (`RETENTION_DAYS`, the same number
`flask bop anonymise-checkins` uses by default) and the contact of every BOP, so it stays true
when a deployment changes either.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy.orm import selectinload

from ..accounts.models import Location
from ..extensions import db

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
def index():
    locations = db.session.execute(
        db.select(Location).options(selectinload(Location.contact)).order_by(Location.name)
    ).scalars().all()
    return render_template("privacy/index.html", locations=locations,
                           retention_days=current_app.config["RETENTION_DAYS"])
