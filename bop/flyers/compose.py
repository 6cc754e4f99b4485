"""What goes on a week's flyer: the programme as the plain `FlyerContent` the layout draws.

The flyer reads the week through `programme.occurrences_between`, like the agenda, so paper and
screen never disagree. Phrases come from the translation catalogues, dates in each language; the
layout itself is `bop/flyers/layout/`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

from babel.lists import format_list
from flask import has_request_context, request
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _

from ..accounts.models import Location
from ..planning import schedule
from ..planning.prices import euro
from ..planning.programme import Scheduled, occurrences_between
from ..site.urls import public_url
from . import layout as flyer_pdf

REPEAT_DAYS = 3  # an activity on this many days of a week is printed once, with its days


def phrases(lang: str) -> flyer_pdf.Phrases:
    """The fixed phrases from the translation catalogue of `lang` (Dutch is the source text)."""
    with force_locale(lang):
        return flyer_pdf.Phrases(
            cancelled=_("Gaat niet door"),
            moved=_("Let op: andere dag of tijd"),
            empty=_("Deze week geen activiteiten — de koffie staat wel klaar"),
            contact=_("Vragen? Bel of app mij:"),
            phone=_("Bel"),
            whatsapp=_("WhatsApp"),
            where=_("Adres"),
            opening=_("Open"),
            scan=_("Scan de code: het programma op uw telefoon"),
            more=_("Kijk ook op de volgende bladzijde"),
            free=_("Gratis"),
        )


def _day_label(day: date, lang: str) -> str:
    with force_locale(lang):
        return _capital(format_date(day, "EEEE d MMMM"))


def _week_label(monday: date, lang: str) -> str:
    sunday = monday + timedelta(days=6)
    with force_locale(lang):
        # "16 tot en met 22 november", and the month twice only when the week spans two.
        first = format_date(monday, "d" if monday.month == sunday.month else "d MMMM")
        return _("Programma week %(week)d: %(first)s tot en met %(last)s", week=monday.isocalendar()[1],
                 first=first, last=format_date(sunday, "d MMMM"))


def _week_short(monday: date) -> str:
    with force_locale("nl"):  # the running head is Dutch, whatever ?lang= asks for
        return _("Week %(week)d", week=monday.isocalendar()[1])


def _banner(lang: str) -> str:
    # Every week, whatever it costs: each activity shows its price or "Gratis" itself.
    with force_locale(lang):
        return _("Iedereen is welkom. U hoeft zich niet aan te melden.")


def _moved_note(s: Scheduled, lang: str) -> str:
    """"Let op: andere dag of tijd. Nu om 14:00." (the day is the heading it is printed under)."""
    with force_locale(lang):
        return _("Let op: andere dag of tijd. Nu om %(time)s.", time=s.occurrence.start.strftime("%H:%M"))


def _move_reason(s: Scheduled) -> str:
    """The public reason of a move, as the agenda shows it (staff-written Dutch)."""
    return next((c.reason for c in s.activity.changes if c.original_date == s.occurrence.original_date), "")


def _item(s: Scheduled, lang2: str) -> flyer_pdf.FlyerItem:
    activity, occurrence = s.activity, s.occurrence
    translation = activity.translated(lang2) if lang2 else None
    moved = occurrence.moved and not occurrence.cancelled
    return flyer_pdf.FlyerItem(
        start=occurrence.start.strftime("%H:%M"),
        end=occurrence.end.strftime("%H:%M"),
        title=activity.title,
        summary=activity.summary,
        category=activity.category,
        price=euro(activity.price_cents),
        cancelled=occurrence.cancelled,
        reason=occurrence.reason,
        moved=occurrence.moved,
        moved_note=" ".join(filter(None, [_moved_note(s, "nl"), _move_reason(s).strip()])) if moved else "",
        moved_note2=_moved_note(s, lang2) if moved and lang2 else "",
        title2=translation.title if translation else "",
        summary2=translation.summary if translation else "",
        threshold=activity.threshold_note or "",
        threshold2=translation.threshold_note if translation else "",
    )


_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def _unsaid(line: str, said: str) -> str:
    """The sentences of `line` that `said` does not say already ("U hoeft zich niet aan te melden."
    is in the banner of every flyer), so the reader is not told the same thing twice."""
    known = {" ".join(s.split()).casefold() for s in _SENTENCE_END.split(said)}
    return " ".join(s for s in _SENTENCE_END.split(" ".join((line or "").split()))
                    if s and s.casefold() not in known)


def _shared(lines: list[str]) -> str:
    """The line most activities have, when at least two share it: printed once for the week."""
    counted = Counter(line for line in lines if line)
    line, times = counted.most_common(1)[0] if counted else ("", 0)
    return line if times >= 2 else ""


def _reassure(days: tuple[flyer_pdf.FlyerDay, ...], banner: str, banner2: str,
              ) -> tuple[tuple[flyer_pdf.FlyerDay, ...], str, str]:
    """Each activity's reassurance line, less what the banner says; the line most of them share goes
    under the banner once, so an ordinary week still fits one page. A line of its own stays with its
    activity ("Wie eerst komt, is eerst aan de beurt.")."""
    days = tuple(replace(day, items=tuple(replace(item, threshold=_unsaid(item.threshold, banner),
                                                  threshold2=_unsaid(item.threshold2, banner2))
                                          for item in day.items)) for day in days)
    running = [item for day in days for item in day.items if not item.cancelled]
    common = _shared([item.threshold for item in running])
    common2 = _shared([item.threshold2 for item in running])
    days = tuple(replace(day, items=tuple(replace(item, threshold="" if item.threshold == common else item.threshold,
                                                  threshold2="" if item.threshold2 == common2 else item.threshold2)
                                          for item in day.items)) for day in days)
    return days, common, common2


def _contact(location: Location) -> flyer_pdf.Contact | None:
    staff = location.contact
    if staff is not None:
        return flyer_pdf.Contact(staff.name, staff.phone, staff.whatsapp, staff.photo)
    if location.phone:  # no contact person yet: the BOP's own number, with the neutral placeholder
        return flyer_pdf.Contact(location.name, location.phone)
    return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _days_label(days: list[date], lang: str) -> str:
    """ "Maandag tot en met vrijdag" for a run of days, else "Maandag, woensdag en vrijdag"."""
    with force_locale(lang):
        names = [format_date(day, "EEEE") for day in days]
        if len(days) >= 3 and all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False)):
            return _capital(_("%(first)s tot en met %(last)s", first=names[0], last=names[-1]))
        return _capital(format_list(names, locale=str(get_locale())))


def _repeats(scheduled: list[Scheduled]) -> tuple[dict[tuple[date, ...], list[Scheduled]], set[int]]:
    """Activities that happen at the same time on three or more days of the week, grouped by those
    days, and the ids of the occurrences they stand for. The flyer prints such an activity once
    ("Maandag tot en met vrijdag: 09:30 Inloop") instead of five times: shorter and easier to
    read. A cancelled or moved date is not part of the group and stays on its own day."""
    series: dict[tuple, list[Scheduled]] = defaultdict(list)
    for s in scheduled:
        if not s.occurrence.cancelled and not s.occurrence.moved:
            series[(s.activity.id, s.occurrence.start.time(), s.occurrence.end.time())].append(s)
    groups: dict[tuple[date, ...], list[Scheduled]] = defaultdict(list)
    covered: set[int] = set()
    for occurrences in series.values():
        if len(occurrences) >= REPEAT_DAYS:
            groups[tuple(s.occurrence.date for s in occurrences)].append(occurrences[0])
            covered.update(id(s) for s in occurrences)
    return groups, covered


def flyer_content(location: Location, monday: date, lang2: str = "") -> flyer_pdf.FlyerContent:
    days = schedule.week_dates(monday)
    scheduled = occurrences_between(location, days[0], days[-1])
    groups, covered = _repeats(scheduled)
    repeated = tuple(  # the most frequent first: "Maandag tot en met vrijdag" before "Dinsdag en donderdag"
        flyer_pdf.FlyerDay(
            label=_days_label(list(dates), "nl"),
            label2=_days_label(list(dates), lang2) if lang2 else "",
            items=tuple(_item(s, lang2) for s in group),
        )
        for dates, group in sorted(groups.items(), key=lambda pair: (-len(pair[0]), pair[0]))
    )
    single = tuple(
        flyer_pdf.FlyerDay(
            label=_day_label(day, "nl"),
            label2=_day_label(day, lang2) if lang2 else "",
            items=tuple(_item(s, lang2) for s in scheduled if s.occurrence.date == day and id(s) not in covered),
        )
        for day in days
    )
    banner, banner2 = _banner("nl"), _banner(lang2) if lang2 else ""
    flyer_days, reassurance, reassurance2 = _reassure(repeated + single, banner, banner2)
    week = schedule.iso_week_label(monday)
    return flyer_pdf.FlyerContent(
        location_name=location.name,
        week_label=_week_label(monday, "nl"),
        week_short=_week_short(monday),
        agenda_url=public_url("agenda.week", slug=location.slug, week=week, bron="flyer", **round_marker()),
        days=flyer_days,
        address=location.address,
        opening_hours=location.opening_hours,
        banner=banner,
        contact=_contact(location),
        phrases=phrases("nl"),
        week_label2=_week_label(monday, lang2) if lang2 else "",
        banner2=banner2,
        reassurance=reassurance,
        reassurance2=reassurance2,
        phrases2=phrases(lang2) if lang2 else None,
        lang2=lang2,
    )


ROUND_MARKER = re.compile(r"[a-z0-9]{6}")


def round_marker() -> dict[str, str]:
    """A door-to-door round's short marker (?ronde=...), carried into the QR code so the agenda can
    count the opens of that round's flyers. Without it, printed URLs stay exactly as they were."""
    marker = request.args.get("ronde", "") if has_request_context() else ""
    return {"ronde": marker} if ROUND_MARKER.fullmatch(marker) else {}


def untranslated_titles(content: flyer_pdf.FlyerContent) -> list[str]:
    """Activities that will print in Dutch only on this bilingual flyer."""
    if not content.lang2:
        return []
    return sorted({item.title for day in content.days for item in day.items if not item.title2})
