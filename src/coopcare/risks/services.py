"""Actions on risk assessments, goals and reviews, one transaction each. Each checks
``risks.rules`` and writes nothing when a rule is broken."""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care import services as care_services
from coopcare.care.models import CarePlan, CircleMember, PersonCaredFor
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.risks import rules
from coopcare.risks.models import DoubleHanding, Goal, GoalRating, Review, RiskAssessment
from coopcare.risks.scales import Kind


def default_next_review(on: date) -> date:
    """The next review when nobody sets one: ``CARE_REVIEW_INTERVAL_DAYS`` after ``on``."""
    return rules.next_review(on, settings.CARE_REVIEW_INTERVAL_DAYS)


@transaction.atomic
def assess(
    person: PersonCaredFor,
    *,
    kind: str,
    scale: str,
    assessed_on: date,
    by,
    answers: dict | None = None,
    total: int | None = None,
    band: str = "",
    carers_needed: int = 1,
    equipment: str = "",
    notes: str = "",
    next_review_on: date | None = None,
    today: date | None = None,
) -> RiskAssessment:
    """Record, signed by ``by``, the next version of the person's assessment of ``kind``.

    The scale is scored by ``rules.score`` (or its total and band entered, for a scale coopcare
    does not reproduce); the next review defaults to ``default_next_review`` and may not be in
    the past. A moving and handling assessment says how many carers transfers need; that it
    needs two changes no visit by itself (``make_visits_double_handed`` does, when asked)."""
    today = today or timezone.localdate()
    next_review_on = next_review_on or default_next_review(assessed_on)
    problems = rules.handling_problems(kind, carers_needed, equipment)
    problems += rules.review_date_problems(assessed_on, next_review_on, today)
    try:
        result = rules.score(scale, kind, answers or {}, total, band)
    except ValidationError as error:
        problems += error.error_list
    if problems:
        raise ValidationError(problems)
    PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    latest = RiskAssessment.objects.filter(person=person, kind=kind).aggregate(v=Max("version"))
    return RiskAssessment.objects.create(
        person=person,
        kind=kind,
        version=(latest["v"] or 0) + 1,
        scale=scale,
        answers=answers or {},
        total=result.total,
        band=result.band,
        carers_needed=carers_needed,
        equipment=equipment,
        notes=notes,
        assessed_on=assessed_on,
        next_review_on=next_review_on,
        assessor=by,
    )


@transaction.atomic
def make_visits_double_handed(
    assessment: RiskAssessment,
    *,
    task_ids: list[int],
    valid_from: date,
    by,
    today: date | None = None,
) -> CarePlan:
    """Write the next version of the person's care plan, from ``valid_from``, with the chosen
    tasks done by two carers together, because ``assessment`` (the latest moving and handling
    assessment of the person) says transfers need two. The plan's visits follow
    (``care.services.new_care_plan``), and the link is kept (``DoubleHanding``).

    The coordinator chooses the tasks that involve transfers: an assessment never changes a
    plan by itself, and not every task of the plan moves the person."""
    latest = (
        RiskAssessment.objects.filter(person=assessment.person, kind=Kind.MOVING_HANDLING)
        .order_by("-version")
        .first()
    )
    if assessment.kind != Kind.MOVING_HANDLING or assessment.carers_needed != 2:
        raise ValidationError(
            _("Only a moving and handling assessment that needs two carers does this."),
            code="not_two_carers",
        )
    if latest != assessment:
        raise ValidationError(
            _("A newer moving and handling assessment replaces this one."),
            code="assessment_replaced",
        )
    plan = care_services.current_plan(assessment.person, valid_from)
    if plan is None:
        raise ValidationError(
            _("The person has no care plan on %(date)s.") % {"date": valid_from},
            code="plan_missing",
        )
    tasks = list(plan.tasks.all())
    chosen = set(task_ids)
    if not chosen:
        raise ValidationError(_("Choose the tasks that move the person."), code="no_tasks_chosen")
    if chosen - {t.pk for t in tasks}:
        raise ValidationError(
            _("A task chosen is not in the current care plan."), code="task_not_in_plan"
        )
    if all(t.double_handed for t in tasks if t.pk in chosen):
        raise ValidationError(
            _("Those tasks already take two carers."), code="already_double_handed"
        )
    fields = [
        "title",
        "instructions",
        "steps",
        "rrule",
        "start_time",
        "duration_minutes",
        "skills",
        "double_handed",
    ]
    new_tasks = [
        {name: getattr(t, name) for name in fields}
        | ({"double_handed": True} if t.pk in chosen else {})
        for t in tasks
    ]
    new_plan = care_services.new_care_plan(
        assessment.person,
        valid_from=valid_from,
        goals=plan.goals,
        tasks=new_tasks,
        by=by,
        today=today,
    )
    DoubleHanding.objects.create(assessment=assessment, plan=new_plan, by=by)
    return new_plan


