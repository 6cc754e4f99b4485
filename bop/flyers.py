"""Weekly flyers: the public PDF at /bop/<slug>/flyer/<yyyy>-W<ww>.pdf and the staff page to make it.

The flyer reads the week through `programme.occurrences_between`, like the agenda, so paper and
screen never disagree. This module turns those occurrences into the plain `FlyerContent` of
`flyer_pdf` (phrases translated from the catalogues, dates in each language) and leaves the layout
to that module.

Copies above `flyer_pdf.MAX_COPIES`: the staff form refuses them with a message next to the field;
the public URL answers 400 with the same sentence. Clamping silently would hand the person at the
printer fewer flyers than they asked for without telling them.
"""
from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta

import pypdfium2 as pdfium
from flask import Blueprint, Response, abort, render_template, request, url_for
from babel.lists import format_list
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError

from . import errors, flyer_pdf, schedule
from .auth import staff_required
from .extensions import db
from .languages import OTHER_LANGUAGES
from .models import Location
from .programme import Scheduled, local_today, occurrences_between

bp = Blueprint("flyers", __name__)

FORMAT_CHOICES = [
    ("A4", _l("A4 (één per vel)")),
    ("A5", _l("A5 (twee per A4-vel)")),
    ("A3", _l("A3 (poster)")),
]
REPEAT_DAYS = 3  # an activity on this many days of a week is printed once, with its days
COPIES_MESSAGE = _l("Kies een aantal van 1 tot en met %(max)d.", max=flyer_pdf.MAX_COPIES)


# ---------------------------------------------------------------- forms


