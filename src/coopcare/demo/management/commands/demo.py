"""``coopcare demo``: seed the demo federation (once) and print the demo logins."""

from datetime import date

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from coopcare.demo import seed as demo
from coopcare.demo.due_now import visit_due_now


class Command(BaseCommand):
    help = "Seed a realistic demo federation of care cooperatives and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="date the demo is built around (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--no-roster",
            action="store_true",
            help="leave this week's visits without carers instead of running the planner",
        )

    def handle(self, *args, seed: int, today: date | None, no_roster: bool, **options):
        if demo.is_seeded():
            self.stdout.write("The demo data is already in this database.")
        else:
            try:
                # The weeks of history the seed plays send the notices they would have sent
                # then (a roster published, a complaint filed): kept in memory, not printed.
                before = len(getattr(mail, "outbox", []))
                with override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
                ):
                    summary = demo.seed(seed, today, roster=not no_roster)
                    held = len(getattr(mail, "outbox", [])) - before
            except Exception as exc:  # one line for the user; the transaction left nothing behind
                raise CommandError(f"Could not seed the demo: {exc}") from exc
            for name, counts in summary.cooperatives.items():
                figures = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items())
                self.stdout.write(f"Seeded {name}: {figures}.")
            self.stdout.write(f"{held} emails of the demo's history were not sent.")
        # Each start, at whatever hour: the carer login has a visit to check in to at once (not
        # for a demo built around another day, whose visits are not today's).
        if today is None or today == timezone.localdate():
            due = visit_due_now()
            if due is not None:
                when = timezone.localtime(due.starts_at)
                self.stdout.write(
                    f"The carer login has a visit due now: {when:%H:%M}, "
                    f"{due.task.title}, {due.person.full_name}."
                )
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, what in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<12} {what}")
