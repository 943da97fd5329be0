"""API: family caregivers the cooperative supports (their needs, consent, support plans and
respite visits), and the support groups and training sessions with who is enrolled and who
came.

The same rules as on the pages decide who sees a caregiver (coordinators; a carer around the
respite visits they make; the caregiver themself), and every read of a record is logged."""

from datetime import date, datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id, Moment
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.respite import access, queries, services
from coopcare.respite.models import Caregiver, Gathering, GatheringKind

router = Router(tags=["respite"])
COORDINATOR = (Role.COORDINATOR,)
Name = Annotated[str, Field(max_length=200)]
Hours = Annotated[int, Field(ge=0, le=168)]


class CaregiverOut(Schema):
    id: int
    full_name: str
    phone: str
    cares_for_id: int | None = Field(description="The person cared for, if the cooperative's.")
    user_id: int | None = Field(description="Their login, if they have one.")
    cares_for_whom: str
    hours_caring_a_week: int
    asks_respite: bool
    asks_group: bool
    asks_training: bool
    notes: str
    consent_given_on: date
    consent_withdrawn_on: date | None
    since: date
    ended_on: date | None


class CaregiverIn(Schema):
    full_name: Name
    cares_for_whom: Name
    hours_caring_a_week: Hours
    consent_given_on: Day
    since: Day
    phone: str = Field(default="", max_length=40)
    cares_for_id: Id | None = None
    user_id: Id | None = Field(default=None, description="Their login, if they have one.")
    asks_respite: bool = False
    asks_group: bool = False
    asks_training: bool = False
    notes: str = Field(default="", max_length=4000)


class SupportPlanOut(Schema):
    id: int
    version: int
    valid_from: date
    goals: str
    respite_hours_a_month: int


class SupportPlanIn(Schema):
    valid_from: Day
    goals: str = Field(min_length=1, max_length=4000)
    respite_hours_a_month: Annotated[int, Field(ge=0, le=744)]


class EndSupportIn(Schema):
    on: Day
    consent_withdrawn: bool = False


class RespiteVisitOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    status: str


class EnrolmentOut(Schema):
    gathering_id: int
    caregiver_id: int
    attended: bool | None = Field(description="Unknown until attendance is recorded.")


class CaregiverDetailOut(CaregiverOut):
    plans: list[SupportPlanOut]
    respite_visits: list[RespiteVisitOut]
    enrolments: list[EnrolmentOut]


class GatheringOut(Schema):
    id: int
    kind: GatheringKind
    topic: str
    starts_at: datetime
    minutes: int
    place: str
    online_link: str
    facilitator_id: int
    enrolments: list[EnrolmentOut]

    @staticmethod
    def resolve_enrolments(gathering) -> list:
        return list(gathering.enrolments.all())


class GatheringIn(Schema):
    kind: GatheringKind
    topic: Name
    starts_at: Moment
    minutes: Annotated[int, Field(ge=1, le=1440)]
    facilitator_id: Id
    place: str = Field(default="", max_length=200)
    online_link: str = Field(default="", max_length=200, pattern=r"^(https?://\S+)?$")


class EnrolIn(Schema):
    caregiver_id: Id


class AttendedIn(Schema):
    caregiver_ids: list[Id] = Field(max_length=500, description="Those who came; the rest did not.")


def _detail(caregiver: Caregiver) -> dict:
    return {
        **{f: getattr(caregiver, f) for f in CaregiverOut.model_fields},
        "plans": list(caregiver.plans.all()),
        "respite_visits": queries.respite_visits(caregiver),
        "enrolments": list(caregiver.enrolments.all()),
    }


@router.get("/{coop}/caregivers", response=list[CaregiverOut], summary="Family caregivers")
def list_caregivers(request, coop: str):
    cooperative, roles = resolve_cooperative(request.auth, coop, form="runs_respite")
    found = list(access.caregivers_visible_to(request.auth, cooperative, roles))
    # The list carries each record, notes included: every one is a read.
    access.log_reads(request.auth, found, via="api")
    return found


@router.post(
    "/{coop}/caregivers", response={201: CaregiverOut}, summary="Register a family caregiver"
)
def register_caregiver(request, coop: str, payload: CaregiverIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    data = payload.dict()
    person_id, user_id = data.pop("cares_for_id"), data.pop("user_id")
    if user_id is not None:
        data["user"] = get_object_or_404(get_user_model(), pk=user_id)
    if person_id is not None:
        data["cares_for"] = get_object_or_404(PersonCaredFor, pk=person_id, cooperative=cooperative)
    return Status(201, services.register_caregiver(cooperative, by=request.auth, **data))


@router.get(
    "/{coop}/caregivers/{caregiver_id}",
    response=CaregiverDetailOut,
    summary="A family caregiver's record",
)
def get_caregiver(request, coop: str, caregiver_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, form="runs_respite")
    caregiver = access.visible_caregiver(request.auth, cooperative, roles, caregiver_id)
    access.log_read(request.auth, caregiver, via="api")
    return _detail(caregiver)


@router.post(
    "/{coop}/caregivers/{caregiver_id}/support-plans",
    response={201: SupportPlanOut},
    summary="A new version of a caregiver's support plan",
)
def new_support_plan(request, coop: str, caregiver_id: Id, payload: SupportPlanIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    caregiver = get_object_or_404(Caregiver, pk=caregiver_id, cooperative=cooperative)
    return Status(201, services.new_support_plan(caregiver, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/caregivers/{caregiver_id}/end-support",
    response=CaregiverOut,
    summary="End a caregiver's support",
)
def end_support(request, coop: str, caregiver_id: Id, payload: EndSupportIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    caregiver = get_object_or_404(Caregiver, pk=caregiver_id, cooperative=cooperative)
    return services.end_support(caregiver, **payload.dict())


@router.get(
    "/{coop}/gatherings", response=list[GatheringOut], summary="Support groups and training"
)
def list_gatherings(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    return list(queries.gatherings(cooperative).prefetch_related("enrolments"))


@router.post(
    "/{coop}/gatherings",
    response={201: GatheringOut},
    summary="Plan a support group meeting or a training session",
)
def plan_gathering(request, coop: str, payload: GatheringIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    data = payload.dict()
    facilitator = get_object_or_404(get_user_model(), pk=data.pop("facilitator_id"))
    return Status(201, services.plan_gathering(cooperative, facilitator=facilitator, **data))


def _gathering(request, coop: str, gathering_id: int) -> Gathering:
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR, "runs_respite")
    return get_object_or_404(Gathering, pk=gathering_id, cooperative=cooperative)


@router.get(
    "/{coop}/gatherings/{gathering_id}",
    response=GatheringOut,
    summary="A support group meeting or training session",
)
def get_gathering(request, coop: str, gathering_id: Id):
    return _gathering(request, coop, gathering_id)


@router.post(
    "/{coop}/gatherings/{gathering_id}/enrolments",
    response={201: EnrolmentOut},
    summary="Enrol a caregiver",
)
def enrol(request, coop: str, gathering_id: Id, payload: EnrolIn):
    gathering = _gathering(request, coop, gathering_id)
    caregiver = get_object_or_404(
        Caregiver, pk=payload.caregiver_id, cooperative_id=gathering.cooperative_id
    )
    return Status(201, services.enrol(gathering, caregiver))


@router.post(
    "/{coop}/gatherings/{gathering_id}/attended",
    response=list[EnrolmentOut],
    summary="Record who came",
)
def record_attendance(request, coop: str, gathering_id: Id, payload: AttendedIn):
    gathering = _gathering(request, coop, gathering_id)
    return services.record_attendance(gathering, set(payload.caregiver_ids))
