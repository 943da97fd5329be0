from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "coopcare.risks"
    verbose_name = _("Risks and reviews")

    def ready(self):
        # The person's data export holds their risks, goals and reviews: care gathers them
        # without importing us.
        from coopcare.care.export import on_export
        from coopcare.risks.export import person_risks

        on_export(person_risks)
