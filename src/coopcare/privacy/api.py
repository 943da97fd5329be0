"""API: rights requests (recorded, extended, answered, their export), a person's access
history, the records of processing, the breach register and the month's unusual reads.
Coordinators act; the board reads the requests, the register and the breaches; a circle
member granted the care plan reads the person's access history and makes requests for them.
"""

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from coopcare.bounds import Day, Id, Moment, PositiveCount
from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor
from coopcare.childcare.models import Child
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from coopcare.privacy import access, processing, queries, rules, services
from coopcare.privacy.models import RefusalReason, RightKind
from coopcare.respite.models import Caregiver

router = Router(tags=["data protection"])


class RightsStepOut(Schema):
    step: str
    by_id: int
    text: str
    at: datetime


class RightsRequestOut(Schema):
    id: int
    kind: str
    person_id: int | None
    carer_id: int | None
    member_id: int | None
    child_id: int | None
    caregiver_id: int | None
    requester_name: str
    details: str
    received_on: date
    due_on: date
    overdue: bool
    extension_reason: str
    status: str
    answer: str
    refusal_reason: str
    answered_by_id: int | None
    answered_at: datetime | None
    steps: list[RightsStepOut]

    @staticmethod
    def resolve_overdue(request) -> bool:
        return queries.overdue(request)

    @staticmethod
    def resolve_steps(request) -> list:
        return list(request.steps.all())


class RightsRequestIn(Schema):
    kind: RightKind
    person_id: Id | None = None
    carer_id: Id | None = None
    member_id: Id | None = None
    child_id: Id | None = None
    caregiver_id: Id | None = None
    requester_name: str = Field(min_length=1, max_length=200)
    received_on: Day
    details: str = Field(default="", max_length=4000)


class CircleRightsRequestIn(Schema):
    kind: RightKind
    details: str = Field(default="", max_length=4000)


class RightsExtensionIn(Schema):
    reason: str = Field(max_length=4000)


class RightsAnswerIn(Schema):
    answer: str = Field(max_length=4000)
    refused: bool = False
    refusal_reason: RefusalReason | None = None


class RecordReadOut(Schema):
    at: datetime
    who: str
    roles: list[str]
    record: str
    via: str


class RecordReadsOut(Schema):
    page: int
    pages: int
    count: int
    reads: list[RecordReadOut]


class BreachIn(Schema):
    aware_at: Moment
    nature: str = Field(min_length=1, max_length=4000)
    people_categories: str = Field(min_length=1, max_length=300)
    people_count: int = Field(ge=0, le=1_000_000)
    record_categories: str = Field(min_length=1, max_length=300)
    record_count: int = Field(ge=0, le=1_000_000)
    consequences: str = Field(min_length=1, max_length=4000)
    measures: str = Field(min_length=1, max_length=4000)


class BreachOut(Schema):
    id: int
    aware_at: datetime
    authority_deadline: datetime
    authority: str = Field(description="notified, not_needed, overdue or running.")
    nature: str
    people_categories: str
    people_count: int
    record_categories: str
    record_count: int
    consequences: str
    measures: str
    authority_notified_at: datetime | None
    authority_reference: str
    delay_reason: str
    no_notice_reason: str
    people_told_at: datetime | None
    people_not_told_reason: str

    @staticmethod
    def resolve_authority_deadline(breach) -> datetime:
        return rules.authority_deadline(breach.aware_at)

    @staticmethod
    def resolve_authority(breach) -> str:
        return queries.authority_clock(breach)


class AuthorityNoticeIn(Schema):
    notified_at: Moment | None = None
    reference: str = Field(default="", max_length=100)
    delay_reason: str = Field(default="", max_length=4000)
    no_notice_reason: str = Field(default="", max_length=4000)


class PeopleToldIn(Schema):
    told_at: Moment | None = None
    reason: str = Field(default="", max_length=4000)


class ProcessingActivityOut(Schema):
    activity: str
    purpose: str
    legal_basis: str
    special_categories: str
    data_subjects: str
    personal_data: str
    who_sees_it: list[str]
    retention: str
    transfers: list[str]
    records: list[str]


class UnusualReadOut(Schema):
    kind: str = Field(description="outside_visits, night or many.")
    at: datetime
    who: str
    person: str
    count: int


class UnusualMonthIn(Schema):
    month: str | None = Field(
        default=None,
        pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
        description="YYYY-MM; the last month.",
    )


class ReadsPageIn(Schema):
    page: PositiveCount = 1


@router.get(
    "/{coop}/rights-requests",
    response=list[RightsRequestOut],
    summary="Rights requests, open ones first by due date",
)
def rights_requests(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.OFFICE)
    return queries.requests_of(cooperative).prefetch_related("steps")


@router.post(
    "/{coop}/rights-requests",
    response={201: RightsRequestOut},
    summary=(
        "Record a rights request about a person cared for, a carer, a member, a child (made "
        "by their guardian) or a family caregiver"
    ),
)
def receive_request(request, coop: str, payload: RightsRequestIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    subjects = {
        "person": PersonCaredFor.objects.filter(cooperative=cooperative),
        "carer": get_user_model().objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.CARER
        ),
        "member": Member.objects.filter(cooperative=cooperative),
        "child": Child.objects.filter(cooperative=cooperative),
        "caregiver": Caregiver.objects.filter(cooperative=cooperative),
    }
    data = payload.dict()
    found: dict[str, Any] = {
        name: get_object_or_404(objects, pk=data[f"{name}_id"])
        for name, objects in subjects.items()
        if data[f"{name}_id"] is not None
    }
    made = services.receive_request(
        cooperative,
        by=request.auth,
        kind=payload.kind,
        requester_name=payload.requester_name,
        received_on=payload.received_on,
        details=payload.details,
        **found,
    )
    return Status(201, access.visible_request(cooperative, made.pk))


