"""`flask bop backup [PATH]`: a consistent copy of the SQLite database while BOP keeps running.

SQLite's online backup API (`sqlite3.Connection.backup`) copies the database page by page as one
reader: in WAL mode the kiosks keep writing meanwhile, and the copy is the database as it was at
one moment, without a half-written transaction. Copying the file with `cp` instead can catch a
write halfway, and misses what still sits in the `-wal` file. PostgreSQL has its own tool; the
command prints the `pg_dump` line instead of pretending.
"""
from __future__ import annotations

import os
import shlex
import sqlite3
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from .cli import bop_cli


def pg_dump_command(url) -> str:
    """The pg_dump line for this database, without its password (pg_dump asks, or reads ~/.pgpass)."""
    parts = ["pg_dump", "--format=custom", f"--file=bop-{datetime.now():%Y-%m-%d}.dump"]
    if url.host:
        parts.append(f"--host={url.host}")
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts.append(url.database or "bop")
    return shlex.join(parts)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy `source` to `target` with the online backup API, as one self-contained file.

    Written under a temporary name and renamed at the end, so `target` is never half a backup."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source, timeout=30)  # only reads; waits out a checkpoint if it must
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)  # all pages in one step: one consistent snapshot
        # One file to keep or copy around, not a WAL database with side files.
        writer.execute("PRAGMA journal_mode=DELETE")
        check = writer.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        writer.close()
        reader.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"The copy did not pass SQLite's integrity check ({check}); nothing was kept.")
    os.replace(partial, target)


@bop_cli.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def backup_command(path: Path | None) -> None:
    """Copy the SQLite database while BOP runs (default: instance/backups/bop-DATE-TIME.sqlite)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "flask bop backup copies a SQLite database; this installation uses "
            f"{url.get_backend_name()}. Back it up with pg_dump instead:\n\n    {pg_dump_command(url)}\n\n"
            "and restore with pg_restore (see README, 'Backups').")
    if not url.database or url.database == ":memory:":
        raise click.ClickException("This database lives in memory only; there is no file to back up.")
    source = Path(url.database).resolve()
    if not source.is_file():
        raise click.ClickException(f"There is no database at {source}.")
    if path is None:
        path = Path(current_app.instance_path) / "backups"
        path.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        path = path / f"bop-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    path = path.resolve()
    if path == source:
        raise click.ClickException("Choose another file than the database itself.")
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another name.")
    if not path.parent.is_dir():
        raise click.ClickException(f"The folder {path.parent} does not exist.")
    backup_sqlite(source, path)
    click.echo(f"Backup written: {path} ({path.stat().st_size // 1024} KiB)")
