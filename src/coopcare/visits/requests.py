"""Requests about visits from the person cared for and their circle, and the coordinators'
answers.

A circle member granted the person's visits (the person's legal representative asks in their
name) asks to move or cancel a planned visit, for an extra visit of a task of the care plan
in a time window, or for a trial: a carer new to the person comes for one of their planned
visits, so that they meet (``ask``). The office is told that a request waits, and nothing more.

The circle never browses the cooperative's staff: for a trial the coordinator, who knows the
carers, chooses one the person does not know yet (``trial_carer_known``); once the visit is
theirs, the carer is in the person's team (``care.queries.team_of``), where the circle keeps
or refuses them.

A coordinator answers. Accepting makes the change through the coordinator's own one-off
changes (``rostering.services.visit_changes``: ``cancel``, ``move``, ``add``), so it is
checked as any roster edit is (skills, availability, working time, the person's hours
budget; soft rules need a reason), in one transaction with the answer; a cancellation is
recorded as asked by the person or their circle, so a late one is billed as such
(``billing.invoicing``). ``checks`` runs the same change and rolls it back, to show what it
would meet before deciding. Refusing needs a reason in plain words. The one who asked is told
that there is an answer, without any of it: the answer is in coopcare, behind the login.

These actions sit apart from ``visits.services`` because they call rostering, which itself
builds on ``visits.services``.
"""

from datetime import datetime, timedelta
from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.care.models import CareTask, CircleMember, PersonCaredFor, Relationship
from coopcare.care.queries import team_of
from coopcare.care.services import current_plan
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.notify import Notice, send, to_user
from coopcare.rostering.services import visit_changes
from coopcare.visits.models import (
    Requester,
    Visit,
    VisitRequest,
    VisitRequestKind,
    VisitRequestStatus,
    VisitStatus,
)

REASON_MAX_LENGTH = 300


def asked_as(grant: CircleMember) -> str:
    """Who a request of ``grant``'s holder comes from, as a cancellation records it: the
    person, when their legal representative asks in their name; else their circle."""
    if grant.relationship == Relationship.LEGAL_REPRESENTATIVE:
        return Requester.PERSON
    return Requester.CIRCLE


def _reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(message, code="reason_missing")
    return reason


def _visit_to_change(person: PersonCaredFor, visit: Visit | None, now: datetime) -> Visit:
    if visit is None or visit.person_id != person.pk:
        raise ValidationError(_("Choose one of the person's visits."), code="visit_missing")
    if visit.status != VisitStatus.PLANNED or visit.starts_at <= now:
        raise ValidationError(
            _("This visit has begun or is over; it can no longer be changed."),
            code="visit_begun",
        )
    if VisitRequest.objects.filter(visit=visit, status=VisitRequestStatus.PENDING).exists():
        raise ValidationError(
            _("A request about this visit is already waiting for an answer."),
            code="request_pending",
        )
    return visit


@transaction.atomic
def ask(
    person: PersonCaredFor,
    kind: str,
    reason: str,
    by,
    grant: CircleMember,
    *,
    visit: Visit | None = None,
    starts_at: datetime | None = None,
    ends_by: datetime | None = None,
    task: CareTask | None = None,
    now: datetime | None = None,
) -> VisitRequest:
    """Ask, as the holder of ``grant``, to move ``visit`` to ``starts_at``, to cancel it, to
    have a carer new to the person come for it (a trial), or for an extra visit of ``task``
    starting from ``starts_at`` and over by ``ends_by`` (one day's window). The coordinators
    are told that a request waits."""
    now = now or timezone.now()
    if kind == VisitRequestKind.TRIAL and not grant.can_choose_carers:
        # Meeting a new carer is choosing the team: the grant to choose, as on the circle page.
        raise PermissionDenied
    reason = _reason(reason, _("Say why you ask."))
    fields: dict = {}
    if kind in (VisitRequestKind.MOVE, VisitRequestKind.CANCEL, VisitRequestKind.TRIAL):
        visit = _visit_to_change(person, visit, now)
        fields = {"visit": visit, "visit_starts_at": visit.starts_at}
    if kind == VisitRequestKind.MOVE:
        if starts_at is None or starts_at <= now:
            raise ValidationError(_("Choose a new time still to come."), code="visit_in_past")
        if visit is not None and starts_at == visit.starts_at:
            raise ValidationError(_("The visit is already at that time."), code="visit_not_moved")
        fields["starts_at"] = starts_at
    elif kind == VisitRequestKind.EXTRA:
        if starts_at is None or ends_by is None or starts_at <= now:
            raise ValidationError(_("Choose a time still to come."), code="visit_in_past")
        plan = current_plan(person, timezone.localdate(starts_at))
        if task is None or plan is None or task.plan_id != plan.pk:
            raise ValidationError(
                _("The task is not one of the care plan in force that day."),
                code="task_not_in_plan",
            )
        if ends_by - starts_at < timedelta(minutes=task.duration_minutes):
            raise ValidationError(
                _("The time between from and until is shorter than the visit (%(minutes)s min).")
                % {"minutes": task.duration_minutes},
                code="window_too_short",
            )
        fields |= {"starts_at": starts_at, "ends_by": ends_by, "task": task}
    elif kind not in (VisitRequestKind.CANCEL, VisitRequestKind.TRIAL):
        raise ValidationError(_("Say what you ask for."), code="request_kind_unknown")
    made = VisitRequest.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        kind=kind,
        reason=reason,
        asked_by=by,
        asked_as=asked_as(grant),
        asked_at=now,
        **fields,
    )
    _tell_office(made)
    return made


