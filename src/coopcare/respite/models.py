"""Family caregivers the cooperative supports in their own right: their needs, consent and
support plans, and the support groups and training sessions they come to.

A caregiver's record is kept apart from the person they care for: it is the caregiver's own
personal data (their health, often), with their own consent, and kept from the end of their
support, not the end of the person's care. Respite visits are not stored here: they are the
visits to the person cared for whose task is "sitting and respite" (``respite.queries``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import CircleMember, PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.reads import RecordRead


class Caregiver(models.Model):
    """A family caregiver the cooperative serves: who they care for, what they ask for, and
    their consent to the cooperative keeping this record."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caregiver_records",
        help_text=_("Their login, if they have one."),
    )
    # The person they care for, when the cooperative cares for them too; respite visits are
    # that person's visits. A caregiver of someone the cooperative does not serve has none.
    cares_for = models.ForeignKey(
        PersonCaredFor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caregivers",
        verbose_name=_("person cared for"),
    )
    # Their entry in that person's circle, if they are in it: the circle's grants stay the
    # person's decisions, this record is the caregiver's own.
    circle_member = models.ForeignKey(
        CircleMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cares_for_whom = models.CharField(
        _("cares for"), max_length=200, help_text=_("Who they care for, in their words.")
    )
    hours_caring_a_week = models.PositiveSmallIntegerField(_("hours of care given a week"))
    asks_respite = models.BooleanField(_("asks for respite"), default=False)
    asks_group = models.BooleanField(_("asks for a support group"), default=False)
    asks_training = models.BooleanField(_("asks for training"), default=False)
    # May tell of the caregiver's own health: special-category data, every read logged.
    notes = models.TextField(_("notes"), blank=True)
    consent_given_on = models.DateField(_("given on"))
    consent_withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    since = models.DateField(_("supported since"))
    ended_on = models.DateField(_("support ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("family caregiver")
        verbose_name_plural = _("family caregivers")
        ordering = ["cooperative", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class SupportPlan(models.Model):
    """One version of a caregiver's support plan; a new version applies from its date."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("applies from"))
    goals = models.TextField(_("goals"))
    respite_hours_a_month = models.PositiveSmallIntegerField(_("respite hours a month"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["caregiver", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["caregiver", "version"], name="one_support_plan_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caregiver} v{self.version}"


class GatheringKind(models.TextChoices):
    GROUP = "group", _("support group")
    TRAINING = "training", _("training")


class Gathering(models.Model):
    """A support group meeting or a training session for caregivers, in a place or online."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=GatheringKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.topic


class Enrolment(models.Model):
    """A caregiver enrolled in a gathering, and whether they came (unknown until recorded)."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="enrolments")
    caregiver = models.ForeignKey(Caregiver, on_delete=models.PROTECT, related_name="enrolments")
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        ordering = ["caregiver__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "caregiver"], name="one_enrolment_per_caregiver"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caregiver} {self.gathering}"


class CaregiverRead(RecordRead):
    """Who read a caregiver's record, when (GDPR art. 9 and 30), as ``care.CareRecordRead``
    does for the people cared for."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.PROTECT, related_name="reads")

    class Meta(RecordRead.Meta):
        verbose_name = _("caregiver record read")
        verbose_name_plural = _("caregiver record reads")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.caregiver} {self.record}"
