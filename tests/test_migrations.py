"""The schema comes from the migrations: an empty database upgraded through `flask db upgrade`
ends up with exactly the tables, columns, indexes and constraints of the models."""
from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bop import create_app
from bop.extensions import db
from tests.conftest import config_for


def fresh_app(empty_database, **overrides):
    return create_app(config_for(empty_database, **overrides))


def differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
    with warnings.catch_warnings():
        # SQLite cannot reflect an index on an expression (visitor's lower(name)), so Alembic
        # cannot compare it; `expression_indexes` checks it is there.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        return compare_metadata(context, db.metadata)


def expression_indexes(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE :pattern"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE indexdef LIKE :pattern"
    return set(connection.execute(text(query), {"pattern": "%lower(%"}).scalars())


def test_flask_db_upgrade_yields_exactly_the_models(empty_database):
    app = fresh_app(empty_database)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []  # AUTO_MIGRATE off: nothing yet
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        tables = set(inspect(db.engine).get_table_names())
        assert tables == set(db.metadata.tables) | {"alembic_version"}
        with db.engine.connect() as connection:
            assert differences(connection) == []
            assert expression_indexes(connection) == {"ix_visitor_organisation_name"}
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(empty_database):
    app = fresh_app(empty_database)
    with app.app_context():
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        result = runner.invoke(args=["db", "downgrade", "base"])
        assert result.exit_code == 0, result.output
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
        db.engine.dispose()


def test_first_start_upgrades_an_empty_database_itself(empty_database):
    app = fresh_app(empty_database, AUTO_MIGRATE=True)
    with app.app_context():
        with db.engine.connect() as connection:
            assert differences(connection) == []
            if connection.dialect.name == "sqlite":  # the connection settings of bop/__init__.py
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