@router.get(
    "/{coop}/rights-requests/{rights_request_id}",
    response=RightsRequestOut,
    summary="A rights request with its steps",
)
def rights_request(request, coop: str, rights_request_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.OFFICE)
    return access.visible_request(cooperative, rights_request_id)


@router.post(
    "/{coop}/rights-requests/{rights_request_id}/extension",
    response=RightsRequestOut,
    summary="Extend a request by two further months (art. 12(3))",
)
def extend_request(request, coop: str, rights_request_id: Id, payload: RightsExtensionIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    found = access.visible_request(cooperative, rights_request_id)
    services.extend_request(found, by=request.auth, reason=payload.reason)
    return access.visible_request(cooperative, rights_request_id)


@router.post(
    "/{coop}/rights-requests/{rights_request_id}/answer",
    response=RightsRequestOut,
    summary="Answer a request, or refuse it with its reason",
)
def answer_request(request, coop: str, rights_request_id: Id, payload: RightsAnswerIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    found = access.visible_request(cooperative, rights_request_id)
    services.answer_request(
        found,
        by=request.auth,
        answer=payload.answer,
        refused=payload.refused,
        refusal_reason=payload.refusal_reason or "",
    )
    return access.visible_request(cooperative, rights_request_id)


@router.get(
    "/{coop}/rights-requests/{rights_request_id}/export",
    response=dict,
    summary="The data a request of access or portability is answered with "
    "(docs/data-protection.md)",
)
def export_request(request, coop: str, rights_request_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    found = access.visible_request(cooperative, rights_request_id)
    return access.answer_data(request.auth, found, via="api")


def _reads(request, cooperative, person, page: int) -> RecordReadsOut:
    care_access.log_read(request.auth, person, access.READ_LOG, via="api")
    shown = Paginator(queries.reads_of(cooperative, person), queries.READS_PER_PAGE).get_page(page)
    return RecordReadsOut(
        page=shown.number,
        pages=shown.paginator.num_pages,
        count=shown.paginator.count,
        reads=[RecordReadOut(**vars(line)) for line in queries.read_lines(cooperative, shown)],
    )


@router.get(
    "/{coop}/people/{person_id}/reads",
    response=RecordReadsOut,
    summary="Who read the person's records, and when (the latest first, 50 a page)",
)
def person_reads(request, coop: str, person_id: Id, paging: Query[ReadsPageIn]):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.CIRCLE))
    if Role.COORDINATOR in roles:
        person = get_object_or_404(PersonCaredFor, cooperative=cooperative, pk=person_id)
    else:
        person = access.history_grant(request.auth, cooperative, person_id).person
    return _reads(request, cooperative, person, paging.page)


@router.post(
    "/{coop}/people/{person_id}/rights-requests",
    response={201: RightsRequestOut},
    summary="A circle member granted the care plan makes a request for the person",
)
def circle_request(request, coop: str, person_id: Id, payload: CircleRightsRequestIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE,))
    grant = access.history_grant(request.auth, cooperative, person_id)
    made = services.receive_request(
        cooperative,
        by=request.auth,
        kind=payload.kind,
        person=grant.person,
        requester_name=grant.full_name,
        received_on=timezone.localdate(),
        details=payload.details,
    )
    return Status(201, access.visible_request(cooperative, made.pk))


@router.get(
    "/{coop}/records-of-processing",
    response=list[ProcessingActivityOut],
    summary="The records of processing activities (art. 30)",
)
def records_of_processing(request, coop: str):
    resolve_cooperative(request.auth, coop, access.OFFICE)
    return processing.rows()


@router.get(
    "/{coop}/breaches", response=list[BreachOut], summary="The register of personal data breaches"
)
def breaches(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.OFFICE)
    return queries.breaches_of(cooperative)


@router.post("/{coop}/breaches", response={201: BreachOut}, summary="Record a breach")
def record_breach(request, coop: str, payload: BreachIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    return Status(201, services.record_breach(cooperative, by=request.auth, **payload.dict()))


@router.get("/{coop}/breaches/{breach_id}", response=BreachOut, summary="A breach")
def breach(request, coop: str, breach_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.OFFICE)
    return access.visible_breach(cooperative, breach_id)


@router.post(
    "/{coop}/breaches/{breach_id}/authority",
    response=BreachOut,
    summary="Record the notice to the supervisory authority (art. 33), or why none is needed",
)
def notify_authority(request, coop: str, breach_id: Id, payload: AuthorityNoticeIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    found = access.visible_breach(cooperative, breach_id)
    return services.notify_authority(found, **payload.dict())


@router.post(
    "/{coop}/breaches/{breach_id}/people-told",
    response=BreachOut,
    summary="Record when the people were told (art. 34), or why not",
)
def tell_people(request, coop: str, breach_id: Id, payload: PeopleToldIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, access.HANDLERS)
    found = access.visible_breach(cooperative, breach_id)
    return services.tell_people(found, told_at=payload.told_at, reason=payload.reason)


@router.get(
    "/{coop}/unusual-reads",
    response=list[UnusualReadOut],
    summary="A month's unusual reads of care records (docs/data-protection.md)",
)
def unusual_reads(request, coop: str, month: Query[UnusualMonthIn]):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    first, following = queries.month_span(cooperative, month.month)
    return [vars(u) for u in queries.unusual_reads(cooperative, first, following)]
