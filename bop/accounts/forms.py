"""What every staff form shares: the phone and e-mail rules, and the staff one may choose."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from .models import Staff


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

PHONE = Regexp(r"^[0-9+() \-]*$", message=_l("Gebruik alleen cijfers, spaties, + en -."))
EMAIL = Regexp(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$", message=_l("Dit is geen geldig e-mailadres."))


def choosable_staff(current_id: int | None, organisation_id: int | None) -> list[Staff]:
    """The organisation's active staff, plus the one already chosen even if their account was
    switched off since."""
    return list(db.session.execute(
        db.select(Staff)
        .where(Staff.organisation_id == organisation_id, (Staff.active == True) | (Staff.id == current_id))  # noqa: E712
        .order_by(Staff.name)
    ).scalars())
