"""API: roster runs, draft and published rosters, manual edits, publishing, carers' requests,
calendar feeds, reporting sick, cover for days away, and the coordinators' board."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.care.access import log_reads
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.rostering import calendar, queries
from coopcare.rostering.models import (
    Absence,
    CalendarDetail,
    CoverProposal,
    RequestKind,
    RequestStatus,
    Roster,
    RosterRequest,
    RosterRun,
    RosterStatus,
)
from coopcare.rostering.planning import carers_of
from coopcare.rostering.queries import phones_of, visits_left_by
from coopcare.rostering.reports import hours
from coopcare.rostering.services import cover, edits, publishing, requests, runs
from coopcare.rostering.wording import say
from coopcare.visits.models import Visit

router = Router(tags=["rostering"])
STAFF = (Role.COORDINATOR,)
CARER = (Role.CARER,)


class RunIn(Schema):
    first_day: Day
    last_day: Day
    seconds_per_day: int = Field(runs.SECONDS_PER_DAY, ge=1, le=runs.MAX_SECONDS)


class RunOut(Schema):
    id: int
    first_day: date
    last_day: date
    status: str
    progress: int
    best_cost: float | None
    message: str
    roster_id: int | None


class AssignmentOut(Schema):
    visit_id: int
    starts_at: datetime
    ends_at: datetime
    person: str
    task: str
    carer: str
    why: str
    override_reason: str


class UnplacedOut(Schema):
    visit_id: int
    starts_at: datetime
    person: str
    task: str
    why: str


class HoursOut(Schema):
    carer: str
    visit_minutes: int
    travel_minutes: int
    contracted_minutes: int | None


class RosterOut(Schema):
    id: int
    first_day: date
    last_day: date
    status: str
    costs: dict[str, float]
    assignments: list[AssignmentOut]
    unplaced: list[UnplacedOut]
    hours: list[HoursOut]


class GiveIn(Schema):
    carers: list[str]  # usernames; empty takes the visit off
    override_reason: str = ""


class PublishOut(Schema):
    roster_id: int
    status: str
    changes: int
    notified: int
    already_published: bool


class RequestIn(Schema):
    visit_id: Id
    kind: RequestKind
    reason: str = ""


class RequestOut(Schema):
    id: int
    visit_id: int
    kind: str
    carer: str
    reason: str
    taker: str | None
    status: str
    decision_note: str


class DecisionIn(Schema):
    accept: bool
    note: str = ""
    override_reason: str = ""


class CalendarOut(Schema):
    url: str


class CalendarDetailIn(Schema):
    first_name: bool = Field(default=False, description="Events name the person's first name.")
    full_address: bool = Field(
        default=False, description="Events give the full address, not only the street."
    )
    task: bool = Field(default=False, description="Events name the task.")
    reason: str = Field(
        default="",
        max_length=calendar.DETAIL_REASON_MAX_LENGTH,
        description="Why; needed to send more than the default (400 "
        "calendar_detail_reason_missing).",
    )


class CalendarChoiceOut(Schema):
    first_name: bool
    full_address: bool
    task: bool
    reason: str
    chosen_by_id: int
    chosen_at: datetime


class CalendarDetailOut(Schema):
    first_name: bool = Field(description="In force: events name the person's first name.")
    full_address: bool
    task: bool
    choices: list[CalendarChoiceOut] = Field(description="Every choice made, latest first.")


def _run_out(run: RosterRun) -> dict:
    roster = run.rosters.exclude(status=RosterStatus.WRITING).first()
    return {
        "id": run.pk,
        "first_day": run.first_day,
        "last_day": run.last_day,
        "status": run.status,
        "progress": run.progress,
        "best_cost": run.best_cost,
        "message": run.message,
        "roster_id": roster.pk if roster else None,
    }


def _roster_out(roster: Roster) -> dict:
    assignments = list(roster.assignments.select_related("carer", "visit__person", "visit__task"))
    return {
        "id": roster.pk,
        "first_day": roster.first_day,
        "last_day": roster.last_day,
        "status": roster.status,
        "costs": roster.costs,
        "assignments": [
            {
                "visit_id": a.visit_id,
                "starts_at": a.visit.starts_at,
                "ends_at": a.visit.ends_at,
                "person": a.visit.person.full_name,
                "task": a.visit.task.title,
                "carer": a.carer.username,
                "why": say(a.reasons),
                "override_reason": a.override_reason,
            }
            for a in assignments
        ],
        "unplaced": [
            {
                "visit_id": u.visit_id,
                "starts_at": u.visit.starts_at,
                "person": u.visit.person.full_name,
                "task": u.visit.task.title,
                "why": say(u.reasons),
            }
            for u in roster.unplaced.select_related("visit__person", "visit__task")
        ],
        "hours": [
            {
                "carer": row.carer.username,
                "visit_minutes": row.visit_minutes,
                "travel_minutes": row.travel_minutes,
                "contracted_minutes": row.contracted_minutes,
            }
            for row in hours(
                roster.cooperative,
                roster.first_day,
                roster.last_day,
                [(a.carer_id, a.visit) for a in assignments],
            )
        ],
    }


def _request_out(asked: RosterRequest) -> dict:
    return {
        "id": asked.pk,
        "visit_id": asked.visit_id,
        "kind": asked.kind,
        "carer": asked.carer.username,
        "reason": asked.reason,
        "taker": asked.taker.username if asked.taker else None,
        "status": asked.status,
        "decision_note": asked.decision_note,
    }


@router.post("/{coop}/roster-runs", response={202: RunOut}, summary="Run the planner")
def start_run(request, coop: str, payload: RunIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    run = runs.start_run(
        cooperative, payload.first_day, payload.last_day, request.auth, payload.seconds_per_day
    )
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get("/{coop}/roster-runs/{run_id}", response=RunOut, summary="A run and its progress")
def get_run(request, coop: str, run_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    runs.give_up_lapsed(cooperative)  # a run whose worker stopped answers "failed", and why
    return _run_out(get_object_or_404(RosterRun, cooperative=cooperative, pk=run_id))


@router.post("/{coop}/roster-runs/{run_id}/cancel", response=RunOut, summary="Cancel a run")
def cancel_run(request, coop: str, run_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    run = get_object_or_404(RosterRun, cooperative=cooperative, pk=run_id)
    runs.cancel(run)
    return _run_out(run)


def _roster(request, coop: str, roster_id: int) -> Roster:
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    # A roster still being written by a run is nobody's to read or change yet.
    shown = Roster.objects.exclude(status=RosterStatus.WRITING)
    return get_object_or_404(shown, cooperative=cooperative, pk=roster_id)


@router.get("/{coop}/rosters/{roster_id}", response=RosterOut, summary="A roster")
def get_roster(request, coop: str, roster_id: Id):
    return _roster_out(_roster(request, coop, roster_id))


@router.put(
    "/{coop}/rosters/{roster_id}/visits/{visit_id}",
    response=RosterOut,
    summary="Give a visit of a draft to carers (rules checked), or take it off",
)
def give(request, coop: str, roster_id: Id, visit_id: Id, payload: GiveIn):
    roster = _roster(request, coop, roster_id)
    visit = get_object_or_404(Visit, cooperative=roster.cooperative, pk=visit_id)
    if not payload.carers:
        edits.take_off(roster, visit, request.auth)
    else:
        found = {
            u.username: u for u in carers_of(roster.cooperative).filter(username__in=payload.carers)
        }
        unknown = [name for name in payload.carers if name not in found]
        if unknown:
            raise ValidationError(
                _("Not carers of this cooperative: %(names)s.") % {"names": ", ".join(unknown)},
                code="not_carers",
            )
        edits.give(
            roster, visit, [found[n] for n in payload.carers], request.auth, payload.override_reason
        )
    return _roster_out(roster)


@router.post(
    "/{coop}/rosters/{roster_id}/publish",
    response=PublishOut,
    summary="Publish a draft (publishing it again changes nothing)",
)
def publish(request, coop: str, roster_id: Id):
    done = publishing.publish(
        _roster(request, coop, roster_id),
        request.auth,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return {
        "roster_id": done.roster.pk,
        "status": done.roster.status,
        "changes": done.changes,
        "notified": done.notified,
        "already_published": done.already,
    }


@router.get(
    "/{coop}/roster-requests",
    response=list[RequestOut],
    summary="Open requests (coordinators), or my requests (carers)",
)
def list_requests(request, coop: str):
    cooperative, roles = resolve_cooperative(request.auth, coop, STAFF + CARER)
    found = RosterRequest.objects.filter(cooperative=cooperative).select_related("carer", "taker")
    if Role.COORDINATOR in roles:
        found = found.filter(status=RequestStatus.OPEN)
    else:
        found = found.filter(carer=request.auth)
    return [_request_out(r) for r in found]


@router.post(
    "/{coop}/roster-requests",
    response={201: RequestOut},
    summary="Offer my visit for swap, take an open visit, or contest an assignment",
)
def ask(request, coop: str, payload: RequestIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, CARER)
    visit = get_object_or_404(Visit, cooperative=cooperative, pk=payload.visit_id)
    asked = requests.ask(cooperative, visit, request.auth, payload.kind, payload.reason)
    return Status(201, _request_out(asked))


@router.post(
    "/{coop}/roster-requests/{request_id}/decision",
    response=RequestOut,
    summary="Accept or decline a carer's request",
)
def decide(request, coop: str, request_id: Id, payload: DecisionIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    asked = get_object_or_404(RosterRequest, cooperative=cooperative, pk=request_id)
    requests.decide(asked, request.auth, payload.accept, payload.note, payload.override_reason)
    return _request_out(asked)


def _calendar_out(request, feed) -> dict:
    return {"url": request.build_absolute_uri(reverse("calendar:feed", args=[feed.token]))}


@router.get("/{coop}/calendar", response=CalendarOut, summary="My calendar feed's address")
def my_calendar(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, CARER)
    return _calendar_out(request, calendar.feed_of(cooperative, request.auth))


@router.post(
    "/{coop}/calendar/renew",
    response=CalendarOut,
    summary="Revoke my calendar feed's address and make a new one",
)
def renew_calendar(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, CARER)
    return _calendar_out(request, calendar.renew(cooperative, request.auth))


def _detail_out(cooperative) -> dict:
    detail = calendar.detail_of(cooperative)
    return {
        "first_name": detail.first_name,
        "full_address": detail.full_address,
        "task": detail.task,
        "choices": list(CalendarDetail.objects.filter(cooperative=cooperative)[:50]),
    }


@router.get(
    "/{coop}/calendar-detail",
    response=CalendarDetailOut,
    summary="What the carers' calendar feeds say beyond the default, and the choices made",
)
def calendar_detail(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    return _detail_out(cooperative)


@router.post(
    "/{coop}/calendar-detail",
    response=CalendarDetailOut,
    summary="Choose what calendar feeds say beyond the default (more needs a reason)",
)
def choose_calendar_detail(request, coop: str, payload: CalendarDetailIn):
    """400 ``calendar_detail_reason_missing`` to send more without a reason,
    ``calendar_detail_unchanged`` when calendars already say this."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    calendar.choose_detail(cooperative, request.auth, **payload.dict())
    return _detail_out(cooperative)


