"""Retention: the periods the cooperative keeps each kind of record, the legal holds that keep
a person's records past them, and the report of each run that anonymised or deleted what was
due (docs/privacy.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.childcare.models import Child
from coopcare.cooperatives.models import Cooperative
from coopcare.respite.models import Caregiver
from coopcare.retention.rules import Kind


class RetentionPeriod(models.Model):
    """A period the cooperative set for one kind of record, from ``set_at`` on. Never edited:
    a change is a new row, with its reason, so the latest row per kind is the one in force and
    the earlier ones are its history. A kind with no row keeps the country's default."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of record"), max_length=20, choices=Kind.choices)
    years = models.PositiveSmallIntegerField(_("years"))
    reason = models.TextField(_("why"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["cooperative", "kind", "-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.years}"


class HoldReason(models.TextChoices):
    INCIDENT = "incident", _("incident under investigation")
    COMPLAINT = "complaint", _("complaint")
    DISPUTE = "dispute", _("dispute")
    OTHER = "other", _("other")


class LegalHold(models.Model):
    """A person's records kept past their periods while the hold lasts: retention leaves every
    record of the person as it is until the hold is released."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    note = models.TextField(_("note"), blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["cooperative", "-placed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"

    @property
    def open(self) -> bool:
        return self.released_at is None


class Anonymised(models.Model):
    """That a person's record was anonymised, when and why: the person's own row no longer
    says who they were, so this row is how retention knows not to do it again. The person is
    a person cared for, a child at a childcare centre, or a family caregiver (one of the
    three)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(
        PersonCaredFor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child = models.OneToOneField(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caregiver = models.OneToOneField(
        Caregiver, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    why = models.CharField(_("why"), max_length=300)

    class Meta:
        verbose_name = _("anonymised person")
        verbose_name_plural = _("anonymised people")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, child__isnull=True, caregiver__isnull=True)
                | Q(person__isnull=True, child__isnull=False, caregiver__isnull=True)
                | Q(person__isnull=True, child__isnull=True, caregiver__isnull=False),
                name="anonymised_names_one_person",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.person_id or self.child_id or self.caregiver_id}"


class RetentionRun(models.Model):
    """What one run of retention did in a cooperative: per kind, the rows anonymised or
    deleted and those a hold kept (``counts``: kind -> {"done": n, "held": n})."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the daily run."),
    )
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["cooperative", "-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.ran_at:%Y-%m-%d}"
