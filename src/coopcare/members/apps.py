from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coopcare.members"
    verbose_name = _("Members and share capital")
