"""API: people cared for, the edits of their record and its history, their assessments, care
plans, circle, consents, signatures and data export.

Coordinators reach everyone in their cooperative; a carer reaches a person only while they
have visits with them. Every read of a care record is logged (GDPR art. 9 and 30).
"""

import base64
import binascii
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coopcare.bounds import ClockTime, Day, Id, PositiveCount
from coopcare.care import access, export, queries, rules, scales, services
from coopcare.care.models import (
    AdvanceDecisionKind,
    Capacity,
    CarerGender,
    CareStatus,
    CircleMember,
    ConsentKind,
    Domain,
    Funding,
    PersonCaredFor,
    Relationship,
    ServiceType,
    Verification,
)
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.rostering.services.care_status import change_care_status
from coopcare.visits.models import BreakKind

router = Router(tags=["care"])
CARE_ROLES = (Role.COORDINATOR, Role.CARER)
COORDINATOR = (Role.COORDINATOR,)


class PersonSummary(Schema):
    id: int
    full_name: str
    status: str
    address: str
    city: str
    latitude: Decimal | None = Field(description="Empty while the home is not placed.")
    longitude: Decimal | None = Field(description="Empty while the home is not placed.")


class PersonOut(PersonSummary):
    date_of_birth: date | None
    phone: str
    postcode: str
    languages: str
    carer_gender: str
    pets: str
    smoking_home: bool
    preferences: str
    funding: str
    verification: str
    since: date | None
    preferred_carer_ids: list[int]
    refused_carer_ids: list[int]

    @staticmethod
    def resolve_preferred_carer_ids(person):
        return sorted(person.preferred_carers.values_list("pk", flat=True))

    @staticmethod
    def resolve_refused_carer_ids(person):
        return sorted(person.refused_carers.values_list("pk", flat=True))


class PersonIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: Day | None = None
    phone: str = Field(default="", max_length=40)
    address: str = Field(min_length=1, max_length=300)
    postcode: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=120)
    latitude: Decimal | None = Field(
        default=None,
        ge=-90,
        le=90,
        decimal_places=6,
        description="Leave both coordinates out to place the home later; the person cannot be "
        "rostered until it is placed.",
    )
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, decimal_places=6)
    languages: str = Field(default="", max_length=120)
    carer_gender: CarerGender = CarerGender.ANY
    pets: str = Field(default="", max_length=120)
    smoking_home: bool = False
    preferences: str = ""
    funding: Funding = Funding.PUBLIC_BODY
    preferred_carers: list[Id] = Field(
        default=[], max_length=100, description="Ids of carers of the cooperative."
    )
    refused_carers: list[Id] = Field(
        default=[], max_length=100, description="Ids of carers of the cooperative."
    )
    status: CareStatus = CareStatus.REFERRAL
    on: Day


class PersonPatch(Schema):
    """The fields to change; those left out keep their value. ``null`` clears the date of
    birth; for the other fields it means the same as leaving them out."""

    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    date_of_birth: Day | None = None
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    postcode: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=120)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, decimal_places=6)
    languages: str | None = Field(default=None, max_length=120)
    carer_gender: CarerGender | None = None
    pets: str | None = Field(default=None, max_length=120)
    smoking_home: bool | None = None
    preferences: str | None = Field(default=None, max_length=5000)
    funding: Funding | None = None
    preferred_carers: list[Id] | None = Field(
        default=None, max_length=100, description="Ids of carers of the cooperative (all of them)."
    )
    refused_carers: list[Id] | None = Field(
        default=None, max_length=100, description="Ids of carers of the cooperative (all of them)."
    )


class ChangeOut(Schema):
    field: str
    old: str = Field(description="The value before, as stored (carers by name).")
    new: str = Field(description="The value after, as stored (carers by name).")
    by_id: int
    at: datetime
    via: str

    @staticmethod
    def resolve_by_id(change):
        return change.edit.user_id

    @staticmethod
    def resolve_at(change):
        return change.edit.at

    @staticmethod
    def resolve_via(change):
        return change.edit.via


