"""Soft hyphens in long words, per language (bop.printing.hyphens, pure)."""
from __future__ import annotations

import pytest

from bop.printing.hyphens import SOFT_HYPHEN, soft_hyphens


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("nl", "Gezondheidsspreekuur met de wijkverpleegkundige", "Gezond-heids-spreek-uur met de wijk-ver-pleeg-kun-dige"),
    ("en", "Neighbourhood information", "Neigh-bour-hood information"),
    ("pl", "Przejście do porozmawiania", "Przejście do poroz-ma-wia-nia"),
    ("uk", "Зареєструватися сьогодні", "Зареєст-ру-ва-тися сьогодні"),
    ("tr", "Hollandacakonuşma kulübü", "Hol-lan-da-ca-ko-nuşma kulübü"),
    ("ar", "مقهى اللغة الهولندية للمبتدئين", "مقهى اللغة الهولندية للمبتدئين"),   # Arabic is not hyphenated
    ("nl", "Wandelclub", "Wandelclub"),                                          # short words stay whole
])
def test_long_words_get_soft_hyphens(lang, text, expected):
    assert soft_hyphens(text, lang).replace(SOFT_HYPHEN, "-") == expected
    assert soft_hyphens(text, lang).replace(SOFT_HYPHEN, "") == text


def test_nothing_in_nothing_out():
    assert soft_hyphens(None, "nl") == "" and soft_hyphens("", "tr") == ""
