"""What the API says back: a scan's answer in the card holder's language, and activities as JSON.

Apart from the view code in `api.py`, so the wording of the kiosk's greetings sits in one place.
"""
from __future__ import annotations

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..clock import to_local
from ..languages import LANGUAGES
from ..planning.models import Activity
from . import redeem as semantics
from .redeem import Status
from .statements import ActivityRef


def result_json(result: semantics.Result, nonce: str | None) -> dict:
    moment = result.time
    # A card holder is greeted in the language of their record; everything else in the request's.
    # The request's locale is worked out once, and only switched when the holder's differs (a switch
    # reloads the translations: a tenth of a millisecond on every kiosk scan).
    requested = str(get_locale())
    language = result.language if result.name and result.language in LANGUAGES else None
    if language is None or language == requested:
        message = result_message(result)
    else:
        with force_locale(language):
            message = result_message(result)
    return {
        "status": str(result.status),
        "reason": result.reason,
        "message": message,
        "language": language or requested,
        "name": result.name,
        "activity": activity_json(result.activity),
        "checked_in_at": to_local(moment).isoformat(timespec="seconds") if moment else None,
        "checkin_id": result.checkin.id if result.checkin is not None else None,
        "nonce": nonce,
    }


def result_message(result: semantics.Result) -> str:
    if result.reason == "nonce_reused":
        return _("Deze aanmelding is al eerder met andere gegevens verstuurd.")
    if result.reason == "other_organisation":
        return _("Deze kaart is van een andere organisatie. Vraag het een medewerker.")
    match result.status:
        case Status.OK:
            return _("Welkom, %(name)s!", name=result.name) if result.name else _("Welkom!")
        case Status.ALREADY:
            return _("Al aangemeld om %(time)s", time=to_local(result.time).strftime("%H:%M"))
        case Status.UNKNOWN:
            return _("Deze kaart kennen we niet. Vraag het een medewerker.")
        case Status.REVOKED:
            return _("Deze kaart doet het niet meer. Vraag een medewerker om een nieuwe kaart.")
    return _("Dit is geen kaart van de BOP.")


def activity_json(activity: Activity | ActivityRef | None) -> dict | None:
    if activity is None:
        return None
    return {"id": activity.id, "title": activity.title, "category": activity.category}


def translated_activity_json(activity: Activity, lang: str) -> dict:
    """The activity with its title in `lang` where staff translated it, else in Dutch; `lang`
    says which, so the kiosk can mark a Dutch title as Dutch on a translated page."""
    translation = activity.translated(lang) if lang != "nl" else None
    if translation is not None and translation.title.strip():
        return activity_json(activity) | {"title": translation.title, "lang": lang}
    return activity_json(activity) | {"lang": "nl"}
