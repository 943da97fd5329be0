"""API: a person's body map (every mark with its follow-ups, healed ones included), a new mark
(which raises an incident) and a follow-up of a mark.

The same rules as on the page decide who does what: coordinators, and a carer around a visit
with the person, read and add; a circle member granted the care plan reads. Every read is
logged in the care record read log.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bodymap import access, queries, services
from coopcare.bodymap.models import Category, FollowUpStatus, MarkKind
from coopcare.bodymap.outline import HEIGHT, WIDTH, Region, Side
from coopcare.bounds import Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.visits.models import Visit

router = Router(tags=["body map"])
Centimetres = Annotated[Decimal, Field(ge=0, le=999, max_digits=4, decimal_places=1)]


class FollowUpOut(Schema):
    id: int
    status: str
    notes: str
    length_cm: Decimal | None
    width_cm: Decimal | None
    by_id: int
    at: datetime
    visit_id: int | None


class MarkOut(Schema):
    id: int
    person_id: int
    number: int = Field(description="The mark's number on the person's map.")
    side: str
    x: int = Field(description=f"Across the drawing, 0 to {WIDTH}.")
    y: int = Field(description=f"Down the drawing, 0 to {HEIGHT}.")
    region: str
    kind: str
    category: str = Field(description="A pressure ulcer's NPIAP/EPUAP category, else empty.")
    length_cm: Decimal | None
    width_cm: Decimal | None
    description: str
    recorded_by_id: int
    recorded_at: datetime
    visit_id: int | None
    incident_id: int = Field(description="The incident the mark raised.")
    healed: bool
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(mark) -> list:
        return list(mark.follow_ups.all())


class MarkIn(Schema):
    side: Side
    region: Region
    kind: MarkKind
    category: Category | None = Field(default=None, description="For a pressure ulcer only.")
    x: int | None = Field(
        default=None, ge=0, le=WIDTH, description="Without x and y, the region's middle."
    )
    y: int | None = Field(default=None, ge=0, le=HEIGHT)
    length_cm: Centimetres | None = None
    width_cm: Centimetres | None = None
    description: str = Field(max_length=4000)
    visit_id: Id | None = Field(default=None, description="The visit it was found on.")


class FollowUpIn(Schema):
    status: FollowUpStatus
    notes: str = Field(default="", max_length=4000)
    length_cm: Centimetres | None = None
    width_cm: Centimetres | None = None
    visit_id: Id | None = None


def _visit(cooperative, visit_id: int | None) -> Visit | None:
    if visit_id is None:
        return None
    return get_object_or_404(Visit, pk=visit_id, cooperative=cooperative)


@router.get(
    "/{coop}/people/{person_id}/body-marks",
    response=list[MarkOut],
    summary="The body map: every mark with its follow-ups",
)
def list_marks(request, coop: str, person_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.READERS)
    person = access.visible_person(request.auth, cooperative, roles, person_id)
    access.log_read(request.auth, person, via="api")
    return queries.marks(person)


@router.post(
    "/{coop}/people/{person_id}/body-marks",
    response={201: MarkOut},
    summary="Record a mark on the body map (it raises an incident)",
)
def add_mark(request, coop: str, person_id: Id, payload: MarkIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.WRITERS)
    person = access.writable_person(request.auth, cooperative, roles, person_id)
    data = payload.dict(exclude={"visit_id"}) | {"category": payload.category or ""}
    mark = services.add_mark(
        person, by=request.auth, visit=_visit(cooperative, payload.visit_id), **data
    )
    return Status(201, queries.marks(person).get(pk=mark.pk))


@router.post(
    "/{coop}/body-marks/{mark_id}/follow-ups",
    response={201: FollowUpOut},
    summary="Record how a mark looks now",
)
def follow_up(request, coop: str, mark_id: Id, payload: FollowUpIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.WRITERS)
    mark = access.writable_mark(request.auth, cooperative, roles, mark_id)
    data = payload.dict(exclude={"visit_id"})
    visit = _visit(cooperative, payload.visit_id)
    return Status(201, services.follow_up(mark, by=request.auth, visit=visit, **data))
