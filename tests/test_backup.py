"""`flask bop backup`: a consistent copy of the SQLite database while BOP runs, and a restore that works."""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from support import make_visitor

from bop import create_app
from tests.conftest import PASSWORD, config_for

INSERT_LOCATION = ("INSERT INTO location (slug, name, address, description, phone, opening_hours, organisation_id) "
                   "VALUES (?, ?, '', '', '', '', (SELECT id FROM organisation ORDER BY id LIMIT 1))")


def database_of(app) -> Path:
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


def backup(app, *args: str):
    return app.test_cli_runner().invoke(args=["bop", "backup", *args])


def restored_client(backup_file: Path, tmp_path: Path):
    """The backup put back as a new installation's database (as README 'Backups' says), served."""
    database = tmp_path / "restored" / "bop.sqlite"
    database.parent.mkdir()
    shutil.copy(backup_file, database)
    return create_app(config_for(f"sqlite:///{database}", AUTO_MIGRATE=True)).test_client()


# `flask bop backup` copies a SQLite file; on PostgreSQL it refuses and names pg_dump (tested below).
sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("BOP_TEST_DATABASE_URL")),
    reason="the SQLite online backup; on PostgreSQL the command refuses (test_backup_on_postgresql_prints_pg_dump)")


@sqlite_only
def test_backup_while_another_connection_holds_a_write_transaction(app, stored, tmp_path):
    database = database_of(app)
    writer = sqlite3.connect(database, timeout=10, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock, as a kiosk's check-in does
    writer.execute(INSERT_LOCATION, ("half-geschreven", "Half geschreven"))
    target = tmp_path / "backup.sqlite"
    result = backup(app, str(target))
    writer.execute("COMMIT")
    writer.close()
    assert result.exit_code == 0, result.output
    assert f"Backup written: {target}" in result.output
    assert not Path(str(target) + "-wal").exists()  # one self-contained file

    restored = restored_client(target, tmp_path)
    assert "Rijn en Vliet" in restored.get("/bop/rijn-en-vliet").text
    assert restored.get("/bop/half-geschreven").status_code == 404  # not committed when copied
    assert restored.post("/staff/login", data={"email": stored["email"], "password": PASSWORD}).status_code == 302
    visitor = restored.get(f"/staff/visitors/{stored['visitor_id']}")
    assert visitor.status_code == 200 and "Fatima" in visitor.text


@sqlite_only
def test_backup_while_another_connection_keeps_writing(app, bop, tmp_path):
    database = database_of(app)
    stop = threading.Event()
    written = []

    def keep_writing():
        connection = sqlite3.connect(database, timeout=10, isolation_level=None)
        while not stop.is_set():
            n = len(written)
            connection.execute(INSERT_LOCATION, (f"w-{n}", f"Plek {n}"))  # each its own transaction
            written.append(n)
        connection.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        result = backup(app, str(tmp_path))  # a folder: the file gets a dated name in it
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    [target] = tmp_path.glob("bop-*.sqlite")
    copy = sqlite3.connect(target)
    slugs = {slug for (slug,) in copy.execute("SELECT slug FROM location WHERE slug LIKE 'w-%'")}
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    # One moment's database: every write up to some point, none after it.
    assert 20 <= len(slugs) <= len(written)
    assert slugs == {f"w-{n}" for n in range(len(slugs))}
    restored = restored_client(target, tmp_path)
    assert "Plek 3" in restored.get("/bop/w-3").text


@sqlite_only
def test_backup_refuses_to_overwrite(app, bop, tmp_path):
    target = tmp_path / "backup.sqlite"
    target.write_text("an older backup")
    result = backup(app, str(target))
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "an older backup"


def test_backup_on_postgresql_prints_pg_dump(app):
    # The command reads this setting; changed after create_app so that no PostgreSQL driver is needed.
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://bop:geheim@db.example:5433/bop"
    result = backup(app)
    assert result.exit_code == 1
    assert "copies a SQLite database" in result.output
    assert "pg_dump --format=custom --file=bop-" in result.output
    assert "--host=db.example --port=5433 --username=bop bop" in result.output
    assert "geheim" not in result.output


@pytest.fixture
def stored(bop, make_staff):
    """What the backup must hold: a BOP, a coordinator who can log in, a visitor."""
    staff = make_staff(role="coordinator")
    visitor, _code = make_visitor("Fatima")
    return {"email": staff.email, "visitor_id": visitor.id}
