"""API: a person's risk assessments (every version, signed), goals and reviews, the reviews
due, and making visits double-handed after a moving and handling assessment.

The same rules as on the pages decide who sees what (coordinators; a carer around a visit; a
circle member granted the care plan), and every read of a person's is logged in the care
record read log.
"""

from datetime import date, datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.risks import access, queries, services
from coopcare.risks.models import RiskAssessment
from coopcare.risks.scales import Band, Kind

router = Router(tags=["risks"])
READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)
COORDINATOR = (Role.COORDINATOR,)
Key = Annotated[str, Field(max_length=40)]


class AssessmentOut(Schema):
    id: int
    person_id: int
    kind: str
    version: int
    scale: str
    answers: dict[str, str] = Field(description="Item key to answer key (scored scales only).")
    total: int | None
    band: str
    carers_needed: int
    equipment: str
    notes: str
    assessed_on: date
    next_review_on: date
    assessor_id: int = Field(description="Who signed it.")
    signed_at: datetime


class AssessIn(Schema):
    kind: Kind
    scale: Key
    assessed_on: Day
    answers: dict[Key, Key] = Field(default_factory=dict, max_length=40)
    total: int | None = Field(
        default=None, ge=-999, le=999, description="For a scale whose total is entered."
    )
    band: Band | None = Field(default=None, description="For a scale whose total is entered.")
    carers_needed: int = Field(default=1, ge=0, le=9, description="Moving and handling only.")
    equipment: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=4000)
    next_review_on: Day | None = None


class PlanOut(Schema):
    id: int
    version: int
    valid_from: date


class DoubleHandedIn(Schema):
    valid_from: Day
    task_ids: list[Id] = Field(default_factory=list, max_length=100)


class RatingOut(Schema):
    review_id: int
    held_on: date
    rating: int

    @staticmethod
    def resolve_held_on(rating) -> date:
        return rating.review.held_on


class GoalOut(Schema):
    id: int
    words: str
    set_on: date
    ratings: list[RatingOut] = Field(description="Goal Attainment Scaling, -2 to +2.")

    @staticmethod
    def resolve_ratings(goal) -> list:
        return list(goal.ratings.select_related("review").order_by("review__held_on"))


class GoalIn(Schema):
    words: str = Field(min_length=1, max_length=2000)
    set_on: Day


class RatingIn(Schema):
    goal_id: Id
    rating: int = Field(ge=-9, le=9, description="-2 to +2.")


class ReviewOut(Schema):
    id: int
    held_on: date
    person_took_part: bool
    circle_ids: list[int]
    carer_ids: list[int]
    others: str
    changes: str
    next_review_on: date
    recorded_by_id: int

    @staticmethod
    def resolve_circle_ids(review) -> list[int]:
        return [c.pk for c in review.circle.all()]

    @staticmethod
    def resolve_carer_ids(review) -> list[int]:
        return [c.pk for c in review.carers.all()]


class ReviewIn(Schema):
    held_on: Day
    changes: str = Field(min_length=1, max_length=4000)
    person_took_part: bool = True
    circle_ids: list[Id] = Field(default_factory=list, max_length=100)
    carer_ids: list[Id] = Field(default_factory=list, max_length=100)
    others: str = Field(default="", max_length=300)
    next_review_on: Day | None = None
    ratings: list[RatingIn] = Field(default_factory=list, max_length=100)


class DueOut(Schema):
    person_id: int
    person: str
    review_of: str = Field(description="care_plan, or the kind of risk.")
    due_on: date
    overdue: bool
    after_pause: bool


def _person(request, coop: str, person_id: int, roles=READERS):
    cooperative, held = resolve_cooperative(request.auth, coop, roles)
    return access.visible_person(request.auth, cooperative, held, person_id)


@router.get(
    "/{coop}/people/{person_id}/risk-assessments",
    response=list[AssessmentOut],
    summary="Risk assessments, every version",
)
def list_risk_assessments(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, via="api")
    return person.risk_assessments.all()


@router.post(
    "/{coop}/people/{person_id}/risk-assessments",
    response={201: AssessmentOut},
    summary="Sign a new version of a risk assessment",
)
def assess(request, coop: str, person_id: Id, payload: AssessIn):
    person = _person(request, coop, person_id, COORDINATOR)
    data = payload.dict() | {"band": payload.band or ""}
    return Status(201, services.assess(person, by=request.auth, **data))


@router.post(
    "/{coop}/risk-assessments/{assessment_id}/double-handed",
    response={201: PlanOut},
    summary="Make the chosen tasks' visits double-handed (a new care plan version)",
)
def double_handed(request, coop: str, assessment_id: Id, payload: DoubleHandedIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    assessment = get_object_or_404(
        RiskAssessment.objects.select_related("person"),
        pk=assessment_id,
        person__cooperative=cooperative,
    )
    plan = services.make_visits_double_handed(
        assessment, task_ids=payload.task_ids, valid_from=payload.valid_from, by=request.auth
    )
    return Status(201, plan)


@router.get("/{coop}/people/{person_id}/goals", response=list[GoalOut], summary="Goals")
def list_goals(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, via="api")
    return person.goals.all()


@router.post("/{coop}/people/{person_id}/goals", response={201: GoalOut}, summary="Record a goal")
def set_goal(request, coop: str, person_id: Id, payload: GoalIn):
    person = _person(request, coop, person_id, COORDINATOR)
    return Status(201, services.set_goal(person, by=request.auth, **payload.dict()))


@router.get(
    "/{coop}/people/{person_id}/reviews", response=list[ReviewOut], summary="Reviews, newest first"
)
def list_reviews(request, coop: str, person_id: Id):
    person = _person(request, coop, person_id)
    access.log_read(request.auth, person, via="api")
    return person.reviews.prefetch_related("circle", "carers")


@router.post(
    "/{coop}/people/{person_id}/reviews", response={201: ReviewOut}, summary="Record a review"
)
def record_review(request, coop: str, person_id: Id, payload: ReviewIn):
    person = _person(request, coop, person_id, COORDINATOR)
    data = payload.dict()
    data["ratings"] = {r["goal_id"]: r["rating"] for r in data["ratings"]}
    return Status(201, services.record_review(person, by=request.auth, **data))


@router.get(
    "/{coop}/reviews/due",
    response=list[DueOut],
    summary="Reviews overdue and due within 30 days, the most overdue first",
)
def reviews_due(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    rows = queries.people_due(cooperative, timezone.localdate())
    access.log_due(request.auth, rows, via="api")
    return [
        {
            "person_id": due.person.pk,
            "person": due.person.full_name,
            "review_of": due.kind or "care_plan",
            "due_on": due.due_on,
            "overdue": due.overdue,
            "after_pause": due.after_pause,
        }
        for due in rows
    ]
