"""API: visits, the offline-tolerant check-in and check-out, verification and incidents,
handover notes, and the requests about visits of the person's circle with their answers.

A phone that lost its connection keeps its check-ins and sends them later with the time they
happened and an id it made (a UUID). Sending the same id again returns the record already
made (200) instead of a second one (201); a record that arrives late is kept and flagged.
"""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coopcare.api_errors import error_body
from coopcare.bounds import ClockTime, Day, Id, Moment
from coopcare.care import queries as care_queries
from coopcare.care.access import door_facts_at_visits, log_reads
from coopcare.care.models import CareTask, PersonCaredFor
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.rostering.planning import carers_of
from coopcare.rostering.services import visit_changes
from coopcare.visits import queries, requests, rules, services
from coopcare.visits.access import (
    handover_reader_of,
    handover_writer_of,
    log_handover_reads,
    log_request_reads,
    note_of,
    note_to_acknowledge,
    request_grant,
    visits_of,
    visits_on_days,
)
from coopcare.visits.models import (
    Incident,
    IncidentKind,
    Requester,
    Severity,
    Visit,
    VisitRecord,
    VisitRequest,
    VisitRequestKind,
    VisitRequestStatus,
)
from coopcare.visits.requests import REASON_MAX_LENGTH
from coopcare.visits.services import HANDOVER_MAX_LENGTH
from coopcare.visits.zones import on_cooperative_clock

router = Router(tags=["visits"])
VISIT_ROLES = (Role.COORDINATOR, Role.CARER)
HANDOVER_READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)
COORDINATOR = (Role.COORDINATOR,)


class AllergyAtDoor(Schema):
    substance: str
    reaction: str


class ConditionAtDoor(Schema):
    name: str
    notes: str


class DecisionAtDoor(Schema):
    kind: str
    made_on: date
    kept_where: str = Field(description="Who holds the original, or where it is in the home.")
    notes: str
    current: bool


class AccessAtDoor(Schema):
    key_safe_code: str
    entry: str
    parking: str
    hazards: str
    emergency_contacts: str


class DoorOut(Schema):
    """What a carer must know at the door, for the phone's offline copy of the day."""

    allergies: list[AllergyAtDoor]
    advance_decisions: list[DecisionAtDoor] = Field(alias="decisions")
    conditions: list[ConditionAtDoor]
    access: AccessAtDoor | None


class VisitOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    address: str = Field(alias="person.address")
    task: str = Field(alias="task.title")
    steps: list[str] = Field(alias="task.step_list")
    instructions: str = Field(alias="task.instructions")
    starts_at: datetime
    ends_at: datetime
    double_handed: bool
    carer_ids: list[int]
    status: str
    verification: str = Field(alias="person.verification")
    door: DoorOut | None = Field(
        description="For a carer, only within 24 hours of the visit (logged as a read)."
    )

    @staticmethod
    def resolve_carer_ids(visit):
        return [c.pk for c in visit.carers.all()]

    @staticmethod
    def resolve_door(visit, context):
        # Looked up for the whole list at once (``list_visits``); other answers have none.
        return getattr(context["request"], "door_at_visits", {}).get(visit.pk)


class OutcomeSchema(Schema):
    step: str
    done: bool
    reason: str = ""


class EvvOut(Schema):
    type_of_service: str
    person_receiving: str
    date: date
    location: str
    person_providing: str
    start: datetime
    end: datetime | None


class RecordOut(Schema):
    id: int
    visit_id: int
    carer_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    check_in_id: UUID
    check_out_id: UUID | None
    uploaded_late: bool
    verification: str
    verified_how: str
    verified_at: datetime | None = Field(
        description="When the record counted as verified (null: not yet; an implausible "
        "record counts only once a coordinator accepted it)."
    )
    notes: str
    outcomes: list[OutcomeSchema]
    evv: EvvOut
    implausible: list[str] = Field(
        alias="implausible_codes",
        description="Why the record is implausible (too_short, event_outside_visit); empty: "
        "it is plausible.",
    )
    carer_reason: str = Field(description="The carer's word on an implausible record.")
    accepted_at: datetime | None = Field(
        description="When a coordinator accepted the implausible record."
    )
    accepted_by_id: int | None

    @staticmethod
    def resolve_outcomes(record):
        return list(record.outcomes.all())

    @staticmethod
    def resolve_evv(record):
        return record.evv()


