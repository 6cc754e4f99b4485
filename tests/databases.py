"""The test databases: SQLite files by default, or databases on a PostgreSQL server.

`make test` runs the suite twice: once as is (SQLite), once with BOP_TEST_DATABASE_URL pointing at
the maintenance database of a throw-away PostgreSQL cluster (tests/pg-cluster.sh), e.g.
`postgresql+psycopg://postgres@127.0.0.1:18532/postgres`. Either way every test gets a database of
its own, built by the real migrations. On SQLite the schema is migrated once per session into a
file and each test gets a copy of it. On PostgreSQL it is migrated once into one database, which
every test gets emptied (TRUNCATE ... RESTART IDENTITY, as fresh as a new copy: ids start at 1
again): `CREATE DATABASE ... TEMPLATE` and `DROP DATABASE` per test cost half a second, ten times
more. The migration tests get really empty databases of their own.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

POSTGRES_URL = os.environ.get("BOP_TEST_DATABASE_URL", "")
# The PostgreSQL server's log file, when the suite started the server (see tests/pg-cluster.sh).
POSTGRES_LOG = os.environ.get("BOP_TEST_POSTGRES_LOG", "")


class SQLiteDatabases:
    dialect = "sqlite"

    def __init__(self, directory: Path):
        self.directory = directory
        self.numbers = itertools.count(1)
        self.schema: Path | None = None

    def empty(self) -> str:
        """The URL of a new database without tables; `drop` it afterwards."""
        return f"sqlite:///{self.directory / f'test-{next(self.numbers)}.sqlite'}"

    def drop(self, url: str) -> None:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    def keep_as_schema(self, url: str) -> None:
        """The database at `url` (one of `empty()`, then migrated) is what every test starts from."""
        self.schema = Path(url.removeprefix("sqlite:///"))

    def migrated(self) -> str:
        """The URL of a migrated database with no rows, for one test; `release` it afterwards."""
        assert self.schema is not None
        path = self.directory / f"test-{next(self.numbers)}.sqlite"
        shutil.copy(self.schema, path)
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        self.drop(url)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Databases named bop_<pid>_<n> on one server, made and dropped through its maintenance database."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"bop_{os.getpid()}_"
        self.numbers = itertools.count(1)
        self.schema: str | None = None
        self.tables: list[str] = []

    def _url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def empty(self) -> str:
        name = f"{self.prefix}{next(self.numbers)}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self._url_of(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def keep_as_schema(self, url: str) -> None:
        self.schema = url
        engine = create_engine(url, poolclass=NullPool)
        with engine.connect() as connection:
            self.tables = list(connection.execute(text(
                "SELECT quote_ident(tablename) FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'alembic_version'")).scalars())
        engine.dispose()

    def migrated(self) -> str:
        assert self.schema is not None
        return self.schema

    def release(self, url: str) -> None:
        """Empty every table for the next test, as a new copy would be."""
        engine = create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:
            # A connection a test left behind would hold its locks and make TRUNCATE wait forever.
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            connection.exec_driver_sql(f"TRUNCATE {', '.join(self.tables)} RESTART IDENTITY CASCADE")
        engine.dispose()

    def close(self) -> None:
        if self.schema is not None:
            self.drop(self.schema)
        self.admin.dispose()


def databases(directory: Path) -> SQLiteDatabases | PostgresDatabases:
    return PostgresDatabases(POSTGRES_URL) if POSTGRES_URL else SQLiteDatabases(directory)
