"""A backup of the database that restores: ``coopcare backup FILE`` and ``coopcare restore FILE``.

- **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``) copies the database
  page by page while the server and the worker go on writing, into a file that is itself a
  SQLite database. Copying the file with ``cp`` is not a backup: it may catch a write half done
  and it leaves out what the write-ahead log still holds.
- **PostgreSQL**: ``pg_dump --format=custom``, a consistent snapshot taken without stopping
  anyone, and ``pg_restore`` into an empty database. Both must be on the ``PATH`` (Debian's
  ``postgresql-client``), of the server's major version or later.

A restore goes into an empty database only (no tables): restoring over live records would mix
two states of the cooperative. Uploaded files are not in the database; back up ``MEDIA_ROOT``
(or the object store) at the same time (docs/deployment.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or a restore that could not be made, in one sentence for the command line."""


def backup(path: Path, using: str = "default") -> None:
    """Write a backup of the database ``using`` to ``path`` (which must not exist yet)."""
    if path.exists():
        raise BackupError(f"{path} already exists: give a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory.")
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run("pg_dump", ["--format=custom", f"--file={path}"], using)
    else:
        raise BackupError(f"No backup for a {connection.vendor} database.")


def restore(path: Path, using: str = "default") -> None:
    """Restore the backup at ``path`` into the database ``using``, which must be empty."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    connection = connections[using]
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if connection.introspection.table_names():
        raise BackupError("The database already has tables: restore into a new, empty database.")
    if connection.vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is not a backup of a SQLite database.")
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{path} is not a backup made by pg_dump --format=custom.")
        # The restore makes its own connections; this one must not hold the database open
        # in a transaction meanwhile.
        connection.close()
        _run(
            "pg_restore",
            ["--no-owner", "--exit-on-error", "--single-transaction", str(path)],
            using,
        )
    else:
        raise BackupError(f"No restore for a {connection.vendor} database.")


def _run(program: str, arguments: list[str], using: str) -> None:
    found = shutil.which(program)
    if found is None:
        raise BackupError(f"{program} was not found: install PostgreSQL's client programs.")
    settings = connections[using].settings_dict
    environment = {
        **os.environ,
        "PGHOST": str(settings.get("HOST") or ""),
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": str(settings.get("USER") or ""),
        "PGPASSWORD": str(settings.get("PASSWORD") or ""),
        "PGDATABASE": str(settings["NAME"]),
    }
    # The password goes by PGPASSWORD, so it never shows in the process list. pg_restore
    # writes SQL to its output unless given the database to restore into.
    if program == "pg_restore":
        arguments = [f"--dbname={settings['NAME']}", *arguments]
    done = subprocess.run(  # noqa: S603 (a fixed program, arguments as a list)
        [found, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{program} failed: {said}")
