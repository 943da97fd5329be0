from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "coopcare.voice"
    verbose_name = _("Feedback and complaints")

    def ready(self):
        # The person's data export holds the feedback on their visits and their complaints.
        from coopcare.care.export import on_export
        from coopcare.voice.export import person_voice

        on_export(person_voice)
