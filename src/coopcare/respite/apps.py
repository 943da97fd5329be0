from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespiteConfig(AppConfig):
    name = "coopcare.respite"
    verbose_name = _("Family caregivers")
