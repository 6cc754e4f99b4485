"""`flask bop ...`: first coordinator, demo data, database set-up."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import inspect

from ..accounts.models import Location, Organisation, Role, Staff
from ..extensions import db

bop_cli = AppGroup("bop", help="BOP administration.")


def init_app(app: Flask) -> None:
    app.cli.add_command(bop_cli)


def upgrade_if_empty(app: Flask) -> None:
    """First start on an empty database: create the schema through the migrations."""
    with app.app_context():
        if not inspect(db.engine).has_table("alembic_version"):
            upgrade()


def _new_account(email: str, name: str, password: str, role: Role, organisation: Organisation | None) -> Staff:
    email = email.strip().lower()
    if db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one_or_none():
        raise click.ClickException(f"There is already an account for {email}.")
    if len(password) < 10:
        raise click.ClickException("Use a password of at least 10 characters.")
    staff = Staff(email=email, name=name.strip(), role=role, password_hash="", organisation=organisation)
    staff.set_password(password)
    db.session.add(staff)
    return staff


@bop_cli.command("create-coordinator")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", "organisation_name", default="",
              help="The welfare organisation; created when new. Default: the only one there is.")
@click.password_option(envvar="BOP_COORDINATOR_PASSWORD", show_envvar=True,
                       help="Asked for (twice) when not given; for scripts, set BOP_COORDINATOR_PASSWORD.")
def create_coordinator(email: str, name: str, organisation_name: str, password: str) -> None:
    """Create a coordinator account (the first login of a new installation, or of an organisation).

    Without a terminal (a provisioning script) the password comes from the environment variable
    BOP_COORDINATOR_PASSWORD, so it never shows in the process list or the shell history.
    """
    organisation_name = " ".join(organisation_name.split())
    organisations = db.session.execute(db.select(Organisation)).scalars().all()
    if organisation_name:
        organisation = next((o for o in organisations if o.name == organisation_name), None)
        organisation = organisation or Organisation(name=organisation_name)
    elif len(organisations) == 1:
        organisation = organisations[0]
    elif not organisations:
        organisation = Organisation(name="Mijn organisatie")
    else:
        raise click.ClickException("There are several organisations: name one with --organisation.")
    _new_account(email, name, password, Role.COORDINATOR, organisation)
    db.session.commit()
    click.echo(f"Coordinator {email.strip().lower()} of {organisation.name} created.")


@bop_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(envvar="BOP_ADMIN_PASSWORD", show_envvar=True,
                       help="Asked for (twice) when not given; for scripts, set BOP_ADMIN_PASSWORD.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create a city-wide administrator: creates organisations and their first coordinator."""
    _new_account(email, name, password, Role.ADMIN, None)
    db.session.commit()
    click.echo(f"Administrator {email.strip().lower()} created.")


@bop_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when there is no location yet.")
def load_demo_command(if_empty: bool) -> None:
    """Load the demo: two organisations, BOPs rijn-en-vliet, slaaghwijk and roodenburg, their staff."""
    from .demo import DEMO_PASSWORD, load_demo

    if if_empty and db.session.execute(db.select(Location).limit(1)).first():
        click.echo("The database already has data; demo not loaded.")
        return
    if db.session.execute(db.select(Location).filter_by(slug="rijn-en-vliet")).first():
        # Loading it again would only fail halfway on the demo accounts' unique e-mail addresses.
        raise click.ClickException("The demo BOP rijn-en-vliet is already there; demo not loaded again.")
    load_demo()
    db.session.commit()
    click.echo(f"Demo loaded: http://127.0.0.1:5000/bop/rijn-en-vliet — log in at /staff/login as "
               f"coordinator@example.org or worker@example.org (Welzijn Leiden), coordinator2@example.org or "
               f"worker2@example.org (Buurtwerk Roodenburg), or admin@example.org; password {DEMO_PASSWORD}")
