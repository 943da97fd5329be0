"""Marks on a person's body map (a wound, a bruise, a pressure ulcer...) and their follow-ups.

A mark is never edited or deleted: what changes is recorded as a follow-up, and a mark whose
latest follow-up says it healed leaves the current map but stays in its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.bodymap.outline import Region, Side
from coopcare.care.models import PersonCaredFor
from coopcare.kept import KeptAsWritten
from coopcare.visits.models import Incident, Visit


class MarkKind(models.TextChoices):
    WOUND = "wound", _("wound")
    BRUISE = "bruise", _("bruise")
    PRESSURE_ULCER = "pressure_ulcer", _("pressure ulcer")
    SKIN_TEAR = "skin_tear", _("skin tear")
    RASH = "rash", _("rash")
    BURN = "burn", _("burn")
    OTHER = "other", _("other")


class Category(models.TextChoices):
    """A pressure ulcer's category in the international classification of NPIAP, EPUAP and
    PPPIA (Prevention and Treatment of Pressure Ulcers/Injuries: Clinical Practice Guideline,
    3rd edition, 2019)."""

    CATEGORY_1 = "1", _("category 1: non-blanchable redness of intact skin")
    CATEGORY_2 = "2", _("category 2: partial-thickness skin loss")
    CATEGORY_3 = "3", _("category 3: full-thickness skin loss")
    CATEGORY_4 = "4", _("category 4: full-thickness skin and tissue loss")
    UNSTAGEABLE = "unstageable", _("unstageable: depth unknown")
    DEEP_TISSUE = "deep_tissue", _("deep tissue injury: depth unknown")


class FollowUpStatus(models.TextChoices):
    SAME = "same", _("the same")
    IMPROVING = "improving", _("improving")
    WORSE = "worse", _("worse")
    HEALED = "healed", _("healed")


def _size_field(name):
    return models.DecimalField(name, max_digits=4, decimal_places=1, null=True, blank=True)


class Mark(KeptAsWritten):
    """A mark on the person's body, placed on the front or back outline, numbered per person."""

    kept_message = _("A mark on the body map is kept as recorded; record a follow-up instead.")

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="body_marks")
    number = models.PositiveSmallIntegerField(_("number"))
    side = models.CharField(_("side"), max_length=5, choices=Side.choices)
    x = models.PositiveSmallIntegerField(_("across the drawing"))
    y = models.PositiveSmallIntegerField(_("down the drawing"))
    region = models.CharField(_("where"), max_length=30, choices=Region.choices)
    kind = models.CharField(_("what"), max_length=20, choices=MarkKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    length_cm = _size_field(_("length (cm)"))
    width_cm = _size_field(_("width (cm)"))
    description = models.TextField(_("description"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="body_marks"
    )
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="body_mark")

    class Meta:
        verbose_name = _("body map mark")
        verbose_name_plural = _("body map marks")
        ordering = ["person", "number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="one_mark_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.person} #{self.number} {self.kind} {self.region}"

    @property
    def latest(self) -> "FollowUp | None":
        """The latest follow-up (from the prefetched ones, when they were prefetched)."""
        follow_ups = list(self.follow_ups.all())
        return max(follow_ups, key=lambda f: (f.at, f.pk)) if follow_ups else None

    @property
    def healed(self) -> bool:
        latest = self.latest
        return latest is not None and latest.status == FollowUpStatus.HEALED


class FollowUp(KeptAsWritten):
    """How a mark looked when someone saw it again: the same, improving, worse or healed."""

    kept_message = _("A follow-up is kept as recorded; record another one instead.")

    mark = models.ForeignKey(Mark, on_delete=models.PROTECT, related_name="follow_ups")
    status = models.CharField(_("how it is"), max_length=10, choices=FollowUpStatus.choices)
    notes = models.TextField(_("notes"), blank=True)
    length_cm = _size_field(_("length now (cm)"))
    width_cm = _size_field(_("width now (cm)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up of a mark")
        verbose_name_plural = _("follow-ups of marks")
        ordering = ["mark", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.mark} {self.status} {self.at:%Y-%m-%d}"
