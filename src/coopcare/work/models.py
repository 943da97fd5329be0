"""Decent work: contracts, qualifications, timesheets, pay rules, pay runs and the surplus."""

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.fields import percent_field
from coopcare.cooperatives.models import Cooperative
from coopcare.members.models import Member
from coopcare.shared.days import elapsed
from coopcare.visits.models import VisitRecord


def _hours(label, default, help_text=""):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


class WorkRules(models.Model):
    """The cooperative's working-time limits and contract rules.

    Made from its country's defaults (``rules.COUNTRY_LIMITS``, EU Directive 2003/88/EC where
    the country has nothing stricter); the board may change them.
    """

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="work_rules"
    )
    max_average_weekly_hours = _hours(_("average week at most (hours)"), "48")
    reference_weeks = models.PositiveSmallIntegerField(
        _("over a reference period of (weeks)"), default=17, validators=[MinValueValidator(1)]
    )
    daily_rest_hours = _hours(_("daily rest at least (hours)"), "11")
    weekly_rest_hours = _hours(
        _("weekly rest at least (hours)"), "24", _("On top of the daily rest.")
    )
    weekly_rest_reference_days = models.PositiveSmallIntegerField(
        _("reference period of the weekly rest (days)"),
        choices=[(7, _("7 days")), (14, _("14 days"))],
        default=7,
        help_text=_(
            "7 days as in the Directive (art. 5), or 14 where national law takes a longer "
            "reference period (art. 16(a); Italy: D.Lgs. 66/2003 art. 9): then two weekly "
            "rests, or one twice as long, in each 14 days."
        ),
    )
    break_after_hours = _hours(_("a break when the day exceeds (hours)"), "6")
    break_minutes = models.PositiveSmallIntegerField(_("break of at least (minutes)"), default=20)
    night_starts = models.TimeField(_("night starts"), default=time(22))
    night_ends = models.TimeField(_("night ends"), default=time(5))
    night_max_hours = _hours(_("a night worker's day at most (hours)"), "8")
    allows_zero_hours = models.BooleanField(
        _("zero-hours contracts allowed"),
        default=False,
        help_text=_("Off unless the members decided otherwise: work here is formal work."),
    )

    class Meta:
        verbose_name = _("working-time rules")
        verbose_name_plural = _("working-time rules")

    def __str__(self) -> str:
        return f"{self.cooperative} · {self._meta.verbose_name}"


class CarerHome(models.Model):
    """Where a carer's working day starts and ends, if they choose to say.

    Carers have no fixed place of work, so the journeys from home to the first visit and from
    the last visit home are working time (CJEU C-266/14 *Tyco*, 2015). The place is the
    carer's own to give, change or take back; it is used only to count those journeys and to
    start and end the planner's days there, and it is shown to nobody else (a coordinator
    sees only whether it is set) and never exported.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_homes"
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Optional, for your own reference: only the coordinates are used."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("carer's home")
        verbose_name_plural = _("carers' homes")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "carer"], name="one_home_per_carer")
        ]

    def __str__(self) -> str:
        # No address here: the place is not to show up in lists, logs or admin titles.
        return f"{self.carer} · {self._meta.verbose_name}"

    @property
    def point(self) -> tuple[float, float]:
        return float(self.latitude), float(self.longitude)


class CarerPhoto(models.Model):
    """A carer's photo of themselves, and whether they agree that it is shown to the people
    they serve and their circles.

    The photo is the carer's own to give, replace and delete; it is kept re-encoded, without
    the metadata the camera wrote (``work.rules.photo_problems``, ``services.photos``). It is
    read only through the view that checks who may see it (``work.access``), never as a
    public file. ``shown_since`` is when the carer agreed; withdrawing empties it at once and
    records ``withdrawn_at``.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_photos"
    )
    # A storage name coopcare makes, never one people typed (services.photos).
    image = models.FileField(_("photo"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    shown_since = models.DateTimeField(_("shown since"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("agreement withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("carer's photo")
        verbose_name_plural = _("carers' photos")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "carer"], name="one_photo_per_carer")
        ]

    def __str__(self) -> str:
        return f"{self.carer} · {self._meta.verbose_name}"

    @property
    def shown(self) -> bool:
        """Whether the carer agrees, now, that the people they serve see it."""
        return self.shown_since is not None


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("permanent")
    FIXED_TERM = "fixed_term", _("fixed term")
    GUARANTEED_HOURS = "guaranteed_hours", _("hours guaranteed")
    ZERO_HOURS = "zero_hours", _("zero hours")


class ContractQuerySet(models.QuerySet):
    """Contracts by the days they are in force: from ``starts_on`` to ``ends_on``, both
    included; a contract with no ``ends_on`` has not ended (``Contract.covers`` for one)."""

    def in_force(self, day: date) -> "ContractQuerySet":
        """The contracts in force on ``day``: started on or before it, not ended before it."""
        return self.overlapping(day, day)

    def overlapping(self, first: date, last: date | None) -> "ContractQuerySet":
        """The contracts in force on at least one day of ``first``..``last`` (both included;
        ``last`` None: from ``first`` on, with no end)."""
        found = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        return found if last is None else found.filter(starts_on__lte=last)


class Contract(models.Model):
    """A carer's employment contract. Contracts are not rewritten: a change is a new contract,
    and the one it replaces ends the day before, so the history stays."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("carer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    weekly_hours = models.DecimalField(
        _("contracted hours a week"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Leave empty to pay the base rate of the pay rules in force."),
    )
    max_average_weekly_hours = models.DecimalField(
        _("average week at most (hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Only if this contract has a lower limit than the cooperative's rules."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["carer", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.carer} · {self.get_kind_display()} · {self.starts_on}"

    def covers(self, day: date) -> bool:
        """Whether the contract is in force on ``day`` (``ContractQuerySet.in_force``)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class QualificationQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "QualificationQuerySet":
        """The qualifications valid on ``day``: obtained on or before it and not expired. A
        certificate is valid up to the day before ``expires_on``: on that day it has expired.
        """
        return self.filter(obtained_on__lte=day).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=day)
        )


