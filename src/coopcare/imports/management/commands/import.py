"""``coopcare import KIND FILE --cooperative SLUG --user USERNAME [--dry-run]``: import a
spreadsheet from the command line, as the import page does, in the name of a coordinator (or a
board member, for the register) of the cooperative."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from coopcare import localise
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.imports import rules, services
from coopcare.imports.services.common import Outcome


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of one kind into a cooperative: every row, or nothing if any "
        "row has an error. With --dry-run, only say what each row would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(services.KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--cooperative", required=True, metavar="SLUG")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="Who imports: a coordinator of the cooperative (or board member, for members "
            "and share history). The records name them, and reads of care records are logged "
            "in their name.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")

    def handle(self, *args, **options):
        # Resolving the cooperative sets its region for what follows; like a request, the
        # command keeps it to itself, so a command called from other code leaves none behind.
        with localise.in_region(""):
            self._import(**options)

    def _import(self, *, kind, file: Path, cooperative, user, dry_run, **options):
        found = services.KINDS[kind]
        importer = get_user_model().objects.filter(username=user).first()
        if importer is None:
            raise CommandError(f"No user {user}.")
        try:
            coop, _roles = resolve_cooperative(importer, cooperative, found.roles)
        except Http404 as exc:
            raise CommandError(f"{user} has no role in a cooperative {cooperative}.") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user} may not import {kind} in {cooperative}.") from exc
        try:
            content = file.read_bytes()[: rules.MAX_BYTES + 1]
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        run = services.preview if dry_run else services.run_import
        try:
            report = run(coop, found, file.name, content, importer, via="command")
        except ValidationError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        for row in report.rows:
            if row.outcome == Outcome.ERROR:
                for problem in row.problems:
                    where = f" {problem.column}:" if problem.column else ""
                    self.stderr.write(f"{file}:{row.line}:{where} {problem.message}")
        counts = report.counts()
        summary = ", ".join(f"{outcome} {counts[outcome]}" for outcome in counts)
        if report.has_errors:
            raise CommandError(f"{file}: nothing imported ({summary}).")
        done = "would import" if dry_run else "imported"
        self.stdout.write(f"{file}: {done} ({summary}).")
