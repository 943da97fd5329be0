"""Forms of the medication pages. They check the input's shape; the services check the rules
(a dose's unit, the limits of an as-needed medicine, allergies)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import MomentField, bounded_formfield
from coopcare.medication.models import Allergy, MedicineVersion, Outcome, StockTracking, Supplier
from coopcare.medication.services import VERSION_FIELDS


class AllergyForm(forms.ModelForm):
    formfield_callback = bounded_formfield

    class Meta:
        model = Allergy
        fields = ["substance", "reaction"]


class EndAllergyForm(forms.Form):
    """Which of the person's allergies is ended, and why."""

    allergy = forms.ModelChoiceField(queryset=Allergy.objects.none(), label=_("Allergy"))
    reason = forms.CharField(
        label=_("Why it is ended"),
        max_length=500,
        help_text=_("Recorded in error, or no longer current (with who said so)."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allergy"].queryset = Allergy.objects.current().filter(person=person)


class MedicineForm(forms.ModelForm):
    """A medicine as prescribed: a first version, or (with ``change=True``) a new one with why."""

    formfield_callback = bounded_formfield
    times = forms.CharField(
        label=_("Times of day"),
        required=False,
        help_text=_("For fixed times: hours and minutes, separated by spaces (08:00 20:00)."),
    )
    allergy_reason = forms.CharField(
        label=_("Why it is given despite an allergy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person is allergic to it and the prescriber confirmed it."),
    )

    class Meta:
        model = MedicineVersion
        fields = list(VERSION_FIELDS)
        widgets = {"instructions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, change: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The service names a missing unit in its own words, so the form lets it through.
        self.fields["dose_unit"].required = False
        if change:
            self.fields["reason"] = forms.CharField(
                label=_("Why it changes"), widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_times(self) -> list[str]:
        return self.cleaned_data["times"].replace(",", " ").split()


def version_initial(version: MedicineVersion) -> dict:
    """A version's fields as a form's initial values, to change them."""
    initial = {name: getattr(version, name) for name in MedicineForm.Meta.fields}
    initial["times"] = " ".join(version.times)
    return initial


class DoseForm(forms.Form):
    """One dose's outcome at a visit (``due_at`` empty for a dose taken as needed)."""

    medicine = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    due_at = MomentField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Why not given"), max_length=300, required=False)


# The largest quantity of stock a form takes: as the model's digits allow.
LARGEST_STOCK = 999999


class TrackStockForm(forms.ModelForm):
    """How a medicine's stock is tracked (coordinators)."""

    formfield_callback = bounded_formfield

    class Meta:
        model = StockTracking
        fields = ["unit", "units_per_dose", "low_days", "tolerance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service names a missing unit in its own words, so the form lets it through.
        self.fields["unit"].required = False


class ReceiveStockForm(forms.Form):
    """Stock received into the home."""

    quantity = forms.DecimalField(
        label=_("Quantity received"), min_value=0, max_value=LARGEST_STOCK, decimal_places=3
    )
    supplier = forms.ChoiceField(label=_("From"), choices=Supplier.choices)
    at = MomentField(label=_("When"), required=False, help_text=_("Now, if left empty."))


class CountStockForm(forms.Form):
    """A count of the stock in the home."""

    quantity = forms.DecimalField(
        label=_("Quantity counted"), min_value=0, max_value=LARGEST_STOCK, decimal_places=3
    )
    reason = forms.CharField(
        label=_("Why it differs from the expected balance"), max_length=300, required=False
    )
    at = MomentField(label=_("When"), required=False, help_text=_("Now, if left empty."))