class Qualification(models.Model):
    """A certificate a carer holds, and the skills it qualifies them for until it expires.

    The skills are the words care tasks ask for (``CareTask.skills``), so the roster can only
    give a task to a carer qualified for it on that day.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qualifications"
    )
    name = models.CharField(_("certificate"), max_length=200)
    skills = models.CharField(
        _("skills it qualifies for"), max_length=200, help_text=_("Comma-separated.")
    )
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    obtained_on = models.DateField(_("obtained on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["carer", "expires_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("obtained_on")),
                name="qualification_expires_after_obtained",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.carer})"

    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class Training(models.Model):
    """Hours of training a carer took; it may lead to (or renew) a qualification."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=200)
    on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("qualification obtained"),
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("training")
        ordering = ["carer", "-on"]

    def __str__(self) -> str:
        return f"{self.course} · {self.on}"


class TimesheetStatus(models.TextChoices):
    DRAFT = "draft", _("to approve")
    APPROVED = "approved", _("approved")


class Timesheet(models.Model):
    """One carer's working day, built from their visit records; approved by a coordinator."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="timesheets"
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=TimesheetStatus.choices, default=TimesheetStatus.DRAFT
    )
    built_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        ordering = ["-day", "carer"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "carer", "day"], name="one_timesheet_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carer} · {self.day}"


class EntryKind(models.TextChoices):
    VISIT = "visit", _("visit")
    TRAVEL = "travel", _("travel")
    WAITING = "waiting", _("waiting")
    BREAK = "break", _("break")


class TimesheetEntry(models.Model):
    """A stretch of a working day. A coordinator's correction keeps the recorded times."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    km = models.DecimalField(_("km"), max_digits=7, decimal_places=2, default=Decimal(0))
    visit_record = models.ForeignKey(
        VisitRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    original_starts_at = models.DateTimeField(null=True, blank=True)
    original_ends_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.CharField(_("why corrected"), max_length=300, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("timesheet entry")
        verbose_name_plural = _("timesheet entries")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="entry_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> int:
        # Real minutes: the times may be local ones that share a tzinfo (a correction from a
        # form), which Python would subtract as if no clock changed in between.
        return round(elapsed(self.starts_at, self.ends_at).total_seconds() / 60)

    @property
    def corrected(self) -> bool:
        return self.original_starts_at is not None


class PayRules(models.Model):
    """One version of the pay rules, in force from ``effective_from`` until the next one.

    Versions are never edited; a pay run pays each day by the version of that day. Travel
    between visits is always paid as working time (CJEU C-266/14 *Tyco*).
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("in force from"))
    base_rate = models.DecimalField(
        _("base hourly rate"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    minimum_wage = models.DecimalField(
        _("minimum hourly wage"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("9.00"),
        validators=[MinValueValidator(0)],
        help_text=_("Each carer's true hourly pay is checked against it."),
    )
    unsocial_premium = percent_field(_("unsocial hours premium (%)"), "15")
    unsocial_from = models.TimeField(_("unsocial hours from"), default=time(20))
    unsocial_until = models.TimeField(_("unsocial hours until"), default=time(7))
    weekend_premium = percent_field(_("Saturday and Sunday premium (%)"), "15")
    holiday_premium = percent_field(_("public holiday premium (%)"), "30")
    waiting_paid = percent_field(
        _("waiting time paid at (% of the rate)"), "100", _("Gaps between visits short enough.")
    )
    waiting_max_minutes = models.PositiveSmallIntegerField(
        _("longest gap counted as waiting (minutes)"),
        default=60,
        help_text=_("A longer gap is an unpaid break: the carer's own time."),
    )
    mileage_rate = models.DecimalField(
        _("mileage per km"), max_digits=6, decimal_places=3, default=Decimal("0.300")
    )
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pay rules")
        verbose_name_plural = _("pay rules")
        ordering = ["cooperative", "effective_from", "recorded_at"]
        get_latest_by = ["effective_from", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.effective_from}"


class PayRun(models.Model):
    """The pay of every carer for one period, from approved timesheets."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="pay_run_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}/{self.ends_on}"


class Payslip(models.Model):
    """One carer's pay in a pay run, with the hours behind it and their true hourly pay.

    ``carer`` is empty once the payslip's retention period is over: retention removes who was
    paid and keeps the amounts, hours and the pay run's dates, which the impact figures of pay
    read (docs/privacy.md)."""

    pay_run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="payslips")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payslips",
    )
    days = models.PositiveIntegerField(_("days worked"))
    visit_minutes = models.PositiveIntegerField(_("visits"))
    travel_minutes = models.PositiveIntegerField(_("travel"))
    waiting_minutes = models.PositiveIntegerField(_("waiting"))
    break_minutes = models.PositiveIntegerField(_("breaks"))
    span_minutes = models.PositiveIntegerField(_("first visit to last"))
    premium_minutes = models.PositiveIntegerField(_("with a premium"))
    km = models.DecimalField(_("km"), max_digits=9, decimal_places=2)
    contracted_hours = models.DecimalField(_("contracted hours"), max_digits=7, decimal_places=2)
    basic_pay = _money(_("basic pay"))
    premium_pay = _money(_("premia"))
    gross_pay = _money(_("gross pay"))
    mileage = _money(_("mileage"))
    true_hourly_pay = models.DecimalField(_("true hourly pay"), max_digits=8, decimal_places=2)
    minimum_wage = models.DecimalField(_("minimum hourly wage"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["pay_run", "carer__last_name", "carer__first_name", "carer__username"]
        constraints = [
            models.UniqueConstraint(fields=["pay_run", "carer"], name="one_payslip_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.carer} · {self.pay_run}"

    @property
    def paid_minutes(self) -> int:
        return self.visit_minutes + self.travel_minutes + self.waiting_minutes

    @property
    def below_minimum(self) -> bool:
        return self.true_hourly_pay < self.minimum_wage


class SurplusAllocation(models.Model):
    """How one financial year's surplus was shared out, per the statutes."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("financial year from"))
    ends_on = models.DateField(_("financial year until"))
    surplus = _money(_("surplus"))
    reserve_percent = percent_field(_("to the indivisible reserve (%)"), "30")
    mutual_fund_percent = percent_field(_("to the mutual fund (%)"), "3")
    refund_percent = percent_field(
        _("of the rest, returned to worker members (%)"),
        "100",
        _("In proportion to hours worked; what is not returned goes to other reserves."),
    )
    reserve = _money(_("indivisible reserve"))
    mutual_fund = _money(_("mutual fund"))
    refunds = _money(_("patronage refunds"))
    other_reserves = _money(_("other reserves"))
    hours_worked = models.DecimalField(
        _("hours worked by members"), max_digits=12, decimal_places=2
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("surplus allocation")
        verbose_name_plural = _("surplus allocations")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "starts_on"], name="one_allocation_per_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.starts_on:%Y}"


class PatronageRefund(models.Model):
    """A worker member's share of the surplus, in proportion to the hours they worked."""

    allocation = models.ForeignKey(
        SurplusAllocation, on_delete=models.CASCADE, related_name="refunds_to"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("hours worked"), max_digits=9, decimal_places=2)
    amount = _money(_("refund"))

    class Meta:
        verbose_name = _("patronage refund")
        verbose_name_plural = _("patronage refunds")
        ordering = ["allocation", "-amount", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "member"], name="one_refund_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.amount}"
