"""The forms of data protection's pages. They check the input's shape; ``privacy.rules``
and ``privacy.services`` check the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import MomentField
from coopcare.care.models import PersonCaredFor
from coopcare.childcare.models import Child
from coopcare.cooperatives.forms import date_field
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from coopcare.privacy.models import SUBJECTS, RefusalReason, RightKind
from coopcare.respite.models import Caregiver

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"})


def _text(label, required=True, rows=3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NamedChoiceField(forms.ModelChoiceField):
    """A choice of a person cared for, a member, a child or a caregiver, by their full name."""

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class RequestForm(forms.Form):
    """A request a coordinator records: the right, whom it is about (one of ``SUBJECTS``), who
    made it and when it was received."""

    kind = forms.ChoiceField(label=_("Right"), choices=RightKind.choices)
    requester_name = forms.CharField(label=_("Made by"), max_length=200)
    received_on = date_field(_("Received on"))
    details = _text(_("What is asked"), required=False)

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        carers = cooperative.roles.filter(role=Role.CARER).values("user")
        self.fields["person"] = NamedChoiceField(
            queryset=PersonCaredFor.objects.filter(cooperative=cooperative).order_by("full_name"),
            label=_("About a person cared for"),
            required=False,
        )
        self.fields["carer"] = PersonChoiceField(
            queryset=get_user_model().objects.filter(pk__in=carers),
            label=_("About a carer"),
            required=False,
        )
        self.fields["member"] = NamedChoiceField(
            queryset=Member.objects.filter(cooperative=cooperative).order_by("full_name"),
            label=_("About a member"),
            required=False,
        )
        # A child's request is made by their guardian (art. 8), who is "made by".
        self.fields["child"] = NamedChoiceField(
            queryset=Child.objects.filter(cooperative=cooperative).exclude(full_name=""),
            label=_("About a child at the centre"),
            required=False,
        )
        self.fields["caregiver"] = NamedChoiceField(
            queryset=Caregiver.objects.filter(cooperative=cooperative).exclude(full_name=""),
            label=_("About a family caregiver"),
            required=False,
        )
        self.order_fields(["kind", *SUBJECTS])

    def clean(self):
        data = super().clean()
        if sum(data.get(k) is not None for k in SUBJECTS) != 1:
            raise forms.ValidationError(
                _("Choose one person the request is about."), code="one_subject_required"
            )
        return data


class CircleRequestForm(forms.Form):
    """A request the person's circle makes from their page, about the person."""

    kind = forms.ChoiceField(label=_("Right"), choices=RightKind.choices)
    details = _text(_("What do you ask?"), required=False)


class ExtendForm(forms.Form):
    reason = _text(_("Why more time is needed (the person is told)"))


class AnswerForm(forms.Form):
    answer = _text(_("Answer"), rows=5)
    refused = forms.BooleanField(label=_("Refused"), required=False)
    refusal_reason = forms.ChoiceField(
        label=_("Reason for refusing"),
        choices=[("", "—"), *RefusalReason.choices],
        required=False,
    )


class BreachForm(forms.Form):
    aware_at = MomentField(label=_("Became aware at"), widget=MOMENT)
    nature = _text(_("What happened"))
    people_categories = forms.CharField(label=_("Categories of people"), max_length=300)
    people_count = forms.IntegerField(
        label=_("Approximate number of people"), min_value=0, max_value=1_000_000
    )
    record_categories = forms.CharField(label=_("Categories of records"), max_length=300)
    record_count = forms.IntegerField(
        label=_("Approximate number of records"), min_value=0, max_value=1_000_000
    )
    consequences = _text(_("Likely consequences"))
    measures = _text(_("Measures taken or proposed"))


class NoticeForm(forms.Form):
    notified_at = MomentField(label=_("Authority notified at"), widget=MOMENT, required=False)
    reference = forms.CharField(label=_("Authority's reference"), max_length=100, required=False)
    delay_reason = _text(_("Reasons for a delay beyond 72 hours"), required=False)
    no_notice_reason = _text(_("Or: why no notice is needed (no risk to people)"), required=False)


class PeopleToldForm(forms.Form):
    told_at = MomentField(label=_("People told at"), widget=MOMENT, required=False)
    reason = _text(_("Or: why they are not told (art. 34(3))"), required=False)
