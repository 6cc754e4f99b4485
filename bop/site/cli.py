"""`flask bop ...`: first coordinator, demo data, database set-up."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import inspect

from ..accounts.models import Location, Role, Staff
from ..extensions import db

bop_cli = AppGroup("bop", help="BOP administration.")


def init_app(app: Flask) -> None:
    app.cli.add_command(bop_cli)


def upgrade_if_empty(app: Flask) -> None:
    """First start on an empty database: create the schema through the migrations."""
    with app.app_context():
        if not inspect(db.engine).has_table("alembic_version"):
            upgrade()


@bop_cli.command("create-coordinator")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(envvar="BOP_COORDINATOR_PASSWORD", show_envvar=True,
                       help="Asked for (twice) when not given; for scripts, set BOP_COORDINATOR_PASSWORD.")
def create_coordinator(email: str, name: str, password: str) -> None:
    """Create a coordinator account (the first login of a new installation).

    Without a terminal (a provisioning script) the password comes from the environment variable
    BOP_COORDINATOR_PASSWORD, so it never shows in the process list or the shell history.
    """
    email = email.strip().lower()
    if db.session.execute(db.select(Staff).filter_by(email=email)).scalar_one_or_none():
        raise click.ClickException(f"There is already an account for {email}.")
    if len(password) < 10:
        raise click.ClickException("Use a password of at least 10 characters.")
    staff = Staff(email=email, name=name.strip(), role=Role.COORDINATOR, password_hash="")
    staff.set_password(password)
    db.session.add(staff)
    db.session.commit()
    click.echo(f"Coordinator {email} created.")


@bop_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when there is no location yet.")
def load_demo_command(if_empty: bool) -> None:
    """Load the demo BOP 'Rijn en Vliet' with its programme and two staff members."""
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
               f"coordinator@example.org or worker@example.org, password {DEMO_PASSWORD}")