def _pending(request: VisitRequest) -> VisitRequest:
    """``request`` locked for an answer, if it still waits for one."""
    request = VisitRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != VisitRequestStatus.PENDING:
        raise ValidationError(_("This request already has an answer."), code="request_answered")
    return request


def _still_as_asked(request: VisitRequest, now: datetime) -> None:
    """Refuses a request whose visit changed or passed since it was asked, or whose time
    asked for has passed: it is no longer what the person asked."""
    visit = request.visit
    if visit is not None:
        visit.refresh_from_db()
        if (
            visit.status != VisitStatus.PLANNED
            or visit.starts_at != request.visit_starts_at
            or visit.starts_at <= now
        ):
            raise ValidationError(
                _(
                    "The visit changed or passed since this was asked; it can no longer be "
                    "accepted. Refuse it, saying so."
                ),
                code="request_outdated",
            )
    if _latest_start(request) <= now:
        raise ValidationError(
            _("The time asked for has passed; it can no longer be accepted. Refuse it."),
            code="request_outdated",
        )


def _latest_start(request: VisitRequest) -> datetime:
    """The latest time the change asked for can start: the visit's own for a cancellation,
    the new time of a move, the last start that fits an extra visit's window."""
    # ``ask`` fills the fields each kind needs.
    if request.kind == VisitRequestKind.EXTRA:
        task = cast(CareTask, request.task)
        return cast(datetime, request.ends_by) - timedelta(minutes=task.duration_minutes)
    if request.kind in (VisitRequestKind.CANCEL, VisitRequestKind.TRIAL):
        return cast(datetime, request.visit_starts_at)
    return cast(datetime, request.starts_at)


def _extra_start(request: VisitRequest, starts_at: datetime | None) -> datetime:
    """The start a coordinator chose for an extra visit (the window's start unless said),
    which keeps the visit inside the window asked for."""
    start = starts_at or cast(datetime, request.starts_at)
    latest = _latest_start(request)
    if not cast(datetime, request.starts_at) <= start <= latest:
        raise ValidationError(
            _("Choose a start from %(first)s to %(last)s, so the visit fits the time asked.")
            % {
                "first": f"{timezone.localtime(request.starts_at):%H:%M}",
                "last": f"{timezone.localtime(latest):%H:%M}",
            },
            code="start_outside_window",
        )
    return start


def _newcomer(person: PersonCaredFor, carer, now: datetime):
    """``carer``, if they may come to ``person`` for a trial: a carer of the person's
    cooperative whom the person does not know yet (not in their team: neither coming, nor come
    lately, nor chosen or refused)."""
    if carer is None:
        raise ValidationError(
            _("Choose the carer who will come for the trial."), code="trial_carer_missing"
        )
    if not CooperativeRole.objects.filter(
        cooperative_id=person.cooperative_id, user=carer, role=Role.CARER
    ).exists():
        raise ValidationError(
            _("Choose a carer of the cooperative."), code="carer_not_in_cooperative"
        )
    if carer.pk in {known.id for known in team_of(person, now)}:
        raise ValidationError(
            _(
                "The person already knows this carer (they come, came lately, or were chosen "
                "or refused): a trial is with a carer new to them."
            ),
            code="trial_carer_known",
        )
    return carer


