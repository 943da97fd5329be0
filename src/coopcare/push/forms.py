from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.push.models import Topic


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Send me a push notification when"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
