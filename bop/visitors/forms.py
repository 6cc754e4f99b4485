"""Forms of the visitor pages. The consent rule for phone numbers lives here."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts import access
from ..accounts.forms import PHONE
from ..languages import LANGUAGE_NAMES


class VisitorForm(FlaskForm):
    name = StringField(_l("Voornaam of bijnaam"), validators=[
        DataRequired(_l("Vul een voornaam of bijnaam in.")),
        Length(max=60, message=_l("Gebruik hooguit 60 tekens."))],
        description=_l("Een achternaam is niet nodig. Deze naam staat op de kaart en in de begroeting."))
    language = SelectField(_l("Taal van voorkeur"), validate_choice=True)
    home_location_id = SelectField(_l("Vaste plek"), coerce=int, validate_choice=True)
    phone = StringField(_l("Telefoonnummer (niet verplicht)"), validators=[Optional(), Length(max=40), PHONE],
                        description=_l("Alleen om de bezoeker te bellen, en alleen met toestemming."))
    phone_consent = BooleanField(_l("De bezoeker vindt het goed dat we dit nummer bewaren en bellen"))

    def __init__(self, *args, had_consent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._had_consent = had_consent
        codes = list(current_app.config["LANGUAGES"])
        current = kwargs.get("obj").language if kwargs.get("obj") is not None else ""
        if current and current not in codes:
            codes.append(current)  # set elsewhere (e.g. on the visitor's phone): keep it choosable
        self.language.choices = [SelectChoice("", _("Geen voorkeur"))] + [
            SelectChoice(c, LANGUAGE_NAMES.get(c, c)) for c in codes]
        locations = access.locations(current_user)
        # Only a coordinator may leave it empty: a worker would lose sight of a visitor with no BOP.
        none = [SelectChoice(0, _("— geen —"))] if current_user.can_manage or not locations else []
        self.home_location_id.choices = none + [SelectChoice(loc.id, loc.name) for loc in locations]

    def validate_phone(self, field):
        # Unticking the box on a visitor who had consented is a withdrawal: the view clears the
        # number. Without consent given before or now, a number is refused, never stored.
        if (field.data or "").strip() and not self.phone_consent.data and not self._had_consent:
            raise ValidationError(_("Zonder toestemming bewaren we geen telefoonnummer. "
                                    "Vink de toestemming aan, of laat het nummer leeg."))


class NewCardForm(FlaskForm):
    # Ticked when the page opens (see the view); a post without it never blocks a card.
    revoke_old = BooleanField(_l("De oude kaart is kwijt: blokkeer die"))


