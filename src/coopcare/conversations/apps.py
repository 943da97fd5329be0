from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "coopcare.conversations"
    verbose_name = _("Conversations")

    def ready(self):
        # The person's data export holds the messages of their conversation.
        from coopcare.care.export import on_export
        from coopcare.conversations.export import person_conversation

        on_export(person_conversation)
