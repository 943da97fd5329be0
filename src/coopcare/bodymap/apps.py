from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodymapConfig(AppConfig):
    name = "coopcare.bodymap"
    verbose_name = _("Body map")
