from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.conversations.services import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your message.")},
        help_text=_("The office, the family and the regular carers read it."),
    )
