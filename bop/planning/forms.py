"""Forms of the planning capability: activities, per-date changes, closures, translations."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from ..accounts.forms import MultiCheckboxField, choosable_staff
from ..categories import Category
from ..languages import OTHER_LANGUAGES
from . import schedule

WEEKDAYS = [SelectChoice(0, _l("maandag")), SelectChoice(1, _l("dinsdag")), SelectChoice(2, _l("woensdag")),
            SelectChoice(3, _l("donderdag")), SelectChoice(4, _l("vrijdag")), SelectChoice(5, _l("zaterdag")),
            SelectChoice(6, _l("zondag"))]
NTH = [SelectChoice(1, _l("eerste")), SelectChoice(2, _l("tweede")), SelectChoice(3, _l("derde")),
       SelectChoice(4, _l("vierde")), SelectChoice(-1, _l("laatste"))]
DATE_MESSAGE = _l("Dit is geen bestaande datum. Schrijf hem als dag-maand-jaar.")
TIME_MESSAGE = _l("Dit is geen geldige tijd. Schrijf hem als 10:00.")
DEFAULT_THRESHOLD = _l("U hoeft zich niet aan te melden. Geen ervaring nodig.")


class DutchDateField(DateField):
    """Accepts the browser's 2026-11-24 and the Dutch 24-11-2026; a Dutch message otherwise."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                self.data = datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(str(DATE_MESSAGE))


