from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "coopcare.visits"
    verbose_name = _("Visits")

    def ready(self):
        # The person's data export holds their care breaks, cancelled visits and handover
        # notes, beside the visits care writes itself.
        from coopcare.care.export import on_export
        from coopcare.visits.export import person_breaks_and_cancellations, person_handover_notes

        on_export(person_breaks_and_cancellations)
        on_export(person_handover_notes)
