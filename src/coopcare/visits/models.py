"""Visits: the planned slots generated from care plans, which the roster gives to carers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import CarePlan, CareTask, PersonCaredFor
from coopcare.cooperatives.models import Cooperative


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


class Visit(models.Model):
    """One planned visit to a person cared for, for one task of their care plan."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="visits")
    task = models.ForeignKey(CareTask, on_delete=models.PROTECT, related_name="visits")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    double_handed = models.BooleanField(_("two carers together"), default=False)
    carers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="visits", verbose_name=_("carers")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at"]
        constraints = [
            # Generating visits again never duplicates one.
            models.UniqueConstraint(fields=["task", "starts_at"], name="one_visit_per_occurrence")
        ]
        indexes = [models.Index(fields=["person", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"
