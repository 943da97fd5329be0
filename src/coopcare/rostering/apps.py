from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosteringConfig(AppConfig):
    name = "coopcare.rostering"
    verbose_name = _("Rostering")
