"""Soft hyphens in long words, so a phone breaks "Gezondheids-spreekuur" with a hyphen (pure).

CSS `hyphens: auto` does this only where the browser has a dictionary for the language (many phones,
not every desktop Chromium), so the pages also carry soft hyphens (U+00AD) in long words: invisible
until a line breaks there, ignored by screen readers and by find-in-page. Dictionaries are pyphen's
(LibreOffice's hyphenation patterns); Turkish, which pyphen lacks, follows its own regular rule (a
consonant before a vowel starts a syllable). Arabic is not hyphenated.
"""
from __future__ import annotations

import re
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
MIN_LENGTH = 12            # shorter words fit a phone's line even with text at 200 %
DICTIONARIES = {"nl": "nl_NL", "en": "en_GB", "pl": "pl_PL", "uk": "uk_UA"}
LONG_WORD = re.compile(rf"[^\W\d_]{{{MIN_LENGTH},}}")
TURKISH_VOWELS = set("aeıioöuüâîûAEIİOÖUÜÂÎÛ")


@cache
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=DICTIONARIES[lang], left=3, right=3)


def _turkish(word: str) -> str:
    out = []
    for i, letter in enumerate(word):
        starts_syllable = (3 <= i <= len(word) - 3 and letter not in TURKISH_VOWELS
                           and word[i + 1] in TURKISH_VOWELS and any(c in TURKISH_VOWELS for c in word[:i]))
        out.append(SOFT_HYPHEN + letter if starts_syllable else letter)
    return "".join(out)


def soft_hyphens(text: str | None, lang: str) -> str:
    """`text` with soft hyphens inside its words of MIN_LENGTH letters or more, in language `lang`."""
    if not text:
        return text or ""
    lang = lang.split("_")[0].split("-")[0]
    if lang == "tr":
        return LONG_WORD.sub(lambda m: _turkish(m.group(0)), text)
    if lang not in DICTIONARIES:
        return text
    dictionary = _dictionary(lang)
    return LONG_WORD.sub(lambda m: _no_lone_letters(dictionary.inserted(m.group(0), hyphen=SOFT_HYPHEN)), text)


def _no_lone_letters(word: str) -> str:
    """Some patterns (Ukrainian) split off single consonants ("Заре-є-с-т-ру"); a line should not end
    or start with one letter, so such a piece joins the piece before it."""
    pieces: list[str] = []
    for piece in word.split(SOFT_HYPHEN):
        if pieces and (len(piece) < 2 or len(pieces[-1]) < 2):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return SOFT_HYPHEN.join(pieces)
