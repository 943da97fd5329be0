"""Medication: a person's allergies and medicines (every change a new version, never edited)
and the outcome of each dose a carer records at a visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