class UploadOut(Schema):
    record: RecordOut
    location_kept: bool = Field(
        description="False when coordinates were sent but the person has not consented to "
        "location: they were not stored."
    )
    advice: str = Field(
        default="",
        description="For the carer, when the person chose verification by location and the "
        "location does not verify the visit: why, and what to do instead (empty: nothing).",
    )


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=services.REASON_MAX_LENGTH)


class CheckInIn(Schema):
    client_id: UUID = Field(description="Made by the device; resending it never duplicates.")
    at: Moment = Field(description="When it happened, on the device, with its UTC offset.")
    latitude: float | None = None
    longitude: float | None = None


class CheckOutIn(CheckInIn):
    steps: list[OutcomeSchema] = Field(description="Each step of the task, done or not and why.")
    notes: str = ""
    handover: str = Field(
        default="",
        max_length=HANDOVER_MAX_LENGTH,
        description="For the next carer: a handover note kept with the person and shown at "
        "the next carers' visits (empty: none).",
    )
    tapped: bool = Field(default=False, description="The person tapped to confirm the visit.")
    reason: str = Field(
        default="",
        max_length=services.REASON_MAX_LENGTH,
        description="The carer's word when the visit went unusually (far shorter than "
        "planned, say): kept with a record flagged implausible for the coordinator who "
        "reviews it. It can also be given afterwards (records/{record_id}/reason).",
    )
    code: str = Field(
        default="",
        max_length=6,
        description="The person's confirmation code. A wrong one is answered 400 "
        f"wrong_confirmation_code; after {rules.WRONG_CODES_PER_VISIT} wrong codes for a "
        f"visit, or {rules.WRONG_CODES_PER_CARER} by one carer, within an hour, codes (even "
        "the right one) are answered 400 too_many_wrong_codes without being compared: send "
        "tapped instead.",
    )


class MissedIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class CancelIn(Schema):
    requested_by: Requester = Field(
        description="Who asked: the person, their circle, the cooperative or a carer "
        "(care_status is for the cancellations a change of care status makes)."
    )
    reason: str = Field(min_length=1, max_length=300)


class CancellationOut(Schema):
    id: int
    visit_id: int
    requested_by: str
    reason: str
    cancelled_at: datetime
    cancelled_by_id: int | None
    short_notice: bool = Field(
        description=f"Cancelled less than {rules.SHORT_NOTICE.total_seconds() / 3600:.0f} "
        "hours before the visit starts (the cooperative's policy)."
    )


class NewVisitIn(Schema):
    task_id: Id = Field(description="A task of the person's care plan in force that day.")
    starts_at: Moment
    minutes: int = Field(ge=5, le=12 * 60)
    double_handed: bool = False
    carers: list[str] = Field(
        default=[],
        max_length=2,
        description="Usernames; given only where a published roster covers the day, checked "
        "as a roster edit. Empty: the visit is open in the published roster.",
    )
    override_reason: str = Field(default="", max_length=300)


class MoveIn(Schema):
    starts_at: Moment | None = Field(default=None, description="The new time, if it moves.")
    carers: list[str] | None = Field(
        default=None,
        max_length=2,
        description="Usernames of the carers to give it to; none keeps its carers.",
    )
    reason: str = Field(default="", max_length=300)
    override_reason: str = Field(default="", max_length=300)


class IncidentIn(Schema):
    client_id: UUID | None = Field(
        default=None,
        description="Made by the device; resending it never reports the incident twice "
        "(none: each call is a new incident).",
    )
    occurred_at: Moment
    kind: IncidentKind
    severity: Severity
    description: str = Field(min_length=1)
    action_taken: str = ""


class IncidentOut(Schema):
    id: int
    person_id: int
    visit_id: int | None
    reported_by_id: int
    occurred_at: datetime
    kind: str
    severity: str
    description: str
    action_taken: str
    closed_on: date | None
    outcome: str


def _visits(request, coop: str, allowed=VISIT_ROLES):
    """A coordinator's cooperative's visits, or a carer's own."""
    cooperative, roles = resolve_cooperative(request.auth, coop, allowed)
    return visits_of(request.auth, cooperative, roles).select_related("person", "task")