class DutchTimeField(TimeField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(".", ":")
        try:
            self.data = datetime.strptime(text, "%H:%M").time()
        except ValueError:
            self.data = None
            raise ValueError(str(TIME_MESSAGE)) from None


class EuroField(Field):
    """A price in euros as people type it: "2,50", "2.50", "€ 3", "3,-" or empty/"gratis" for free."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if not self.data else f"{self.data / 100:.2f}".replace(".", ",")

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().lower().replace("€", "").replace(" ", "")
        text = text.removesuffix(",-").removesuffix(".-")
        if text in ("", "gratis", "0"):
            self.data = 0
            return
        if not re.fullmatch(r"\d{1,4}([.,]\d{1,2})?", text):
            self.data = None
            raise ValueError(_("Schrijf de prijs als een bedrag, zoals 2,50. Laat leeg als het gratis is."))
        try:
            self.data = int(Decimal(text.replace(",", ".")) * 100)
        except InvalidOperation:
            self.data = None
            raise ValueError(_("Schrijf de prijs als een bedrag, zoals 2,50.")) from None




class ActivityForm(FlaskForm):
    title = StringField(_l("Naam van de activiteit"), validators=[
        DataRequired(_l("Vul een naam in.")), Length(max=120, message=_l("Gebruik hooguit 120 tekens."))])
    category = SelectField(_l("Soort (kiest het plaatje)"), choices=[SelectChoice(c.value, c.label) for c in Category])
    summary = StringField(_l("Eén korte zin voor de agenda en de flyer"), validators=[
        Optional(), Length(max=160, message=_l("Gebruik hooguit 160 tekens."))],
        description=_l("Bijvoorbeeld: Wandelen in de wijk, hooguit 2 km."))
    description = TextAreaField(_l("Uitleg in eenvoudige woorden"), validators=[
        Optional(), Length(max=2000, message=_l("Gebruik hooguit 2000 tekens."))])
    host_id = SelectField(_l("Wie begeleidt?"), coerce=int)
    # No Optional() here and below: it would stop validation before validate_<field> runs on empty input.
    host_name = StringField(_l("Of: naam van iemand anders"), validators=[Length(max=120)],
                            description=_l("Bijvoorbeeld: de wijkverpleegkundige"))
    start_time = DutchTimeField(_l("Begintijd"), validators=[InputRequired(_l("Vul een begintijd in."))])
    end_time = DutchTimeField(_l("Eindtijd"), validators=[InputRequired(_l("Vul een eindtijd in."))])
    repeat = RadioField(_l("Hoe vaak?"), default="weekly", choices=[
        SelectChoice("weekly", _l("Elke week (of om de paar weken)")),
        SelectChoice("monthly", _l("Eén keer per maand")),
        SelectChoice("once", _l("Eén keer"))])
    weekdays = MultiCheckboxField(_l("Op welke dagen?"), choices=WEEKDAYS, coerce=int)
    interval = IntegerField(_l("Om de hoeveel weken?"), default=1, validators=[
        Optional(), NumberRange(1, 52, _l("Kies een getal van 1 tot 52."))])
    nth = SelectField(_l("Welke week van de maand?"), choices=NTH, coerce=int, default=1)
    month_weekday = SelectField(_l("Op welke dag?"), choices=WEEKDAYS, coerce=int, default=0)
    first_date = DutchDateField(_l("Eerste datum"), validators=[InputRequired(DATE_MESSAGE)])
    last_date = DutchDateField(_l("Laatste datum (leeg = blijft doorgaan)"), validators=[Optional()])
    capacity = IntegerField(_l("Hoeveel plaatsen? (leeg = geen grens)"), validators=[
        Optional(), NumberRange(1, 1000, _l("Kies een getal van 1 tot 1000."))])
    price = EuroField(_l("Prijs in euro (leeg = gratis)"))
    bring = StringField(_l("Wat neemt u mee?"), validators=[Optional(), Length(max=200)],
                        description=_l("Bijvoorbeeld: goede schoenen"))
    threshold_note = StringField(_l("Zin die drempels wegneemt"), validators=[Optional(), Length(max=200)],
                                 default=DEFAULT_THRESHOLD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = choosable_staff(getattr(kwargs.get("obj"), "host_id", None), current_user.organisation_id)
        self.host_id.choices = [SelectChoice(0, _("— iemand anders (vul hieronder in) —"))] + [
            SelectChoice(s.id, s.name) for s in staff]

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_("De eindtijd moet na de begintijd liggen."))

    def validate_last_date(self, field):
        if field.data and self.first_date.data and field.data < self.first_date.data:
            raise ValidationError(_("De laatste datum ligt vóór de eerste datum."))

    def validate_weekdays(self, field):
        if self.repeat.data == "weekly" and not field.data:
            raise ValidationError(_("Kies minstens één dag."))

    def validate_host_name(self, field):
        if not self.host_id.data and not (field.data or "").strip():
            raise ValidationError(_("Kies een begeleider of vul een naam in."))

    @property
    def duration_minutes(self) -> int:
        start = datetime.combine(date.min, self.start_time.data)
        return int((datetime.combine(date.min, self.end_time.data) - start) / timedelta(minutes=1))

    def rrule(self) -> str:
        if self.repeat.data == "weekly":
            return schedule.build_rrule("weekly", weekdays=self.weekdays.data, interval=self.interval.data or 1)
        if self.repeat.data == "monthly":
            return schedule.build_rrule("monthly", weekdays=[self.month_weekday.data], nth=self.nth.data)
        return schedule.build_rrule("once")

    def fill_rule(self, rrule: str) -> None:
        fields = schedule.rrule_fields(rrule)
        self.repeat.data = fields["kind"]
        if fields["kind"] == "weekly":
            self.weekdays.data = list(fields["weekdays"])
            self.interval.data = fields["interval"]
        elif fields["kind"] == "monthly":
            self.month_weekday.data = fields["weekdays"][0]
            self.nth.data = fields["nth"]


class DateChangeForm(FlaskForm):
    action = RadioField(_l("Wat verandert er?"), default="cancel", choices=[
        SelectChoice("cancel", _l("Gaat niet door")), SelectChoice("move", _l("Andere dag of tijd")),
        SelectChoice("restore", _l("Gaat gewoon door"))])
    reason = StringField(_l("Reden (iedereen ziet deze)"), validators=[Length(max=200)],
                         description=_l("Bijvoorbeeld: Koningsdag"))
    new_date = DutchDateField(_l("Nieuwe datum"))
    new_start_time = DutchTimeField(_l("Nieuwe begintijd"), validators=[Optional()])

    def validate_reason(self, field):
        if self.action.data == "cancel" and not (field.data or "").strip():
            raise ValidationError(_("Schrijf kort waarom het niet doorgaat. Bezoekers zien dit."))

    def validate_new_date(self, field):
        if self.action.data == "move" and not field.data and not self.new_start_time.data:
            raise ValidationError(_("Kies een nieuwe datum of een nieuwe tijd."))


class ClosureForm(FlaskForm):
    first_date = DutchDateField(_l("Dicht vanaf"), validators=[InputRequired(DATE_MESSAGE)])
    last_date = DutchDateField(_l("Tot en met"), validators=[InputRequired(DATE_MESSAGE)])
    reason = StringField(_l("Reden (iedereen ziet deze)"), validators=[
        DataRequired(_l("Schrijf kort waarom de plek dicht is.")), Length(max=200)],
        description=_l("Bijvoorbeeld: kerstvakantie"))

    def validate_last_date(self, field):
        if field.data and self.first_date.data and field.data < self.first_date.data:
            raise ValidationError(_("De laatste dag ligt vóór de eerste dag."))
        if field.data and self.first_date.data and (field.data - self.first_date.data).days > 366:
            raise ValidationError(_("Een sluiting duurt hooguit een jaar."))


def translation_form(**kwargs) -> FlaskForm:
    """Title, summary and reassurance line per language; empty means: use the Dutch text."""

    class TranslationForm(FlaskForm):
        pass

    for lang, language in OTHER_LANGUAGES.items():
        setattr(TranslationForm, f"title_{lang}", StringField(
            _l("Naam in het %(language)s", language=language), validators=[Optional(), Length(max=120)]))
        setattr(TranslationForm, f"summary_{lang}", StringField(
            _l("Korte zin in het %(language)s", language=language), validators=[Optional(), Length(max=160)]))
        setattr(TranslationForm, f"threshold_note_{lang}", StringField(
            _l("Zin die drempels wegneemt, in het %(language)s", language=language),
            validators=[Optional(), Length(max=200)]))
    return TranslationForm(**kwargs)
