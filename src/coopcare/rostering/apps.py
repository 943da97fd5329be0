from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosteringConfig(AppConfig):
    name = "coopcare.rostering"
    verbose_name = _("Rostering")

    def ready(self):
        # A visit offered for swap and then done by its carer is no longer on offer: visits
        # runs this at check-out without importing us.
        from coopcare.rostering.services.requests import close_swap_done
        from coopcare.visits.conditions import on_checked_out

        on_checked_out(close_swap_done)
