"""What goes on a flyer, as plain frozen values: the Flask layer fills them, the layout reads them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Phrases:
    """The fixed phrases of the flyer in one language, already translated by the caller."""

    cancelled: str = "Gaat niet door"
    moved: str = "Let op: andere dag of tijd"
    empty: str = "Deze week geen activiteiten — de koffie staat wel klaar"
    contact: str = "Vragen? Bel of app mij:"
    phone: str = "Bel"
    whatsapp: str = "WhatsApp"
    where: str = "Adres"
    opening: str = "Open"
    scan: str = "Scan de code: het programma op uw telefoon"
    more: str = "Kijk ook op de volgende bladzijde"
    free: str = "Gratis"       # where a paid activity shows its price


@dataclass(frozen=True)
class FlyerItem:
    start: str                 # "10:00": digits, as printed
    end: str = ""
    title: str = ""
    summary: str = ""
    category: str = "other"    # a Category value; picks the pictogram
    price: str = ""            # "€ 2,50"; empty when free: the flyer prints Phrases.free
    cancelled: bool = False
    reason: str = ""           # why it is cancelled, in Dutch as staff typed it
    moved: bool = False
    moved_note: str = ""       # "Let op: andere dag of tijd. Nu om 14:00." and the reason; else Phrases.moved
    moved_note2: str = ""      # the same in the second language (without the staff's Dutch reason)
    title2: str = ""           # the staff's translation; empty when there is none
    summary2: str = ""
    threshold: str = ""        # the reassurance line, "U hoeft zich niet aan te melden.", as staff typed it
    threshold2: str = ""       # its translation; empty when there is none


@dataclass(frozen=True)
class FlyerDay:
    label: str                 # "Maandag 23 november"
    label2: str = ""           # the same in the second language
    items: tuple[FlyerItem, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    whatsapp: str = ""
    photo: bytes | None = None  # any image Pillow reads; anything else gets the placeholder


@dataclass(frozen=True)
class FlyerContent:
    location_name: str
    week_label: str            # "Programma week 48: 23 tot en met 29 november"
    agenda_url: str            # what the QR code opens; carries ?bron=flyer
    days: tuple[FlyerDay, ...] = ()
    address: str = ""
    opening_hours: str = ""
    banner: str = ""           # "Iedereen is welkom. U hoeft zich niet aan te melden."
    contact: Contact | None = None
    phrases: Phrases = field(default_factory=Phrases)
    week_label2: str = ""
    week_short: str = ""       # "Week 48", for the running head of later pages
    banner2: str = ""
    reassurance: str = ""      # the reassurance line most activities of the week share, printed once under
    reassurance2: str = ""     # the banner (their own items then leave it out); the second language's
    phrases2: Phrases | None = None  # None: a Dutch-only flyer
    lang2: str = ""

    @property
    def item_count(self) -> int:
        return sum(len(day.items) for day in self.days)