class ChoiceField(SelectField):
    """A select whose wrong answer gets a sentence that says what is allowed, also on the public URL
    (WTForms' own "Not a valid choice" helps nobody)."""

    def __init__(self, *args, invalid: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(str(self.invalid))


class CopiesField(IntegerField):
    """1 to MAX_COPIES; "abc", "" and "2.5" get the same plain message as 0 or 100000."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(COPIES_MESSAGE))

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
                       choices=[("", _l("Alleen Nederlands"))] + list(OTHER_LANGUAGES.items()))
    copies = CopiesField(_l("Aantal exemplaren"), default=1,
                         validators=[NumberRange(1, flyer_pdf.MAX_COPIES, COPIES_MESSAGE)])


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
                           choices=[("", _l("Alleen Nederlands"))]
                           + [(code, f"Nederlands + {name}") for code, name in OTHER_LANGUAGES.items()])
    copies = CopiesField(_l("Aantal exemplaren"), default=1, render_kw={"min": 1, "max": flyer_pdf.MAX_COPIES},
                         validators=[NumberRange(1, flyer_pdf.MAX_COPIES, COPIES_MESSAGE)])

    def validate_week(self, field) -> None:
        try:
            self.monday = schedule.parse_iso_week(field.data or "")
        except ValueError:
            raise ValidationError(_("Deze week bestaat niet. Kies een week zoals 2026-W48."))


# ---------------------------------------------------------------- content


def phrases(lang: str) -> flyer_pdf.Phrases:
    """The fixed phrases from the translation catalogue of `lang` (Dutch is the source text)."""
    with force_locale(lang):
        return flyer_pdf.Phrases(
            cancelled=_("Gaat niet door"),
            moved=_("Let op: andere dag of tijd"),
            empty=_("Deze week geen activiteiten — de koffie staat wel klaar"),
            contact=_("Vragen? Bel of app mij:"),
            phone=_("Bel"),
            whatsapp=_("WhatsApp"),
            where=_("Adres"),
            opening=_("Open"),
            scan=_("Scan de code: het programma op uw telefoon"),
            more=_("Kijk ook op de volgende bladzijde"),
            free=_("Gratis"),
        )


def _day_label(day: date, lang: str) -> str:
    with force_locale(lang):
        return _capital(format_date(day, "EEEE d MMMM"))


def _week_label(monday: date, lang: str) -> str:
    sunday = monday + timedelta(days=6)
    with force_locale(lang):
        # "16 tot en met 22 november", and the month twice only when the week spans two.
        first = format_date(monday, "d" if monday.month == sunday.month else "d MMMM")
        return _("Programma week %(week)d: %(first)s tot en met %(last)s", week=monday.isocalendar()[1],
                 first=first, last=format_date(sunday, "d MMMM"))


def _week_short(monday: date) -> str:
    with force_locale("nl"):  # the running head is Dutch, whatever ?lang= asks for
        return _("Week %(week)d", week=monday.isocalendar()[1])


def _banner(lang: str) -> str:
    # Every week, whatever it costs: each activity shows its price or "Gratis" itself.
    with force_locale(lang):
        return _("Iedereen is welkom. U hoeft zich niet aan te melden.")


def _price(cents: int) -> str:
    return "€ " + f"{cents / 100:.2f}".replace(".", ",") if cents else ""


def _item(s: Scheduled, lang2: str) -> flyer_pdf.FlyerItem:
    activity, occurrence = s.activity, s.occurrence
    translation = activity.translated(lang2) if lang2 else None
    return flyer_pdf.FlyerItem(
        start=occurrence.start.strftime("%H:%M"),
        end=occurrence.end.strftime("%H:%M"),
        title=activity.title,
        summary=activity.summary,
        category=activity.category,
        price=_price(activity.price_cents),
        cancelled=occurrence.cancelled,
        reason=occurrence.reason,
        moved=occurrence.moved,
        title2=translation.title if translation else "",
        summary2=translation.summary if translation else "",
    )


def _contact(location: Location) -> flyer_pdf.Contact | None:
    staff = location.contact
    if staff is not None:
        return flyer_pdf.Contact(staff.name, staff.phone, staff.whatsapp, staff.photo)
    if location.phone:  # no contact person yet: the BOP's own number, with the neutral placeholder
        return flyer_pdf.Contact(location.name, location.phone)
    return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _days_label(days: list[date], lang: str) -> str:
    """ "Maandag tot en met vrijdag" for a run of days, else "Maandag, woensdag en vrijdag"."""
    with force_locale(lang):
        names = [format_date(day, "EEEE") for day in days]
        if len(days) >= 3 and all((b - a).days == 1 for a, b in zip(days, days[1:])):
            return _capital(_("%(first)s tot en met %(last)s", first=names[0], last=names[-1]))
        return _capital(format_list(names, locale=str(get_locale())))


def _repeats(scheduled: list[Scheduled]) -> tuple[dict[tuple[date, ...], list[Scheduled]], set[int]]:
    """Activities that happen at the same time on three or more days of the week, grouped by those
    days, and the ids of the occurrences they stand for. The flyer prints such an activity once
    ("Maandag tot en met vrijdag: 09:30 Inloop") instead of five times: shorter and easier to
    read. A cancelled or moved date is not part of the group and stays on its own day."""
    series: dict[tuple, list[Scheduled]] = defaultdict(list)
    for s in scheduled:
        if not s.occurrence.cancelled and not s.occurrence.moved:
            series[(s.activity.id, s.occurrence.start.time(), s.occurrence.end.time())].append(s)
    groups: dict[tuple[date, ...], list[Scheduled]] = defaultdict(list)
    covered: set[int] = set()
    for occurrences in series.values():
        if len(occurrences) >= REPEAT_DAYS:
            groups[tuple(s.occurrence.date for s in occurrences)].append(occurrences[0])
            covered.update(id(s) for s in occurrences)
    return groups, covered


def flyer_content(location: Location, monday: date, lang2: str = "") -> flyer_pdf.FlyerContent:
    days = schedule.week_dates(monday)
    scheduled = occurrences_between(location, days[0], days[-1])
    groups, covered = _repeats(scheduled)
    repeated = tuple(  # the most frequent first: "Maandag tot en met vrijdag" before "Dinsdag en donderdag"
        flyer_pdf.FlyerDay(
            label=_days_label(list(dates), "nl"),
            label2=_days_label(list(dates), lang2) if lang2 else "",
            items=tuple(_item(s, lang2) for s in group),
        )
        for dates, group in sorted(groups.items(), key=lambda pair: (-len(pair[0]), pair[0]))
    )
    single = tuple(
        flyer_pdf.FlyerDay(
            label=_day_label(day, "nl"),
            label2=_day_label(day, lang2) if lang2 else "",
            items=tuple(_item(s, lang2) for s in scheduled if s.occurrence.date == day and id(s) not in covered),
        )
        for day in days
    )
    flyer_days = repeated + single
    week = schedule.iso_week_label(monday)
    return flyer_pdf.FlyerContent(
        location_name=location.name,
        week_label=_week_label(monday, "nl"),
        week_short=_week_short(monday),
        agenda_url=url_for("agenda.week", slug=location.slug, week=week, bron="flyer", _external=True),
        days=flyer_days,
        address=location.address,
        opening_hours=location.opening_hours,
        banner=_banner("nl"),
        contact=_contact(location),
        phrases=phrases("nl"),
        week_label2=_week_label(monday, lang2) if lang2 else "",
        banner2=_banner(lang2) if lang2 else "",
        phrases2=phrases(lang2) if lang2 else None,
        lang2=lang2,
    )


def untranslated_titles(content: flyer_pdf.FlyerContent) -> list[str]:
    """Activities that will print in Dutch only on this bilingual flyer."""
    if not content.lang2:
        return []
    return sorted({item.title for day in content.days for item in day.items if not item.title2})


def pdf_url(location: Location, week: str, fmt: str, lang2: str, copies: int) -> str:
    args = {"format": fmt} if fmt != "A4" else {}
    if lang2:
        args["lang"] = lang2
    if copies != 1:
        args["copies"] = copies
    return url_for("flyers.pdf", slug=location.slug, week=week, **args)


def _location_or_404(slug: str) -> Location:
    return db.one_or_404(db.select(Location).filter_by(slug=slug))


def _monday_or_404(week: str) -> date:
    try:
        return schedule.parse_iso_week(week)
    except ValueError:
        abort(404)


# ---------------------------------------------------------------- views


@bp.route("/bop/<slug>/flyer/<week>.pdf")
def pdf(slug: str, week: str):
    location = _location_or_404(slug)
    monday = _monday_or_404(week)
    form = FlyerOptionsForm(formdata=request.args)
    if not form.validate():
        # The first problem, in plain words, on the site's own error page.
        message = next(iter(form.errors.values()))[0]
        return errors.render_error(400, "bad_flyer_options", str(message))
    content = flyer_content(location, monday, form.lang.data or "")
    body = flyer_pdf.render_flyer(content, form.format.data, form.copies.data)
    filename = f"flyer-{location.slug}-{schedule.iso_week_label(monday)}-{form.format.data}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "public, max-age=300",  # plans change; a few minutes old is fine
    })


def _staff_form() -> tuple[StaffFlyerForm, list[Location]]:
    locations = list(db.session.execute(db.select(Location).order_by(Location.name)).scalars())
    args = request.args
    if not args:  # first visit: the first BOP and next week, the flyer for Friday's round
        next_week = schedule.iso_week_label(schedule.monday_of(local_today()) + timedelta(days=7))
        args = MultiDict({"location": locations[0].slug if locations else "", "week": next_week})
    form = StaffFlyerForm(formdata=args)
    form.location.choices = [(loc.slug, loc.name) for loc in locations]
    return form, locations


@bp.route("/staff/flyers")
@staff_required
def index():
    form, locations = _staff_form()
    if not locations:
        return render_template("flyers/index.html", form=form, locations=locations, ready=False)
    ready = form.validate()
    context = {}
    if ready:
        location = next(loc for loc in locations if loc.slug == form.location.data)
        week, lang2 = schedule.iso_week_label(form.monday), form.language.data or ""
        content = flyer_content(location, form.monday, lang2)
        pages = flyer_pdf.page_count(content, form.format.data)
        copies = form.copies.data
        context = {
            "location": location,
            "content": content,
            "pages": pages,
            "pdf_pages": (copies + 1) // 2 * pages if form.format.data == "A5" else copies * pages,
            "pdf_href": pdf_url(location, week, form.format.data, lang2, copies),
            "preview_href": url_for(".preview", location=location.slug, week=week, format=form.format.data,
                                    language=lang2),
            "untranslated": untranslated_titles(content),
            "language_name": OTHER_LANGUAGES.get(lang2, ""),
        }
    return render_template("flyers/index.html", form=form, locations=locations, ready=ready, **context)


@bp.route("/staff/flyers/preview.png")
@staff_required
def preview():
    """Page 1 of the flyer as printed (for A5 the whole sheet), drawn on the server so it looks
    the same in every browser."""
    form, locations = _staff_form()
    if not locations or not form.validate():
        abort(404)
    location = next(loc for loc in locations if loc.slug == form.location.data)
    content = flyer_content(location, form.monday, form.language.data or "")
    body = flyer_pdf.render_flyer(content, form.format.data, 1)
    document = pdfium.PdfDocument(body)
    try:
        page = document[0]
        width = page.get_width()
        image = page.render(scale=899.9 / width).to_pil()  # 900 px wide (PDFium rounds up), sharp enough
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "private, max-age=60"})
