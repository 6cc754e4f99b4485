"""The words of the demo city (`demo_city.py`): organisations, neighbourhoods, the programme a
BOP runs, visitors' first names, reasons for a changed date. The demo's own vocabulary, widened."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

ORGANISATIONS = [  # beside the demo's "Welzijn Leiden" and "Buurtwerk Roodenburg"
    "Stichting Samen Merenwijk", "Bibliotheek Leiden en Omstreken", "Diaconie Leiden: Kerk in de Buurt",
    "Stichting Buurtkamers Zuid", "Vrouwencentrum De Kooi", "Humanitas Leiden",
]

NEIGHBOURHOODS = [
    "Merenwijk", "Stevenshof", "De Kooi", "Tuinstadwijk", "Professorenwijk", "Transvaal", "Noorderkwartier",
    "Burgemeesterswijk", "Morsdistrict", "Haagwegkwartier", "Fortuinwijk", "Vogelwijk", "Zeeheldenbuurt",
    "Groenoord", "Roomburg", "Meerburg", "Cronesteyn", "Pelikaanhof", "Rijndijk", "Lage Mors", "Leeuwenhoek",
    "Waardeiland", "Oostvliet", "Bockhorst", "Dobbewijk", "Houtkwartier", "Schildersbuurt", "Vreewijk",
    "Kikkerpolder", "Boerhaavedistrict", "Bos- en Gasthuisdistrict", "Zuidwest", "Kooiplein", "Hoge Mors",
    "Tuinstad-Zuid", "Klein Leeuwenhoek", "Rivierenbuurt", "Burcht", "Levendaal", "Camp", "Marewijk",
    "Molenwijk", "Pancras", "Havenwijk", "Nieuweroord", "Slaaghwijk-Noord", "Stationsdistrict", "Gasthuis",
    "Kaasmarkt", "Singelpark",
]
STREETS = ["Plein", "straat", "laan", "hof", "weg", "kade"]


@dataclass(frozen=True)
class Template:
    """One kind of activity as BOPs run it."""

    title: str
    category: str
    summary: str
    description: str = ""
    start: time = time(10, 0)
    minutes: int = 90
    price_cents: int = 0
    bring: str = ""


PROGRAMME = [
    Template("Inloopochtend met koffie", "coffee", "Koffie, thee en een praatje. Loop gewoon binnen.",
             "Elke ochtend staat de koffie klaar. U kunt blijven zo lang u wilt.", time(9, 30), 150),
    Template("Wandelclub", "walk", "Wandelen in de wijk, hooguit 2 km.",
             "We lopen rustig een rondje door de wijk. Daarna drinken we samen koffie.", time(10, 0), 60,
             bring="Goede schoenen"),
    Template("Taalcafé: Nederlands praten", "language", "Nederlands oefenen door te praten. Zonder boeken.",
             "We praten over gewone dingen: de markt, het weer, de buurt. Fouten maken mag."),
    Template("Gezondheidsspreekuur", "health", "De wijkverpleegkundige meet uw bloeddruk en geeft advies.",
             "Heeft u een vraag over uw gezondheid? De verpleegkundige luistert en denkt mee."),
    Template("Samen maken", "creative", "Tekenen, haken of plakken. Alles is er.", "", time(13, 30)),
    Template("Kapper: knippen voor 3 euro", "other", "De kapper knipt uw haar voor 3 euro.", "", time(13, 0), 120,
             price_cents=300),
    Template("Koffie en een praatje", "coffee", "Loop binnen voor koffie.", "", time(13, 0), 180),
    Template("Stoelyoga", "sport", "Rustig bewegen op een stoel.", "", time(14, 0), 45),
    Template("Samen eten", "other", "Samen koken en eten. U betaalt 2 euro.", "", time(17, 30), 120,
             price_cents=200),
    Template("Breien en haken", "creative", "Samen breien en haken. Wol is er.", "", time(13, 30), 120),
    Template("Naaicafé", "creative", "Kleding maken of repareren met de naaimachine.", "", time(13, 30), 120),
    Template("Repair café", "creative", "Kapot? Samen maken we het weer heel.", "", time(13, 0), 180),
    Template("Hulp bij brieven", "other", "Een brief of rekening die u niet begrijpt? Wij lezen mee.",
             "Neem de brief mee. We kijken samen wat u moet doen.", time(10, 0), 120, bring="Uw brieven"),
    Template("Digicafé: hulp met uw telefoon", "other", "Vragen over uw telefoon of tablet? Kom langs.",
             "", time(14, 0), 90, bring="Uw telefoon of tablet"),
    Template("Bewegen voor ouderen", "sport", "Rustig bewegen op muziek, voor iedereen.", "", time(10, 30), 60),
    Template("Fietsles voor vrouwen", "sport", "Leren fietsen in een rustige groep.", "", time(10, 0), 60),
    Template("Spelletjesmiddag", "other", "Rummikub, kaarten of sjoelen. Samen spelen.", "", time(14, 0), 120),
    Template("Voorleesuur", "language", "Luisteren naar een mooi verhaal, met koffie.", "", time(11, 0), 60),
    Template("Taalmaatjes", "language", "Eén op één Nederlands oefenen met een vrijwilliger.", "", time(15, 0), 60),
    Template("Koffie met de wijkagent", "coffee", "De wijkagent drinkt koffie mee. Stel uw vraag.", "",
             time(10, 0), 60),
    Template("Buurtlunch", "other", "Een warme lunch met de buren. U betaalt 1 euro.", "", time(12, 0), 90,
             price_cents=100),
    Template("Rondje park", "walk", "Een korte wandeling in het park.", "", time(10, 30), 45),
    Template("Wandelen naar de markt", "walk", "Samen naar de markt lopen en terug.", "", time(9, 30), 90),
    Template("Gezond koken", "health", "Lekker en goedkoop koken met groente.", "", time(15, 0), 120),
    Template("Sterk op de benen", "health", "Oefeningen om niet te vallen.", "", time(11, 0), 60),
    Template("Vrouwencafé", "coffee", "Koffie en thee, alleen voor vrouwen.", "", time(13, 30), 120),
    Template("Mannencafé", "coffee", "Koffie en een praatje voor mannen.", "", time(10, 0), 120),
    Template("Kledingruil", "other", "Breng kleding die u niet meer draagt, neem iets mee.", "", time(14, 0), 120),
    Template("Filmmiddag", "other", "Samen een film kijken, met popcorn.", "", time(14, 0), 120),
    Template("Zingen in het koor", "creative", "Samen zingen, iedereen mag meedoen.", "", time(15, 30), 60),
    Template("Schilderen", "creative", "Schilderen met waterverf. Alles is er.", "", time(10, 0), 120),
    Template("Moestuin", "other", "Samen tuinieren in de buurttuin.", "", time(10, 0), 120, bring="Oude kleren"),
    Template("Dansen op muziek", "sport", "Bewegen op muziek van vroeger.", "", time(14, 30), 60),
    Template("Inloop met de sociaal werker", "coffee", "Een vraag? De sociaal werker denkt mee.", "",
             time(13, 0), 120),
]

CANCEL_REASONS = ["Vakantie van de begeleider", "Studiedag van het team", "De begeleider is ziek",
                  "De zaal is bezet", "Koningsdag", "Te weinig vrijwilligers deze week"]
MOVE_REASONS = ["Andere zaal", "Een uur later door de markt", "Op een andere dag deze week"]

FIRST_NAMES = [  # the demo's visitors, and more of the same neighbourhoods
    ("Fatima", "ar"), ("Henk", ""), ("Ayşe", "tr"), ("Gerda", ""), ("Mohamed", "ar"), ("Ria", ""), ("Jan", ""),
    ("Olena", "uk"), ("Kees", ""), ("Mehmet", "tr"), ("Wil", ""), ("Anneke", ""), ("Agnieszka", "pl"),
    ("Sandra", ""), ("Bram", ""), ("Nadia", "ar"), ("Truus", ""), ("Youssef", "ar"), ("Emine", "tr"), ("Piet", ""),
    ("Halima", "ar"), ("Stanisław", "pl"), ("Ingrid", ""), ("Oksana", "uk"), ("Rachid", "ar"), ("Lies", ""),
    ("Dewi", ""), ("Tomasz", "pl"), ("Marja", ""), ("Hatice", "tr"), ("Joop", ""), ("Samir", "ar"), ("Els", ""),
    ("Khadija", "ar"), ("Riet", ""), ("Hasan", "tr"), ("Corrie", ""), ("Iryna", "uk"), ("Ahmed", "ar"),
    ("Mien", ""), ("Zeynep", "tr"), ("Bep", ""), ("Krzysztof", "pl"), ("Saida", "ar"), ("Hennie", ""),
    ("Fadime", "tr"), ("Dirk", ""), ("Natalia", "uk"), ("Aziz", "ar"), ("Jannie", ""), ("Abdi", "en"),
    ("Marianne", ""), ("Sevgi", "tr"), ("Gijs", ""), ("Maryam", "ar"), ("Ton", ""), ("Ewa", "pl"),
    ("Yusuf", "tr"), ("Thea", ""), ("Hamid", "ar"), ("Nel", ""), ("Svitlana", "uk"), ("Hüseyin", "tr"),
    ("Loes", ""), ("Amina", "ar"), ("Cor", ""), ("Grace", "en"), ("Willem", ""), ("Layla", "ar"), ("Dina", ""),
]
INITIALS = "ABCDEFGHJKLMNOPRSTVWZ"
SOURCES = ["", "", "", "neighbour", "worker", "flyer", "poster", "other"]
