"""Forms of the family caregivers' pages. They check the input's shape; the services check the
rules."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import MomentField, bounded_formfield
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.forms import date_field
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.respite.models import Caregiver, Gathering, SupportPlan


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"


class CaregiverForm(forms.ModelForm):
    formfield_callback = bounded_formfield
    user = PersonChoiceField(
        queryset=None, label=_("Their login, if they have one."), required=False
    )
    consent_given_on = date_field(_("given on"))
    since = date_field(_("supported since"))

    class Meta:
        model = Caregiver
        fields = [
            "full_name",
            "phone",
            "user",
            "cares_for",
            "cares_for_whom",
            "hours_caring_a_week",
            "asks_respite",
            "asks_group",
            "asks_training",
            "notes",
            "consent_given_on",
            "since",
        ]

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = cast(forms.ModelChoiceField, self.fields["cares_for"])
        people.queryset = PersonCaredFor.objects.filter(cooperative=cooperative)
        login = cast(forms.ModelChoiceField, self.fields["user"])
        login.queryset = get_user_model().objects.filter(
            pk__in=CooperativeRole.objects.filter(cooperative=cooperative).values("user")
        )


class SupportPlanForm(forms.ModelForm):
    formfield_callback = bounded_formfield
    valid_from = date_field(_("applies from"))

    class Meta:
        model = SupportPlan
        fields = ["valid_from", "goals", "respite_hours_a_month"]


class EndSupportForm(forms.Form):
    on = date_field(_("support ended on"))
    consent_withdrawn = forms.BooleanField(label=_("consent withdrawn"), required=False)


class GatheringForm(forms.ModelForm):
    formfield_callback = bounded_formfield
    starts_at = MomentField(label=_("starts"), widget=MomentInput)
    facilitator = PersonChoiceField(queryset=None, label=_("facilitator"))
    online_link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Gathering
        fields = ["kind", "topic", "starts_at", "minutes", "place", "online_link", "facilitator"]

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workers = CooperativeRole.objects.filter(
            cooperative=cooperative, role__in=(Role.COORDINATOR, Role.CARER)
        ).values("user")
        facilitator = cast(forms.ModelChoiceField, self.fields["facilitator"])
        facilitator.queryset = get_user_model().objects.filter(pk__in=workers)


class CaregiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class CaregiverChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class EnrolForm(forms.Form):
    caregiver = CaregiverChoiceField(queryset=None, label=_("family caregiver"))

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["caregiver"]).queryset = Caregiver.objects.filter(
            cooperative=cooperative, ended_on=None
        )


class AttendanceForm(forms.Form):
    came = CaregiverChoices(
        queryset=None, label=_("attended"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, gathering, *args, **kwargs):
        super().__init__(*args, **kwargs)
        came = cast(CaregiverChoices, self.fields["came"])
        came.queryset = Caregiver.objects.filter(enrolments__gathering=gathering)
        came.initial = [e.caregiver_id for e in gathering.enrolments.filter(attended=True)]
