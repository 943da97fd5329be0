"""``coopcare backup FILE``: a backup of the database that ``coopcare restore`` puts back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coopcare import backups


class Command(BaseCommand):
    help = (
        "Write a backup of the database to FILE, while coopcare runs: SQLite's online backup, "
        "or pg_dump --format=custom on PostgreSQL. Back up MEDIA_ROOT at the same time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the new backup file")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args, file: Path, database: str, **options):
        try:
            backups.backup(file, using=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {file} ({file.stat().st_size} bytes).")
