"""Template filters and globals: Dutch dates, euros, pictograms and the staff navigation."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import Flask, current_app, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError

from ..categories import Category
from ..languages import LANGUAGE_NAMES, RIGHT_TO_LEFT

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
                                 euro=format_euro)
    app.jinja_env.globals.update(get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES, RIGHT_TO_LEFT=RIGHT_TO_LEFT,
                                 Category=Category, pictogram_url=pictogram_url, staff_nav=staff_nav)


def format_day(value: date) -> str:
    return format_date(value, "EEEE d MMMM")


def format_day_year(value: date) -> str:
    """"donderdag 24 december 2026": for spans that may cross a new year (closures)."""
    return format_date(value, "EEEE d MMMM y")


def format_short_day(value: date) -> str:
    return format_date(value, "EEE d MMM")


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
