"""Feedback on a visit from the person's circle, and the complaints register.

Feedback is one score from 1 to 5 with optional words, one per visit and author. A complaint
goes through its steps (received, acknowledged, investigated, answered, appealed, closed), each
kept as a ``ComplaintStep``; the complaint holds its status and its deadlines, worked out when
it was received from the cooperative's ``ComplaintPolicy``."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.visits.models import Visit


class Score(models.IntegerChoices):
    """The five steps of the scale, each with its words: never a face or a colour alone."""

    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    ALL_RIGHT = 3, _("All right")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class Feedback(models.Model):
    """What someone of the person's circle thought of a visit."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="feedback")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    score = models.PositiveSmallIntegerField(_("how it went"), choices=Score.choices)
    words = models.TextField(_("in your words"), blank=True)
    given_at = models.DateTimeField(_("given at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    shared_with_carers = models.BooleanField(_("shared with the carers"), default=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "author"], name="one_feedback_per_author")
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.score}"


class ComplaintPolicy(models.Model):
    """How long the office has to acknowledge and answer a complaint, and the complainant to
    appeal; the defaults are ``voice.rules.DEFAULT_POLICY``."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="complaint_policy"
    )
    acknowledge_working_days = models.PositiveSmallIntegerField(
        _("working days to acknowledge"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer"), validators=[MinValueValidator(1), MaxValueValidator(130)]
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("working days to appeal"), validators=[MinValueValidator(1), MaxValueValidator(130)]
    )

    class Meta:
        verbose_name = _("complaints policy")
        verbose_name_plural = _("complaints policies")

    def __str__(self) -> str:
        return str(self.cooperative)


class About(models.TextChoices):
    CARE = "care", _("the care")
    CARER = "carer", _("a carer")
    OFFICE = "office", _("the office")


class Step(models.TextChoices):
    """A complaint's steps, in their order; the status is the latest step taken."""

    RECEIVED = "received", _("received")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    INVESTIGATED = "investigated", _("investigated")
    ANSWERED = "answered", _("answered")
    APPEALED = "appealed", _("appealed")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    PARTLY_UPHELD = "partly_upheld", _("partly upheld")
    NOT_UPHELD = "not_upheld", _("not upheld")


class Complaint(models.Model):
    """A complaint about a person's care, a carer or the office, numbered per cooperative."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="complaints")
    about = models.CharField(_("about"), max_length=10, choices=About.choices)
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carer"),
    )
    complainant_name = models.CharField(_("complainant"), max_length=200)
    # The complainant's login, when they filed it themselves: they follow it on their page.
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("what happened"))
    received_on = models.DateField(_("received on"))
    acknowledge_by = models.DateField(_("to acknowledge by"))
    answer_by = models.DateField(_("to answer by"))
    appeal_by = models.DateField(_("may appeal until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Step.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "number"], name="one_complaint_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.status}"

    def step_on(self, step: str):
        """The day ``step`` was first taken (from the prefetched steps), or None."""
        days = [s.on for s in self.steps.all() if s.step == step]
        return min(days) if days else None


class ComplaintStep(KeptAsWritten):
    """One step of a complaint, kept as written: who took it, on which day, and what it says
    (the acknowledgement, the investigation's notes, the answer, the appeal, the decision)."""

    kept_message = _("A complaint's step is kept as written; take the next step instead.")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("step"), max_length=15, choices=Step.choices)
    on = models.DateField(_("on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("what it says"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step of a complaint")
        verbose_name_plural = _("steps of complaints")
        ordering = ["complaint", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.step} {self.on}"


class Audience(models.TextChoices):
    """Who a yearly survey asks."""

    CIRCLE = "circle", _("people cared for and their circle")
    CARERS = "carers", _("carers")
    BOTH = "both", _("both")


class Survey(models.Model):
    """The cooperative's yearly satisfaction survey: its questions (each on the 1 to 5 scale,
    then one open question), whom it asks, until when, and whether it is anonymous."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    audience = models.CharField(_("asks"), max_length=10, choices=Audience.choices)
    # The questions asked on the scale, in their order, as the coordinator worded them.
    questions = models.JSONField(_("questions"))
    open_question = models.CharField(_("open question"), max_length=300)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    closes_on = models.DateField(_("closes on"))
    # Closed by a coordinator before its day: ``closes_on`` then became that day, and this
    # refuses the answers later on the same day.
    closed = models.BooleanField(_("closed"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year", "audience"], name="one_survey_per_year_and_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.audience}"


class SurveyAnswer(models.Model):
    """One set of answers to a survey. In an anonymous survey nothing here names who answered
    or when: the key is random (so the order of answering cannot be read from it) and
    ``respondent`` stays empty; that someone answered is kept apart, in ``SurveyAnswered``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    # Which side answered, so a survey of both can be read per side.
    side = models.CharField(_("answered as"), max_length=10, choices=Audience.choices)
    scores = models.JSONField(_("scores"))
    words = models.TextField(_("in your words"), blank=True)
    by_phone = models.BooleanField(_("by phone"), default=False)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.survey} {self.scores}"


class SurveyAnswered(models.Model):
    """That a login answered a survey, to refuse a second answer: no time, no link to the
    answer, and a random key, so it cannot be matched with one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("survey answered")
        verbose_name_plural = _("surveys answered")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_survey_answer_per_login")
        ]

    def __str__(self) -> str:
        return str(self.survey)
