"""Forms of the retention pages."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.retention.models import HoldReason
from coopcare.retention.rules import MAX_YEARS, MIN_YEARS, Kind


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=Kind.choices)
    years = forms.IntegerField(label=_("Years"), min_value=MIN_YEARS, max_value=MAX_YEARS)
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law or the advice of the cooperative's DPO behind the period."),
    )


class HoldForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person cared for"), queryset=PersonCaredFor.objects.none()
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=HoldReason.choices)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = PersonCaredFor.objects.filter(cooperative=cooperative)
