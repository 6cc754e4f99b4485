"""Mixed languages labelled (WCAG 3.1.2): staff-written Dutch on a translated page says it is Dutch,
a staff translation says it is in the page's language; the reassurance line translates per activity."""
from __future__ import annotations

import re

from bop.extensions import db
from bop.planning.models import ActivityTranslation

DUTCH_LINE = "U hoeft zich niet aan te melden. Geen ervaring nodig."
TURKISH_LINE = "Kayıt olmanıza gerek yok. Deneyim gerekmez."


def agenda(client, slug: str, lang: str) -> str:
    return client.get(f"/bop/{slug}?lang={lang}").get_data(as_text=True).replace("\u00ad", "")


def test_arabic_agenda_marks_dutch_and_arabic_titles(client, bop, make_activity):
    walk = make_activity(location=bop, title="Wandelclub", summary="Wandelen in de wijk.")
    walk.translations.append(ActivityTranslation(lang="ar", title="نادي المشي", summary="نمشي في الحي."))
    make_activity(location=bop, title="Gezondheidsspreekuur", summary="De wijkverpleegkundige meet uw bloeddruk.",
                  bring="Uw medicijnpaspoort")
    db.session.commit()
    page = agenda(client, bop.slug, "ar")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<h4 class="activity-title" lang="ar" dir="rtl">نادي المشي</h4>' in page
    assert '<p lang="ar" dir="rtl">نمشي في الحي.</p>' in page
    assert '<h4 class="activity-title" lang="nl" dir="ltr">Gezondheidsspreekuur</h4>' in page
    assert '<p lang="nl" dir="ltr">De wijkverpleegkundige meet uw bloeddruk.</p>' in page
    assert '<span lang="nl" dir="ltr">Uw medicijnpaspoort</span>' in page       # what to bring, inside Arabic
    assert '<h1 data-speak lang="nl" dir="ltr">Rijn en Vliet</h1>' in page                    # the BOP's name
    assert '<p class="address" lang="nl" dir="ltr">' in page
    # No Dutch text of the staff is left without a language of its own on the Arabic page.
    # (The text "Lees voor" speaks sits in data-speak attributes: not shown, so not judged here.)
    shown = re.sub(r'data-speak="[^"]*"', "", page)
    for dutch in ("Gezondheidsspreekuur", "Wandelen in de wijk", "Dorpsstraat"):
        assert dutch not in re.sub(r'<([a-z0-9]+)[^>]*lang="nl"[^>]*>.*?</\1>', "", shown, flags=re.S)


def test_a_title_saved_without_translation_stays_dutch(client, bop, make_activity):
    # The staff page stores the Dutch title when only a summary was translated.
    walk = make_activity(location=bop, title="Wandelclub")
    walk.translations.append(ActivityTranslation(lang="pl", title="Wandelclub", summary="Spacer po okolicy."))
    db.session.commit()
    page = agenda(client, bop.slug, "pl")
    assert '<h4 class="activity-title" lang="nl" dir="ltr">Wandelclub</h4>' in page
    assert '<p lang="pl" dir="ltr">Spacer po okolicy.</p>' in page


def test_reassurance_line_translated_per_activity(client, login, bop, make_activity):
    walk = make_activity(location=bop, title="Wandelclub", threshold_note=DUTCH_LINE)
    login("worker")
    url = f"/staff/activities/{walk.id}/translations"
    assert 'name="threshold_note_tr"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"title_tr": "Yürüyüş kulübü", "threshold_note_tr": TURKISH_LINE,
                                      "threshold_note_en": "No need to sign up. No experience needed."})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {t.lang: (t.title, t.threshold_note) for t in db.session.execute(db.select(ActivityTranslation)).scalars()}
    assert rows == {"tr": ("Yürüyüş kulübü", TURKISH_LINE),
                    "en": ("Wandelclub", "No need to sign up. No experience needed.")}

    turkish = agenda(client, bop.slug, "tr")
    assert f'<p class="threshold" lang="tr" dir="ltr">{TURKISH_LINE}</p>' in turkish
    assert DUTCH_LINE not in turkish
    polish = agenda(client, bop.slug, "pl")                # nothing in Polish: the Dutch line, marked
    assert f'<p class="threshold" lang="nl" dir="ltr">{DUTCH_LINE}</p>' in polish
    dutch = agenda(client, bop.slug, "nl")
    assert f'<p class="threshold" lang="nl" dir="ltr">{DUTCH_LINE}</p>' in dutch
