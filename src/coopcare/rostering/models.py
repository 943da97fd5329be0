"""The roster policy: the weights and rules the members adopted, as dated versions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Cooperative


def _weight(label, default, help_text=""):
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


class RosterPolicy(models.Model):
    """One version of the roster policy, in force from ``effective_from`` until the next one.

    Versions are never edited: a change is a new version (often adopted by a vote of the
    members, see ``governance.Decision``), so a past roster can always be explained by the
    policy of its day.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="roster_policies"
    )
    effective_from = models.DateField(_("in force from"))
    travel = _weight(_("travel (per minute)"), "1", _("Cost of one minute of travel."))
    tardiness = _weight(_("lateness (per minute)"), "1")
    max_tardiness = _weight(_("longest lateness (per minute)"), "0")
    continuity = _weight(
        _("continuity (per visit)"), "30", _("Cost of a visit by a carer the person does not know.")
    )
    preference = _weight(
        _("choice of carers (per visit)"), "60", _("Cost of a visit against the person's choice.")
    )
    fairness = _weight(
        _("fair hours (per minute)"), "0.5", _("Cost of a minute away from contracted hours.")
    )
    unassigned = _weight(_("visit left out"), "10000")
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    WEIGHTS = (
        "travel",
        "tardiness",
        "max_tardiness",
        "continuity",
        "preference",
        "fairness",
        "unassigned",
    )

    class Meta:
        verbose_name = _("roster policy")
        verbose_name_plural = _("roster policies")
        ordering = ["cooperative", "effective_from", "recorded_at"]
        get_latest_by = ["effective_from", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.effective_from}"

    def weights(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in self.WEIGHTS}
