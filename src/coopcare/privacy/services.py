"""Data protection's actions: a rights request received, extended and answered (each step
kept as written), a restriction lifted, and a personal data breach recorded, notified to the
supervisory authority and to the people affected. One transaction each."""

import importlib
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.childcare.models import Child
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from coopcare.notify import Notice, send, to_user
from coopcare.privacy import queries, rules
from coopcare.privacy.models import (
    PersonalDataBreach,
    RequestStatus,
    RequestStep,
    Restriction,
    RightKind,
    RightsRequest,
)
from coopcare.respite.models import Caregiver


def erase_person(person: PersonCaredFor, *, by, reason: str) -> list[str]:
    """Erase what the law allows of ``person``'s records: the retention app's
    ``erase_person``, which knows what each record must keep and for how long. Returns what
    is kept, each with why.

    Imported when called: retention builds on the apps whose records it erases, privacy among
    them, so privacy cannot import it when loaded."""
    retention = importlib.import_module("coopcare.retention.services")
    return retention.erase_person(person, by=by, reason=reason).kept


def erase_subject(request: RightsRequest, *, by, reason: str) -> list[str]:
    """Erase what the law allows of the records of ``request``'s subject (a person cared
    for, a child or a family caregiver), through the retention app; returns what is kept,
    each with why."""
    if request.person is not None:
        return erase_person(request.person, by=by, reason=reason)
    retention = importlib.import_module("coopcare.retention.services")
    if request.child is not None:
        return retention.erase_child(request.child, by=by, reason=reason).kept
    return retention.erase_caregiver(request.caregiver, by=by, reason=reason).kept


@transaction.atomic
def receive_request(
    cooperative,
    *,
    kind: str,
    by,
    requester_name: str,
    received_on: date,
    details: str = "",
    person: PersonCaredFor | None = None,
    carer=None,
    member: Member | None = None,
    child: Child | None = None,
    caregiver: Caregiver | None = None,
) -> RightsRequest:
    """Record a request a data subject made (or someone for them: a child's guardian, art.
    8), due one month after it was received (art. 12(3)). The subject is one of ``person``,
    ``carer``, ``member``, ``child`` or ``caregiver``, already checked to be of
    ``cooperative``."""
    if sum(s is not None for s in (person, carer, member, child, caregiver)) != 1:
        raise ValidationError(
            _("Name one person the request is about."), code="one_subject_required"
        )
    if received_on > timezone.localdate():
        raise ValidationError(
            _("A request cannot be received in the future."), code="received_in_future"
        )
    request = RightsRequest.objects.create(
        cooperative=cooperative,
        kind=kind,
        person=person,
        carer=carer,
        member=member,
        child=child,
        caregiver=caregiver,
        requester_name=requester_name,
        requested_by=by,
        details=details,
        received_on=received_on,
        due_on=rules.due_on(received_on),
    )
    RequestStep.objects.create(request=request, step=RequestStatus.RECEIVED, by=by, text=details)
    _tell_coordinators(
        cooperative,
        _("A request under data protection was received"),
        "privacy/request_received.txt",
        {"cooperative": cooperative, "request": request},
        reverse("privacy:request", args=[cooperative.slug, request.pk]),
    )
    return request


def _tell_coordinators(cooperative, subject, template: str, context: dict, url: str) -> int:
    coordinators = (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative,
            cooperative_roles__role=Role.COORDINATOR,
            is_active=True,
        )
        .select_related("profile")
        .distinct()
    )
    return send(Notice(to_user(user), subject, template, context, url=url) for user in coordinators)


def send_unusual_reads(cooperative, first: datetime, following: datetime) -> int:
    """Tell the coordinators how many unusual reads of care records the month from ``first``
    to ``following`` had (``queries.unusual_reads``), pointing to the page that lists them;
    nothing when there were none. The notice names no one: the page does, to those who may
    see it. Returns how many coordinators it reaches."""
    found = queries.unusual_reads(cooperative, first, following)
    if not found:
        return 0
    month = first.strftime("%Y-%m")
    return _tell_coordinators(
        cooperative,
        _("Unusual reads of care records last month"),
        "privacy/unusual_reads.txt",
        {"cooperative": cooperative, "count": len(found), "first": first},
        reverse("privacy:unusual", args=[cooperative.slug]) + f"?month={month}",
    )


@transaction.atomic
def extend_request(request: RightsRequest, *, by, reason: str) -> RightsRequest:
    """Take two further months to answer, saying why (art. 12(3)); once only."""
    request = RightsRequest.objects.select_for_update().get(pk=request.pk)
    problems = rules.extension_problems(
        already_extended=request.status == RequestStatus.EXTENDED,
        still_open=request.open,
        reason=reason,
    )
    if problems:
        raise ValidationError(problems)
    request.status = RequestStatus.EXTENDED
    request.extension_reason = reason
    request.due_on = rules.extended_due_on(request.received_on)
    request.save(update_fields=["status", "extension_reason", "due_on"])
    RequestStep.objects.create(request=request, step=RequestStatus.EXTENDED, by=by, text=reason)
    return request


