"""Medication: a person's allergies and medicines (every change a new version, never edited)
and the outcome of each dose a carer records at a visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.visits.models import Visit


class AllergyQuerySet(models.QuerySet["Allergy"]):
    def current(self) -> "AllergyQuerySet":
        """The allergies not ended: those a medicine is checked against."""
        return self.filter(ended_at__isnull=True)


class Allergy(models.Model):
    """Something the person must not be given (a medicine, an ingredient, a food).

    An allergy recorded in error or no longer current is ended, with the reason, never
    deleted: the record keeps what was believed and when.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="allergies")
    substance = models.CharField(_("allergic to"), max_length=120)
    reaction = models.CharField(_("reaction"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_reason = models.TextField(_("why it was ended"), blank=True)

    objects = AllergyQuerySet.as_manager()

    class Meta:
        verbose_name = _("allergy")
        verbose_name_plural = _("allergies")
        ordering = ["substance"]

    def __str__(self) -> str:
        return self.substance


class Form(models.TextChoices):
    TABLET = "tablet", _("tablet")
    CAPSULE = "capsule", _("capsule")
    LIQUID = "liquid", _("liquid")
    INHALER = "inhaler", _("inhaler")
    PATCH = "patch", _("patch")
    CREAM = "cream", _("cream")
    DROPS = "drops", _("drops")
    INJECTION = "injection", _("injection")
    OTHER = "other", _("other")


class Route(models.TextChoices):
    MOUTH = "mouth", _("by mouth")
    SKIN = "skin", _("on the skin")
    INHALED = "inhaled", _("inhaled")
    EYE = "eye", _("in the eye")
    EAR = "ear", _("in the ear")
    UNDER_SKIN = "under_skin", _("under the skin")
    OTHER = "other", _("other")


class Support(models.TextChoices):
    """How much the carer does, in the words of NICE SC1 §1.11 (prompting, assisting,
    administering)."""

    PROMPT = "prompt", _("prompt")
    ASSIST = "assist", _("assist")
    ADMINISTER = "administer", _("administer")


class Schedule(models.TextChoices):
    FIXED = "fixed", _("at fixed times")
    AS_NEEDED = "as_needed", _("as needed")


class Medicine(models.Model):
    """One medicine of a person; what it is and how it is given are in its versions."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="medicines")
    current = models.ForeignKey(
        "MedicineVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.current) if self.current else f"medicine {self.pk}"


class MedicineVersion(KeptAsWritten):
    """A medicine as prescribed from a version on: kept whole, never edited, with who made the
    change and why."""

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("medicine"), max_length=120)
    ingredients = models.CharField(
        _("ingredients"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    dose_amount = models.DecimalField(_("dose"), max_digits=8, decimal_places=3)
    dose_unit = models.CharField(_("unit of the dose"), max_length=30)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    schedule = models.CharField(_("when"), max_length=20, choices=Schedule.choices)
    times = models.JSONField(_("times of day"), default=list, blank=True)
    max_per_day = models.PositiveSmallIntegerField(
        _("most doses in 24 hours"), null=True, blank=True
    )
    min_gap_minutes = models.PositiveSmallIntegerField(
        _("least minutes between doses"), null=True, blank=True
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    prescriber = models.CharField(_("prescriber"), max_length=120)
    support = models.CharField(_("support"), max_length=20, choices=Support.choices)
    instructions = models.TextField(_("instructions"), blank=True)
    reason = models.TextField(_("why this version"), blank=True)
    allergy_reason = models.TextField(_("why given despite an allergy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medicine version")
        verbose_name_plural = _("medicine versions")
        ordering = ["medicine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["medicine", "number"], name="one_medicine_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.strength}".strip()

    @property
    def as_needed(self) -> bool:
        return self.schedule == Schedule.AS_NEEDED

    @property
    def dose(self) -> str:
        return f"{self.dose_amount.normalize():f} {self.dose_unit}"


class Outcome(models.TextChoices):
    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    NOT_AVAILABLE = "not_available", _("not available")
    SELF = "self", _("taken by the person")
    OTHER = "other", _("other")


class DoseRecord(KeptAsWritten):
    """What happened to one dose at a visit, kept as written. A dose at a fixed time has its
    ``due_at`` and one record at most; an as-needed dose has none."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="doses")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="doses")
    version = models.ForeignKey(MedicineVersion, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="doses")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    at = models.DateTimeField(_("recorded for"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dose record")
        verbose_name_plural = _("dose records")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["medicine", "due_at"],
                condition=Q(due_at__isnull=False),
                name="one_record_per_due_dose",
            )
        ]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.version} {self.at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def taken(self) -> bool:
        return self.outcome in (Outcome.GIVEN, Outcome.SELF)


class StockTracking(models.Model):
    """A coordinator's choice to keep the stock of a medicine in the home: the unit counted
    and how the expected balance and its warnings are worked out. One per medicine at most;
    changing it changes how future balances are read, never the entries kept."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    medicine = models.OneToOneField(Medicine, on_delete=models.PROTECT, related_name="stock")
    unit = models.CharField(
        _("unit counted"), max_length=30, help_text=_("tablets, ml, patches...")
    )
    units_per_dose = models.DecimalField(
        _("units per dose"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Leave empty when the dose is written in the unit counted; otherwise say how many "
            "units one dose takes (a 10 mg dose of 5 mg tablets takes 2 tablets)."
        ),
    )
    low_days = models.PositiveSmallIntegerField(_("warn when fewer days are left"), default=7)
    tolerance = models.DecimalField(
        _("difference accepted in a count"),
        max_digits=8,
        decimal_places=3,
        default=0,
        help_text=_("A count further from the expected balance raises a medication incident."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock tracking")
        verbose_name_plural = _("stock tracking")

    def __str__(self) -> str:
        return f"{self.medicine} ({self.unit})"


class StockKind(models.TextChoices):
    RECEIVED = "received", _("received")
    COUNTED = "counted", pgettext_lazy("stock entry", "counted")


class Supplier(models.TextChoices):
    PHARMACY = "pharmacy", _("pharmacy")
    FAMILY = "family", _("family")
    OTHER = "other", _("other")


class StockEntry(KeptAsWritten):
    """Stock of a medicine received into the home, or counted there, kept as written: a
    wrong entry is put right by a new count. A count keeps the balance expected then and
    the reason for any difference; one beyond the tolerance links the incident it raised."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="stock_entries")
    kind = models.CharField(_("entry"), max_length=10, choices=StockKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=3)
    at = models.DateTimeField(_("when"))
    supplier = models.CharField(_("from"), max_length=10, choices=Supplier.choices, blank=True)
    expected = models.DecimalField(
        _("expected balance"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    reason = models.CharField(_("why it differs"), max_length=300, blank=True)
    incident = models.ForeignKey(
        "visits.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    kept_message = _("Stock entries cannot be changed; record a new count.")

    class Meta:
        verbose_name = _("stock entry")
        verbose_name_plural = _("stock entries")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["medicine", "at"])]

    def __str__(self) -> str:
        return f"{self.medicine} {self.kind} {self.quantity} {self.at:%Y-%m-%d}"

    @property
    def difference(self):
        """A count's difference from the expected balance (None when none was expected)."""
        if self.kind != StockKind.COUNTED or self.expected is None:
            return None
        return self.quantity - self.expected
