"""Billing's forms: a payer, a tariff and its prices, a new version of an agreement (with its
co-payment bands and hours budgets, one per line), the budget policy, an invoice run, a credit
note, the cooperative's invoicing details and the journal's days. They check the
input's shape; the services check the rules."""

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coopcare import localise
from coopcare.accounts.names import PersonChoiceField
from coopcare.billing.invoicing import INVOICING_FIELDS
from coopcare.billing.models import (
    Beyond,
    InvoiceLine,
    InvoicingDetails,
    LineKind,
    Payer,
    PaymentMethod,
    Period,
    Tariff,
    TariffVersion,
)
from coopcare.bounds import DayField, bounded_formfield
from coopcare.care.models import ServiceType
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.cooperatives.models import Cooperative


class PayerForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Payer
        fields = [
            "kind",
            "name",
            "address",
            "vat_number",
            "fiscal_code",
            "office_code",
            "language",
            "shows_carer",
            "payment_days",
            "user",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"user": PersonChoiceField}

    def __init__(self, cooperative: Cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people of this cooperative (a circle member with a login, say) may be chosen.
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            get_user_model().objects.filter(cooperative_roles__cooperative=cooperative).distinct()
        )

    def validate_unique(self) -> None:
        """The service checks the name (with its code); the form leaves it to it."""


class TariffForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Tariff
        fields = ["name", "service_type", "unit", "vat_rate", "vat_note"]

    def validate_unique(self) -> None:
        """The service checks the name (with its code)."""


class VersionForm(forms.ModelForm):
    valid_from = date_field(_("Prices from"))

    class Meta:
        formfield_callback = bounded_formfield
        model = TariffVersion
        fields = [
            "valid_from",
            "weekday_rate",
            "sunday_rate",
            "night_rate",
            "holiday_rate",
            "night_starts",
            "night_ends",
            "double_handed_factor",
            "minimum_minutes",
            "rounding_minutes",
            "rounding",
            "travel_billed",
            "travel_rate",
        ]
        widgets = {
            "night_starts": forms.TimeInput(attrs={"type": "time"}),
            "night_ends": forms.TimeInput(attrs={"type": "time"}),
        }

    def validate_unique(self) -> None:
        """The service checks the date against the latest version (with its code)."""


def _decimal(text: str, line: int) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("Line %(line)s: %(value)s is not a number."),
            code="line_number_unreadable",
            params={"line": line, "value": text.strip()},
        ) from None
    if not value.is_finite() or value < 0 or value > Decimal("9999999999"):
        raise ValidationError(
            _("Line %(line)s: %(value)s is out of range."),
            code="line_number_out_of_range",
            params={"line": line, "value": text.strip()},
        )
    return value.quantize(Decimal("0.01"))


