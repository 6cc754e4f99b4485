"""Template filters and globals: Dutch dates, euros, pictograms and the staff navigation."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from functools import lru_cache

from babel import dates as babel_dates
from flask import Flask, current_app, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.routing import BaseConverter, ValidationError

from ..categories import Category
from ..languages import LANGUAGE_NAMES, RIGHT_TO_LEFT
from ..printing.hyphens import soft_hyphens

# (endpoint, label, who may see it: "all" staff of an organisation, "manage" coordinators, "admin" the
# city-wide administrator). Entries whose endpoint is not registered are skipped, so a
# capability shows up in the menu as soon as its blueprint is registered.
STAFF_NAV = [
    ("planning.week", _l("Weekplanning"), "all"),
    ("checkin.today", _l("Wie is er vandaag?"), "all"),
    ("visitors.index", _l("Bezoekers"), "all"),
    ("flyers.index", _l("Flyer"), "all"),
    ("insight.outreach_index", _l("Uit beeld"), "all"),
    ("insight.rounds_index", _l("Rondes"), "all"),
    ("insight.reports", _l("Cijfers"), "all"),
    ("kiosk.devices", _l("Tablets"), "manage"),
    ("locations.index", _l("Plekken"), "all"),
    ("people.index", _l("Medewerkers"), "manage"),
    ("organisations.index", _l("Organisaties"), "admin"),
]


class IsoDateConverter(BaseConverter):
    """`<isodate:day>` in routes: 2026-11-24, and a 404 for anything that is not a real date."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: date) -> str:
        return value if isinstance(value, str) else value.isoformat()


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(day=format_day, day_year=format_day_year, short_day=format_short_day, hhmm=format_hhmm,
                                 euro=format_euro, hyphenate=hyphenate)
    app.jinja_env.globals.update(get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES, RIGHT_TO_LEFT=RIGHT_TO_LEFT,
                                 Category=Category, pictogram_url=pictogram_url, staff_nav=staff_nav,
                                 lang_attrs=lang_attrs, in_language=in_language, nl_span=nl_span)


def hyphenate(text: str | None, lang: str | None = None) -> str:
    """Soft hyphens in the long words of `text`, written in `lang` (default: the page's language)."""
    return soft_hyphens(text, lang or str(get_locale()))


def lang_attrs(lang: str, always: bool = False) -> Markup:
    """` lang=".." dir=".."` for text in `lang` on a page in another language (WCAG 3.1.2), else nothing
    (or, `always`, still: staff-written text says which language it is in, translated or not). A screen
    reader then reads staff-written Dutch in a Dutch voice on an Arabic page."""
    if lang == str(get_locale()) and not always:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(lang, "rtl" if lang in RIGHT_TO_LEFT else "ltr")


def nl_span(text: str) -> Markup:
    """Staff-written Dutch inside a sentence of the page's language: marked as Dutch, hyphenated."""
    attrs = lang_attrs("nl")
    return Markup("<span{}>{}</span>").format(attrs, hyphenate(text, "nl")) if attrs else escape(hyphenate(text, "nl"))


def in_language(activity, field: str) -> tuple[str, str]:
    """An activity's `field` (title, summary, threshold_note) in the page's language where staff
    translated it, else the Dutch original; with the language it is in."""
    lang = str(get_locale())
    translation = activity.translated(lang) if lang != "nl" else None
    value = getattr(translation, field, "") if translation else ""
    original = getattr(activity, field) or ""
    if value and value != original:  # a title saved without translating it is the Dutch one
        return value, lang
    return original, "nl"


def format_day(value: date) -> str:
    return _dated(value, "EEEE d MMMM")


DAY_YEAR = "EEEE d MMMM y"


def format_day_year(value: date | datetime) -> str:
    """"donderdag 24 december 2026": for spans that may cross a new year (closures)."""
    return _dated(value, DAY_YEAR)


def day_year_formatter() -> Callable[[date], str]:
    """format_day_year for the many plain dates of one list (a visitor's visits), with this
    request's language looked up once rather than once a row."""
    locale = str(get_locale())
    return lambda day: _date_in(locale, DAY_YEAR, day)


def format_short_day(value: date) -> str:
    return _dated(value, "EEE d MMM")


def _dated(value: date | datetime, pattern: str) -> str:
    """Flask-Babel's format_date, remembered for plain dates: a list of fifty visits formats fifty
    days, and the same days come back on the next page and the next request. (A datetime is
    first moved to Amsterdam time by Flask-Babel, so it is not remembered.)"""
    if type(value) is date:
        return _date_in(str(get_locale()), pattern, value)
    return format_date(value, pattern)


@lru_cache(maxsize=4096)
def _date_in(locale: str, pattern: str, value: date) -> str:
    return babel_dates.format_date(value, pattern, locale=locale)


def format_hhmm(value: time | datetime) -> str:
    return value.strftime("%H:%M")


def format_euro(cents: int) -> str:
    if not cents:
        return _("Gratis")
    return "€ " + f"{cents / 100:.2f}".replace(".", ",")


def pictogram_url(category: str) -> str:
    try:
        value = Category(category).value
    except ValueError:
        value = Category.OTHER.value
    return url_for("static", filename=f"pictograms/{value}.svg")


def staff_nav(user) -> list[tuple[str, str]]:
    items = []
    for endpoint, label, who in STAFF_NAV:
        allowed = {"all": not user.is_admin, "manage": user.can_manage, "admin": user.is_admin}[who]
        if endpoint in current_app.view_functions and allowed:
            items.append((url_for(endpoint), str(label)))
    return items
