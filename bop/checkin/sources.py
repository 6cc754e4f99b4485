"""How a newcomer heard of the BOP: the answers a visitor can tap, with their labels.

Visitor-facing words (the kiosk and the phone ask the question), so translated in every catalogue.
"""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Source(StrEnum):
    """How a newcomer heard of the BOP; a check-in's source is "" when they skipped the question."""

    FLYER = "flyer"
    NEIGHBOUR = "neighbour"
    WORKER = "worker"
    OTHER = "other"
    POSTER = "poster"  # only set from the agenda's `bron` cookie, never asked

    @classmethod
    def asked(cls) -> dict[str, str]:
        """The answers a newcomer can tap, in the order they are shown, with their labels."""
        return {s.value: str(SOURCE_LABELS[s]) for s in (cls.FLYER, cls.NEIGHBOUR, cls.WORKER, cls.OTHER)}


SOURCE_LABELS = {
    Source.FLYER: _l("Folder"), Source.NEIGHBOUR: _l("Buren"), Source.WORKER: _l("Iemand van de BOP"),
    Source.OTHER: _l("Anders"), Source.POSTER: _l("Poster"),
}