def _upload(outcome: services.Recorded):
    body = {
        "record": outcome.record,
        "location_kept": outcome.location_kept,
        "advice": outcome.advice,
    }
    return Status(201 if outcome.created else 200, body)


@router.get("/{coop}/visits", response=list[VisitOut], summary="Visits of a day")
def list_visits(request, coop: str, day: Day | None = None, person_id: Id | None = None):
    """A carer gets their own visits; a coordinator all, or one person's with ``person_id``."""
    day = day or timezone.localdate()
    cooperative, roles = resolve_cooperative(request.auth, coop, VISIT_ROLES)
    # A range the index on the start finds, not the date of every visit (``starts_at__date``).
    found = visits_on_days(request.auth, cooperative, roles, day, day).select_related(
        "person", "task"
    )
    if person_id is not None:
        found = found.filter(person_id=person_id)
    visits = list(found.prefetch_related("carers"))
    log_reads(request.auth, {v.person_id: v.person for v in visits}.values(), "visits", "api")
    request.door_at_visits = door_facts_at_visits(
        request.auth, cooperative, roles, visits, via="api"
    )
    return visits


@router.post(
    "/{coop}/visits/{visit_id}/check-in",
    response={200: UploadOut, 201: UploadOut},
    summary="Check in (201 new, 200 a resend of the same client_id)",
)
def check_in(request, coop: str, visit_id: Id, payload: CheckInIn):
    """400 ``check_in_far_from_plan`` outside the hours a check-in is taken, with
    ``allowed_from`` and ``allowed_until`` in the body."""
    visit = get_object_or_404(_visits(request, coop, (Role.CARER,)), pk=visit_id)
    try:
        return _upload(services.check_in(visit, request.auth, **payload.dict()))
    except services.OutsideCheckInWindow as refused:
        message = " ".join(refused.messages)
        body = error_body(
            "check_in_far_from_plan",
            message,
            errors=[message],
            allowed_from=on_cooperative_clock(refused.allowed_from, visit.cooperative).isoformat(),
            allowed_until=on_cooperative_clock(
                refused.allowed_until, visit.cooperative
            ).isoformat(),
        )
        return JsonResponse(body, status=400)


@router.post(
    "/{coop}/visits/{visit_id}/check-out",
    response={200: UploadOut, 201: UploadOut},
    summary="Check out with the steps done (201 new, 200 a resend of the same client_id)",
)
def check_out(request, coop: str, visit_id: Id, payload: CheckOutIn):
    visit = get_object_or_404(_visits(request, coop, (Role.CARER,)), pk=visit_id)
    return _upload(services.check_out(visit, request.auth, **payload.dict()))


@router.get(
    "/{coop}/visits/{visit_id}/records", response=list[RecordOut], summary="A visit's records"
)
def visit_records(request, coop: str, visit_id: Id):
    visit = get_object_or_404(_visits(request, coop), pk=visit_id)
    log_reads(request.auth, [visit.person], "visit records", "api")
    return visit.records.select_related("person__cooperative", "carer").prefetch_related("outcomes")


@router.post("/{coop}/visits/{visit_id}/missed", response=VisitOut, summary="Mark a visit missed")
def mark_missed(request, coop: str, visit_id: Id, payload: MissedIn):
    visit = get_object_or_404(_visits(request, coop, COORDINATOR), pk=visit_id)
    return services.mark_missed(visit, payload.reason)


