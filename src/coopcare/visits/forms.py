"""Forms a carer fills on the phone during a visit, and a coordinator's follow-up forms."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import DayField, MomentField
from coopcare.care.models import Verification
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.visits.models import Incident, VisitRecord
from coopcare.visits.requests import REASON_MAX_LENGTH
from coopcare.visits.services import HANDOVER_MAX_LENGTH
from coopcare.visits.services import REASON_MAX_LENGTH as REASON_MAX_LENGTH_RECORD
from coopcare.work.forms import TimeInput
from coopcare.work.queries import workers


class _Device(forms.Form):
    """An upload id made when the page is drawn, so a double tap or a resend is one record; and
    the coordinates, which the page fills only where the person consented to location."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class CheckInForm(_Device):
    pass


class CheckOutForm(_Device):
    """One done/not-done choice per step of the visit's task, with the reason when not done."""

    notes = forms.CharField(
        label=_("Notes on the visit, for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    handover = forms.CharField(
        label=_("For the next carer"),
        help_text=_("Something the next carer must know; shown on their visit card."),
        required=False,
        max_length=HANDOVER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    reason = forms.CharField(
        label=_("If the visit went unusually (far shorter than planned, say), why?"),
        help_text=_("A coordinator reads it before the visit counts as done and verified."),
        required=False,
        max_length=REASON_MAX_LENGTH_RECORD,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = visit.task.step_list
        for n, step in enumerate(self.steps):
            self.fields[f"done_{n}"] = forms.BooleanField(label=step, required=False)
            self.fields[f"reason_{n}"] = forms.CharField(
                label=_("If not done, why?"), required=False, max_length=300
            )
        if visit.person.verification == Verification.CONFIRMATION:
            self.fields["tapped"] = forms.BooleanField(
                label=_("%(name)s confirms this visit (hand them the phone to tap)")
                % {"name": visit.person.full_name},
                required=False,
            )
            self.fields["code"] = forms.CharField(
                label=_("…or their confirmation code"),
                required=False,
                max_length=6,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def step_fields(self):
        """(done field, reason field) for each step, for the template."""
        return [(self[f"done_{n}"], self[f"reason_{n}"]) for n in range(len(self.steps))]

    def reported_steps(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"step": step, "done": data[f"done_{n}"], "reason": data[f"reason_{n}"]}
            for n, step in enumerate(self.steps)
        ]


class IncidentForm(forms.ModelForm):
    """An incident on a visit, with the id made when the page was drawn: a double tap, or the
    day page's copy sending it again when the signal returns, reports it once."""

    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = ["occurred_at", "kind", "severity", "description", "action_taken"]
        widgets = {"occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        field_classes = {"occurred_at": MomentField}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class MissedForm(forms.Form):
    reason = forms.CharField(label=_("Why did the visit not take place?"), max_length=300)


class CloseIncidentForm(forms.Form):
    outcome = forms.CharField(label=_("What was done about it"), widget=forms.Textarea)


class HandoverForm(forms.Form):
    """A handover note written on its own, from a visit card or a person's page."""

    text = forms.CharField(
        label=_("For the next carer"),
        help_text=_(
            "Something the next carer must know, e.g. “the pharmacy delivers on Thursday”."
        ),
        max_length=HANDOVER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# -- requests about visits: the circle asks, a coordinator answers -----------------------------


def _visit_label(visit) -> str:
    start = timezone.localtime(visit.starts_at)
    return f"{start:%d/%m %H:%M} · {visit.task.title}"


class _AboutAVisit(forms.Form):
    """A request about one of the person's planned visits still to come."""

    visit: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Visit"), queryset=None)
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX_LENGTH)

    def __init__(self, *args, visits=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["visit"].label_from_instance = _visit_label


class MoveRequestForm(_AboutAVisit):
    day = date_field(_("New day"))
    at = forms.TimeField(label=_("New time"), widget=TimeInput)
    field_order = ["visit", "day", "at", "reason"]


class CancelRequestForm(_AboutAVisit):
    pass


class TrialRequestForm(_AboutAVisit):
    """A trial: a carer new to the person comes for one of their visits; the office chooses
    the carer."""

    field_order = ["visit", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("What you hope for in a new carer")


class ExtraRequestForm(forms.Form):
    """An extra visit: a task of the care plan, a day and the hours it should fit in."""

    task: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Task"), queryset=None)
    day = date_field(_("Day"))
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("Until"), widget=TimeInput)
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX_LENGTH)

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class AcceptRequestForm(forms.Form):
    """A coordinator's acceptance; for a trial, the carer who comes (``carers``: those to
    choose from)."""

    carer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("The new carer who comes"), queryset=None, required=False
    )
    at = forms.TimeField(
        label=_("Start of the extra visit"),
        widget=TimeInput,
        required=False,
        help_text=_("Within the hours asked; empty: the first of them."),
    )
    answer = forms.CharField(label=_("A word for the person"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"), max_length=300, required=False
    )

    def __init__(self, *args, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if carers is None:
            del self.fields["carer"]
        else:
            self.fields["carer"].queryset = carers
            self.fields["carer"].label_from_instance = lambda u: u.get_full_name() or u.username
            self.fields["carer"].required = True
            del self.fields["at"]


class RefuseRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not, in plain words for the person"), max_length=REASON_MAX_LENGTH
    )


class ExplainForm(forms.Form):
    """The carer's word on a visit record flagged as implausible."""

    reason = forms.CharField(
        label=_("Why did the visit go as recorded?"),
        max_length=REASON_MAX_LENGTH_RECORD,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ToVerifyFilterForm(forms.Form):
    """Narrow the visits to verify to one carer, one chosen method or one day."""

    carer = PersonChoiceField(label=_("Carer"), queryset=None, required=False)
    verification = forms.ChoiceField(
        label=_("Method chosen"),
        choices=[("", _("any")), *Verification.choices],
        required=False,
    )
    day = DayField(label=_("Day"), required=False, widget=DateInput)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = workers(cooperative)


class ConfirmManyForm(forms.Form):
    """The visits to verify a coordinator confirmed by phone, ticked in the list."""

    records: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Visits"),
        queryset=None,
        error_messages={"required": _("Choose at least one visit.")},
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = VisitRecord.objects.filter(
            visit__cooperative=cooperative
        ).select_related("person")
