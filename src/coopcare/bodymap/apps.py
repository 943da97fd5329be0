from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodymapConfig(AppConfig):
    name = "coopcare.bodymap"
    verbose_name = _("Body map")

    def ready(self):
        # The person's data export holds the marks on their body map.
        from coopcare.bodymap.export import person_body_marks
        from coopcare.care.export import on_export

        on_export(person_body_marks)
