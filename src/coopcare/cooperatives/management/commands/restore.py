"""``coopcare restore FILE``: put a backup made by ``coopcare backup`` into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coopcare import backups


class Command(BaseCommand):
    help = (
        "Restore the backup FILE (from coopcare backup) into the database, which must be new "
        "and empty. Then run coopcare migrate, in case the backup is older than the code."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args, file: Path, database: str, **options):
        try:
            backups.restore(file, using=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
