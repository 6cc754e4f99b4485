"""Activity categories. Each has one pictogram, used on the website, the kiosk and every PDF."""
from enum import StrEnum
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .paths import PICTOGRAMS as PICTOGRAM_DIR


class Category(StrEnum):
    WALK = "walk"
    LANGUAGE = "language"
    HEALTH = "health"
    COFFEE = "coffee"
    CREATIVE = "creative"
    SPORT = "sport"
    OTHER = "other"

    @property
    def label(self):
        return LABELS[self]

    @property
    def pictogram_path(self) -> Path:
        """The SVG file; PDF code reads it directly, templates use `static/pictograms/<value>.svg`."""
        return PICTOGRAM_DIR / f"{self.value}.svg"


LABELS = {
    Category.WALK: _l("Wandelen"),
    Category.LANGUAGE: _l("Taal"),
    Category.HEALTH: _l("Gezondheid"),
    Category.COFFEE: _l("Koffie en inloop"),
    Category.CREATIVE: _l("Creatief"),
    Category.SPORT: _l("Sport en bewegen"),
    Category.OTHER: _l("Overig"),
}
