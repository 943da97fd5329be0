"""API: roster runs, draft and published rosters, manual edits, publishing, carers' requests
and calendar feeds."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.rostering import calendar
from coopcare.rostering.models import (
    RequestKind,
    RequestStatus,
    Roster,
    RosterRequest,
    RosterRun,
    RosterStatus,
)
from coopcare.rostering.planning import carers_of
from coopcare.rostering.reports import hours
from coopcare.rostering.services import edits, publishing, requests, runs
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
    done = publishing.publish(_roster(request, coop, roster_id), request.auth)
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
