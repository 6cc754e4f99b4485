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
@click.option("--city", is_flag=True, help="Also a city's worth of data: by default 50 BOPs in 5 organisations, "
              "1,500 activities, 5,000 visitors and 1,000,000 check-ins over five years. Needs an empty database.")
@click.option("--city-organisations", type=click.IntRange(2, 1000), default=5, show_default=True)
@click.option("--city-bops", type=click.IntRange(3, 10_000), default=50, show_default=True)
@click.option("--city-visitors", type=click.IntRange(0, 10_000_000), default=5_000, show_default=True)
@click.option("--city-checkins", type=click.IntRange(0, 100_000_000), default=1_000_000, show_default=True,
              help="Check-ins in all, the demo's and today's included.")
def load_demo_command(if_empty: bool, city: bool, city_organisations: int, city_bops: int, city_visitors: int,
                      city_checkins: int) -> None:
    """Load the demo: two organisations, BOPs rijn-en-vliet, slaaghwijk and roodenburg, their staff.

    With --city, the demo grows into a city (see bop/site/demo_city.py). The city is only built on
    a database without BOPs: on one that has any, --city refuses (exit code 1), or with --if-empty
    leaves it as it is (exit code 0).
    """
    from .demo import DEMO_PASSWORD, load_demo
    from .demo_city import CitySize

    if if_empty and db.session.execute(db.select(Location).limit(1)).first():
        click.echo("The database already has data; demo not loaded.")
        return
    size = CitySize(organisations=city_organisations, locations=city_bops, visitors=city_visitors,
                    checkins=city_checkins)
    if city:
        try:
            size.check()
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        bops = db.session.execute(db.select(db.func.count()).select_from(Location)).scalar_one()
        if bops:
            raise click.ClickException(f"--city builds on an empty database, and this one has {bops:,} BOP(s); "
                                       "nothing loaded. Point BOP_SQLALCHEMY_DATABASE_URI at a new database.")
    if db.session.execute(db.select(Location).filter_by(slug="rijn-en-vliet")).first():
        # Loading it again would only fail halfway on the demo accounts' unique e-mail addresses.
        raise click.ClickException("The demo BOP rijn-en-vliet is already there; demo not loaded again.")
    load_demo()
    if city:
        _load_city(size)
    db.session.commit()
    click.echo(f"Demo loaded: http://127.0.0.1:5000/bop/rijn-en-vliet — log in at /staff/login as "
               f"coordinator@example.org or worker@example.org (Welzijn Leiden), coordinator2@example.org or "
               f"worker2@example.org (Buurtwerk Roodenburg), or admin@example.org; password {DEMO_PASSWORD}")


def _load_city(size) -> None:
    import time

    from .demo_city import load_city

    began = time.monotonic()

    def progress(text: str) -> None:
        click.echo(f"[{time.monotonic() - began:6.1f} s] {text}", err=True)

    db.session.flush()
    progress("demo loaded; building the city")
    built = load_city(size, progress=progress)
    db.session.commit()
    # The query planner's statistics for the new sizes; on PostgreSQL VACUUM also marks the fresh
    # rows visible, so index-only scans work at once rather than after autovacuum's first pass.
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    progress("city built: " + ", ".join(f"{value:,} {name}" for name, value in built.items()))
