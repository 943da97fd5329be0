"""Carers' requests about the published roster: offer a visit for swap, take an open visit,
contest an assignment. Coordinators decide; an accepted request changes the roster under the
same rules as a coordinator's own edit. Each action is one transaction; the open visits and a
visit's published roster are read in ``rostering.queries``.

A swap tells people as it goes (topic ``cover``, a visit's time at most, never whose visit it
is): the carers who could take it when it is offered; the carer who offered it and the
coordinators, who decide, when a colleague offers to take it. A decision tells the carers
concerned: an accepted one through the change of their roster, a declined one by saying the
request has an answer."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
from coopcare.notify import Notice, Topic, send, to_user
from coopcare.rostering.models import RequestKind, RequestStatus, Roster, RosterRequest
from coopcare.rostering.planning import carers_of
from coopcare.rostering.queries import open_visits, published_roster_of
from coopcare.rostering.services.edits import allowed, check
from coopcare.rostering.services.publishing import change_published
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitStatus


def _upcoming(visit: Visit) -> Roster:
    """The published roster of ``visit``, if the visit is still to come and in one."""
    if visit.status != VisitStatus.PLANNED or visit.starts_at <= timezone.now():
        raise ValidationError(_("This visit has begun or is over."), code="visit_begun")
    roster = published_roster_of(visit)
    if roster is None:
        raise ValidationError(
            _("This visit is not in a published roster."), code="visit_not_published"
        )
    return roster


def _no_open(visit: Visit, carer, kind: str) -> None:
    if RosterRequest.objects.filter(
        visit=visit, carer=carer, kind=kind, status=RequestStatus.OPEN
    ).exists():
        raise ValidationError(
            _("You already asked this; a coordinator will answer."), code="request_already_open"
        )


@transaction.atomic
def ask(
    cooperative: Cooperative, visit: Visit, carer, kind: str, reason: str = ""
) -> RosterRequest:
    """A carer's request about ``visit``: ``swap`` or ``contest`` one of theirs (a contest
    needs a reason), or ``take`` an open one."""
    roster = _upcoming(visit)
    mine = visit.carers.filter(pk=carer.pk).exists()
    if kind in (RequestKind.SWAP, RequestKind.CONTEST) and not mine:
        raise ValidationError(_("This visit is not yours."), code="visit_not_yours")
    if kind == RequestKind.CONTEST and not reason.strip():
        raise ValidationError(_("Say why you contest this visit."), code="contest_reason_missing")
    if kind == RequestKind.TAKE:
        if mine:
            raise ValidationError(_("This visit is already yours."), code="visit_already_yours")
        swap = _open_swap(visit)
        if swap is not None:  # taking a visit a colleague offered
            swap.taker = carer
            swap.save(update_fields=["taker"])
            _tell_taken(swap)
            return swap
        if not open_visits(cooperative, carer).filter(pk=visit.pk).exists():
            raise ValidationError(_("This visit is not open."), code="visit_not_open")
    _no_open(visit, carer, kind)
    request = RosterRequest.objects.create(
        cooperative=cooperative, visit=visit, carer=carer, kind=kind, reason=reason.strip()
    )
    if kind == RequestKind.SWAP:
        _tell_offered(request, roster)
    return request


def could_take(roster: Roster, visit: Visit, offerer) -> list:
    """The carers who could take ``visit`` from ``offerer``: the cooperative's carers not on it
    whom giving it breaks no hard rule (``edits.check``, as the coordinator's decision will)."""
    on_visit = list(visit.carers.all())
    staying = [c for c in on_visit if c.pk != offerer.pk]
    others = carers_of(visit.cooperative).exclude(pk__in=[c.pk for c in on_visit])
    return [
        carer
        for carer in others.select_related("profile")
        if not check(roster, visit, [*staying, carer], new=[carer]).hard
    ]


def _mine(request: RosterRequest) -> str:
    return reverse("rostering:mine", args=[request.visit.cooperative.slug])


def _tell_offered(request: RosterRequest, roster: Roster) -> int:
    """Tell the carers who could take the offered visit its time, and nothing of whose it
    is or where."""
    return send(
        Notice(
            to_user(carer),
            gettext_lazy("Open visits you could take"),
            "rostering/mail_swap_offered.txt",
            {"carer": carer, "visit": request.visit},
            topic=Topic.COVER,
            url=_mine(request),
        )
        for carer in could_take(roster, request.visit, request.carer)
    )


def _tell_taken(swap: RosterRequest) -> int:
    """Tell the carer who offered ``swap`` that a colleague offers to take it, and the
    cooperative's coordinators that it waits for their decision."""
    offerer = get_user_model().objects.select_related("profile").get(pk=swap.carer_id)
    notices = [
        Notice(
            to_user(offerer),
            gettext_lazy("A colleague offers to take your visit"),
            "rostering/mail_swap_taken.txt",
            {"carer": offerer, "visit": swap.visit},
            topic=Topic.COVER,
            url=_mine(swap),
        )
    ]
    coordinators = CooperativeRole.objects.filter(
        cooperative_id=swap.cooperative_id, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user__profile")
    notices += [
        Notice(
            to_user(grant.user),
            gettext_lazy("A swap is waiting for your decision"),
            "rostering/mail_swap_to_decide.txt",
            topic=Topic.COVER,
            url=reverse("rostering:requests", args=[swap.visit.cooperative.slug]),
        )
        for grant in coordinators
        if grant.user_id not in (swap.carer_id, swap.taker_id)
    ]
    return send(notices)


def _tell_declined(request: RosterRequest) -> int:
    """Tell the carer who asked, and a swap's taker, that the request has an answer (which
    the app shows): the cooperative's name, nothing more."""
    users = get_user_model().objects.select_related("profile")
    askers = users.filter(pk__in=[pk for pk in (request.carer_id, request.taker_id) if pk])
    return send(
        Notice(
            to_user(user),
            gettext_lazy("Your request has an answer"),
            "visits/mail_request_answered.txt",
            {"cooperative": request.cooperative},
            topic=Topic.COVER,
            url=_mine(request),
        )
        for user in askers
    )


def _open_swap(visit: Visit) -> RosterRequest | None:
    return RosterRequest.objects.filter(
        visit=visit, kind=RequestKind.SWAP, status=RequestStatus.OPEN, taker__isnull=True
    ).first()


@transaction.atomic
def close_swap_done(visit: Visit, carer, at) -> int:
    """Close the open swap ``carer`` offered on ``visit``, which they have now done (run at
    their check-out, in its transaction): a coordinator has nothing left to decide, and no
    colleague is offered a visit that is over. Returns how many were closed."""
    return RosterRequest.objects.filter(
        visit=visit, carer=carer, kind=RequestKind.SWAP, status=RequestStatus.OPEN
    ).update(status=RequestStatus.DONE, decided_at=at)


def withdraw(request: RosterRequest, carer) -> None:
    """A carer withdraws a request of theirs that is still open."""
    if request.carer_id != carer.pk or request.status != RequestStatus.OPEN:
        raise ValidationError(
            _("Only your own open requests can be withdrawn."), code="request_not_withdrawable"
        )
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])