# -- days away, cover and the coordinators' board --------------------------------------------


class SickIn(Schema):
    last_day: Day
    note: str = Field("", max_length=200)
    # A coordinator records a carer sick on their behalf by the carer's username; a carer
    # leaves it out (or gives their own).
    carer: str | None = Field(None, max_length=150)


class AbsenceOut(Schema):
    id: int
    carer: str
    kind: str
    first_day: date
    last_day: date
    visits_left: int


class CoverChangeOut(Schema):
    id: int
    visit_id: int
    starts_at: datetime
    person: str
    task: str
    covers: bool  # false: another visit moved to make room
    carers_before: list[str]
    carers: list[str]  # empty: no cover found
    why: str
    reasons: list[str]  # the codes of ``why``, for programs
    accepted: bool
    told: int | None  # circle members told by email once accepted (0: phone them)


class ProposalOut(Schema):
    id: int
    absence_id: int
    proposed_at: datetime
    seconds: float
    changes: list[CoverChangeOut]


class AcceptCoverIn(Schema):
    changes: list[Id] = Field(..., max_length=500)
    override_reason: str = Field("", max_length=300)


class PhoneOut(Schema):
    visit_id: int
    name: str
    phone: str


class AcceptCoverOut(Schema):
    visits: list[int]
    carers_told: int
    circle_told: int
    tell_by_phone: list[PhoneOut]


