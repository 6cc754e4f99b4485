"""The participatieladder, opt-in: rungs, the yearly value per rung, and movement between measurements.

Pure code: plain values in and out; no Flask, no database.

Value per rung (`DEFAULT_VALUES`, euros per person per year, relative to rung 1): configurable with
the app setting `LADDER_VALUES` (a dict of rung to euros). The defaults and their sources are in
the README ("Participatieladder"); the estimate is always printed with these assumptions beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

RUNGS = {
    1: "geïsoleerd",
    2: "sociale contacten buiten de deur",
    3: "deelname aan georganiseerde activiteiten",
    4: "onbetaald werk",
    5: "betaald werk met ondersteuning",
    6: "betaald werk",
}

# Euros a year, per person, compared with rung 1. Rung 4 is the pilots' estimate of intensive
# guidance no longer needed (about 500 mental-health care + 1,400 Wmo support + 3,000 less
# societal damage = 4,900, rounded 5,000); rungs 2 and 3 are assumed fractions of it (a fifth and a
# half); rungs 5 and 6 add an assumed partly and fully avoided social-assistance benefit. All of
# them are assumptions to replace with the municipality's own figures.
DEFAULT_VALUES = {1: 0, 2: 1_000, 3: 2_500, 4: 5_000, 5: 10_000, 6: 15_000}
ASSUMPTIONS = (
    "Waarde per persoon per jaar ten opzichte van trede 1: {values}. Trede 4 is de schatting van de "
    "pilots (ongeveer € 500 ggz, € 1.400 Wmo-ondersteuning en € 3.000 minder maatschappelijke schade); "
    "trede 2 en 3 zijn aangenomen delen daarvan, trede 5 en 6 tellen een aangenomen deels of helemaal "
    "vermeden bijstandsuitkering mee. Het is een schatting, geen meting: alleen mensen die twee keer "
    "gemeten zijn, met hun toestemming, tellen mee."
)


@dataclass(frozen=True)
class Movement:
    up: int = 0
    same: int = 0
    down: int = 0
    value: int = 0          # euros a year: the sum of (value of latest rung - value of first rung)

    @property
    def people(self) -> int:
        return self.up + self.same + self.down


def movement(pairs: list[tuple[int, int]], values: dict[int, int]) -> Movement:
    """From (first rung, latest rung) per person measured at least twice."""
    up = sum(1 for first, last in pairs if last > first)
    down = sum(1 for first, last in pairs if last < first)
    value = sum(values.get(last, 0) - values.get(first, 0) for first, last in pairs)
    return Movement(up=up, same=len(pairs) - up - down, down=down, value=value)


def euros(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}€ {abs(amount):,}".replace(",", ".")


def assumptions(values: dict[int, int]) -> str:
    listed = ", ".join(f"trede {rung} {euros(values.get(rung, 0))}" for rung in sorted(RUNGS))
    return ASSUMPTIONS.format(values=listed)