class SignatureOut(Schema):
    id: int
    plan_version: int | None
    consent_to: str | None
    signer_name: str
    capacity: str
    drawn: bool
    typed_name: str
    content: str = Field(description="What was signed, as shown: JSON text.")
    content_sha256: str
    collected_by_id: int
    signed_at: datetime

    @staticmethod
    def resolve_plan_version(signature):
        return signature.plan.version if signature.plan else None

    @staticmethod
    def resolve_consent_to(signature):
        return signature.consent.kind if signature.consent else None


class SignatureIn(Schema):
    plan_version: PositiveCount | None = Field(
        default=None, description="The care plan version signed; or give consent_to."
    )
    consent_to: ConsentKind | None = Field(
        default=None, description="The consent signed; or give plan_version."
    )
    signer_name: str = Field(min_length=1, max_length=200)
    capacity: Capacity
    drawing_png: str | None = Field(
        default=None,
        max_length=rules.SIGNATURE_MAX_BYTES * 4 // 3 + 4,
        description="The drawn signature: a PNG image in base64.",
    )
    typed_name: str = Field(
        default="", max_length=200, description="Without a drawing: the signer's full name."
    )
    confirmed: bool = Field(
        default=False, description="The signer confirms the typed name is their signature."
    )
    content_sha256: str = Field(
        default="",
        max_length=64,
        description="The SHA-256 of what was shown to the signer; refused if it changed.",
    )
    on: Day | None = Field(
        default=None, description="The day a consent is given; today if left out."
    )


class StatusIn(Schema):
    status: CareStatus
    on: Day
    reason: str = Field(default="", max_length=300)
    # For a pause: a pause or a hospital stay, and its last day (none: until care resumes).
    kind: BreakKind = BreakKind.PAUSE
    until: Day | None = None


class ConsentIn(Schema):
    kind: ConsentKind
    given_by: str = Field(min_length=1, max_length=200)
    capacity: Capacity | None = Field(
        default=None, description="In which capacity given_by consents."
    )
    on: Day


class VerificationIn(Schema):
    method: Verification


class AssessmentOut(Schema):
    id: int
    on: date
    domain: str
    scale: str
    items: dict
    score: int | None = Field(
        description="The scale's total; null without a scale, or for an incomplete assessment."
    )
    unanswered_items: list[str] = Field(
        description="Items of the scale without one of its answers (only assessments recorded "
        "before every item was required can have some); such an assessment has no score."
    )
    notes: str
    assessor_id: int


class AssessmentIn(Schema):
    domain: Domain
    on: Day
    scale: str = Field(default="", description="katz_adl, lawton_iadl, or empty for notes only.")
    items: dict[str, str] = Field(
        default={},
        description="With a scale, every item of it, each with the key of one of its answers "
        "(see /assessment-scales). An assessment with items left out is refused.",
    )
    notes: str = ""


class RuleBroken(Schema):
    """The API's 400 body, as its shared handler writes it (documented here for clients)."""

    detail: str
    code: str = Field(description="The rule broken, e.g. incomplete_assessment.")
    errors: list[str]


class ConditionIO(Schema):
    name: str = Field(min_length=1, max_length=120)
    notes: str = Field(default="", max_length=300, description="What to watch for.")


class AdvanceDecisionIO(Schema):
    kind: AdvanceDecisionKind
    made_on: Day
    kept_where: str = Field(
        min_length=1, max_length=200, description="Who holds the original, or where it is kept."
    )
    notes: str = Field(default="", max_length=300)
    current: bool = Field(default=True, description="Whether it is in force.")


class DoorAccessIO(Schema):
    key_safe_code: str = Field(default="", max_length=20)
    entry: str = Field(default="", max_length=2000, description="How to get in.")
    parking: str = Field(default="", max_length=300)
    hazards: str = Field(default="", max_length=300, description="Pets and hazards at the door.")
    emergency_contacts: str = Field(default="", max_length=2000)


