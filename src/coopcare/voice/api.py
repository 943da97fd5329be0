"""API: feedback on a visit (given by a circle member granted the person's visits; read by
coordinators, by its author, and by a carer once shared with them), and complaints (filed by
a circle member or a coordinator on someone's behalf, taken through their steps, the register
for coordinators and the board, the cooperative's deadlines).

The same rules as on the pages decide who does what. Every read of feedback or of a
complaint is logged in the care record read log.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.voice import access, queries, services
from coopcare.voice.models import About, Audience, Outcome, Score, Step

router = Router(tags=["feedback and complaints"])


class FeedbackOut(Schema):
    id: int
    person_id: int
    visit_id: int
    visit_starts_at: datetime
    author_id: int
    score: int = Field(description="1 (very poor) to 5 (very good).")
    words: str
    given_at: datetime
    changed_at: datetime | None
    shared_with_carers: bool

    @staticmethod
    def resolve_visit_starts_at(feedback) -> datetime:
        return feedback.visit.starts_at


class FeedbackIn(Schema):
    score: Score
    words: str = Field(default="", max_length=2000)


class SharingIn(Schema):
    shared: bool


class StepOut(Schema):
    step: str
    on: date
    by_id: int
    text: str
    outcome: str


class ComplaintOut(Schema):
    id: int
    number: int
    person_id: int
    about: str
    carer_id: int | None
    complainant_name: str
    description: str
    received_on: date
    acknowledge_by: date
    answer_by: date
    appeal_by: date | None
    status: str
    outcome: str
    acknowledgement: str = Field(description="met, missed, overdue or pending.")
    answer: str = Field(description="met, missed, overdue or pending.")
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(complaint) -> list:
        return list(complaint.steps.all())

    @staticmethod
    def resolve_acknowledgement(complaint) -> str:
        return queries.register_row(complaint, queries.today(complaint.cooperative)).acknowledgement

    @staticmethod
    def resolve_answer(complaint) -> str:
        return queries.register_row(complaint, queries.today(complaint.cooperative)).answer


class ComplaintIn(Schema):
    about: About
    carer_id: Id | None = Field(default=None, description="When it is about a carer.")
    description: str = Field(max_length=4000)
    complainant_name: str | None = Field(
        default=None,
        max_length=200,
        description="Who complains, when a coordinator files it on their behalf.",
    )
    received_on: Day | None = Field(
        default=None, description="When a coordinator files it: the day it was received."
    )


class StepIn(Schema):
    step: Step
    on: Day | None = Field(default=None, description="Today unless told.")
    text: str = Field(default="", max_length=8000)
    outcome: Outcome | None = Field(
        default=None, description="For an answer, and for the board's decision on an appeal."
    )


class RegisterFilter(Schema):
    status: Step | None = None
    outcome: Outcome | None = None
    about: About | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    overdue: bool = False


class PolicyIO(Schema):
    acknowledge_working_days: int = Field(ge=1, le=30)
    answer_working_days: int = Field(ge=1, le=130)
    appeal_working_days: int = Field(ge=1, le=130)


@router.get(
    "/{coop}/people/{person_id}/feedback",
    response=list[FeedbackOut],
    summary="Feedback on the person's visits (a circle member: their own)",
)
def person_feedback(request, coop: str, person_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.CIRCLE))
    person, everything = access.feedback_of_person(request.auth, cooperative, roles, person_id)
    access.log_read(request.auth, person, access.FEEDBACK_RECORD, via="api")
    given = queries.feedback(cooperative).filter(person=person)
    return given if everything else given.filter(author=request.auth)


@router.post(
    "/{coop}/visits/{visit_id}/feedback",
    response={201: FeedbackOut},
    summary="Give feedback on a visit (or change today's)",
)
def give_feedback(request, coop: str, visit_id: Id, payload: FeedbackIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE,))
    visit = access.feedback_visit(request.auth, cooperative, visit_id)
    return Status(201, services.give_feedback(visit, request.auth, **payload.dict()))


@router.post(
    "/{coop}/feedback/{feedback_id}/sharing",
    response=FeedbackOut,
    summary="Share a feedback with its visit's carers, or stop sharing it",
)
def share_feedback(request, coop: str, feedback_id: Id, payload: SharingIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    feedback = access.shareable_feedback(cooperative, feedback_id)
    return services.share_feedback(feedback, payload.shared)


@router.get(
    "/{coop}/carers/{user_id}/feedback",
    response=list[FeedbackOut],
    summary="Feedback on a carer's visits (the carer: what was shared with them)",
)
def carer_feedback(request, coop: str, user_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.CARER))
    shared_only = access.carer_feedback_scope(request.auth, cooperative, roles, user_id)
    given = list(queries.feedback_on_carer(cooperative, user_id, shared_only=shared_only))
    access.log_reads(request.auth, {f.person for f in given}, access.FEEDBACK_RECORD, via="api")
    return given


@router.get(
    "/{coop}/complaints",
    response=list[ComplaintOut],
    summary="The complaints register (a circle member: their own complaints)",
)
def complaints(request, coop: str, filters: Query[RegisterFilter]):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.COMPLAINT_READERS)
    visible = access.complaints_visible_to(request.auth, cooperative, roles)
    rows = queries.register(
        visible,
        queries.today(cooperative),
        status=filters.status or "",
        outcome=filters.outcome or "",
        about=filters.about or "",
        year=filters.year,
        overdue=filters.overdue,
    )
    access.log_reads(
        request.auth, {row.complaint.person for row in rows}, access.COMPLAINT_RECORD, via="api"
    )
    return [row.complaint for row in rows]


@router.post(
    "/{coop}/people/{person_id}/complaints",
    response={201: ComplaintOut},
    summary="File a complaint (a coordinator: on someone's behalf, naming them)",
)
def file_complaint(request, coop: str, person_id: Id, payload: ComplaintIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.FILERS)
    person, grant = access.filing_for(request.auth, cooperative, roles, person_id)
    carer = None
    if payload.carer_id is not None:
        carer = get_object_or_404(
            get_user_model(),
            pk=payload.carer_id,
            cooperative_roles__cooperative=cooperative,
            cooperative_roles__role=Role.CARER,
        )
    if grant is not None:
        who = {"complainant": request.auth, "complainant_name": grant.full_name}
    else:
        who = {
            "complainant_name": payload.complainant_name or "",
            "received_on": payload.received_on,
        }
    complaint = services.file_complaint(
        person,
        by=request.auth,
        about=payload.about,
        description=payload.description,
        carer=carer,
        **who,
    )
    return Status(201, access.visible_complaint(request.auth, cooperative, roles, complaint.pk))


@router.get(
    "/{coop}/complaints/{complaint_id}",
    response=ComplaintOut,
    summary="A complaint with its steps and deadlines",
)
def complaint(request, coop: str, complaint_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.COMPLAINT_READERS)
    found = access.visible_complaint(request.auth, cooperative, roles, complaint_id)
    access.log_read(request.auth, found.person, access.COMPLAINT_RECORD, via="api")
    return found


@router.post(
    "/{coop}/complaints/{complaint_id}/steps",
    response={201: ComplaintOut},
    summary="Take a complaint's next step",
)
def take_step(request, coop: str, complaint_id: Id, payload: StepIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.COMPLAINT_READERS)
    found = access.visible_complaint(request.auth, cooperative, roles, complaint_id)
    access.check_step(request.auth, roles, found, payload.step)
    services.take_step(
        found,
        payload.step,
        by=request.auth,
        on=payload.on,
        text=payload.text,
        outcome=payload.outcome or "",
    )
    return Status(201, access.visible_complaint(request.auth, cooperative, roles, complaint_id))


@router.put(
    "/{coop}/complaint-policy",
    response=PolicyIO,
    summary="Set the cooperative's complaint deadlines, in working days",
)
def set_policy(request, coop: str, payload: PolicyIO):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    return services.set_policy(cooperative, **payload.dict())


class SurveyOut(Schema):
    id: int
    year: int
    audience: str = Field(description="circle, carers or both.")
    questions: list[str] = Field(description="Each answered on the 1 to 5 scale.")
    open_question: str
    anonymous: bool
    closes_on: date
    closed: bool = Field(
        description="Closed by a coordinator sooner than planned; closes_on is then that day."
    )


class SurveyIn(Schema):
    year: int = Field(ge=2000, le=2100)
    audience: Audience
    closes_on: Day
    anonymous: bool = True
    questions: list[str] | None = Field(
        default=None,
        max_length=20,
        description="The built-in questions of the audience unless given.",
    )
    open_question: str = Field(default="", max_length=300)


class SurveyAnswerIn(Schema):
    scores: list[int] = Field(max_length=20, description="One score from 1 to 5 per question.")
    words: str = Field(default="", max_length=4000)


class PhoneAnswerIn(SurveyAnswerIn):
    side: Audience = Field(description="circle or carers: the side of who answered.")


class AnsweredOut(Schema):
    survey_id: int
    by_phone: bool


class QuestionResultOut(Schema):
    question: str
    count: int
    shown: bool = Field(description="False under 5 answers: then only the count is given.")
    distribution: list[int] | None = Field(description="How many gave 1, 2, 3, 4 and 5.")
    mean: Decimal | None


class SurveyResultsOut(Schema):
    survey: SurveyOut
    questions: list[QuestionResultOut]


@router.get(
    "/{coop}/surveys",
    response=list[SurveyOut],
    summary="Satisfaction surveys (a circle member or a carer: those open to them)",
)
def surveys(request, coop: str):
    cooperative, roles = resolve_cooperative(request.auth, coop, access.SURVEY_READERS)
    if roles & {Role.COORDINATOR, Role.BOARD}:
        return queries.surveys(cooperative)
    return queries.surveys_open_to(cooperative, roles, queries.today(cooperative))


@router.post("/{coop}/surveys", response={201: SurveyOut}, summary="Open a satisfaction survey")
def open_survey(request, coop: str, payload: SurveyIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    survey = services.open_survey(
        cooperative, by=request.auth, today=queries.today(cooperative), **payload.dict()
    )
    return Status(201, survey)


@router.post(
    "/{coop}/surveys/{survey_id}/close",
    response=SurveyOut,
    summary="Close a satisfaction survey now, before its closing day",
)
def close_survey(request, coop: str, survey_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    survey = get_object_or_404(queries.surveys(cooperative), pk=survey_id)
    return services.close_survey(survey, today=queries.today(cooperative))


@router.post(
    "/{coop}/surveys/{survey_id}/answers",
    response={201: AnsweredOut},
    summary="Answer a satisfaction survey, once",
)
def answer_survey(request, coop: str, survey_id: Id, payload: SurveyAnswerIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.CIRCLE, Role.CARER))
    survey = get_object_or_404(queries.surveys(cooperative), pk=survey_id)
    answer = services.answer_survey(survey, request.auth, roles, **payload.dict())
    return Status(201, AnsweredOut(survey_id=survey.pk, by_phone=answer.by_phone))


@router.post(
    "/{coop}/surveys/{survey_id}/phone-answers",
    response={201: AnsweredOut},
    summary="Enter answers taken by telephone from someone without a login",
)
def phone_answer(request, coop: str, survey_id: Id, payload: PhoneAnswerIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    survey = get_object_or_404(queries.surveys(cooperative), pk=survey_id)
    answer = services.record_phone_answer(survey, **payload.dict())
    return Status(201, AnsweredOut(survey_id=survey.pk, by_phone=answer.by_phone))


@router.get(
    "/{coop}/surveys/{survey_id}/results",
    response=SurveyResultsOut,
    summary="A survey's results per question (nothing but the count under 5 answers)",
)
def survey_results(request, coop: str, survey_id: Id, side: Audience | None = None):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.BOARD))
    survey = get_object_or_404(queries.surveys(cooperative), pk=survey_id)
    return {"survey": survey, "questions": queries.survey_results(survey, side)}