class BoardRowOut(Schema):
    kind: str
    starts_at: datetime
    asked_at: datetime | None
    visit_id: int | None
    person: str | None
    person_id: int | None
    task: str | None
    carer: str | None  # who asked, or who is away
    request_id: int | None
    absence_id: int | None
    roster_id: int | None
    visits: int
    link: str


def _absence_out(absence: Absence) -> dict:
    return {
        "id": absence.pk,
        "carer": absence.carer.username,
        "kind": absence.kind,
        "first_day": absence.first_day,
        "last_day": absence.last_day,
        "visits_left": visits_left_by(absence).count(),
    }


def _proposal_out(request, proposal: CoverProposal) -> dict:
    changes = list(
        proposal.changes.select_related("visit__person", "visit__task").prefetch_related("carers")
    )
    log_reads(request.auth, {c.visit.person for c in changes}, "cover", via="api")
    users = get_user_model().objects.in_bulk({pk for c in changes for pk in c.had})
    return {
        "id": proposal.pk,
        "absence_id": proposal.absence_id,
        "proposed_at": proposal.proposed_at,
        "seconds": proposal.seconds,
        "changes": [
            {
                "id": c.pk,
                "visit_id": c.visit_id,
                "starts_at": c.visit.starts_at,
                "person": c.visit.person.full_name,
                "task": c.visit.task.title,
                "covers": c.covers,
                "carers_before": [users[pk].username for pk in c.had if pk in users],
                "carers": [u.username for u in c.carers.all()],
                "why": say(c.reasons),
                "reasons": [code for code, _values in c.reasons],
                "accepted": c.accepted_at is not None,
                "told": c.told,
            }
            for c in changes
        ],
    }


