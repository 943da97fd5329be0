"""Forms of the childcare pages: they check the input's shape; the services check the rules."""

from typing import cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import MomentField
from coopcare.childcare.models import Area, ConsentKind, Guardian, Room
from coopcare.childcare.rules import MAX_CHILDREN_PER_ADULT, MAX_MONTHS
from coopcare.cooperatives.forms import date_field
from coopcare.cooperatives.models import Role


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    from_months = forms.IntegerField(
        label=_("from age (months)"), min_value=0, max_value=MAX_MONTHS
    )
    to_months = forms.IntegerField(label=_("to age (months)"), min_value=1, max_value=MAX_MONTHS)
    capacity = forms.IntegerField(label=_("places"), min_value=1, max_value=200)


class ChildForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    born_on = date_field(_("date of birth"))
    room = forms.ModelChoiceField(label=_("room"), queryset=Room.objects.none(), required=False)
    enrolled_on = date_field(_("enrolled on"))
    health_notes = forms.CharField(
        label=_("health notes"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )
    allergies = forms.CharField(
        label=_("allergies"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = Room.objects.filter(
            cooperative=cooperative
        )


class GuardianForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)


class AdultForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    relation = forms.CharField(label=_("relation to the child"), max_length=100)
    identity_note = forms.CharField(
        label=_("how staff recognise them"), max_length=300, required=False
    )


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ConsentKind.choices)
    given_by = forms.ModelChoiceField(
        label=_("parent or guardian"), queryset=Guardian.objects.none()
    )
    given_on = date_field(_("given on"))

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["given_by"]).queryset = child.guardians.all()


class ShiftForm(forms.Form):
    worker = PersonChoiceField(label=_("worker"), queryset=User.objects.none())
    starts_at = MomentField(label=_("starts at"))
    ends_at = MomentField(label=_("ends at"))

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = User.objects.filter(
            cooperative_roles__cooperative=cooperative,
            cooperative_roles__role__in=[Role.COORDINATOR, Role.CARER],
        ).distinct()


class RatioForm(forms.Form):
    from_months = forms.IntegerField(
        label=_("from age (months)"), min_value=0, max_value=MAX_MONTHS
    )
    to_months = forms.IntegerField(label=_("to age (months)"), min_value=1, max_value=MAX_MONTHS)
    children_per_adult = forms.IntegerField(
        label=_("children per adult"), min_value=1, max_value=MAX_CHILDREN_PER_ADULT
    )
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SomeoneElseForm(forms.Form):
    person_name = forms.CharField(label=_("Full name"), max_length=200)


class ObservationForm(forms.Form):
    observed_on = date_field(_("day"))
    area = forms.ChoiceField(label=_("area of development"), choices=Area.choices)
    text = forms.CharField(
        label=_("what was observed"), max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    share = forms.BooleanField(label=_("shared with the guardians"), required=False)
