from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "coopcare.childcare"
    verbose_name = _("Childcare")

    def ready(self) -> None:
        from coopcare.billing import invoicing
        from coopcare.childcare import services

        # A fee run's drafts are deleted together (the family's and the public bodies').
        invoicing.on_draft_deleted(services.delete_fee_lines)