@transaction.atomic
def answer_request(
    request: RightsRequest, *, by, answer: str, refused: bool = False, refusal_reason: str = ""
) -> RightsRequest:
    """Answer a request, or refuse it with its reason (art. 12(4)).

    What an answer does beyond being recorded: an erasure erases what the law allows of the
    records of a person cared for, a child or a family caregiver (``erase_subject``), in this
    transaction, and the step keeps what was kept and why; a restriction marks a person
    cared for's records restricted (``Restriction``). Access and portability are answered
    with the export the request's page downloads; rectification is made through the
    record's edits, whose history keeps each change, and the answer says what was changed;
    an objection is answered in words. A carer's or a member's records are payroll and the
    register, which the law keeps, so their erasure or restriction is refused with that
    reason; a restriction is recorded for a person cared for only."""
    request = RightsRequest.objects.select_for_update().get(pk=request.pk)
    problems = rules.answer_problems(
        still_open=request.open, refused=refused, refusal_reason=refusal_reason, answer=answer
    )
    if problems:
        raise ValidationError(problems)
    acts = request.kind in (RightKind.ERASURE, RightKind.RESTRICTION)
    if acts and not refused and (request.carer is not None or request.member is not None):
        raise ValidationError(
            _(
                "A carer's or member's records are payroll and the member register, which the "
                "law obliges us to keep: refuse with that reason."
            ),
            code="kept_by_law",
        )
    if request.kind == RightKind.RESTRICTION and not refused and request.person is None:
        raise ValidationError(
            _(
                "coopcare restricts the records of a person cared for only: answer a child's "
                "or a caregiver's request for restriction by erasure, or refuse it with its "
                "reason."
            ),
            code="restriction_person_cared_for_only",
        )
    now = timezone.now()
    step_text = answer
    if not refused and request.kind == RightKind.ERASURE:
        kept = erase_subject(request, by=by, reason=answer)
        step_text = "\n".join([answer, *kept])
    if not refused and request.kind == RightKind.RESTRICTION and request.person is not None:
        Restriction.objects.create(person=request.person, request=request, since=now)
    request.status = RequestStatus.REFUSED if refused else RequestStatus.ANSWERED
    request.answer = answer
    request.refusal_reason = refusal_reason
    request.answered_by = by
    request.answered_at = now
    request.save(update_fields=["status", "answer", "refusal_reason", "answered_by", "answered_at"])
    # The step keeps what an erasure left, and why, with the answer.
    RequestStep.objects.create(request=request, step=request.status, by=by, text=step_text)
    return request


@transaction.atomic
def lift_restriction(restriction: Restriction, *, by) -> Restriction:
    """Lift a restriction (art. 18(3): the person is told before it is lifted)."""
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.lifted_at is not None:
        raise ValidationError(_("This restriction was already lifted."), code="restriction_lifted")
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = by
    restriction.save(update_fields=["lifted_at", "lifted_by"])
    return restriction


@transaction.atomic
def record_breach(cooperative, *, by, aware_at: datetime, **facts) -> PersonalDataBreach:
    """Record a personal data breach with the facts art. 33(3) and (5) ask for; the 72 hours
    to tell the authority run from ``aware_at``."""
    if aware_at > timezone.now():
        raise ValidationError(_("A breach cannot be known in the future."), code="aware_in_future")
    return PersonalDataBreach.objects.create(
        cooperative=cooperative, aware_at=aware_at, recorded_by=by, **facts
    )


@transaction.atomic
def notify_authority(
    breach: PersonalDataBreach,
    *,
    notified_at: datetime | None,
    reference: str = "",
    delay_reason: str = "",
    no_notice_reason: str = "",
) -> PersonalDataBreach:
    """Record the notice to the supervisory authority (art. 33), or why none is needed."""
    breach = PersonalDataBreach.objects.select_for_update().get(pk=breach.pk)
    problems = rules.notice_problems(
        aware_at=breach.aware_at,
        notified_at=notified_at,
        delay_reason=delay_reason,
        no_notice_reason=no_notice_reason,
    )
    if problems:
        raise ValidationError(problems)
    breach.authority_notified_at = notified_at
    breach.authority_reference = reference
    breach.delay_reason = delay_reason
    breach.no_notice_reason = "" if notified_at else no_notice_reason
    breach.save(
        update_fields=[
            "authority_notified_at",
            "authority_reference",
            "delay_reason",
            "no_notice_reason",
        ]
    )
    return breach


@transaction.atomic
def tell_people(
    breach: PersonalDataBreach, *, told_at: datetime | None, reason: str = ""
) -> PersonalDataBreach:
    """Record when the people affected were told (art. 34), or why they are not."""
    breach = PersonalDataBreach.objects.select_for_update().get(pk=breach.pk)
    problems = rules.people_told_problems(aware_at=breach.aware_at, told_at=told_at, reason=reason)
    if problems:
        raise ValidationError(problems)
    breach.people_told_at = told_at
    breach.people_not_told_reason = "" if told_at else reason
    breach.save(update_fields=["people_told_at", "people_not_told_reason"])
    return breach
