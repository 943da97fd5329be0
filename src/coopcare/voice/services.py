"""The actions of feedback and complaints, one transaction each: feedback given (or changed
the same day) and shared with the carers, the complaints policy set, a complaint filed (the
office told) and its steps taken."""

from datetime import date

import holidays
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Cooperative, Role
from coopcare.notify import Notice, send, to_user
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.zones import on_cooperative_clock
from coopcare.voice import queries, rules
from coopcare.voice.models import (
    About,
    Audience,
    Complaint,
    ComplaintPolicy,
    ComplaintStep,
    Feedback,
    Outcome,
    Score,
    Step,
    Survey,
    SurveyAnswer,
    SurveyAnswered,
)


@transaction.atomic
def give_feedback(visit: Visit, author, *, score: int, words: str = "", now=None) -> Feedback:
    """Record ``author``'s feedback on the visit, or change the feedback they gave on it
    today (``rules.may_change_feedback``)."""
    now = now or timezone.now()
    cooperative = visit.cooperative
    today = on_cooperative_clock(now, cooperative).date()
    if score not in Score.values:
        raise ValidationError(_("A score is from 1 to 5."), code="unknown_score")
    problems = rules.feedback_problems(
        on_cooperative_clock(visit.starts_at, cooperative).date(),
        begun=visit.starts_at <= now,
        cancelled=visit.status == VisitStatus.CANCELLED,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    given = Feedback.objects.select_for_update().filter(visit=visit, author=author).first()
    if given is None:
        return Feedback.objects.create(
            cooperative=cooperative,
            person_id=visit.person_id,
            visit=visit,
            author=author,
            score=score,
            words=words,
            given_at=now,
        )
    if not rules.may_change_feedback(
        on_cooperative_clock(given.given_at, cooperative).date(), today
    ):
        raise ValidationError(
            _("You gave feedback on this visit on an earlier day; it is kept as you gave it."),
            code="feedback_already_given",
        )
    given.score, given.words, given.changed_at = score, words, now
    given.save(update_fields=["score", "words", "changed_at"])
    return given


@transaction.atomic
def share_feedback(feedback: Feedback, shared: bool) -> Feedback:
    """Share the feedback with the carers of its visit, or stop sharing it."""
    feedback.shared_with_carers = shared
    feedback.save(update_fields=["shared_with_carers"])
    return feedback


def policy_of(cooperative: Cooperative) -> rules.Policy:
    """The cooperative's complaint deadlines: its own, else coopcare's defaults."""
    policy = ComplaintPolicy.objects.filter(cooperative=cooperative).first()
    if policy is None:
        return rules.DEFAULT_POLICY
    return rules.Policy(
        policy.acknowledge_working_days, policy.answer_working_days, policy.appeal_working_days
    )


@transaction.atomic
def set_policy(
    cooperative: Cooperative,
    *,
    acknowledge_working_days: int,
    answer_working_days: int,
    appeal_working_days: int,
) -> ComplaintPolicy:
    """Set the cooperative's complaint deadlines, for the complaints received from now on."""
    if answer_working_days < acknowledge_working_days:
        raise ValidationError(
            _("A complaint is answered no sooner than it is acknowledged."),
            code="answer_before_acknowledgement",
        )
    policy, _created = ComplaintPolicy.objects.update_or_create(
        cooperative=cooperative,
        defaults={
            "acknowledge_working_days": acknowledge_working_days,
            "answer_working_days": answer_working_days,
            "appeal_working_days": appeal_working_days,
        },
    )
    return policy


def days_off(cooperative: Cooperative):
    """The public holidays of the cooperative's country, for counting working days."""
    return holidays.country_holidays(cooperative.country)


@transaction.atomic
def file_complaint(
    person,
    *,
    by,
    about: str,
    description: str,
    complainant_name: str,
    complainant=None,
    carer=None,
    received_on: date | None = None,
) -> Complaint:
    """Record a complaint as received, with the days by which it must be acknowledged and
    answered, and tell the office (with no care details)."""
    cooperative = person.cooperative
    today = queries.today(cooperative)
    received_on = received_on or today
    if received_on > today:
        raise ValidationError(_("A complaint is received today or earlier."), code="received_later")
    if about == About.CARER and carer is None:
        raise ValidationError(_("Say which carer the complaint is about."), code="carer_missing")
    if carer is not None and not cooperative.roles.filter(user=carer, role=Role.CARER).exists():
        raise ValidationError(
            _("Not a carer of the cooperative."), code="complained_of_not_a_carer"
        )
    if not description.strip() or not complainant_name.strip():
        raise ValidationError(
            _("Say who complains and what happened."), code="complaint_incomplete"
        )
    # The cooperative's row, locked, numbers its complaints one after another.
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    last = Complaint.objects.filter(cooperative=cooperative).aggregate(n=Max("number"))["n"]
    acknowledge_by, answer_by = rules.deadlines(
        received_on, policy_of(cooperative), days_off(cooperative)
    )
    complaint = Complaint.objects.create(
        cooperative=cooperative,
        number=(last or 0) + 1,
        person=person,
        about=about,
        carer=carer if about == About.CARER else None,
        complainant_name=complainant_name,
        complainant=complainant,
        description=description,
        received_on=received_on,
        acknowledge_by=acknowledge_by,
        answer_by=answer_by,
        status=Step.RECEIVED,
    )
    ComplaintStep.objects.create(complaint=complaint, step=Step.RECEIVED, on=received_on, by=by)
    _tell_office(complaint)
    return complaint


def _tell_office(complaint: Complaint) -> None:
    cooperative = complaint.cooperative
    office = (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative,
            cooperative_roles__role=Role.COORDINATOR,
            is_active=True,
        )
        .select_related("profile")
        .distinct()
    )
    send(
        Notice(
            to_user(user),
            gettext_lazy("A new complaint was filed"),
            "voice/new_complaint.txt",
            {"cooperative": cooperative, "complaint": complaint},
        )
        for user in office
    )