class DoorFactsIO(Schema):
    """What carers must know at the door, replaced as a whole (allergies are medication's)."""

    conditions: list[ConditionIO] = Field(max_length=50)
    advance_decisions: list[AdvanceDecisionIO] = Field(max_length=20)
    access: DoorAccessIO


def _door_body(person: PersonCaredFor) -> dict:
    facts = queries.door_facts(person.cooperative, [person.pk], with_access=True)[person.pk]
    door = facts.access
    return {
        "conditions": facts.conditions,
        "advance_decisions": facts.decisions,
        "access": {
            name: getattr(door, name) if door else "" for name in services.DOOR_ACCESS_FIELDS
        },
    }


class ScaleOptionOut(Schema):
    key: str
    text: str
    points: int


class ScaleItemOut(Schema):
    key: str
    label: str
    options: list[ScaleOptionOut]


class ScaleOut(Schema):
    key: str
    name: str
    max_score: int
    items: list[ScaleItemOut]


class TaskSchema(Schema):
    title: str = Field(min_length=1, max_length=200)
    instructions: str = ""
    steps: str = ""
    rrule: str = Field(min_length=1, max_length=200)
    start_time: ClockTime
    duration_minutes: int = Field(ge=5, le=24 * 60)
    skills: str = Field(default="", max_length=200)
    double_handed: bool = False
    service_type: ServiceType = ServiceType.PERSONAL_CARE


class PlanOut(Schema):
    id: int
    version: int
    valid_from: date
    goals: str
    tasks: list[TaskSchema]

    @staticmethod
    def resolve_tasks(plan):
        return list(plan.tasks.all())


class PlanIn(Schema):
    valid_from: Day
    goals: str = Field(min_length=1)
    tasks: list[TaskSchema]


class CircleOut(Schema):
    id: int
    full_name: str
    relationship: str
    phone: str
    user_id: int | None
    may_see_visits: bool
    may_see_notes: bool
    may_see_care_plan: bool
    may_choose_carers: bool
    may_message: bool
    granted_by: str
    granted_on: date
    revoked_on: date | None


class CircleIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    relationship: Relationship
    phone: str = Field(default="", max_length=40)
    may_see_visits: bool = False
    may_see_notes: bool = False
    may_see_care_plan: bool = False
    may_choose_carers: bool = False
    may_message: bool = True
    granted_by: str = Field(min_length=1, max_length=200)
    granted_on: Day


class TeamCarerOut(Schema):
    id: int
    first_name: str = Field(description="The carer's first name only.")
    coming: list[datetime] = Field(description="Their planned visits in the next 7 days.")
    last_visit: date | None = Field(description="The day they last came, in the last 6 weeks.")
    choice: str = Field(description='"preferred", "refused" or "" for neither.')
    photo: bool = Field(
        description="Whether the carer's photo may be shown (GET .../carers/{id}/photo): "
        "they agree, and are coming or came lately."
    )


class ComingCarerOut(Schema):
    id: int
    first_name: str = Field(description="The carer's first name only.")
    initials: str = Field(description="Shown when there is no photo.")
    photo: bool = Field(description="Whether the carer's photo may be shown.")


class ComingVisitOut(Schema):
    starts_at: datetime
    carers: list[ComingCarerOut] = Field(description="None yet: a carer is still to be given.")


class ComingDayOut(Schema):
    day: date
    visits: list[ComingVisitOut]


class TeamOut(Schema):
    may_choose: bool = Field(description="Whether this circle member may change the choices.")
    carers: list[TeamCarerOut]
    coming_week: list[ComingDayOut] = Field(
        description="Who is coming in the next 7 days, day by day; empty unless the member "
        "is granted the person's visits."
    )


class TeamIn(Schema):
    preferred: list[Id] = Field(description="The carers the person prefers, all of them.")
    refused: list[Id] = Field(description="The carers the person refuses, all of them.")


