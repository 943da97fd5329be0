"""``coopcare retention``: anonymise or delete what is past its retention period, in every
cooperative (or one), keeping what a legal hold protects, and print what it did. Run it from
cron daily; ``--dry-run`` prints what it would do and writes nothing; ``--queue`` hands each
cooperative to the worker as a background task instead."""

from django.core.management.base import BaseCommand

from coopcare.cooperatives.models import Cooperative
from coopcare.retention.services import retention_task, run_retention


class Command(BaseCommand):
    help = "Anonymise or delete records past their retention period, keeping held ones."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, write nothing.")
        parser.add_argument("--cooperative", metavar="SLUG", help="Only this cooperative.")
        parser.add_argument(
            "--queue", action="store_true", help="Queue one task per cooperative for the worker."
        )

    def handle(self, *args, dry_run: bool, cooperative: str | None, queue: bool, **options):
        if dry_run and queue:
            self.stderr.write("--dry-run and --queue do not go together: a dry run prints.")
            raise SystemExit(2)
        cooperatives = Cooperative.objects.order_by("slug")
        if cooperative:
            cooperatives = cooperatives.filter(slug=cooperative)
            if not cooperatives.exists():
                self.stderr.write(f"No cooperative {cooperative!r}.")
                raise SystemExit(2)
        for found in cooperatives:
            if queue:
                retention_task.enqueue(found.pk)
                self.stdout.write(f"{found.slug}: queued")
                continue
            report = run_retention(found, dry_run=dry_run)
            counts = ", ".join(
                f"{kind} {n['done']} (held {n['held']})" for kind, n in report.counts.items()
            )
            self.stdout.write(f"{found.slug}{' (dry run)' if dry_run else ''}: {counts}")
