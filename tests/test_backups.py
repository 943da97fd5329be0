"""Backups that restore: ``coopcare backup`` and ``coopcare restore`` put the same records into
a new, empty database (SQLite's online backup; pg_dump and pg_restore on PostgreSQL), and
refuse, in one line and with a non-zero exit, what they cannot do."""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def coopcare(*arguments: str, database_url: str) -> subprocess.CompletedProcess:
    """The ``coopcare`` command in a process of its own, on ``database_url``."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "coopcare.cli", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def some_records() -> list[tuple[str, str]]:
    """Two cooperatives, each with a person cared for: (cooperative, person) pairs."""
    pairs = []
    for name, slug, person in [("Cura Insieme", "cura", "Rosa Bianchi"), ("Aiuto", "aiuto", "Ada")]:
        coop = factories.CooperativeFactory(name=name, slug=slug)
        factories.person_cared_for(coop, full_name=person)
        pairs.append((name, person))
    return sorted(pairs)


def records_here() -> list[tuple[str, str]]:
    return sorted(PersonCaredFor.objects.values_list("cooperative__name", "full_name"))


PAIRS_SQL = (
    "SELECT c.name, p.full_name FROM care_personcaredfor p "
    "JOIN cooperatives_cooperative c ON c.id = p.cooperative_id ORDER BY 1, 2"
)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backup")
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_an_empty_database_with_the_same_records(tmp_path):
    made = some_records()
    assert records_here() == made
    backup = tmp_path / "coopcare-backup.sqlite3"
    call_command("backup", str(backup))

    restored = tmp_path / "restored.sqlite3"
    done = coopcare("restore", str(backup), database_url=f"sqlite:///{restored}")

    assert done.returncode == 0, done.stderr
    with sqlite3.connect(restored) as database:
        assert database.execute(PAIRS_SQL).fetchall() == made
        assert database.execute("SELECT count(*) FROM cooperatives_cooperative").fetchone() == (
            Cooperative.objects.count(),
        )
    # The restored database is complete: migrating it has nothing left to do.
    check = coopcare("migrate", "--check", database_url=f"sqlite:///{restored}")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="PostgreSQL's client programs absent")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_an_empty_database_with_the_same_records(tmp_path):
    made = some_records()
    backup = tmp_path / "coopcare.dump"
    call_command("backup", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP")

    settings = connection.settings_dict
    empty = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{empty}"')
    try:
        url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{empty}"
        )
        done = coopcare("restore", str(backup), database_url=url)
        assert done.returncode == 0, done.stderr
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname=empty,
        ) as restored:
            assert restored.execute(PAIRS_SQL).fetchall() == made
        check = coopcare("migrate", "--check", database_url=url)
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty}"')


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    kept = tmp_path / "yesterday.bak"
    kept.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(kept))
    assert kept.read_bytes() == b"yesterday's backup"


@pytest.mark.django_db
def test_a_restore_over_a_database_with_records_is_refused(tmp_path):
    factories.CooperativeFactory(name="Cura Insieme", slug="cura")
    backup = tmp_path / "backup"
    backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(backup))
    assert Cooperative.objects.filter(slug="cura").exists()


def test_the_command_line_says_what_is_wrong_in_one_line_and_exits_non_zero(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    missing = coopcare("restore", str(tmp_path / "no-such-file"), database_url=url)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    wrong = coopcare("restore", str(not_a_backup), database_url=url)

    assert missing.returncode == wrong.returncode == 1
    assert missing.stderr.strip() == f"CommandError: {tmp_path / 'no-such-file'} is not a file."
    assert wrong.stderr.strip() == (
        f"CommandError: {not_a_backup} is not a backup of a SQLite database."
    )
