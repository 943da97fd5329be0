"""Forms for people cared for. The rules are in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coopcare.care import scales
from coopcare.care.models import (
    CareStatus,
    CareTask,
    CircleMember,
    ConsentKind,
    Domain,
    PersonCaredFor,
    Verification,
)
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.cooperatives.models import Role


def carers_of(cooperative):
    return (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.CARER
        )
        .order_by("last_name", "first_name")
    )


class PersonForm(forms.ModelForm):
    on = date_field(_("Referred or admitted on"))

    class Meta:
        model = PersonCaredFor
        fields = [
            "full_name",
            "date_of_birth",
            "phone",
            "address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "languages",
            "carer_gender",
            "pets",
            "smoking_home",
            "preferences",
            "preferred_carers",
            "refused_carers",
            "funding",
            "status",
        ]
        widgets = {"date_of_birth": DateInput, "preferences": forms.Textarea({"rows": 2})}

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        carers = carers_of(cooperative)
        self.fields["preferred_carers"].queryset = carers
        self.fields["refused_carers"].queryset = carers
        self.fields["status"].choices = [
            (CareStatus.REFERRAL, CareStatus.REFERRAL.label),
            (CareStatus.ACTIVE, CareStatus.ACTIVE.label),
        ]

    def clean(self):
        data = super().clean()
        both = set(data.get("preferred_carers") or []) & set(data.get("refused_carers") or [])
        if both:
            raise forms.ValidationError(_("A carer cannot be both preferred and refused."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CareStatus.choices)
    on = date_field(_("From"))
    reason = forms.CharField(label=_("Reason"), required=False)


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    given_by = forms.CharField(
        label=_("Given by"), help_text=_("The person, or their legal representative.")
    )
    on = date_field(_("Given on"))


class WithdrawConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    on = date_field(_("Withdrawn on"))


class VerificationForm(forms.Form):
    method = forms.ChoiceField(label=_("Visits are verified by"), choices=Verification.choices)


class CircleForm(forms.ModelForm):
    class Meta:
        model = CircleMember
        fields = [
            "full_name",
            "relationship",
            "phone",
            "user",
            "may_see_visits",
            "may_see_notes",
            "may_see_care_plan",
            "granted_by",
            "granted_on",
        ]
        widgets = {"granted_on": DateInput}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(
            cooperative_roles__cooperative_id=person.cooperative_id,
            cooperative_roles__role=Role.CIRCLE,
        )


class RevokeCircleForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Circle member"), queryset=CircleMember.objects.none())
    on = date_field(_("Revoked on"))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = person.circle.filter(revoked_on__isnull=True)


class AssessmentForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    on = date_field(_("Assessed on"))
    scale = forms.ChoiceField(
        label=_("Standard scale"),
        required=False,
        choices=[("", _("none (notes only)"))]
        + [(key, scale["name"]) for key, scale in scales.SCALES.items()],
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One tick box per item of every scale; only the chosen scale's items are kept.
        for key, scale in scales.SCALES.items():
            for item, label in scale["items"].items():
                self.fields[f"{key}__{item}"] = forms.BooleanField(
                    label=_("%(scale)s: %(item)s independently")
                    % {"scale": scale["name"], "item": label},
                    required=False,
                )

    def clean(self):
        data = super().clean()
        scale = data.get("scale")
        data["items"] = (
            {item: data.get(f"{scale}__{item}", False) for item in scales.SCALES[scale]["items"]}
            if scale
            else {}
        )
        return data


class PlanForm(forms.Form):
    valid_from = date_field(_("Applies from"))
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea({"rows": 3}))


class TaskForm(forms.ModelForm):
    class Meta:
        model = CareTask
        fields = [
            "title",
            "instructions",
            "steps",
            "rrule",
            "start_time",
            "duration_minutes",
            "skills",
            "double_handed",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "instructions": forms.TextInput,
            "steps": forms.Textarea(attrs={"rows": 3}),
        }


TaskFormSet = forms.formset_factory(TaskForm, extra=3, min_num=1, validate_min=True)
