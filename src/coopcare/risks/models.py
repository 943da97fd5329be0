"""Risk assessments (versioned, signed by their assessor), reviews of a person's care, and the
person's own goals rated at each review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import CarePlan, CircleMember, PersonCaredFor
from coopcare.kept import KeptAsWritten
from coopcare.risks import scales
from coopcare.risks.scales import Band, Kind


class RiskAssessment(KeptAsWritten):
    """One version of a person's assessment of one kind of risk, signed by its assessor (their
    account and the time). Never edited: a new version is recorded instead."""

    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    kind = models.CharField(_("risk"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    scale = models.CharField(_("scale"), max_length=30)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    total = models.SmallIntegerField(_("total"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=20, choices=Band.choices, blank=True)
    carers_needed = models.PositiveSmallIntegerField(_("carers needed for transfers"), default=1)
    equipment = models.CharField(_("equipment"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    next_review_on = models.DateField(_("next review"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["person", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "version"], name="one_risk_assessment_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} v{self.version}"

    @property
    def risk_scale(self) -> scales.RiskScale | None:
        """The scale used, if coopcare still knows it."""
        return scales.SCALES.get(self.scale)

    def answer_texts(self) -> list[tuple[str, str]]:
        """(item, answer) for each item of a scored scale, in the scale's order."""
        scale = self.risk_scale
        if scale is None or scale.items is None:
            return []
        return [
            (str(item.label), str(item.options[self.answers[key]].text))
            for key, item in scale.items.items()
            if self.answers.get(key) in item.options
        ]


class DoubleHanding(models.Model):
    """A care plan version written because a moving and handling assessment said transfers
    need two carers: which assessment, which plan, who asked for it."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="double_handings"
    )
    plan = models.OneToOneField(CarePlan, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.assessment} -> {self.plan}"


class Goal(models.Model):
    """Something the person wants from their care, in their own words."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="goals")
    words = models.TextField(_("in their own words"))
    set_on = models.DateField(_("set on"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["person", "set_on", "pk"]

    def __str__(self) -> str:
        return self.words


class Review(models.Model):
    """A review of a person's care: when, who took part, what changed, the next review."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("held on"))
    person_took_part = models.BooleanField(_("the person took part"), default=True)
    circle = models.ManyToManyField(
        CircleMember, blank=True, related_name="+", verbose_name=_("from the circle")
    )
    carers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("carers")
    )
    others = models.CharField(_("others who took part"), max_length=300, blank=True)
    changes = models.TextField(_("what changed"))
    next_review_on = models.DateField(_("next review"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["person", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.held_on}"


class GoalRating(models.Model):
    """How far a goal was reached at a review, on Goal Attainment Scaling's -2 to +2."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="ratings")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="ratings")
    rating = models.SmallIntegerField(_("rating"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "review"], name="one_rating_per_goal_review")
        ]

    def __str__(self) -> str:
        return f"{self.goal} {self.rating:+d}"