def _apply(
    request: VisitRequest,
    by,
    starts_at: datetime | None,
    override_reason: str,
    now: datetime,
    carer=None,
) -> Visit:
    """Make the change asked for, as the coordinator's own one-off change; the visit as it
    now is. ``carer``: the one a coordinator chose for a trial."""
    _still_as_asked(request, now)
    # ``ask`` fills the fields each kind needs: the visit of a move or a cancellation, the
    # task of an extra visit.
    if request.kind == VisitRequestKind.CANCEL:
        visit = cast(Visit, request.visit)
        cancellation = visit_changes.cancel(visit, request.asked_as, request.reason, by, now=now)
        return cancellation.visit
    if request.kind == VisitRequestKind.TRIAL:
        visit = cast(Visit, request.visit)
        newcomer = _newcomer(request.person, carer, now)
        # The newcomer takes the first carer's place; a second carer of a visit for two stays.
        others = list(visit.carers.all())[1:]
        return visit_changes.move(
            visit,
            by,
            carers=[newcomer, *others],
            reason=request.reason,
            override_reason=override_reason,
            now=now,
        )
    if request.kind == VisitRequestKind.MOVE:
        return visit_changes.move(
            cast(Visit, request.visit),
            by,
            starts_at=request.starts_at,
            reason=request.reason,
            override_reason=override_reason,
            now=now,
        )
    task = cast(CareTask, request.task)
    return visit_changes.add(
        request.person,
        task,
        _extra_start(request, starts_at),
        task.duration_minutes,
        by,
        double_handed=task.double_handed,
        override_reason=override_reason,
        now=now,
    )


class _Tried(Exception):
    """Raised to roll back a change made only to see what its checks say."""


def checks(
    request: VisitRequest,
    by,
    starts_at: datetime | None = None,
    now: datetime | None = None,
    carer=None,
) -> list[ValidationError]:
    """What accepting ``request`` would meet, each with its code: the change is made as the
    coordinator's own, with every check of a roster edit, and rolled back (nobody is told:
    notices wait for a commit that never comes). Soft rules come with the reason they need;
    an empty list means it may be accepted as it is."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            _apply(request, by, starts_at, "", now, carer)
            raise _Tried
    except _Tried:
        return []
    except ValidationError as refused:
        return refused.error_list


@transaction.atomic
def accept(
    request: VisitRequest,
    by,
    *,
    starts_at: datetime | None = None,
    answer: str = "",
    override_reason: str = "",
    now: datetime | None = None,
    carer=None,
) -> VisitRequest:
    """Accept ``request``: the change is made as the coordinator's own roster edit (soft
    rules set aside only with ``override_reason``), in this one transaction with the answer;
    ``starts_at`` picks the start of an extra visit in its window, ``carer`` the one who comes
    for a trial. The asker is told."""
    now = now or timezone.now()
    request = _pending(request)
    request.outcome = _apply(request, by, starts_at, override_reason, now, carer)
    request.status = VisitRequestStatus.ACCEPTED
    return _answered(request, by, answer.strip(), now)


@transaction.atomic
def refuse(request: VisitRequest, by, reason: str, now: datetime | None = None) -> VisitRequest:
    """Refuse ``request`` with ``reason``, in plain words for the person; the asker is
    told."""
    now = now or timezone.now()
    reason = _reason(reason, _("Say why the request is refused: the person will read it."))
    request = _pending(request)
    request.status = VisitRequestStatus.REFUSED
    return _answered(request, by, reason, now)


def _answered(request: VisitRequest, by, answer: str, now: datetime) -> VisitRequest:
    request.answered_by, request.answered_at, request.answer = by, now, answer
    request.save(update_fields=["status", "answered_by", "answered_at", "answer", "outcome"])
    asker = get_user_model().objects.select_related("profile").get(pk=request.asked_by_id)
    send(
        [
            Notice(
                to_user(asker),
                gettext_lazy("Your request has an answer"),
                "visits/mail_request_answered.txt",
                {"cooperative": request.cooperative},
            )
        ]
    )
    return request


def _tell_office(request: VisitRequest) -> None:
    """Tell the cooperative's coordinators that a request waits, and nothing of it."""
    coordinators = CooperativeRole.objects.filter(
        cooperative_id=request.cooperative_id, role=Role.COORDINATOR
    ).select_related("user__profile")
    send(
        Notice(
            to_user(grant.user),
            gettext_lazy("A request about visits is waiting"),
            "visits/mail_request_asked.txt",
            {"cooperative": request.cooperative},
        )
        for grant in coordinators
    )
