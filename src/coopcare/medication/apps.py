from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicationConfig(AppConfig):
    name = "coopcare.medication"
    verbose_name = _("Medication")

    def ready(self):
        # Check-out waits for every dose due, and the person's data export holds their
        # medication: visits and care run these without importing us.
        from coopcare.care.export import on_export
        from coopcare.medication.export import person_medication
        from coopcare.medication.services import doses_recorded
        from coopcare.visits.conditions import on_check_out

        on_check_out(doses_recorded)
        on_export(person_medication)