class ConfirmationCodeOut(Schema):
    person_id: int
    confirmation_code: str = Field(
        description="The person's new six-digit code, answered this once: give it to them, "
        "not to carers. The old code no longer works."
    )


def _person(request, coop: str, person_id: int, allowed=CARE_ROLES) -> PersonCaredFor:
    cooperative, roles = resolve_cooperative(request.auth, coop, allowed)
    visible = access.people_visible_to(request.auth, cooperative, roles)
    return get_object_or_404(visible, pk=person_id)


@router.get("/{coop}/people", response=list[PersonSummary], summary="People cared for")
def list_people(request, coop: str, status: CareStatus | None = None):
    cooperative, roles = resolve_cooperative(request.auth, coop, CARE_ROLES)
    visible = access.people_visible_to(request.auth, cooperative, roles)
    if status:
        visible = visible.filter(status=status)
    people = list(visible.order_by("full_name"))
    access.log_reads(request.auth, people, "list", via="api")
    return people


@router.post("/{coop}/people", response={201: PersonOut}, summary="Record a person cared for")
def admit_person(request, coop: str, payload: PersonIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    person = services.admit_person(cooperative, recorded_by=request.auth, **payload.dict())
    return Status(201, person)


@router.get("/{coop}/people/{person_id}", response=PersonOut, summary="One person cared for")
def get_person(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, "record", via="api")
    return person


@router.patch(
    "/{coop}/people/{person_id}",
    response={200: PersonOut, 400: RuleBroken},
    summary="Change the person's record (each change kept in its history)",
)
def edit_person(request, coop: str, person_id: Id, payload: PersonPatch):
    """Fields left out keep their value; a request that changes nothing records nothing. The
    status, the visit verification and the confirmation code have their own operations."""
    person = _person(request, coop, person_id, COORDINATOR)
    fields = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name == "date_of_birth"
    }
    services.edit_person(person, request.auth, via="api", **fields)
    return person


@router.get(
    "/{coop}/people/{person_id}/door",
    response=DoorFactsIO,
    summary="What carers must know at the door: conditions, advance decisions, access "
    "(coordinators; the key safe code included, logged as a read)",
)
def get_door(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id, COORDINATOR)
    access.log_read(request.auth, person, "door", via="api")
    return _door_body(person)


@router.put(
    "/{coop}/people/{person_id}/door",
    response={200: DoorFactsIO, 400: RuleBroken},
    summary="Replace what carers must know at the door (coordinators; each change kept in "
    "the record's history)",
)
def put_door(request, coop: str, person_id: Id, payload: DoorFactsIO):
    person = _person(request, coop, person_id, COORDINATOR)
    services.set_door_facts(
        person,
        request.auth,
        conditions=[c.dict() for c in payload.conditions],
        decisions=[d.dict() for d in payload.advance_decisions],
        access=payload.access.dict(),
        via="api",
    )
    return _door_body(person)


@router.get(
    "/{coop}/people/{person_id}/changes",
    response=list[ChangeOut],
    summary="The history of the person's record, newest first",
)
def list_changes(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id, COORDINATOR)
    access.log_read(request.auth, person, "history", via="api")
    return queries.changes_of(person.cooperative, person)


@router.get(
    "/{coop}/people/{person_id}/signatures",
    response=list[SignatureOut],
    summary="What the person signed (care plan versions and consents), newest first",
)
def list_signatures(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, "signatures", via="api")
    return queries.signatures_of(person.cooperative, person)


