"""Tenancy: federations, cooperatives, and the roles users hold in them."""

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.kept import KeptAsWritten

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Federation(models.Model):
    """A federation of cooperatives sharing one install; each cooperative stays isolated."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cooperative(models.Model):
    """One care cooperative. Every record of care, work and governance belongs to one."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country code"), max_length=2, default="IT")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Statutes: the bounds on a stakeholder class's share of the vote when classes are weighted.
    # Defaults are the French SCIC bounds (loi 47-1775, art. 19 octies): 10 % to 50 %.
    class_weight_min = models.DecimalField(
        _("minimum weight of a stakeholder class (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    class_weight_max = models.DecimalField(
        _("maximum weight of a stakeholder class (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # The forms of care the cooperative runs, each switching on its own pages and indicators.
    # Most cooperatives run one or two, so home care alone is the default. The database holds
    # the defaults too, so rows written by older code (a data migration's models) still save.
    runs_home_care = models.BooleanField(_("runs home care"), default=True, db_default=True)
    runs_childcare = models.BooleanField(
        _("runs a childcare centre"), default=False, db_default=False
    )
    runs_household_employment = models.BooleanField(
        _("supports households that employ a carer"), default=False, db_default=False
    )
    runs_time_credits = models.BooleanField(
        _("exchanges time credits"), default=False, db_default=False
    )
    runs_respite = models.BooleanField(
        _("supports family caregivers"), default=False, db_default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def visits_people_at_home(self) -> bool:
        """Whether its carers visit people at home: home care, and the forms of care that go
        through visits (respite visits, the hours worked for a household employer)."""
        return self.runs_home_care or self.runs_respite or self.runs_household_employment


class Role(models.TextChoices):
    """What a user may do in a cooperative. A user may hold several roles."""

    COORDINATOR = "coordinator", _("coordinator")
    CARER = "carer", _("carer")
    MEMBER = "member", _("member")
    BOARD = "board", _("board")
    CIRCLE = "circle", _("circle member")


class CooperativeRole(models.Model):
    """A user's role in one cooperative."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cooperative_roles"
    )
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role in a cooperative")
        verbose_name_plural = _("roles in cooperatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperative", "role"], name="one_grant_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cooperative}"


class FederationAnalyst(models.Model):
    """A user who sees a federation's aggregated figures, never an individual record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federation_roles"
    )
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="analysts")

    class Meta:
        verbose_name = _("federation analyst")
        verbose_name_plural = _("federation analysts")
        constraints = [
            models.UniqueConstraint(fields=["user", "federation"], name="one_analyst_grant")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.federation}"


# The forms of care a cooperative may run, each a flag of ``Cooperative``, with what running it
# means, as the page that chooses them says.
FORMS_OF_CARE: dict[str, "StrOrPromise"] = {
    "runs_home_care": _("Visits to people at home: care plans, rosters and visit records."),
    "runs_childcare": _("A childcare centre: rooms, children, the door, staff and ratios."),
    "runs_household_employment": _(
        "Households that employ a carer directly, the cooperative as intermediary: contracts, "
        "payslips and contributions."
    ),
    "runs_time_credits": _("Members give each other hours of help, counted as time credits."),
    "runs_respite": _(
        "Family caregivers supported in their own right: respite, support groups and training."
    ),
}


def form_label(name: str) -> "StrOrPromise":
    """A form of care as people read it: its flag's label ("runs a childcare centre")."""
    return cast(models.Field, Cooperative._meta.get_field(name)).verbose_name


class FormOfCareChange(KeptAsWritten):
    """One form of care switched on or off: who did it and when. The history of what the
    cooperative runs is read from these rows."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(
        _("form of care"),
        max_length=40,
        choices=[(name, form_label(name)) for name in FORMS_OF_CARE],
    )
    runs = models.BooleanField(_("runs"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change of the forms of care")
        verbose_name_plural = _("changes of the forms of care")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.form} · {self.runs}"