@transaction.atomic
def set_goal(person: PersonCaredFor, *, words: str, set_on: date, by, today: date | None = None):
    """Record a goal of the person, in their own words."""
    if not words.strip():
        raise ValidationError(_("Write the goal in the person's words."), code="goal_words_missing")
    if set_on > (today or timezone.localdate()):
        raise ValidationError(_("It cannot be dated in the future."), code="dated_in_future")
    return Goal.objects.create(person=person, words=words.strip(), set_on=set_on, set_by=by)


@transaction.atomic
def record_review(
    person: PersonCaredFor,
    *,
    held_on: date,
    changes: str,
    by,
    person_took_part: bool = True,
    circle_ids: Sequence[int] = (),
    carer_ids: Sequence[int] = (),
    others: str = "",
    next_review_on: date | None = None,
    ratings: dict[int, int] | None = None,
    today: date | None = None,
) -> Review:
    """Record a review of the person's care, led by ``by`` (a coordinator): who took part
    (the person, members of their circle, carers of the cooperative, others), what changed,
    each of the person's goals rated on Goal Attainment Scaling, and the next review
    (``default_next_review`` unless given; never in the past)."""
    today = today or timezone.localdate()
    ratings = ratings or {}
    next_review_on = next_review_on or default_next_review(held_on)
    problems = rules.review_date_problems(held_on, next_review_on, today)
    problems += rules.rating_problems(ratings)
    if not changes.strip():
        problems.append(
            ValidationError(_("Say what changed, or that nothing did."), code="changes_missing")
        )
    circle = list(CircleMember.objects.filter(person=person, pk__in=circle_ids))
    if len(circle) != len(set(circle_ids)):
        problems.append(
            ValidationError(
                _("Someone chosen is not in the person's circle."), code="not_in_circle"
            )
        )
    carer_roles = CooperativeRole.objects.filter(
        cooperative=person.cooperative, role=Role.CARER, user_id__in=carer_ids
    )
    carers = list(get_user_model().objects.filter(pk__in=carer_roles.values("user_id")))
    if len(carers) != len(set(carer_ids)):
        problems.append(
            ValidationError(_("Someone chosen is not a carer here."), code="not_a_carer_here")
        )
    goals = set(Goal.objects.filter(person=person, pk__in=ratings).values_list("pk", flat=True))
    if goals != set(ratings):
        problems.append(
            ValidationError(_("A goal rated is not the person's."), code="goal_not_the_persons")
        )
    if problems:
        raise ValidationError(problems)
    review = Review.objects.create(
        person=person,
        held_on=held_on,
        person_took_part=person_took_part,
        others=others,
        changes=changes.strip(),
        next_review_on=next_review_on,
        recorded_by=by,
    )
    review.circle.set(circle)
    review.carers.set(carers)
    GoalRating.objects.bulk_create(
        GoalRating(goal_id=goal_id, review=review, rating=rating)
        for goal_id, rating in ratings.items()
    )
    return review
