"""The languages BOP speaks.

Dutch is the source language (the msgids are Dutch). The others have catalogues in
`bop/translations/`, can be chosen on the visitors' pages and can be the second language of a
flyer. Each is named in its own language: a visitor recognises "Türkçe", not "Turks".
"""
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "pl": "Polski",
                  "uk": "Українська", "ar": "العربية"}
LANGUAGES = list(LANGUAGE_NAMES)
OTHER_LANGUAGES = {code: name for code, name in LANGUAGE_NAMES.items() if code != "nl"}
RIGHT_TO_LEFT = {"ar"}
