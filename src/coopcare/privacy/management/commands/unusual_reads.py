"""``coopcare unusual_reads``: tell each cooperative's coordinators of the last month's
unusual reads of care records. Run it from cron on the first day of each month."""

from django.core.management.base import BaseCommand

from coopcare.cooperatives.models import Cooperative
from coopcare.privacy import queries, services


class Command(BaseCommand):
    help = (
        "Tell each cooperative's coordinators how many unusual reads of care records the last "
        "month (or --month YYYY-MM) had."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", metavar="YYYY-MM", help="The month (default: the last).")

    def handle(self, *args, month: str | None, **options):
        if month is not None and queries.month_of(month) is None:
            self.stderr.write("--month must be a month as YYYY-MM, between 1900 and 2100.")
            raise SystemExit(2)
        told = 0
        for cooperative in Cooperative.objects.order_by("pk"):
            first, following = queries.month_span(cooperative, month)
            told += services.send_unusual_reads(cooperative, first, following)
        self.stdout.write(f"Told {told} coordinators.")
