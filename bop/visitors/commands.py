"""`flask bop create-visitor NAME`: a visitor and a card from the command line."""
from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from ..attendance_models import Visitor
from ..cards import format_code
from ..cli import bop_cli
from ..extensions import db
from ..models import Location
from .records import issue_card


@bop_cli.command("create-visitor")
@click.argument("name")
@click.option("--location", "slug", help="Slug of the visitor's BOP (printed on the card).")
@click.option("--language", default="", help="Preferred language, e.g. tr.")
def create_visitor_command(name: str, slug: str | None, language: str) -> None:
    """Create a visitor with a card and print the card code."""
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise click.BadParameter("a first name or nickname of 1 to 60 characters", param_hint="NAME")
    if language and language not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"one of {', '.join(current_app.config['LANGUAGES'])}", param_hint="--language")
    location = None
    if slug:
        location = db.session.execute(select(Location).filter_by(slug=slug)).scalar_one_or_none()
        if location is None:
            raise click.BadParameter(f"no location with slug {slug!r}", param_hint="--location")
    visitor = Visitor(name=name, language=language, home_location=location)
    db.session.add(visitor)
    card = issue_card(db.session, visitor)
    db.session.commit()
    click.echo(f"Visitor {visitor.id} ({visitor.name}) created. Card code: {format_code(card.code)}")
