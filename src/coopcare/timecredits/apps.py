from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeCreditsConfig(AppConfig):
    name = "coopcare.timecredits"
    verbose_name = _("Time credits")
