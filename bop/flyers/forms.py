"""The flyer's choices: the public PDF's query (?format=A5&lang=ar&copies=200) and the staff form.

Copies above `MAX_COPIES` are refused with a message next to the field, and the public URL answers
400 with the same sentence: clamping silently would hand the person at the printer fewer flyers than
they asked for without telling them.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError

from ..languages import OTHER_LANGUAGES
from ..planning import schedule
from .layout import MAX_COPIES

FORMAT_CHOICES = [
    SelectChoice("A4", _l("A4 (één per vel)")),
    SelectChoice("A5", _l("A5 (twee per A4-vel)")),
    SelectChoice("A3", _l("A3 (poster)")),
]
COPIES_MESSAGE = _l("Kies een aantal van 1 tot en met %(max)d.", max=MAX_COPIES)


class ChoiceField(SelectField):
    """A select whose wrong answer gets a sentence that says what is allowed, also on the public URL
    (WTForms' own "Not a valid choice" helps nobody)."""

    def __init__(self, *args, invalid: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form) -> None:
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(str(self.invalid))


class CopiesField(IntegerField):
    """1 to MAX_COPIES; "abc", "" and "2.5" get the same plain message as 0 or 100000."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(COPIES_MESSAGE)) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()  # the message is already there once


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _second_language(value):
    value = value.strip().lower() if isinstance(value, str) else value
    return "" if value in (None, "nl") else value  # Dutch is always on the flyer


FORMAT_INVALID = _l("Kies als formaat A4, A5 of A3.")
LANGUAGE_INVALID = _l("Deze taal hebben we niet voor de flyer. Kies en, tr, pl, uk of ar.")


class FlyerOptionsForm(FlaskForm):
    """The query of the public PDF URL: ?format=A5&lang=ar&copies=200 (all optional)."""

    class Meta:
        csrf = False  # a GET link, printed and bookmarked

    format = ChoiceField(_l("Formaat"), choices=FORMAT_CHOICES, default="A4", filters=[_upper],
                         invalid=FORMAT_INVALID)
    lang = ChoiceField(_l("Tweede taal"), default="", filters=[_second_language], invalid=LANGUAGE_INVALID,
                       choices=[SelectChoice("", _l("Alleen Nederlands"))]
                       + [SelectChoice(code, name) for code, name in OTHER_LANGUAGES.items()])
    copies = CopiesField(_l("Aantal exemplaren"), default=1,
                         validators=[NumberRange(1, MAX_COPIES, COPIES_MESSAGE)])


class StaffFlyerForm(FlaskForm):
    """The staff page's choices, sent by GET so a preview can be reloaded and shared. The field is
    `language`, not `lang`: ?lang= would switch the staff page's own language (`select_locale`)."""

    class Meta:
        csrf = False  # it only reads

    location = ChoiceField(_l("Plek"), invalid=_l("Kies een plek uit de lijst."))
    week = StringField(_l("Week"), description=_l("Bijvoorbeeld 2026-W48: jaar en weeknummer."),
                       render_kw={"type": "week"}, validators=[InputRequired(_l("Kies een week."))])
    format = ChoiceField(_l("Formaat"), choices=FORMAT_CHOICES, default="A4", filters=[_upper],
                         invalid=FORMAT_INVALID)
    language = ChoiceField(_l("Tweede taal"), default="", filters=[_second_language], invalid=LANGUAGE_INVALID,
                           choices=[SelectChoice("", _l("Alleen Nederlands"))]
                           + [SelectChoice(code, f"Nederlands + {name}") for code, name in OTHER_LANGUAGES.items()])
    copies = CopiesField(_l("Aantal exemplaren"), default=1, render_kw={"min": 1, "max": MAX_COPIES},
                         validators=[NumberRange(1, MAX_COPIES, COPIES_MESSAGE)])

    def validate_week(self, field) -> None:
        try:
            self.monday = schedule.parse_iso_week(field.data or "")
        except ValueError:
            raise ValidationError(_("Deze week bestaat niet. Kies een week zoals 2026-W48.")) from None
