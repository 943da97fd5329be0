"""Forms of the rostering pages; the services check the rules."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PeopleChoiceField, PersonChoiceField
from coopcare.bounds import DayField, bounded_formfield
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.rostering.calendar import DETAIL_REASON_MAX_LENGTH
from coopcare.rostering.models import Absence, AbsenceKind, Weekday
from coopcare.rostering.services.runs import MAX_DAYS, MAX_SECONDS, SECONDS_PER_DAY
from coopcare.visits.models import Requester
from coopcare.work.forms import ChecksInServices, TimeInput


def _next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


class RunForm(forms.Form):
    first_day = DayField(label=_("From"), initial=_next_monday, widget=DateInput)
    last_day = DayField(
        label=_("Until"),
        initial=lambda: _next_monday() + timedelta(days=6),
        widget=DateInput,
        # Filled in when shown, so it is said in the reader's language, not the install's.
        help_text=lazy(lambda: _("At most %(days)s days.") % {"days": MAX_DAYS}, str)(),
    )
    seconds = forms.IntegerField(
        label=_("Search time per day (seconds)"),
        initial=SECONDS_PER_DAY,
        min_value=1,
        max_value=MAX_SECONDS,
        help_text=_("Longer searches find better rosters for busy days."),
    )


class GiveForm(forms.Form):
    """Give a visit to one carer, or two for a double-handed visit."""

    carer = PersonChoiceField(label=_("Carer"), queryset=None)
    second_carer = PersonChoiceField(label=_("Second carer"), queryset=None, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"),
        max_length=300,
        required=False,
        help_text=_(
            "Only needed when the change goes against continuity, choice, travel or hours."
        ),
    )

    def __init__(self, *args, carers=None, double_handed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers
        self.fields["second_carer"].queryset = carers
        if double_handed:
            self.fields["second_carer"].required = True
        else:
            del self.fields["second_carer"]

    def chosen(self) -> list:
        data = self.cleaned_data
        return [c for c in (data["carer"], data.get("second_carer")) if c is not None]


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("Until"), widget=TimeInput)


class AbsenceForm(ChecksInServices):
    class Meta:
        formfield_callback = bounded_formfield
        model = Absence
        fields = ["kind", "first_day", "last_day", "note"]
        widgets = {"first_day": DateInput, "last_day": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AbsenceKind.choices
        self.fields["first_day"].initial = timezone.localdate


class RequestForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the carer"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"), max_length=300, required=False
    )


class WeekForm(forms.Form):
    week = date_field(_("Week of"))


class SickForm(forms.Form):
    """A carer sick from today until a day they give (today by default)."""

    last_day = DayField(
        label=_("Sick until (included)"), initial=timezone.localdate, widget=DateInput
    )
    note = forms.CharField(
        label=_("Note for the coordinators"),
        max_length=200,
        required=False,
        help_text=_("Nothing about your health is needed."),
    )


class SickForCarerForm(SickForm):
    """A coordinator records a carer sick on their behalf (they phoned, say)."""

    carer = PersonChoiceField(label=_("Carer"), queryset=None)
    field_order = ["carer", "last_day", "note"]

    def __init__(self, *args, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers


class AcceptCoverForm(forms.Form):
    """The changes of a cover proposal a coordinator accepts, and a reason for soft rules."""

    changes = forms.TypedMultipleChoiceField(
        label=_("Accept"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"),
        max_length=300,
        required=False,
        help_text=_("Only needed when a change goes against continuity, choice, travel or hours."),
    )

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changes"].choices = [
            (c.pk, str(c.pk)) for c in proposal.changes.filter(accepted_at__isnull=True)
        ]


# The longest one-off visit: a night's sitting.
LONGEST_VISIT_MINUTES = 12 * 60


class CancelVisitForm(forms.Form):
    requested_by = forms.ChoiceField(
        label=_("Asked by"),
        choices=[(r.value, r.label) for r in Requester if r != Requester.CARE_STATUS],
    )
    reason = forms.CharField(label=_("Why"), max_length=300)


class AddVisitForm(forms.Form):
    """A one-off visit: a task of the care plan in force, a day and time, how long; carers
    may be chosen at once when a published roster covers the day."""

    task: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Task"), queryset=None)
    day = date_field(_("Day"))
    at = forms.TimeField(label=_("Time"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=LONGEST_VISIT_MINUTES
    )
    double_handed = forms.BooleanField(label=_("Two carers together"), required=False)
    carers: forms.ModelMultipleChoiceField = PeopleChoiceField(
        label=_("Carers"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to leave the visit open in the published roster."),
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"), max_length=300, required=False
    )

    def __init__(self, *args, tasks=None, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["carers"].queryset = carers


class MoveVisitForm(forms.Form):
    """Move a visit to another day and time, or give it to other carers, or both."""

    day = date_field(_("Day"))
    at = forms.TimeField(label=_("Time"), widget=TimeInput)
    carers: forms.ModelMultipleChoiceField = PeopleChoiceField(
        label=_("Carers"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to keep the visit's carers."),
    )
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a soft rule"), max_length=300, required=False
    )

    def __init__(self, *args, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carers"].queryset = carers


class CalendarDetailForm(forms.Form):
    """What calendar events say beyond the default, and why."""

    first_name = forms.BooleanField(label=_("The person's first name"), required=False)
    full_address = forms.BooleanField(
        label=_("The full address (house number and flat)"), required=False
    )
    task = forms.BooleanField(label=_("The task"), required=False)
    reason = forms.CharField(
        label=_("Why calendars need it"),
        help_text=_("Needed to send more than the default; kept with your name and the time."),
        required=False,
        max_length=DETAIL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
