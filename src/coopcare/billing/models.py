"""Billing: who pays for a person's care (payers and their agreements), at what price (tariffs
and their dated versions) and for how many hours (hours budgets).

Nothing here is edited once it may have been used: an agreement or a tariff changes by a new
version from a date, and the versions before it stay, so that an invoice can always be
explained by the terms of its day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor, ServiceType
from coopcare.cooperatives.fields import percent_field
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten


def money_field(label, default="0") -> models.DecimalField:
    """An amount in the cooperative's currency, to the cent."""
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0)],
    )


class PayerKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("municipality or public body")
    HEALTH_AUTHORITY = "health_authority", _("health authority")
    VOUCHER = "voucher", _("voucher scheme")
    FAMILY = "family", _("the person or their family")
    INSURER = "insurer", _("insurer")
    OTHER = "other", _("other")


PUBLIC_KINDS = (PayerKind.PUBLIC_BODY, PayerKind.HEALTH_AUTHORITY)


class Payer(models.Model):
    """Someone who pays for care: a public body, a scheme, an insurer, or a family."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="payers")
    kind = models.CharField(_("kind"), max_length=20, choices=PayerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    fiscal_code = models.CharField(_("fiscal code"), max_length=30, blank=True)
    # FatturaPA's CodiceDestinatario for a public body: its office's code in the IPA index.
    office_code = models.CharField(
        _("office code (Codice Univoco Ufficio)"),
        max_length=6,
        blank=True,
        help_text=_("Six letters or digits, from the IPA index; Italian public bodies only."),
    )
    language = models.CharField(
        _("language of their documents"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    shows_carer = models.BooleanField(_("invoice lines name the carer"), default=False)
    payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, validators=[MaxValueValidator(365)]
    )
    # A family payer's login, so that they will see their own invoices.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login of who pays"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payers",
    )

    class Meta:
        verbose_name = _("payer")
        verbose_name_plural = _("payers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="payer_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.TextChoices):
    HOUR = "hour", _("per hour")
    VISIT = "visit", _("per visit")


class Rounding(models.TextChoices):
    UP = "up", _("up to the next step")
    NEAREST = "nearest", _("to the nearest step")


class RateKind(models.TextChoices):
    """Why a stretch of a visit is priced as it is."""

    WEEKDAY = "weekday", _("weekday")
    SUNDAY = "sunday", _("Sunday")
    NIGHT = "night", _("night")
    HOLIDAY = "holiday", _("public holiday")


class Tariff(models.Model):
    """A price list for one service type; its prices are in its dated versions."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="tariffs")
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    unit = models.CharField(_("charged"), max_length=10, choices=Unit.choices, default=Unit.HOUR)
    vat_rate = percent_field(_("VAT rate (%)"), "0")
    vat_note = models.CharField(
        _("VAT note printed on invoices"),
        max_length=300,
        blank=True,
        help_text=_("The legal ground of an exemption or a reduced rate."),
    )

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="tariff_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def version_on(self, day: date) -> "TariffVersion | None":
        """The version in force on ``day``: the latest one from that day or before."""
        return self.versions.filter(valid_from__lte=day).order_by("-valid_from").first()


