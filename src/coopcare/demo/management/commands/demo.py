"""``coopcare demo``: seed the demo federation (once) and print the demo logins."""

from datetime import date

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from coopcare.demo import seed as demo


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
                with override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
                ):
                    summary = demo.seed(seed, today, roster=not no_roster)
                    held = len(getattr(mail, "outbox", []))
            except Exception as exc:  # one line for the user; the transaction left nothing behind
                raise CommandError(f"Could not seed the demo: {exc}") from exc
            for name, counts in summary.cooperatives.items():
                figures = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items())
                self.stdout.write(f"Seeded {name}: {figures}.")
            self.stdout.write(f"{held} emails of the demo's history were not sent.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, what in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<12} {what}")
