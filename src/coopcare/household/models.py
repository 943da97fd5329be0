"""Households that employ a carer directly, the cooperative being the intermediary: the
employer (the person cared for or someone of their family), the contract in the household's
name, and each month's payslip with the contributions the household owes."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative


class Employer(models.Model):
    """A household as employer: who signs as employer, with their tax id and Social Security
    employer account, for the home of a person cared for."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, related_name="household_employers"
    )
    name = models.CharField(_("employer's name"), max_length=200)
    tax_id = models.CharField(_("tax id (NIF or NIE)"), max_length=20)
    social_security_account = models.CharField(_("Social Security employer account"), max_length=20)
    address = models.CharField(_("address"), max_length=300)
    large_family = models.BooleanField(_("large family"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HouseholdContract(models.Model):
    """A carer employed by a household, paid by the hour for the hours of their visit records
    at the person's home."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contracts")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="household_contracts"
    )
    starts_on = models.DateField(_("starts on"))
    # The end agreed when the contract was made, which makes it fixed-term.
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The last day when the contract was ended afterwards: kept apart from ``ends_on`` so
    # that ending a permanent contract does not make it fixed-term, whose unemployment rate
    # is higher.
    ended_on = models.DateField(_("Last day of the contract"), null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    extras_prorated = models.BooleanField(_("extra payments prorated"), default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.employer} · {self.starts_on}"

    @property
    def fixed_term(self) -> bool:
        """A contract with an end day is fixed-term, which changes the unemployment rate."""
        return self.ends_on is not None

    @property
    def last_day(self):
        """The contract's last day: the day it was ended, else its agreed end (None: it
        goes on)."""
        return self.ended_on or self.ends_on


class HouseholdPayslip(models.Model):
    """A month's payslip of a household contract, with the contributions as computed."""

    contract = models.ForeignKey(
        HouseholdContract, on_delete=models.PROTECT, related_name="payslips"
    )
    # The first day of the month.
    month = models.DateField(_("Month"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    salary = models.DecimalField(_("salary"), max_digits=9, decimal_places=2)
    extras = models.DecimalField(_("extra payments"), max_digits=9, decimal_places=2)
    gross = models.DecimalField(_("gross pay"), max_digits=9, decimal_places=2)
    bracket = models.PositiveSmallIntegerField(_("bracket"))
    base = models.DecimalField(_("contribution base"), max_digits=9, decimal_places=2)
    employer_total = models.DecimalField(
        _("employer's contributions"), max_digits=9, decimal_places=2
    )
    worker_total = models.DecimalField(_("worker's contributions"), max_digits=9, decimal_places=2)
    net = models.DecimalField(_("net pay"), max_digits=9, decimal_places=2)
    # Each contribution line as computed: key, payer, base, rate and amount, as strings.
    lines = models.JSONField(default=list)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="one_payslip_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.month:%Y-%m}"