@transaction.atomic
def decide(
    request: RosterRequest, by, accept: bool, note: str = "", override_reason: str = ""
) -> RosterRequest:
    """Accept or decline a carer's request. Accepting changes the published roster, checked
    like a manual edit (hard rules always; soft rules need ``override_reason``)."""
    request.refresh_from_db()  # a colleague may have offered to take it since it was read
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request was already answered."), code="request_answered")
    if accept:
        _accept(request, by, note, override_reason)
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_by, request.decided_at = by, timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if not accept:
        # An accepted request changed the roster, whose change told each carer concerned.
        _tell_declined(request)
    return request


def _accept(request: RosterRequest, by, note: str, override_reason: str) -> None:
    visit = request.visit
    roster = _upcoming(visit)
    carers = list(visit.carers.all())
    new = []
    if request.kind == RequestKind.SWAP:
        if request.taker is None:
            raise ValidationError(_("Nobody has offered to take this visit yet."), code="no_taker")
        new = [request.taker]
        carers = [c for c in carers if c.pk != request.carer_id] + new
    elif request.kind == RequestKind.TAKE:
        new = [request.carer]
        carers += new
    else:  # contest: the carer comes off the visit, which becomes open
        carers = [c for c in carers if c.pk != request.carer_id]
    reasons = [["request", {"name": name_of(by), "reason": request.reason or note}]]
    if carers and len(carers) == (2 if visit.double_handed else 1):
        found = check(roster, visit, carers, new=new)
        reasons += allowed(found.hard, found.soft, override_reason)
    change_published(roster, visit, carers, reasons, by)