@router.post(
    "/{coop}/sick-reports",
    response={201: AbsenceOut},
    summary="Report sick from today until a day (carers for themselves, coordinators for a carer)",
)
def report_sick(request, coop: str, payload: SickIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, STAFF + CARER)
    carer = request.auth
    if payload.carer is not None and payload.carer != carer.username:
        if Role.COORDINATOR not in roles:
            raise PermissionDenied
        carer = carers_of(cooperative).filter(username=payload.carer).first()
        if carer is None:
            raise ValidationError(
                _("Not carers of this cooperative: %(names)s.") % {"names": payload.carer},
                code="not_carers",
            )
    elif Role.CARER not in roles:
        raise ValidationError(_("Name the carer who is sick."), code="not_carers")
    absence = cover.report_sick(cooperative, carer, payload.last_day, payload.note)
    return Status(201, _absence_out(absence))


@router.post(
    "/{coop}/absences/{absence_id}/cover-proposals",
    response={201: ProposalOut},
    summary="Propose cover for the published visits days away leave (changes nothing yet)",
)
def propose_cover(request, coop: str, absence_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    absence = get_object_or_404(Absence, cooperative=cooperative, pk=absence_id)
    return Status(201, _proposal_out(request, cover.propose(absence, request.auth)))


def _proposal(request, coop: str, proposal_id: int) -> CoverProposal:
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    return get_object_or_404(CoverProposal, cooperative=cooperative, pk=proposal_id)


@router.get(
    "/{coop}/cover-proposals/{proposal_id}", response=ProposalOut, summary="A cover proposal"
)
def get_cover_proposal(request, coop: str, proposal_id: Id):
    return _proposal_out(request, _proposal(request, coop, proposal_id))


@router.post(
    "/{coop}/cover-proposals/{proposal_id}/accept",
    response=AcceptCoverOut,
    summary="Accept some changes of a cover proposal (all or none of those given)",
)
def accept_cover(request, coop: str, proposal_id: Id, payload: AcceptCoverIn):
    proposal = _proposal(request, coop, proposal_id)
    done = cover.accept(proposal, payload.changes, request.auth, payload.override_reason)
    return {
        "visits": [c.visit_id for c in done.changed],
        "carers_told": done.carers_told,
        "circle_told": done.circle_told,
        "tell_by_phone": [
            {"visit_id": c.visit_id, "name": name, "phone": phone}
            for c in done.to_phone
            for name, phone in phones_of(c.visit.person)
        ],
    }


@router.get(
    "/{coop}/board",
    response=list[BoardRowOut],
    summary="What waits for a coordinator, the soonest visit first, then the oldest question",
)
def board(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    rows = queries.board(cooperative)
    people = {r.visit.person for r in rows if r.visit} | {r.person for r in rows if r.person}
    log_reads(request.auth, people, "board", via="api")
    return [
        {
            "kind": row.kind,
            "starts_at": row.starts_at,
            "asked_at": row.asked_at,
            "visit_id": row.visit.pk if row.visit else None,
            "person": (
                row.visit.person.full_name
                if row.visit
                else row.person.full_name
                if row.person
                else None
            ),
            "person_id": (
                row.visit.person_id if row.visit else row.person.pk if row.person else None
            ),
            "task": row.visit.task.title if row.visit else None,
            "carer": (
                row.request.carer.username
                if row.request
                else row.absence.carer.username
                if row.absence
                else None
            ),
            "request_id": row.request.pk if row.request else None,
            "absence_id": row.absence.pk if row.absence else None,
            "roster_id": row.roster.pk if row.roster else None,
            "visits": row.visits,
            "link": request.build_absolute_uri(row.link(cooperative.slug)),
        }
        for row in rows
    ]