@transaction.atomic
def take_step(
    complaint: Complaint,
    step: str,
    *,
    by,
    on: date | None = None,
    text: str = "",
    outcome: str = "",
) -> ComplaintStep:
    """Take the complaint's next step (``rules.NEXT_STEPS``) on ``on`` (today unless told).
    An answer gives the outcome and opens the time to appeal; the board's decision on an
    appeal gives the final outcome."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    cooperative = complaint.cooperative
    today = queries.today(cooperative)
    on = on or today
    if outcome and outcome not in Outcome.values:
        raise ValidationError(_("Not an outcome of a complaint."), code="unknown_complaint_outcome")
    last = complaint.steps.order_by("-on", "-at").first()
    problems = rules.step_problems(
        complaint.status,
        step,
        on,
        last_on=last.on if last else complaint.received_on,
        today=today,
        appeal_by=complaint.appeal_by,
        outcome=outcome,
        text=text,
    )
    if problems:
        raise ValidationError(problems)
    decides = step == Step.ANSWERED or (step == Step.CLOSED and complaint.status == Step.APPEALED)
    taken = ComplaintStep.objects.create(
        complaint=complaint, step=step, on=on, by=by, text=text, outcome=outcome if decides else ""
    )
    complaint.status = step
    if decides:
        complaint.outcome = outcome
    if step == Step.ANSWERED:
        complaint.appeal_by = rules.add_working_days(
            on, policy_of(cooperative).appeal_working_days, days_off(cooperative)
        )
    complaint.save(update_fields=["status", "outcome", "appeal_by"])
    return taken


@transaction.atomic
def open_survey(
    cooperative: Cooperative,
    *,
    by,
    year: int,
    audience: str,
    closes_on: date,
    anonymous: bool = True,
    questions: list[str] | None = None,
    open_question: str = "",
    today: date | None = None,
) -> Survey:
    """Open the yearly satisfaction survey of ``audience``, with the built-in questions unless
    the coordinator worded their own."""
    today = today or timezone.localdate()
    if audience not in Audience.values:
        raise ValidationError(_("Choose whom the survey asks."), code="survey_audience_unknown")
    questions = [q.strip() for q in questions] if questions is not None else None
    if questions is None:
        questions = rules.default_survey_questions(audience)
    open_question = open_question.strip() or str(rules.SURVEY_OPEN_QUESTION)
    problems = rules.survey_problems(questions, closes_on, today)
    if problems:
        raise ValidationError(problems)
    if Survey.objects.filter(cooperative=cooperative, year=year, audience=audience).exists():
        raise ValidationError(
            _("This year's survey of them is already open."), code="survey_already_open"
        )
    return Survey.objects.create(
        cooperative=cooperative,
        year=year,
        audience=audience,
        questions=questions,
        open_question=open_question,
        anonymous=anonymous,
        closes_on=closes_on,
        opened_by=by,
        opened_on=today,
    )


def _side_of(survey: Survey, roles) -> str:
    """Which side a login answers as (``queries.answering_side``); refused when the survey
    does not ask them."""
    side = queries.answering_side(roles)
    if side is None or survey.audience not in (side, Audience.BOTH):
        raise ValidationError(_("This survey does not ask you."), code="survey_not_for_you")
    return side


@transaction.atomic
def answer_survey(
    survey: Survey, user, roles, *, scores: list[int], words: str = "", today=None
) -> SurveyAnswer:
    """Record ``user``'s answer, once. In an anonymous survey the answer does not name them:
    only that they answered is kept, apart from it."""
    today = today or on_cooperative_clock(timezone.now(), survey.cooperative).date()
    side = _side_of(survey, roles)
    # Locked, so that a survey closed meanwhile refuses the answer.
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    problems = rules.survey_answer_problems(
        scores, len(survey.questions), survey.closes_on, today, closed=survey.closed
    )
    if problems:
        raise ValidationError(problems)
    _answered, created = SurveyAnswered.objects.get_or_create(survey=survey, user=user)
    if not created:
        raise ValidationError(
            _("You have already answered this survey."), code="survey_already_answered"
        )
    return SurveyAnswer.objects.create(
        survey=survey,
        side=side,
        scores=scores,
        words=words.strip(),
        respondent=None if survey.anonymous else user,
    )


@transaction.atomic
def record_phone_answer(
    survey: Survey, *, side: str, scores: list[int], words: str = "", today=None
) -> SurveyAnswer:
    """Record answers a coordinator took by telephone from someone without a login, marked
    "by phone"; never linked to the coordinator or to whom they called."""
    today = today or on_cooperative_clock(timezone.now(), survey.cooperative).date()
    if side not in (Audience.CIRCLE, Audience.CARERS) or survey.audience not in (
        side,
        Audience.BOTH,
    ):
        raise ValidationError(_("This survey does not ask them."), code="survey_not_for_you")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    problems = rules.survey_answer_problems(
        scores, len(survey.questions), survey.closes_on, today, closed=survey.closed
    )
    if problems:
        raise ValidationError(problems)
    return SurveyAnswer.objects.create(
        survey=survey, side=side, scores=scores, words=words.strip(), by_phone=True
    )


@transaction.atomic
def close_survey(survey: Survey, *, today=None) -> Survey:
    """Close the survey now, before its closing day: it takes no more answers, and its closing
    day becomes today, so that the social report counts it in the period it really closed."""
    today = today or on_cooperative_clock(timezone.now(), survey.cooperative).date()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not rules.survey_open(survey.closes_on, survey.closed, today):
        raise ValidationError(_("This survey has already closed."), code="survey_already_closed")
    survey.closes_on, survey.closed = today, True
    survey.save(update_fields=["closes_on", "closed"])
    return survey
