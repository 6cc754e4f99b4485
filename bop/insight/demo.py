"""The insight part of the demo: the flyer round that brought the newcomers, with its QR opens,
an earlier round, two visitors on the participatieladder, and a story beside last month's figures.
Registered with `site.demo`."""
from __future__ import annotations

from datetime import date, timedelta

from ..accounts.models import Location, Staff
from ..extensions import db
from ..site.demo import DEMO_EXTRAS
from ..site.demo_history import flyer_round_day
from ..visitors.models import Visitor
from .ladder_models import LadderConsent, LadderStep
from .models import FlyerRound, Highlight, RoundOpen
from .periods import shortcut


def demo_insight(bop: Location, today: date) -> None:
    staff = db.session.execute(db.select(Staff).order_by(Staff.id)).scalars().all()
    day = flyer_round_day(today)
    recent = FlyerRound(location=bop, day=day, flyers=400, marker="demo01", volunteers=staff[-1:],
                        areas="Rijnstraat\nVlietweg 1 t/m 80\nFlat Vlietzicht\nFlat De Zijl (galerij 1 t/m 4)")
    earlier = FlyerRound(location=bop, day=day - timedelta(weeks=10), flyers=250, marker="demo02",
                         volunteers=staff[:1], areas="Haagweg (even nummers)\nFlat Het Anker")
    db.session.add_all([recent, earlier])
    db.session.flush()
    for offset, count in ((1, 9), (2, 6), (3, 4), (5, 3), (8, 2), (12, 1)):
        if day + timedelta(days=offset) < today:
            db.session.add(RoundOpen(round_id=recent.id, day=day + timedelta(days=offset), count=count))
    db.session.add(RoundOpen(round_id=earlier.id, day=earlier.day + timedelta(days=1), count=5))
    # Two visitors who wanted to join the participatieladder, each measured twice.
    for name, first, last in (("Fatima", 2, 3), ("Henk", 1, 2)):
        visitor = db.session.execute(
            db.select(Visitor).filter_by(name=name, home_location_id=bop.id)).scalar_one_or_none()
        if visitor is not None:
            db.session.add_all([
                LadderConsent(visitor_id=visitor.id, recorded_by_id=staff[-1].id if staff else None),
                LadderStep(visitor_id=visitor.id, day=today - timedelta(weeks=20), rung=first),
                LadderStep(visitor_id=visitor.id, day=today - timedelta(weeks=6), rung=last)])
    month = shortcut("month", today)
    db.session.add(Highlight(
        location=bop, first_day=month.first, last_day=month.last, updated_by_id=staff[0].id if staff else None,
        text="Drie buurvrouwen die elkaar bij de koffie leerden kennen, gaan nu samen naar de markt.\n"
             "De wandelclub loopt sinds deze maand ook een rondje langs de nieuwe flat."))


DEMO_EXTRAS.append(demo_insight)
