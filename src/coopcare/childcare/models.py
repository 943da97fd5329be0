"""Childcare centres: rooms by age, the children enrolled with their guardians, the adults
who may collect them and the consents given for them, the day's attendance signed at the door,
the staff rostered to each room, the child-to-staff ratios the cooperative sets over its
country's defaults, and the parents' fees with their subsidies, billed through billing
(docs/architecture.md, "Childcare centres")."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopcare.billing.models import InvoiceLine, Payer, money_field
from coopcare.cooperatives.fields import percent_field
from coopcare.cooperatives.models import Cooperative
from coopcare.reads import RecordRead


class Room(models.Model):
    """A room, or a group, of children of one age band: from ``from_months`` (included) to
    ``to_months`` (excluded)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    from_months = models.PositiveSmallIntegerField(_("from age (months)"))
    to_months = models.PositiveSmallIntegerField(_("to age (months)"))
    capacity = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["cooperative", "from_months", "name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    """A child enrolled at the centre. The health notes and allergies are special-category
    data: only the cooperative's staff and the child's own guardians see them, and every read
    is logged (``ChildRecordRead``)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    born_on = models.DateField(_("date of birth"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    leaves_on = models.DateField(_("leaves on"), null=True, blank=True)
    health_notes = models.TextField(_("health notes"), blank=True)
    allergies = models.TextField(_("allergies"), blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["cooperative", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class Guardian(models.Model):
    """A parent or guardian of one or more children: the one who gives consents, and who will
    pay the centre's fees. With a login (``user``), they see their own children and nothing
    else of the centre."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    children = models.ManyToManyField(Child, related_name="guardians")

    class Meta:
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")
        ordering = ["cooperative", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class AuthorisedAdult(models.Model):
    """An adult who may sign a child in and out. A guardian is one from the day they are
    added (``guardian`` set); others are named by a guardian or the office. Withdrawn, never
    deleted, so a past sign-out still names who collected the child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adults")
    full_name = models.CharField(_("full name"), max_length=200)
    relation = models.CharField(_("relation to the child"), max_length=100)
    identity_note = models.CharField(_("how staff recognise them"), max_length=300, blank=True)
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("authorised adult")
        verbose_name_plural = _("authorised adults")
        ordering = ["child", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class ConsentKind(models.TextChoices):
    PHOTOS = "photos", _("photos")
    OUTINGS = "outings", _("outings")
    OBSERVATIONS = "observations", _("sharing observations")


class ChildConsent(models.Model):
    """A consent a guardian gave for a child, from ``given_on`` until withdrawn. A consent
    given again after a withdrawal is a new row, so the history stays."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    given_by = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["child", "kind", "-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.kind}"


class Attendance(models.Model):
    """A child's day at the centre: signed in by an authorised adult, then signed out by one
    (the same or another). One per child and day."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="attendances")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    signed_in_at = models.DateTimeField(_("signed in at"))
    brought_by = models.ForeignKey(AuthorisedAdult, on_delete=models.PROTECT, related_name="+")
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_out_at = models.DateTimeField(_("signed out at"), null=True, blank=True)
    collected_by = models.ForeignKey(
        AuthorisedAdult, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-day", "child"]
        constraints = [
            models.UniqueConstraint(fields=["child", "day"], name="one_attendance_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.day}"


class RefusedCollection(models.Model):
    """Someone not authorised who asked to take a child, refused at the door: the staff see
    each one. ``adult`` is set when they were on the list once (withdrawn since)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="refusals")
    at = models.DateTimeField(_("at"))
    person_name = models.CharField(_("who asked"), max_length=200)
    adult = models.ForeignKey(
        AuthorisedAdult, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("refused collection")
        verbose_name_plural = _("refused collections")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.at:%Y-%m-%d %H:%M}"


class Shift(models.Model):
    """A worker of the cooperative rostered to a room from ``starts_at`` to ``ends_at`` on
    one day."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="shifts")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("shift in a room")
        verbose_name_plural = _("shifts in rooms")
        ordering = ["starts_at", "room", "pk"]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"


class RatioSetting(models.Model):
    """The most children one adult may look after in an age band, as the cooperative set it
    from ``set_at`` on, with its reason. Never edited: a change is a new row, so the latest
    row per band is in force and the earlier ones are its history; a band with no row keeps
    the country's default (``rules.DEFAULT_RATIOS``)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    from_months = models.PositiveSmallIntegerField(_("from age (months)"))
    to_months = models.PositiveSmallIntegerField(_("to age (months)"))
    children_per_adult = models.PositiveSmallIntegerField(_("children per adult"))
    reason = models.TextField(_("why"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("child-to-staff ratio")
        verbose_name_plural = _("child-to-staff ratios")
        ordering = ["cooperative", "from_months", "-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_months}-{self.to_months}: 1:{self.children_per_adult}"


class ChildRecordRead(RecordRead):
    """Who read which record of a child, when: health notes and allergies are special-category
    data (GDPR art. 9 and 30), logged as care records' reads are."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="reads")

    class Meta(RecordRead.Meta):
        verbose_name = _("child record read")
        verbose_name_plural = _("child record reads")


class Area(models.TextChoices):
    """The areas of learning and development of the EYFS (DfE, 2024, section 1): three prime
    areas and four specific ones."""

    COMMUNICATION = "communication", _("communication and language")
    PHYSICAL = "physical", _("physical development")
    PERSONAL = "personal", _("personal, social and emotional development")
    LITERACY = "literacy", _("literacy")
    MATHEMATICS = "mathematics", _("mathematics")
    WORLD = "world", _("understanding the world")
    ARTS = "arts", _("expressive arts and design")


class Observation(models.Model):
    """What a worker saw of a child's development and learning on a day, in one area. Shared
    with the child's guardians (``shared_at``) only while a consent to sharing observations is
    in force; every showing is logged (``ChildRecordRead``)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="observations")
    observed_on = models.DateField(_("day"))
    area = models.CharField(_("area of development"), max_length=20, choices=Area.choices)
    text = models.TextField(_("what was observed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(_("shared with the guardians"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["child", "-observed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.observed_on} {self.area}"


class ProRata(models.TextChoices):
    """How a month's fee is reckoned for a child who starts or leaves during it."""

    CALENDAR_DAYS = "calendar_days", _("by the calendar days enrolled in the month")
    FULL_MONTH = "full_month", _("the whole month's fee whatever the days")


class FeeSchedule(models.Model):
    """The parents' monthly fees of a centre from ``valid_from``, until the next schedule: its
    bands by the household's declared income (``FeeBand``), the part-time share, the VAT and
    its note, what an undeclared income pays and how a month begun or ended is reckoned. Never
    edited: a change is a new schedule from a later month, so a month billed keeps the
    schedule it was billed by."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("from"))
    part_time_percent = percent_field(_("part time pays (% of the full-time fee)"), "60")
    vat_rate = percent_field(_("VAT rate (%)"), "0")
    vat_note = models.CharField(
        _("VAT note printed on invoices"),
        max_length=300,
        blank=True,
        help_text=_("The legal ground of an exemption or a reduced rate."),
    )
    undeclared_pays_top_band = models.BooleanField(
        _("an income not declared pays the highest band"),
        default=True,
        help_text=_("Otherwise a child whose household declared no income is not billed."),
    )
    pro_rata = models.CharField(
        _("a month begun or ended"),
        max_length=20,
        choices=ProRata.choices,
        default=ProRata.CALENDAR_DAYS,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["cooperative", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "valid_from"], name="fee_schedule_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}"


class FeeBand(models.Model):
    """A band of a fee schedule: a household whose declared income is up to ``income_up_to``
    (above the band before) pays ``monthly_fee`` a month for full time. The top band has no
    ceiling."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="bands")
    income_up_to = models.DecimalField(
        _("income up to"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: any income above the other bands."),
    )
    monthly_fee = money_field(_("monthly fee, full time"))

    class Meta:
        verbose_name = _("fee band")
        verbose_name_plural = _("fee bands")
        ordering = ["schedule", models.F("income_up_to").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.income_up_to}: {self.monthly_fee}"


class SubsidyKind(models.TextChoices):
    FIXED = "fixed", _("a fixed amount per child a month")
    PERCENT = "percent", _("a percentage of the fee")


class Subsidy(models.Model):
    """What a public body pays towards the fees of the centre's children (a municipality's
    agreed places, "posti convenzionati"), billed to it on its own invoice: a fixed amount a
    month or a share of each fee, for the children of some bands or ages only if so agreed,
    from ``valid_from`` to ``valid_until``. Never more than the fee."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    payer = models.ForeignKey(
        Payer, verbose_name=_("billed to"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SubsidyKind.choices)
    amount = models.DecimalField(
        _("amount a month, or percentage"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    up_to_band = models.PositiveSmallIntegerField(
        _("only bands up to"),
        null=True,
        blank=True,
        help_text=_("Empty: every band. Band 1 is the lowest incomes'."),
    )
    from_months = models.PositiveSmallIntegerField(_("from age (months)"), null=True, blank=True)
    to_months = models.PositiveSmallIntegerField(_("to age (months)"), null=True, blank=True)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ["cooperative", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class FeeTerms(models.Model):
    """What a child's fees are reckoned from, from ``valid_from`` until the next terms: the
    family payer who pays them (a guardian's), the household's income as declared and when
    (none: not declared), and full or part time. Never edited: a change is new terms."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="fee_terms")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    income = models.DecimalField(
        _("household income declared"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("In Italy the ISEE. Empty: not declared."),
    )
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    part_time = models.BooleanField(_("part time"), default=False)
    valid_from = models.DateField(_("from"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fee terms")
        verbose_name_plural = _("fee terms")
        ordering = ["child", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["child", "valid_from"], name="fee_terms_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.valid_from}"


class FeeCharge(models.Model):
    """A child's fee for one month as billed: the schedule, terms and band it was reckoned by,
    the days enrolled, the fee, what subsidies pay and what the family pays, and the invoice
    line of the family's share. One per child and month that stands: a charge whose lines
    were all credited to be billed again keeps the credit note's line that let it
    (``credited_by``), set by the run that bills the month again, and no longer counts."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="fee_charges")
    month = models.DateField(_("month"), help_text=_("Its first day."))
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="charges")
    terms = models.ForeignKey(FeeTerms, on_delete=models.PROTECT, related_name="charges")
    band = models.PositiveSmallIntegerField(pgettext_lazy("income", "band"))
    income_declared = models.BooleanField(_("income declared"))
    part_time = models.BooleanField(_("part time"))
    days_enrolled = models.PositiveSmallIntegerField(_("days enrolled"))
    days_in_month = models.PositiveSmallIntegerField(_("days in the month"))
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    subsidised = models.DecimalField(_("paid by subsidies"), max_digits=10, decimal_places=2)
    family_share = models.DecimalField(_("paid by the family"), max_digits=10, decimal_places=2)
    # Deleting the draft deletes the charge, so that the month may be billed again.
    line = models.OneToOneField(
        InvoiceLine, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    billed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    billed_at = models.DateTimeField(auto_now_add=True)
    # The credit note's line (the family's, else the first subsidy's) that let the month be
    # billed again; set when it is, and from then on the charge no longer counts as billed.
    credited_by = models.ForeignKey(
        InvoiceLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credited to be billed again by"),
    )

    class Meta:
        verbose_name = _("fee charge")
        verbose_name_plural = _("fee charges")
        ordering = ["-month", "child"]
        constraints = [
            # A partial unique index, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["child", "month"],
                condition=models.Q(credited_by__isnull=True),
                name="fee_charge_once_a_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.month:%Y-%m}"


class SubsidyCharge(models.Model):
    """What one subsidy pays towards a child's fee of a month, and its line on the public
    body's invoice."""

    charge = models.ForeignKey(FeeCharge, on_delete=models.CASCADE, related_name="subsidies")
    subsidy = models.ForeignKey(Subsidy, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    line = models.OneToOneField(InvoiceLine, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("subsidy charge")
        verbose_name_plural = _("subsidy charges")

    def __str__(self) -> str:
        return f"{self.charge} {self.subsidy_id}: {self.amount}"
