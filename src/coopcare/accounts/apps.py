from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coopcare.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        """Connect the counter of failed logins per address to Django's login signal."""
        from coopcare.accounts import ratelimit  # noqa: F401 - registers its signal receiver
