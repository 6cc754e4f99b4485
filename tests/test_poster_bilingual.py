"""The koffietafel poster in Dutch and a second language (like the flyer), read back from the PDF."""
from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader
from support import pdf_text

PHRASES = ["Welkom bij", "Scan mij met uw telefoon", "Vragen? Bel %(phone)s"]


def words(phrase: str, lang: str) -> list[str]:
    """What to look for in the text layer: whole phrases, or for Arabic (shaped, right to left,
    digits in runs of their own) each Arabic word."""
    return re.findall(r"[\u0621-\u064A]+", phrase) if lang == "ar" else [phrase]


@pytest.mark.parametrize("lang", ["en", "tr", "pl", "uk", "ar"])
def test_poster_prints_dutch_and_the_second_language(client, login, bop, lang):
    login("worker")
    response = client.get(f"/staff/locations/{bop.slug}/poster-a4.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    phone = bop.phone
    for phrase in PHRASES:
        assert phrase % {"phone": phone} in text                         # Dutch first, complete
        with force_locale(lang):
            translated = _(phrase) % {"phone": phone}
        assert translated != phrase % {"phone": phone}, f"{phrase!r} is not translated in {lang}"
        for word in words(translated, lang):
            assert word in text, (lang, word)
    assert "56 34 512 071" not in text          # the number's digit groups keep their order, in Arabic too
    with force_locale(lang):
        title2 = _("Poster aanmelden")
    assert PdfReader(io.BytesIO(response.data)).metadata.title == f"Poster aanmelden / {title2} - {bop.name}"


def test_poster_without_a_second_language_is_dutch_only(client, login, bop):
    login("worker")
    text = pdf_text(client.get(f"/staff/locations/{bop.slug}/poster-a3.pdf").data)
    assert "Scan mij met uw telefoon" in text and "Scan me" not in text and "Welcome to" not in text
    assert client.get(f"/staff/locations/{bop.slug}/poster-a4.pdf?lang=xx").status_code == 404