class AgreementForm(forms.Form):
    payer = forms.ModelChoiceField(queryset=Payer.objects.none(), label=_("Payer"))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    valid_from = date_field(_("From"))
    valid_until = DayField(label=_("Until"), required=False, widget=DateInput)
    tariffs = forms.ModelMultipleChoiceField(
        queryset=Tariff.objects.none(),
        label=_("Services paid, with their tariffs"),
        widget=forms.CheckboxSelectMultiple,
    )
    late_cancellation_hours = forms.IntegerField(
        label=_("A visit cancelled less than this many hours before is billed"),
        min_value=0,
        max_value=24 * 14,
        initial=0,
    )
    late_cancellation_percent = forms.DecimalField(
        label=_("at (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    co_payer = forms.ModelChoiceField(
        queryset=Payer.objects.none(), label=_("Co-payer (the family)"), required=False
    )
    co_payment_percent = forms.DecimalField(
        label=_("Co-payment (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    income = forms.DecimalField(
        label=_("Income for the co-payment band"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    bands = forms.CharField(
        label=_("Co-payment bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: income up to, then the co-payment percentage, for example "
            "“10000; 0”. Leave the income out for the top band: “; 50”."
        ),
    )
    budgets = forms.CharField(
        label=_("Hours budgets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: service type, week or month, hours; for example "
            "“personal_care; month; 20”."
        ),
    )

    def __init__(self, cooperative: Cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        payers = Payer.objects.filter(cooperative=cooperative).order_by("name")
        cast(forms.ModelChoiceField, self.fields["payer"]).queryset = payers
        cast(forms.ModelChoiceField, self.fields["co_payer"]).queryset = payers
        tariffs = Tariff.objects.filter(cooperative=cooperative).order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["tariffs"]).queryset = tariffs

    def clean_bands(self) -> list[tuple[Decimal | None, Decimal]]:
        bands = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(";")
            if len(parts) != 2:
                raise ValidationError(
                    _("Line %(line)s: give the income up to and the percentage."),
                    code="band_unreadable",
                    params={"line": number},
                )
            limit = _decimal(parts[0], number) if parts[0].strip() else None
            percent = _decimal(parts[1], number)
            if percent > 100:
                raise ValidationError(
                    _("Line %(line)s: a percentage is at most 100."),
                    code="band_above_100",
                    params={"line": number},
                )
            bands.append((limit, percent))
        return bands

    def clean_budgets(self) -> list[tuple[str, str, Decimal]]:
        budgets = []
        for number, line in enumerate(self.cleaned_data["budgets"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if (
                len(parts) != 3
                or parts[0] not in ServiceType.values
                or parts[1] not in Period.values
            ):
                raise ValidationError(
                    _("Line %(line)s: give a service type, week or month, and the hours."),
                    code="budget_unreadable",
                    params={"line": number},
                )
            hours = _decimal(parts[2], number)
            if hours > 9999:
                raise ValidationError(
                    _("Line %(line)s: at most 9999 hours."),
                    code="budget_above_limit",
                    params={"line": number},
                )
            budgets.append((parts[0], parts[1], hours))
        return budgets


class PolicyForm(forms.Form):
    beyond = forms.ChoiceField(label=_("Planning beyond a budget"), choices=Beyond.choices)


class RunForm(forms.Form):
    """An invoice run: the period billed, for one payer or every payer."""

    first_day = date_field(_("From"))
    last_day = date_field(_("Until"))
    payer = forms.ModelChoiceField(
        Payer.objects.none(), label=_("Payer"), required=False, empty_label=_("Every payer")
    )

    def __init__(self, cooperative: Cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["payer"]).queryset = Payer.objects.filter(
            cooperative=cooperative
        ).order_by("name")


class _LineChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return " · ".join(
            (
                localise.day(obj.day),
                obj.subject,
                obj.get_service_type_display(),
                str(obj.amount),
            )
        )


class CreditForm(forms.Form):
    """A credit note against an issued invoice: why, which lines (those not credited yet,
    every one of them unless unticked) and whether a later run bills them again: their visits,
    or, on an invoice of childcare fees, the fees."""

    reason = forms.CharField(label=_("Why"), max_length=300)
    lines = _LineChoice(
        InvoiceLine.objects.none(), label=_("Lines to credit"), widget=forms.CheckboxSelectMultiple
    )
    bill_again = forms.BooleanField(
        label=_("Bill the visits again"),
        required=False,
        help_text=_("A later invoice run bills these visits again, as they are corrected."),
    )

    def __init__(self, lines, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["lines"])
        field.queryset = lines
        field.initial = [line.pk for line in lines]
        # A fee line bills no visit: the box says what the next fee run bills again. An
        # invoice holds either a run's visits or charges such as fees (``bill_charges``).
        if {line.kind for line in lines} == {LineKind.FEE}:
            again = self.fields["bill_again"]
            again.label = _("Bill the fees again")
            again.help_text = _(
                "The next fee run bills these fees again, with the terms then in force, once "
                "every line of each child's month (the family's and the public bodies') is "
                "credited to be billed again."
            )


class InvoicingDetailsForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = InvoicingDetails
        fields = list(INVOICING_FIELDS)


class JournalForm(forms.Form):
    """The days whose issued documents the journal holds."""

    first_day = date_field(_("From"))
    last_day = date_field(_("Until"))


class PaymentForm(forms.Form):
    """A payment received against an invoice, as the bank statement or receipt shows it."""

    received_on = date_field(_("Received on"))
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    method = forms.ChoiceField(
        label=_("How it was paid"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.BANK_TRANSFER,
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=140,
        required=False,
        help_text=_("The bank's reference of the transfer, or the receipt's number."),
    )


class WithdrawalForm(forms.Form):
    """Why a payment recorded by mistake is withdrawn."""

    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=300)
