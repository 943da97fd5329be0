"""Forms of the work pages. They parse input; the rules live in services and rules."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import bounded_formfield
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.work.models import (
    CarerHome,
    Contract,
    PayRules,
    Qualification,
    SurplusAllocation,
    Training,
    WorkRules,
)


class TimeInput(forms.TimeInput):
    input_type = "time"


def _dates(*names):
    return dict.fromkeys(names, DateInput)


class ChecksInServices(forms.ModelForm):
    """A form for a record a service makes: the service checks it (with the cooperative's
    rules); the model's own validation would ask for the cooperative and worker the form does
    not hold."""

    def _post_clean(self):
        pass


class ContractForm(ChecksInServices):
    replace_current = forms.BooleanField(
        label=_("It replaces the current contract (which ends the day before)"), required=False
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Contract
        fields = [
            "kind",
            "weekly_hours",
            "hourly_rate",
            "max_average_weekly_hours",
            "starts_on",
            "ends_on",
        ]
        widgets = _dates("starts_on", "ends_on")


class EndContractForm(forms.Form):
    """The day a contract ends (its last day); the service checks it against the contract."""

    ends_on = date_field(_("Last day of the contract"))


class CarerHomeForm(forms.ModelForm):
    """The carer's own home place: where their working day starts and ends. The model checks
    the coordinates' range on the fields; the service records it."""

    class Meta:
        model = CarerHome
        fields = ["address", "latitude", "longitude"]
        help_texts = {
            "latitude": _("In decimal degrees, for example 44.494887 (a map app shows it)."),
            "longitude": _("In decimal degrees, for example 11.342616."),
        }


class PhotoForm(forms.Form):
    """A carer's photo of themselves; the service checks and re-encodes it."""

    file = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A JPEG, PNG or WebP photo of your face, up to 8 MB."),
    )


class QualificationForm(ChecksInServices):
    class Meta:
        formfield_callback = bounded_formfield
        model = Qualification
        fields = ["name", "skills", "issued_by", "obtained_on", "expires_on"]
        widgets = _dates("obtained_on", "expires_on")


class TrainingForm(ChecksInServices):
    class Meta:
        formfield_callback = bounded_formfield
        model = Training
        fields = ["course", "on", "hours", "provider", "qualification"]
        widgets = _dates("on")

    def __init__(self, *args, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.filter(carer=worker)


class PeriodForm(forms.Form):
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until"))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(
                _("The period ends before it starts."), code="period_ends_before_start"
            )
        return data


class CorrectionForm(forms.Form):
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput)
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day

    def moments(self) -> tuple[datetime, datetime]:
        """The corrected times on the timesheet's day, in the cooperative's time zone."""
        data = self.cleaned_data
        starts_at, ends_at = (
            timezone.make_aware(datetime.combine(self.day, data[name]))
            for name in ("starts_at", "ends_at")
        )
        return starts_at, ends_at


class PayRulesForm(ChecksInServices):
    class Meta:
        formfield_callback = bounded_formfield
        model = PayRules
        fields = [
            "effective_from",
            "base_rate",
            "minimum_wage",
            "unsocial_premium",
            "unsocial_from",
            "unsocial_until",
            "weekend_premium",
            "holiday_premium",
            "waiting_paid",
            "waiting_max_minutes",
            "mileage_rate",
            "summary",
        ]
        widgets = _dates("effective_from") | {
            "unsocial_from": TimeInput,
            "unsocial_until": TimeInput,
            "summary": forms.Textarea(attrs={"rows": 2}),
        }


class WorkRulesForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = WorkRules
        fields = [
            "max_average_weekly_hours",
            "reference_weeks",
            "daily_rest_hours",
            "weekly_rest_hours",
            "weekly_rest_reference_days",
            "break_after_hours",
            "break_minutes",
            "night_starts",
            "night_ends",
            "night_max_hours",
            "allows_zero_hours",
        ]
        widgets = {"night_starts": TimeInput, "night_ends": TimeInput}


class SurplusForm(ChecksInServices):
    class Meta:
        formfield_callback = bounded_formfield
        model = SurplusAllocation
        fields = [
            "starts_on",
            "ends_on",
            "surplus",
            "reserve_percent",
            "mutual_fund_percent",
            "refund_percent",
        ]
        widgets = _dates("starts_on", "ends_on")
