"""Data protection: requests people make under their rights (GDPR arts 15 to 21), each step
kept as written; restrictions of processing; and the register of personal data breaches
(arts 33 and 34). What coopcare processes (art. 30) is not a model: it is
``privacy/processing.py``, kept in code beside the models it describes."""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.childcare.models import Child
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.members.models import Member
from coopcare.respite.models import Caregiver


class RightKind(models.TextChoices):
    """The right a request exercises, with its article of the GDPR."""

    ACCESS = "access", _("access (art. 15)")
    RECTIFICATION = "rectification", _("rectification (art. 16)")
    ERASURE = "erasure", _("erasure (art. 17)")
    RESTRICTION = "restriction", _("restriction of processing (art. 18)")
    PORTABILITY = "portability", _("data portability (art. 20)")
    OBJECTION = "objection", _("objection (art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    EXTENDED = "extended", _("extended")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")


class RefusalReason(models.TextChoices):
    """Why a request, or the part of it the law does not allow, is refused (art. 17(3),
    art. 12(5), art. 21(1))."""

    PAYROLL = "payroll", _("payroll and tax records the law obliges us to keep")
    REGISTER = "register", _("the member register and share ledger the law obliges us to keep")
    CARE_RECORDS = "care_records", _("care records kept for the period health law requires")
    LEGAL_HOLD = "legal_hold", _("kept for a legal claim (legal hold)")
    COMPELLING = "compelling", _("compelling legitimate grounds override the objection")
    UNFOUNDED = "unfounded", _("manifestly unfounded or excessive")
    IDENTITY = "identity", _("the requester's identity could not be confirmed")


# Whom a rights request can be about: one of these fields of ``RightsRequest`` is set.
SUBJECTS = ("person", "carer", "member", "child", "caregiver")


class RightsRequest(models.Model):
    """A request by a data subject (a person cared for, a carer, a member, a child through
    their guardian, or a family caregiver), with the month to answer it (art. 12(3)) and the
    answer."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("right"), max_length=15, choices=RightKind.choices)
    # The data subject: exactly one of ``SUBJECTS`` (a constraint below).
    person = models.ForeignKey(
        PersonCaredFor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("person cared for"),
    )
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carer"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("member"),
    )
    # A child's rights are exercised by their guardian (art. 8 and recital 38), who is the
    # requester; the child is the subject.
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("child"),
    )
    caregiver = models.ForeignKey(
        Caregiver,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("family caregiver"),
    )
    requester_name = models.CharField(_("made by"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    details = models.TextField(_("what is asked"), blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("to answer by"))
    extension_reason = models.TextField(_("why more time is needed"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True)
    refusal_reason = models.CharField(
        _("reason for refusing"), max_length=15, choices=RefusalReason.choices, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=reduce(
                    operator.or_,
                    (
                        Q(**{f"{name}__isnull": name != subject for name in SUBJECTS})
                        for subject in SUBJECTS
                    ),
                ),
                name="rights_request_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.received_on}"

    @property
    def open(self) -> bool:
        """Whether the request still waits for its answer."""
        return self.status in (RequestStatus.RECEIVED, RequestStatus.EXTENDED)


class RequestStep(KeptAsWritten):
    """One step of a rights request, kept as written: received, extended, answered or
    refused, by whom and when, with what was said."""

    kept_message = _("A rights request's step is kept as written; take the next step instead.")

    request = models.ForeignKey(RightsRequest, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("step"), max_length=10, choices=RequestStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("what it says"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step of a rights request")
        verbose_name_plural = _("steps of rights requests")
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.step}"


class Restriction(models.Model):
    """A person's records restricted (art. 18): kept, but not otherwise processed until the
    restriction is lifted. What it blocks is ``privacy.restriction`` and
    docs/data-protection.md."""

    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, related_name="restrictions"
    )
    request = models.OneToOneField(
        RightsRequest, on_delete=models.PROTECT, related_name="restriction"
    )
    since = models.DateTimeField(_("restricted since"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        ordering = ["-since"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.since}"


class PersonalDataBreach(models.Model):
    """An incident involving personal data (art. 4(12)), as art. 33(5) asks it documented:
    the facts, its effects and the remedial action, the notice to the supervisory authority
    (within 72 hours of becoming aware, art. 33(1)) and to the people affected (art. 34)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    aware_at = models.DateTimeField(_("became aware at"))
    nature = models.TextField(_("what happened"))
    people_categories = models.CharField(_("categories of people"), max_length=300)
    people_count = models.PositiveIntegerField(_("approximate number of people"))
    record_categories = models.CharField(_("categories of records"), max_length=300)
    record_count = models.PositiveIntegerField(_("approximate number of records"))
    consequences = models.TextField(_("likely consequences"))
    measures = models.TextField(_("measures taken or proposed"))
    authority_notified_at = models.DateTimeField(
        _("supervisory authority notified at"), null=True, blank=True
    )
    authority_reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    delay_reason = models.TextField(_("reasons for the delay"), blank=True)
    no_notice_reason = models.TextField(
        _("why the authority is not notified (no risk to people)"), blank=True
    )
    people_told_at = models.DateTimeField(_("people told at"), null=True, blank=True)
    people_not_told_reason = models.TextField(_("why the people are not told"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-aware_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.aware_at:%Y-%m-%d} {self.people_categories}"