class TariffVersion(models.Model):
    """A tariff's prices from a date, until the next version. Never edited: a change of price
    is a new version."""

    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="versions")
    valid_from = models.DateField(_("from"))
    weekday_rate = money_field(_("weekday rate"))
    sunday_rate = money_field(_("Sunday rate"))
    night_rate = money_field(_("night rate"))
    holiday_rate = money_field(_("public holiday rate"))
    night_starts = models.TimeField(_("night starts"), default="22:00")
    night_ends = models.TimeField(_("night ends"), default="06:00")
    double_handed_factor = models.DecimalField(
        _("two carers: rate times"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(2),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    minimum_minutes = models.PositiveSmallIntegerField(
        _("minimum billed (minutes)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    rounding_minutes = models.PositiveSmallIntegerField(
        _("rounded to (minutes)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.UP
    )
    travel_billed = models.BooleanField(_("travel billed"), default=False)
    travel_rate = money_field(_("travel rate per hour"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tariff version")
        verbose_name_plural = _("tariff versions")
        ordering = ["tariff", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "valid_from"], name="tariff_version_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.tariff} {self.valid_from}"


class Agreement(models.Model):
    """One version of what a payer agreed to pay for a person's care: the services and their
    tariffs, late cancellations, the co-payment and the hours budgets.

    The versions of a payer's agreement for a person share ``payer`` and ``person``; the one in
    force on a day is the latest from that day or before, unless it ended (``valid_until``).
    A version is never edited: a change is a new version.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="agreements"
    )
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="agreements")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="agreements")
    version = models.PositiveIntegerField(_("version"))
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The payer's authorisation.")
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    # One tariff per service type the agreement covers: the services it pays for.
    tariffs = models.ManyToManyField(Tariff, verbose_name=_("tariffs"), related_name="agreements")
    late_cancellation_hours = models.PositiveSmallIntegerField(
        _("cancelled less than this many hours before is billed"),
        default=0,
        validators=[MaxValueValidator(24 * 14)],
    )
    late_cancellation_percent = percent_field(_("late cancellation billed at (%)"), "0")
    # Who pays part of each line (the family), and how much: a fixed percentage, or the band
    # of the person's income in the agreement's co-payment bands.
    co_payer = models.ForeignKey(
        Payer,
        verbose_name=_("co-payer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_payments",
    )
    co_payment_percent = models.DecimalField(
        _("co-payment (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    income = models.DecimalField(
        _("income for the co-payment band"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["person", "payer", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "payer", "version"], name="agreement_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payer} — {self.person} v{self.version}"


class CoPaymentBand(models.Model):
    """A band of the agreement's co-payment table: up to this income, the co-payer pays this
    share of each line."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="bands")
    income_up_to = models.DecimalField(
        _("income up to"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: any income above the other bands."),
    )
    percent = percent_field(_("co-payment (%)"), "0")

    class Meta:
        ordering = ["agreement", models.F("income_up_to").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.income_up_to}: {self.percent} %"


class Period(models.TextChoices):
    WEEK = "week", _("a week")
    MONTH = "month", _("a month")


class HoursBudget(models.Model):
    """Hours of one service type an agreement authorises per week or per month, while the
    agreement is in force."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="budgets")
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    period = models.CharField(_("per"), max_length=10, choices=Period.choices)
    hours = models.DecimalField(
        _("hours authorised"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("hours budget")
        verbose_name_plural = _("hours budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "service_type", "period"], name="one_budget_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.hours} h {self.service_type} / {self.period}"


class Beyond(models.TextChoices):
    WARN = "warn", _("warn, and let coordinators plan beyond the budget")
    REFUSE = "refuse", _("refuse to plan beyond the budget")


class BudgetPolicy(models.Model):
    """What planning beyond a person's hours budget does in this cooperative."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="budget_policy"
    )
    beyond = models.CharField(
        _("planning beyond a budget"), max_length=10, choices=Beyond.choices, default=Beyond.WARN
    )

    def __str__(self) -> str:
        return f"{self.cooperative}: {self.beyond}"


class InvoiceRun(models.Model):
    """A coordinator's run of a period's invoices, for every payer or one: the drafts it made
    come from verified, approved visit records only."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="invoice_runs"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    payer = models.ForeignKey(
        Payer,
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_runs",
        help_text=_("Empty: every payer."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice run")
        verbose_name_plural = _("invoice runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_day} – {self.last_day}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    CREDIT_NOTE = "credit_note", _("credit note")


def _issued_refusal() -> ValidationError:
    return ValidationError(
        _("An issued invoice or credit note is kept as issued; a credit note corrects it."),
        code="invoice_issued",
    )


class _KeptOnceIssued(models.QuerySet[Any]):
    """Bulk changes would bypass the rows' own guard: refused when any row is issued."""

    issued: ClassVar[dict[str, str]]

    def update(self, **kwargs: Any) -> int:
        if self.filter(**self.issued).exists():
            raise _issued_refusal()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(**self.issued).exists():
            raise _issued_refusal()
        return super().delete()


class InvoiceQuerySet(_KeptOnceIssued):
    issued = {"status": "issued"}


class InvoiceLineQuerySet(_KeptOnceIssued):
    issued = {"invoice__status": "issued"}


class Invoice(models.Model):
    """An invoice to one payer: a family payer's for one person, a public body's or a
    scheme's for every person it pays for, with a line per visit; or a credit note against an
    issued invoice. A draft may be deleted; issuing gives it its number and keeps the payer's
    details as they are that day, and from then on it is never changed (a credit note corrects
    it)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(
        _("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    # The invoice a credit note credits.
    credits = models.ForeignKey(
        "self",
        verbose_name=_("credits"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)
    run = models.ForeignKey(
        InvoiceRun, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="invoices")
    # Set for a family payer's invoice: the one person it is for.
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Given when issued: the number in the cooperative's sequence of the year, the dates.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The payer as it was on the day of issue (a payer's details may change later).
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_address = models.TextField(_("address"), blank=True)
    payer_vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    payer_fiscal_code = models.CharField(_("fiscal code"), max_length=30, blank=True)
    payer_office_code = models.CharField(_("office code"), max_length=6, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    shows_carer = models.BooleanField(_("lines name the carer"), default=False)
    # An Italian public payer's electronic invoice (FatturaPA), built and validated on issue.
    einvoice_name = models.CharField(_("electronic invoice file"), max_length=60, blank=True)
    einvoice_xml = models.BinaryField(_("electronic invoice"), blank=True, default=b"")
    # What it asks, VAT included, kept when it is issued: its lines never change after, and
    # balances and reports add up these totals instead of every line of every invoice.
    total = models.DecimalField(
        _("total"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-number", "-first_day", "pk"]
        constraints = [
            # Numbers without gaps are given by InvoiceCounter; this keeps one from repeating.
            models.UniqueConstraint(
                fields=["cooperative", "year", "number"], name="invoice_number_once"
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT) | Q(total__isnull=False),
                name="invoice_issued_has_total",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.year}/{self.number}"
        return f"{self.payer} {self.first_day} – {self.last_day}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save a draft, or issue it; refuse to change one already issued."""
        if getattr(self, "_issued_when_read", False):
            raise _issued_refusal()
        super().save(*args, **kwargs)
        self._issued_when_read = self.status == InvoiceStatus.ISSUED

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Delete a draft; an issued invoice is never deleted."""
        if self.status == InvoiceStatus.ISSUED:
            raise _issued_refusal()
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        # Whether the row was issued when read: an issued one is never saved again.
        invoice = super().from_db(db, field_names, values)
        invoice._issued_when_read = invoice.__dict__.get("status") == InvoiceStatus.ISSUED
        return invoice

    @property
    def reference(self) -> str:
        """The number as printed: year and number in the sequence."""
        return f"{self.year}/{self.number}" if self.number else ""

    def totals(self) -> "Totals":
        """The net amount, the VAT per rate (rounded once per rate) and the total."""
        return Totals.of((line.vat_rate, line.amount) for line in self.lines.all())


@dataclass(frozen=True)
class Totals:
    """An invoice's net amount, its VAT per rate, and what the payer owes."""

    net: Decimal
    vat: dict[Decimal, Decimal]
    total: Decimal

    @classmethod
    def of(cls, lines: Iterable[tuple[Decimal, Decimal]]) -> "Totals":
        """The totals of an invoice's lines given as (VAT rate, net amount): VAT rounded once
        per rate. Reports that read many invoices' lines as plain values add them up here."""
        net_by_rate: dict[Decimal, Decimal] = {}
        for rate, amount in lines:
            net_by_rate[rate] = net_by_rate.get(rate, Decimal(0)) + amount
        vat = {
            rate: (net * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            for rate, net in sorted(net_by_rate.items())
        }
        net = sum(net_by_rate.values(), Decimal("0.00"))
        return cls(net=net, vat=vat, total=net + sum(vat.values(), Decimal("0.00")))


class InvoiceCounter(models.Model):
    """The last number a cooperative gave an invoice or credit note in a year. Issuing locks
    this row and takes the next number in the same transaction, so that numbers have no gap
    and never repeat (DPR 633/1972 art. 21)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="invoice_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}: {self.last}"


class LineKind(models.TextChoices):
    VISIT = "visit", _("visit")
    LATE_CANCELLATION = "late_cancellation", _("visit cancelled late")
    TRAVEL = "travel", _("travel")
    FEE = "fee", _("childcare fee")


class InvoiceLine(models.Model):
    """One thing an invoice bills, as its payer pays for it. A visit's line (or its travel, or
    its late cancellation) names the visit, the person, the agreement and the tariff version,
    the billed minutes, the carers, each stretch's rate and why, and the payer's share of the
    price; a line that bills no visit (a childcare fee) names none of them and says what it
    bills in its ``description``."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("date"))
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    description = models.CharField(
        _("what is billed"),
        max_length=300,
        blank=True,
        help_text=_("A line that bills no visit: what it bills."),
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tariff_version = models.ForeignKey(
        TariffVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("billed minutes"))
    carers = models.CharField(_("carers"), max_length=300, blank=True)
    double_handed = models.BooleanField(_("two carers"), default=False)
    # Each stretch of the visit at one rate: [{"kind", "minutes", "rate"}], rates as strings.
    stretches = models.JSONField(_("rates"), default=list)
    price = models.DecimalField(_("price of the visit"), max_digits=10, decimal_places=2)
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, default=Decimal(100)
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_note = models.CharField(_("VAT note"), max_length=300, blank=True)
    # On a credit note: the line of the invoice it credits, and whether a later run may bill
    # its visit again (or, for a fee line, its fee).
    credits = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credited_by"
    )
    bill_again = models.BooleanField(_("bill the visit again"), default=False)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["person__full_name", "day", "pk"]
        constraints = [
            # A visit's line names its visit, person, agreement and tariff version; a line
            # that bills no visit names none of them and says what it bills.
            models.CheckConstraint(
                condition=(
                    ~models.Q(kind="fee")
                    & models.Q(
                        visit__isnull=False,
                        person__isnull=False,
                        agreement__isnull=False,
                        tariff_version__isnull=False,
                    )
                )
                | (
                    models.Q(
                        kind="fee",
                        visit__isnull=True,
                        agreement__isnull=True,
                        tariff_version__isnull=True,
                    )
                    & ~models.Q(description="")
                ),
                name="invoice_line_bills_a_visit_or_says_what",
            )
        ]

    def __str__(self) -> str:
        what = self.description or self.get_service_type_display()
        return f"{self.day} {what} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Write a line of a draft; refuse once its invoice is issued."""
        if Invoice.objects.filter(pk=self.invoice_id, status=InvoiceStatus.ISSUED).exists():
            raise _issued_refusal()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Delete a line of a draft; refuse once its invoice is issued."""
        if Invoice.objects.filter(pk=self.invoice_id, status=InvoiceStatus.ISSUED).exists():
            raise _issued_refusal()
        return super().delete(*args, **kwargs)

    @property
    def subject(self) -> str:
        """Whom or what the line bills, as its reader reads it: a visit's person, or what a
        line that bills no visit says it bills."""
        return self.description if self.person is None else self.person.full_name


class InvoicingDetails(models.Model):
    """What the cooperative's invoices say of the cooperative itself (its VAT number, fiscal
    code, registered address, bank account) and the accounts its journal export posts to."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="invoicing_details"
    )
    vat_number = models.CharField(_("VAT number"), max_length=30)
    fiscal_code = models.CharField(_("fiscal code"), max_length=30, blank=True)
    street = models.CharField(_("street"), max_length=200)
    street_number = models.CharField(_("number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=120)
    province = models.CharField(_("province"), max_length=2, blank=True)
    iban = models.CharField(_("IBAN payments go to"), max_length=34, blank=True)
    # A third-sector entity may be exempt from stamp duty (art. 82 c. 5 D.Lgs. 117/2017).
    stamp_duty_exempt = models.BooleanField(_("exempt from stamp duty"), default=False)
    receivable_account = models.CharField(_("account: receivables"), max_length=20, default="1200")
    revenue_account = models.CharField(
        _("account: revenue from care"), max_length=20, default="4000"
    )
    vat_account = models.CharField(_("account: VAT payable"), max_length=20, default="2400")

    class Meta:
        verbose_name = _("invoicing details")
        verbose_name_plural = _("invoicing details")

    def __str__(self) -> str:
        return f"{self.cooperative}: {self.vat_number}"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    DIRECT_DEBIT = "direct_debit", _("direct debit")
    CARD = "card", _("card")
    CASH = "cash", _("cash")
    CHEQUE = "cheque", _("cheque")
    OTHER = "other", _("other")


class Payment(KeptAsWritten):
    """Money a payer paid against one issued invoice, as the bank statement or the receipt
    shows it. Kept as written: a payment recorded by mistake is withdrawn
    (:class:`PaymentWithdrawal`), so the ledger still shows it and why it no longer counts."""

    kept_message = _("A recorded payment is kept as written; withdraw it instead.")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    method = models.CharField(_("how it was paid"), max_length=20, choices=PaymentMethod.choices)
    # The bank's reference of a transfer (e.g. its CRO or end-to-end id), a receipt's number.
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount}"


class PaymentWithdrawal(KeptAsWritten):
    """A payment recorded by mistake (a wrong invoice, a wrong amount, a bounced debit): it no
    longer counts against its invoice from then on, and says why."""

    kept_message = _("A withdrawn payment stays withdrawn; record the payment again.")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="withdrawal")
    reason = models.CharField(_("why"), max_length=300)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawn payment")
        verbose_name_plural = _("withdrawn payments")

    def __str__(self) -> str:
        return f"{self.payment}: {self.reason}"
