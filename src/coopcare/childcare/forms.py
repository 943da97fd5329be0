"""Forms of the childcare pages: they check the input's shape; the services check the rules."""

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.billing.models import PUBLIC_KINDS, Payer
from coopcare.bounds import LARGEST_AMOUNT, DayField, MomentField
from coopcare.childcare.models import Area, ConsentKind, Guardian, ProRata, Room, SubsidyKind
from coopcare.childcare.rules import MAX_CHILDREN_PER_ADULT, MAX_MONTHS
from coopcare.cooperatives.forms import DateInput, date_field
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


def _amount(text: str, number: int) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as error:
        raise forms.ValidationError(
            _("Line %(number)s: %(text)s is not an amount."),
            code="line_number_unreadable",
            params={"number": number, "text": text},
        ) from error
    if not value.is_finite() or not 0 <= value <= LARGEST_AMOUNT:
        raise forms.ValidationError(
            _("Line %(number)s: %(text)s is out of range."),
            code="line_number_out_of_range",
            params={"number": number, "text": text},
        )
    return value.quantize(Decimal("0.01"))


class FeeScheduleForm(forms.Form):
    valid_from = date_field(_("from (the first day of a month)"))
    bands = forms.CharField(
        label=_("Bands"),
        max_length=2000,
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "One band a line: the household income up to, then the monthly full-time fee; "
            "the highest band has a dash for its ceiling (\u201c- 520\u201d)."
        ),
    )
    part_time_percent = forms.DecimalField(
        label=_("part time pays (% of the full-time fee)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=60,
    )
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    vat_note = forms.CharField(
        label=_("VAT note printed on invoices"), max_length=300, required=False
    )
    undeclared_pays_top_band = forms.BooleanField(
        label=_("an income not declared pays the highest band"), required=False, initial=True
    )
    pro_rata = forms.ChoiceField(label=_("a month begun or ended"), choices=ProRata.choices)

    def clean_bands(self) -> list[tuple[Decimal | None, Decimal]]:
        """The bands as (income up to, or None for the highest; monthly fee)."""
        bands = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(
                    _("Line %(number)s: give the income up to and the fee."),
                    code="line_number_unreadable",
                    params={"number": number},
                )
            ceiling = None if parts[0] == "-" else _amount(parts[0], number)
            bands.append((ceiling, _amount(parts[1], number)))
        return bands


class SubsidyForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    payer = forms.ModelChoiceField(label=_("billed to"), queryset=Payer.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=SubsidyKind.choices)
    amount = forms.DecimalField(
        label=_("amount a month, or percentage"),
        min_value=0,
        max_value=LARGEST_AMOUNT,
        decimal_places=2,
    )
    up_to_band = forms.IntegerField(
        label=_("only bands up to"), min_value=1, max_value=20, required=False
    )
    from_months = forms.IntegerField(
        label=_("from age (months)"), min_value=0, max_value=MAX_MONTHS, required=False
    )
    to_months = forms.IntegerField(
        label=_("to age (months)"), min_value=1, max_value=MAX_MONTHS, required=False
    )
    valid_from = date_field(_("from"))
    valid_until = DayField(label=_("until"), required=False, widget=DateInput)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["payer"]).queryset = Payer.objects.filter(
            cooperative=cooperative, kind__in=PUBLIC_KINDS
        )


class FeeTermsForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label=_("parent or guardian who pays"), queryset=Guardian.objects.none()
    )
    valid_from = date_field(_("from"))
    income = forms.DecimalField(
        label=_("household income declared"),
        min_value=0,
        max_value=LARGEST_AMOUNT,
        decimal_places=2,
        required=False,
        help_text=_("In Italy the ISEE. Empty: not declared."),
    )
    declared_on = DayField(label=_("declared on"), required=False, widget=DateInput)
    part_time = forms.BooleanField(label=_("part time"), required=False)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["guardian"]).queryset = child.guardians.all()


class FeeMonthForm(forms.Form):
    month = date_field(_("month (any day of it)"))
