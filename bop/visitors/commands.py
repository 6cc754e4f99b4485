"""`flask bop create-visitor NAME` and `flask bop anonymise-checkins`: visitor records from the command line."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from sqlalchemy import select

from ..accounts.models import Location
from ..clock import local_today
from ..extensions import db
from ..site.cli import bop_cli
from .codes import format_code
from .models import Visitor
from .records import anonymise_checkins, issue_card


@bop_cli.command("create-visitor")
@click.argument("name")
@click.option("--location", "slug", help="Slug of the visitor's BOP (printed on the card); needed with several BOPs.")
@click.option("--language", default="", help="Preferred language, e.g. tr.")
def create_visitor_command(name: str, slug: str | None, language: str) -> None:
    """Create a visitor with a card and print the card code."""
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise click.BadParameter("a first name or nickname of 1 to 60 characters", param_hint="NAME")
    if language and language not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"one of {', '.join(current_app.config['LANGUAGES'])}", param_hint="--language")
    if slug:
        location = db.session.execute(select(Location).filter_by(slug=slug)).scalar_one_or_none()
        if location is None:
            raise click.BadParameter(f"no location with slug {slug!r}", param_hint="--location")
    else:  # the card must belong to an organisation: the only BOP's, when there is just one
        only = db.session.execute(select(Location).limit(2)).scalars().all()
        if len(only) != 1:
            raise click.BadParameter("name the visitor's BOP (its card works at that organisation's BOPs)",
                                     param_hint="--location")
        location = only[0]
    visitor = Visitor(name=name, language=language, home_location=location, organisation_id=location.organisation_id)
    db.session.add(visitor)
    card = issue_card(db.session, visitor)
    db.session.commit()
    click.echo(f"Visitor {visitor.id} ({visitor.name}) created. Card code: {format_code(card.code)}")


MIN_RETENTION_DAYS = 30  # so this month's list is never wiped by a typo


@bop_cli.command("anonymise-checkins")
@click.option("--older-than-days", type=click.IntRange(min=MIN_RETENTION_DAYS), default=None,
              help="Check-ins from before this many days ago lose their link to the visitor "
                   "[default: the RETENTION_DAYS setting, 365 unless BOP_RETENTION_DAYS says otherwise].")
def anonymise_checkins_command(older_than_days: int | None) -> None:
    """Turn old named check-ins into anonymous counts (run it monthly, e.g. from cron)."""
    if older_than_days is None:
        older_than_days = current_app.config["RETENTION_DAYS"]
        if type(older_than_days) is not int or older_than_days < MIN_RETENTION_DAYS:
            raise click.ClickException(f"RETENTION_DAYS must be a whole number of days, at least "
                                       f"{MIN_RETENTION_DAYS}; it is {older_than_days!r}.")
    before = local_today() - timedelta(days=older_than_days)
    count = anonymise_checkins(db.session, before)
    db.session.commit()
    click.echo(f"{count} check-ins from before {before.isoformat()} anonymised.")
