"""``coopcare votes``: close online votes whose window ended and remind members who have not
voted. Run it from cron, e.g. hourly."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from coopcare.governance.services.ballot_box import purge_deleted_ballots
from coopcare.governance.services.reminders import send_reminders
from coopcare.governance.services.voting import close_due_votes


class Command(BaseCommand):
    help = (
        "Close and count online votes whose window has ended, and email one reminder to each "
        "member who has not yet voted on a vote closing soon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remind-within",
            type=int,
            default=48,
            metavar="HOURS",
            help="Remind for votes closing within this many hours (default 48).",
        )

    def handle(self, *args, remind_within: int, **options):
        if remind_within <= 0:
            self.stderr.write("--remind-within must be a positive number of hours.")
            raise SystemExit(2)
        closed = close_due_votes()
        # Boxes emptied since the last run (by this close, by the board closing a vote from a
        # page, or by a batch shuffled out): erase what the deleted rows leave in the database
        # files (see docs/governance.md). The ballot tables are small, so this is quick.
        purge_deleted_ballots()
        sent = send_reminders(within=timedelta(hours=remind_within))
        self.stdout.write(f"Closed {closed} votes; sent {sent} reminders.")