def _carers(cooperative, usernames: list[str]) -> list:
    found = {u.username: u for u in carers_of(cooperative).filter(username__in=usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise ValidationError(
            _("Not carers of this cooperative: %(names)s.") % {"names": ", ".join(unknown)},
            code="not_carers",
        )
    return [found[name] for name in usernames]


@router.post(
    "/{coop}/visits/{visit_id}/cancel",
    response=CancellationOut,
    summary="Cancel a visit (who asked and why, kept for billing)",
)
def cancel_visit(request, coop: str, visit_id: Id, payload: CancelIn):
    """Its carers are told the time they no longer go. 400 ``visit_begun`` for a visit under
    way, over or already cancelled."""
    visit = get_object_or_404(_visits(request, coop, COORDINATOR), pk=visit_id)
    log_reads(request.auth, [visit.person], "visit change", "api")
    return visit_changes.cancel(visit, payload.requested_by, payload.reason, request.auth)


@router.post(
    "/{coop}/people/{person_id}/visits",
    response={201: VisitOut},
    summary="Add a one-off visit",
)
def add_visit(request, coop: str, person_id: Id, payload: NewVisitIn):
    """A one-off visit of a task of the care plan in force that day."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    person = get_object_or_404(PersonCaredFor, cooperative=cooperative, pk=person_id)
    task = get_object_or_404(CareTask, plan__person=person, pk=payload.task_id)
    log_reads(request.auth, [person], "visit change", "api")
    visit = visit_changes.add(
        person,
        task,
        payload.starts_at,
        payload.minutes,
        request.auth,
        double_handed=payload.double_handed,
        carers=_carers(cooperative, payload.carers),
        override_reason=payload.override_reason,
    )
    return Status(201, visit)


@router.post(
    "/{coop}/visits/{visit_id}/move",
    response=VisitOut,
    summary="Move a visit to another time, or give it to other carers",
)
def move_visit(request, coop: str, visit_id: Id, payload: MoveIn):
    """Checked as a roster edit (hard rules always; soft rules need ``override_reason``). A
    move in time answers the new visit: the old one is cancelled, recorded as moved."""
    visit = get_object_or_404(_visits(request, coop, COORDINATOR), pk=visit_id)
    log_reads(request.auth, [visit.person], "visit change", "api")
    carers = None if payload.carers is None else _carers(visit.cooperative, payload.carers)
    return visit_changes.move(
        visit,
        request.auth,
        starts_at=payload.starts_at,
        carers=carers,
        reason=payload.reason,
        override_reason=payload.override_reason,
    )


@router.post(
    "/{coop}/visits/{visit_id}/incidents",
    response={200: IncidentOut, 201: IncidentOut},
    summary="Report an incident on a visit (201 new, 200 a resend of the same client_id)",
)
def report_incident(request, coop: str, visit_id: Id, payload: IncidentIn):
    """400 ``upload_id_reused`` for a ``client_id`` already sent with another visit's or
    another reporter's incident."""
    visit = get_object_or_404(_visits(request, coop), pk=visit_id)
    sent = services.report_incident_once(visit, request.auth, **payload.dict())
    return Status(201 if sent.created else 200, sent.incident)


@router.get("/{coop}/late-visits", response=list[VisitOut], summary="Visits late to start")
def late_visits(request, coop: str):
    """The visits nobody has checked in to past ``rules.LATE_START_AFTER`` after their planned
    start, not yet over, soonest first (coordinators)."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    visits = list(queries.late_to_start(cooperative))
    log_reads(request.auth, {v.person_id: v.person for v in visits}.values(), "visits", "api")
    return visits


@router.get("/{coop}/incidents", response=list[IncidentOut], summary="Incidents")
def list_incidents(request, coop: str, open_only: bool = True):
    """The cooperative's incidents, open ones only unless ``open_only`` is false
    (coordinators); each person whose incidents are read is in the care read log."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    incidents = Incident.objects.filter(cooperative=cooperative).select_related("person")
    if open_only:
        incidents = incidents.filter(closed_on=None)
    found = list(incidents)
    log_reads(request.auth, {i.person_id: i.person for i in found}.values(), "incidents", "api")
    return found


@router.post(
    "/{coop}/records/{record_id}/phone-confirmation",
    response=RecordOut,
    summary="The person confirmed the visit on a phone call",
)
def confirm_by_phone(request, coop: str, record_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    record = get_object_or_404(VisitRecord, pk=record_id, visit__cooperative=cooperative)
    return services.confirm_by_phone(record, request.auth)


# The most visits confirmed in one call: a day's round of phone calls, many times over.
CONFIRM_AT_ONCE = 500


class ConfirmManyIn(Schema):
    record_ids: list[Id] = Field(
        min_length=1,
        max_length=CONFIRM_AT_ONCE,
        description="The visit records the person or their circle confirmed on the phone.",
    )


@router.post(
    "/{coop}/records/phone-confirmations",
    response=list[RecordOut],
    summary="Several visits confirmed on phone calls, verified together: all or none",
)
def confirm_many_by_phone(request, coop: str, payload: ConfirmManyIn):
    """400 ``not_confirmable`` names each record that cannot be verified (not checked out yet,
    already verified) and verifies none; 404 when an id is not a visit record of the
    cooperative."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    wanted = set(payload.record_ids)
    records = list(
        VisitRecord.objects.filter(pk__in=wanted, visit__cooperative=cooperative).select_related(
            "person__cooperative", "carer"
        )
    )
    if len(records) != len(wanted):
        raise Http404(_("No such visit record."))
    log_reads(
        request.auth, {r.person_id: r.person for r in records}.values(), "visit records", "api"
    )
    return services.confirm_many_by_phone(records, request.auth)


@router.post(
    "/{coop}/records/{record_id}/reason",
    response=RecordOut,
    summary="The carer says why their visit record is as recorded (an implausible record)",
)
def explain_record(request, coop: str, record_id: Id, payload: ReasonIn):
    """The record's own carer, until a coordinator accepted it (400
    ``record_already_accepted``)."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CARER,))
    record = get_object_or_404(
        VisitRecord, pk=record_id, visit__cooperative=cooperative, carer=request.auth
    )
    return services.explain_record(record, request.auth, payload.reason)


@router.post(
    "/{coop}/records/{record_id}/acceptance",
    response=RecordOut,
    summary="Accept an implausible record after review (it may then count as verified)",
)
def accept_record(request, coop: str, record_id: Id):
    """400 ``record_not_implausible``, ``record_already_accepted``, or
    ``carer_reason_missing`` while the carer has not said why."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    record = get_object_or_404(VisitRecord, pk=record_id, visit__cooperative=cooperative)
    log_reads(request.auth, [record.person], "visit records", "api")
    return services.accept_record(record, request.auth)


# -- handover notes ----------------------------------------------------------------------------


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class AcknowledgementOut(Schema):
    carer_id: int
    carer_name: str
    at: datetime

    @staticmethod
    def resolve_carer_name(acknowledgement):
        return _name(acknowledgement.carer)


class HandoverNoteOut(Schema):
    id: int
    person_id: int
    visit_id: int | None
    text: str
    written_by_id: int
    written_by_name: str
    written_at: datetime
    retired_at: datetime | None = Field(description="Marked no longer relevant at (or null).")
    retired_by_id: int | None
    acknowledgements: list[AcknowledgementOut] = Field(description="Who read it, and when.")

    @staticmethod
    def resolve_written_by_name(note):
        return _name(note.written_by)

    @staticmethod
    def resolve_acknowledgements(note):
        # Prefetched with their carers (``queries.handover_of``, ``handover_note``).
        return list(note.acknowledgements.all())


class HandoverIn(Schema):
    text: str = Field(min_length=1, max_length=HANDOVER_MAX_LENGTH)
    visit_id: Id | None = Field(
        default=None,
        description="A carer's own visit to the person the note goes with; without it, a "
        "carer's note goes with their visit to the person within the hours around visits.",
    )


@router.get(
    "/{coop}/people/{person_id}/handover-notes",
    response=list[HandoverNoteOut],
    summary="A person's handover notes (the last 30 days)",
)
def list_handover_notes(request, coop: str, person_id: Id):
    """Coordinators; a carer within the hours around a visit to the person; a circle member
    granted the visit notes. Each read is logged."""
    cooperative, roles = resolve_cooperative(request.auth, coop, HANDOVER_READERS)
    person = handover_reader_of(request.auth, cooperative, roles, person_id)
    notes = list(queries.handover_of(person))
    log_handover_reads(request.auth, [person], "api")
    return notes


@router.post(
    "/{coop}/people/{person_id}/handover-notes",
    response={201: HandoverNoteOut},
    summary="Write a handover note for the next carer",
)
def write_handover_note(request, coop: str, person_id: Id, payload: HandoverIn):
    """A coordinator, or a carer within the hours around a visit to the person."""
    cooperative, roles = resolve_cooperative(request.auth, coop, VISIT_ROLES)
    person = handover_writer_of(request.auth, cooperative, roles, person_id)
    if payload.visit_id is not None:
        visits = visits_of(request.auth, cooperative, roles)
        visit = get_object_or_404(visits, pk=payload.visit_id)
    elif Role.COORDINATOR in roles:
        visit = None
    else:
        visit = queries.window_visit(request.auth, person)
    note = services.write_handover(person, request.auth, payload.text, visit=visit)
    return Status(201, queries.handover_note(note))


@router.post(
    "/{coop}/handover-notes/{note_id}/acknowledgement",
    response=HandoverNoteOut,
    summary="The carer read a handover note",
)
def acknowledge_handover_note(request, coop: str, note_id: Id):
    """Reading it again keeps the first time. 400 ``handover_note_own`` for the carer's own."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CARER,))
    note = note_to_acknowledge(request.auth, cooperative, note_id)
    services.acknowledge_handover(note, request.auth)
    log_handover_reads(request.auth, [note.person], "api")
    return queries.handover_note(note)


@router.post(
    "/{coop}/handover-notes/{note_id}/no-longer-relevant",
    response=HandoverNoteOut,
    summary="Mark a handover note no longer relevant (it is kept)",
)
def retire_handover_note(request, coop: str, note_id: Id):
    """400 ``handover_already_retired`` when it already is."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    note = services.retire_handover(note_of(cooperative, note_id), request.auth)
    log_handover_reads(request.auth, [note.person], "api")
    return queries.handover_note(note)


# -- requests about visits: the person's circle asks, a coordinator answers --------------------


class ProblemOut(Schema):
    code: str | None
    message: str


class VisitRequestOut(Schema):
    id: int
    person_id: int
    kind: VisitRequestKind
    visit_id: int | None = Field(description="The visit to move or cancel.")
    visit_starts_at: datetime | None = Field(description="Its start when asked.")
    starts_at: datetime | None = Field(
        description="A move: the new start. An extra visit: the window's start."
    )
    ends_by: datetime | None = Field(description="An extra visit: the window's end.")
    task_id: int | None
    task: str | None = Field(description="The task of the visit, or of the extra visit.")
    reason: str
    asked_by_id: int
    asked_as: str = Field(description="person (their legal representative asked) or circle.")
    asked_at: datetime
    status: VisitRequestStatus
    answered_at: datetime | None
    answer: str = Field(description="Why it was refused, or the coordinator's word with it.")
    outcome_visit_id: int | None = Field(
        alias="outcome_id",
        description="Accepted: the visit as it now is (the new one of a move or an extra "
        "visit, the cancelled one).",
    )
    outcome_starts_at: datetime | None

    @staticmethod
    def resolve_task(asked):
        task = asked.task if asked.task_id else asked.visit and asked.visit.task
        return task.title if task else None

    @staticmethod
    def resolve_outcome_starts_at(asked):
        return asked.outcome.starts_at if asked.outcome_id else None


class WaitingRequestOut(VisitRequestOut):
    checks: list[ProblemOut] = Field(
        description="What accepting it as it is would meet, under the checks of a roster "
        "edit (empty: nothing). Soft rules come with override_reason_missing."
    )

    @staticmethod
    def resolve_checks(asked, context):
        return context["request"].request_checks[asked.pk]


class AskIn(Schema):
    kind: VisitRequestKind
    visit_id: Id | None = Field(default=None, description="move, cancel and trial: the visit.")
    day: Day | None = Field(default=None, description="move and extra: the day.")
    at: ClockTime | None = Field(
        default=None, description="move: the new time; extra: the window's start."
    )
    until: ClockTime | None = Field(default=None, description="extra: the window's end.")
    task_id: Id | None = Field(default=None, description="extra: a task of the care plan.")
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH)


class AcceptIn(Schema):
    starts_at: Moment | None = Field(
        default=None,
        description="An extra visit's start, within the window asked (default: its start).",
    )
    answer: str = Field(default="", max_length=300)
    override_reason: str = Field(default="", max_length=300)
    carer_id: Id | None = Field(
        default=None, description="A trial: the carer new to the person who comes."
    )


class RefuseIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH)


def _people_requests(request, coop: str, person_id: int):
    """The person, for a coordinator or a circle member granted their visits; 404 otherwise."""
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.CIRCLE))
    if Role.COORDINATOR in roles:
        return get_object_or_404(PersonCaredFor, cooperative=cooperative, pk=person_id)
    return request_grant(request.auth, cooperative, person_id).person


@router.get(
    "/{coop}/people/{person_id}/visit-requests",
    response=list[VisitRequestOut],
    summary="The requests about a person's visits, and their answers",
)
def list_visit_requests(request, coop: str, person_id: Id):
    """Coordinators, and circle members granted the person's visits. Each read is logged."""
    person = _people_requests(request, coop, person_id)
    log_request_reads(request.auth, [person], "api")
    return list(queries.requests_about(person))


def _moment_or_none(day, at):
    return services.local_moment(day, at) if day is not None and at is not None else None


@router.post(
    "/{coop}/people/{person_id}/visit-requests",
    response={201: VisitRequestOut},
    summary="Ask to move or cancel a visit, for an extra one, or to meet a new carer at one",
)
def ask_visit_request(request, coop: str, person_id: Id, payload: AskIn):
    """A circle member granted the person's visits; a trial (a carer new to the person comes
    for the visit, chosen by the coordinator) only with the grant to choose carers (else
    403). The coordinators are told a request waits. 400 ``request_pending`` when one about
    the visit already waits."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE,))
    grant = request_grant(request.auth, cooperative, person_id)
    person = grant.person
    visit = task = None
    if payload.visit_id is not None:
        visit = get_object_or_404(Visit, person=person, pk=payload.visit_id)
    if payload.task_id is not None:
        task = get_object_or_404(CareTask, plan__person=person, pk=payload.task_id)
    asked = requests.ask(
        person,
        payload.kind,
        payload.reason,
        request.auth,
        grant,
        visit=visit,
        task=task,
        starts_at=_moment_or_none(payload.day, payload.at),
        ends_by=_moment_or_none(payload.day, payload.until),
    )
    log_request_reads(request.auth, [person], "api")
    return Status(201, asked)


@router.get(
    "/{coop}/visit-requests",
    response=list[WaitingRequestOut],
    summary="Requests about visits waiting for an answer, oldest first",
)
def waiting_visit_requests(request, coop: str):
    """Each with what accepting it would meet under the checks of a roster edit. Reading them
    is logged for each person."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    waiting = list(queries.requests_waiting(cooperative))
    log_request_reads(request.auth, {r.person_id: r.person for r in waiting}.values(), "api")
    request.request_checks = {
        r.pk: [
            {"code": e.code, "message": " ".join(e.messages)}
            for e in requests.checks(r, request.auth)
        ]
        for r in waiting
    }
    return waiting


def _waiting_request(request, coop: str, visit_request_id: int) -> VisitRequest:
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    asked = get_object_or_404(VisitRequest, cooperative=cooperative, pk=visit_request_id)
    log_request_reads(request.auth, [asked.person], "api")
    return asked


@router.post(
    "/{coop}/visit-requests/{visit_request_id}/accept",
    response=VisitRequestOut,
    summary="Accept a request: the change is made as a roster edit",
)
def accept_visit_request(request, coop: str, visit_request_id: Id, payload: AcceptIn):
    """Checked as a roster edit (hard rules always; soft rules need ``override_reason``).
    400 ``request_outdated`` when the visit changed or passed since it was asked,
    ``request_answered`` when it has an answer already; for a trial, ``trial_carer_missing``
    without ``carer_id``, ``carer_not_in_cooperative`` or ``trial_carer_known`` for a carer who
    cannot come for it."""
    asked = _waiting_request(request, coop, visit_request_id)
    fields = payload.dict()
    carer_id = fields.pop("carer_id")
    carer = None
    if carer_id is not None:
        carer = care_queries.carers_of(asked.cooperative).filter(pk=carer_id).first()
        if carer is None:
            raise ValidationError(
                _("Choose a carer of the cooperative."), code="carer_not_in_cooperative"
            )
    return requests.accept(asked, request.auth, carer=carer, **fields)


@router.post(
    "/{coop}/visit-requests/{visit_request_id}/refuse",
    response=VisitRequestOut,
    summary="Refuse a request, saying why in plain words",
)
def refuse_visit_request(request, coop: str, visit_request_id: Id, payload: RefuseIn):
    asked = _waiting_request(request, coop, visit_request_id)
    return requests.refuse(asked, request.auth, payload.reason)
