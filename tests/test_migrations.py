"""Landed migrations are history: they are never edited again, and each is named for what it
does.

``tests/migrations.sha256`` holds the SHA-256 of every migration file, as ``sha256sum`` writes
it. An install that has run a migration never runs it again, so an edit to a landed one would
leave the installs' databases and a fresh one different: a change goes in a new migration. A
new migration is appended to the manifest in the commit that adds it.
"""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "migrations.sha256"
APPEND = "sha256sum {path} >> tests/migrations.sha256"

# The names Django makes up when it is not told one (makemigrations without --name).
GENERATED_NAME = re.compile(r"^\d{4}_(auto|merge)_\d{8}_\d{4}$|_and_more$")
# Landed before names were checked; renaming a landed migration would break the installs that
# recorded it under its name.
LANDED_WITH_GENERATED_NAMES = {
    "src/coopcare/care/migrations/0002_personcaredfor_carer_gender_personcaredfor_funding_and_more.py"
}


def migration_files() -> list[str]:
    """Every migration file of the apps, relative to the repository's root."""
    found = (ROOT / "src" / "coopcare").glob("*/migrations/[0-9]*.py")
    return sorted(str(path.relative_to(ROOT)) for path in found)


def manifest() -> dict[str, str]:
    """Path → SHA-256 of each migration file that has landed."""
    digests = {}
    for line in MANIFEST.read_text().splitlines():
        digest, path = line.split(maxsplit=1)
        digests[path.lstrip("*")] = digest
    return digests


def sha256(path: str) -> str:
    return hashlib.sha256((ROOT / path).read_bytes()).hexdigest()


def test_landed_migrations_are_not_edited():
    edited = [path for path, digest in manifest().items() if sha256(path) != digest]
    assert not edited, f"Landed migrations edited (add a new migration instead): {edited}"


def test_landed_migrations_are_not_removed():
    on_disk = set(migration_files())
    removed = [path for path in manifest() if path not in on_disk]
    assert not removed, f"Landed migrations removed or renamed: {removed}"


def test_every_migration_is_in_the_manifest():
    new = [path for path in migration_files() if path not in manifest()]
    how = "; ".join(APPEND.format(path=path) for path in new)
    assert not new, f"New migrations not in the manifest; once final, run: {how}"


def test_new_migrations_are_named_for_what_they_do():
    generated = [
        path
        for path in migration_files()
        if GENERATED_NAME.search(Path(path).stem) and path not in LANDED_WITH_GENERATED_NAMES
    ]
    assert not generated, (
        f"Migrations with a generated name: {generated}. "
        "Name each for what it does: makemigrations APP --name what_it_does"
    )


def test_generated_names_are_recognised():
    assert GENERATED_NAME.search("0005_auto_20261205_1712")
    assert GENERATED_NAME.search("0005_merge_20261205_1712")
    assert GENERATED_NAME.search("0005_visit_notes_visit_kind_and_more")
    assert not GENERATED_NAME.search("0005_visit_notes")
    assert not GENERATED_NAME.search("0005_automatic_reminders")
