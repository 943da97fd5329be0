"""``coopcare push_keys``: make a VAPID key for web push, printed as the environment variable
to set (docs/deploy.md). Nothing is stored: the key lives in the installation's environment."""

from django.core.management.base import BaseCommand

from coopcare.push import vapid


class Command(BaseCommand):
    help = "Print a new VAPID private key for web push, as VAPID_PRIVATE_KEY=..."

    def handle(self, *args, **options):
        self.stdout.write(f"VAPID_PRIVATE_KEY={vapid.new_private_key()}")