@router.post(
    "/{coop}/people/{person_id}/signatures",
    response={201: SignatureOut, 400: RuleBroken},
    summary="Record the signature of a care plan version or a consent",
)
def sign(request, coop: str, person_id: Id, payload: SignatureIn):
    """Signed on the screen of the caller: a coordinator, or a carer who serves the person.
    The signature is a drawing (``drawing_png``) or the typed name with ``confirmed``."""
    person = _person(request, coop, person_id)
    if (payload.plan_version is None) == (payload.consent_to is None):
        raise ValidationError(
            _("Sign either a care plan version or a consent."), code="nothing_to_sign"
        )
    drawing = None
    if payload.drawing_png:
        try:
            drawing = base64.b64decode(payload.drawing_png, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                _("The drawn signature is not a PNG image."), code="not_png"
            ) from None
    signature = {
        "signer_name": payload.signer_name,
        "capacity": payload.capacity,
        "drawing": drawing,
        "typed_name": payload.typed_name,
        "confirmed": payload.confirmed,
        "shown_sha256": payload.content_sha256,
        "by": request.auth,
        "via": "api",
    }
    if payload.consent_to is not None:
        on = payload.on or timezone.localdate()
        return Status(201, services.sign_consent(person, payload.consent_to, on=on, **signature))
    plan = get_object_or_404(person.plans, version=payload.plan_version)
    return Status(201, services.sign_care_plan(plan, **signature))


@router.post("/{coop}/people/{person_id}/status", response=PersonOut, summary="Change status")
def change_status(request, coop: str, person_id: Id, payload: StatusIn):
    """A pause or a hospital stay cancels the person's visits of its days, the end of care
    every visit from its day (carers are told; 400 ``status_date_in_past`` for a day gone,
    ``pause_ends_before_start``); ``active`` after them plans the visits again (400
    ``status_unchanged`` when already active)."""
    person = _person(request, coop, person_id, COORDINATOR)
    change_care_status(
        person,
        payload.status,
        payload.on,
        request.auth,
        payload.reason,
        payload.kind,
        payload.until,
    )
    return person


@router.post(
    "/{coop}/people/{person_id}/consents", response={201: PersonOut}, summary="Record a consent"
)
def give_consent(request, coop: str, person_id: Id, payload: ConsentIn):
    person = _person(request, coop, person_id, COORDINATOR)
    services.give_consent(
        person,
        payload.kind,
        payload.given_by,
        payload.on,
        request.auth,
        capacity=payload.capacity or "",
    )
    return Status(201, person)


@router.post(
    "/{coop}/people/{person_id}/verification",
    response=PersonOut,
    summary="Set the visit verification the person chose",
)
def choose_verification(request, coop: str, person_id: Id, payload: VerificationIn):
    person = _person(request, coop, person_id, COORDINATOR)
    return services.choose_verification(person, payload.method)


@router.post(
    "/{coop}/people/{person_id}/confirmation-code",
    response=ConfirmationCodeOut,
    summary="Give the person a new visit confirmation code (the old one stops working)",
)
def renew_confirmation_code(request, response: HttpResponse, coop: str, person_id: Id):
    """For a code someone else may know (see the wrong codes on the follow-up page) or one the
    person forgot. The new code is in this answer; the person's page does not show it."""
    person = _person(request, coop, person_id, COORDINATOR)
    code = services.renew_confirmation_code(person, request.auth)
    # Answered once: no copy in a client's cache or a proxy's.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return {"person_id": person.pk, "confirmation_code": code}


@router.get(
    "/{coop}/people/{person_id}/assessments",
    response=list[AssessmentOut],
    summary="Needs assessments, newest first",
)
def list_assessments(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, "assessments", via="api")
    return person.assessments.all()


@router.post(
    "/{coop}/people/{person_id}/assessments",
    response={201: AssessmentOut, 400: RuleBroken},
    summary="Record a needs assessment (with a scale, every item answered)",
)
def record_assessment(request, coop: str, person_id: Id, payload: AssessmentIn):
    person = _person(request, coop, person_id, COORDINATOR)
    # A refusal (an incomplete scale, say) is the service's ValidationError, answered 400 with
    # its code by the API's shared handler.
    assessment = services.record_assessment(person, assessor=request.auth, **payload.dict())
    return Status(201, assessment)


@router.get(
    "/{coop}/assessment-scales",
    response=list[ScaleOut],
    summary="The standard assessment scales: items, answers and their points",
)
def assessment_scales(request, coop: str):
    resolve_cooperative(request.auth, coop, CARE_ROLES)
    return [
        {
            "key": key,
            "name": str(scale.name),
            "max_score": scale.max_score,
            "items": [
                {
                    "key": item_key,
                    "label": str(item.label),
                    "options": [
                        {"key": k, "text": str(o.text), "points": o.points}
                        for k, o in item.options.items()
                    ],
                }
                for item_key, item in scale.items.items()
            ],
        }
        for key, scale in scales.SCALES.items()
    ]


@router.get(
    "/{coop}/people/{person_id}/plans", response=list[PlanOut], summary="Care plan versions"
)
def list_plans(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, "care plan", via="api")
    return person.plans.prefetch_related("tasks")


@router.post(
    "/{coop}/people/{person_id}/plans",
    response={201: PlanOut},
    summary="Write the next care plan version (its visits are planned for four weeks)",
)
def new_plan(request, coop: str, person_id: Id, payload: PlanIn):
    person = _person(request, coop, person_id, COORDINATOR)
    data = payload.dict()
    plan = services.new_care_plan(
        person,
        valid_from=data["valid_from"],
        goals=data["goals"],
        tasks=data["tasks"],
        by=request.auth,
    )
    return Status(201, plan)


@router.get("/{coop}/people/{person_id}/circle", response=list[CircleOut], summary="The circle")
def list_circle(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id, COORDINATOR)
    access.log_read(request.auth, person, "circle", via="api")
    return person.circle.all()


@router.post(
    "/{coop}/people/{person_id}/circle",
    response={201: CircleOut},
    summary="Add someone to the circle with what the person grants",
)
def add_to_circle(request, coop: str, person_id: Id, payload: CircleIn):
    person = _person(request, coop, person_id, COORDINATOR)
    member: CircleMember = services.add_to_circle(person, **payload.dict())
    return Status(201, member)


@router.get(
    "/{coop}/people/{person_id}/export",
    response=dict,
    summary="Everything held about the person (GDPR art. 15 and 20)",
)
def export_person(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id, COORDINATOR)
    access.log_read(request.auth, person, "export", via="api")
    return export.person_data(person)


def _team(grant: CircleMember) -> TeamOut:
    now = timezone.now()
    carers = queries.team_of(grant.person, now)
    days = queries.coming_this_week(grant.person, now) if grant.may_see_visits else []
    queries.mark_photos(grant.person, days, carers)
    return TeamOut(
        may_choose=grant.can_choose_carers,
        carers=[TeamCarerOut(**vars(carer)) for carer in carers],
        coming_week=[ComingDayOut(**asdict(day)) for day in days],
    )


@router.get(
    "/{coop}/people/{person_id}/circle/carers",
    response=TeamOut,
    summary="The person's carers and their choices, as their circle sees them",
)
def circle_carers(request, coop: str, person_id: Id):
    """For a member of the person's circle: the carers coming in the next 7 days and those
    who came in the last 6 weeks, by first name, with the person's choice of each."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE,))
    grant = access.circle_grant(request.auth, cooperative, person_id)
    access.log_read(request.auth, grant.person, "circle carers", via="api")
    return _team(grant)


@router.put(
    "/{coop}/people/{person_id}/circle/carers",
    response=TeamOut,
    summary="Set the carers the person prefers and refuses",
)
def choose_circle_carers(request, coop: str, person_id: Id, payload: TeamIn):
    """For a circle member granted the choice, or the legal representative (else 403). No
    reason is asked for a refusal; the next roster follows the choice. 400
    ``carer_not_met`` for a carer who has not come and is not coming,
    ``carer_preferred_and_refused`` for a carer in both lists."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE,))
    grant = access.circle_grant(request.auth, cooperative, person_id)
    services.choose_carers(grant, preferred=payload.preferred, refused=payload.refused, via="api")
    access.log_read(request.auth, grant.person, "circle carers", via="api")
    return _team(grant)
