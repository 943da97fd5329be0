"""Reads shared by the pages and the API: the reviews due, a person's current assessments, and
their scores and goal ratings over time. Each is scoped to one cooperative or one person."""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import CareStatus, PersonCaredFor, StatusChange
from coopcare.risks import rules
from coopcare.risks.models import Goal, GoalRating, Review, RiskAssessment
from coopcare.risks.scales import SCALES, Kind

DUE_SOON_DAYS = 30  # the list of reviews due shows those due within this many days


@dataclass(frozen=True)
class Due:
    """A review to hold: of the person's care plan (``kind`` empty) or of one kind of risk."""

    person: PersonCaredFor
    kind: str
    due_on: date
    after_pause: bool
    overdue: bool

    @property
    def subject(self) -> str:
        return str(Kind(self.kind).label) if self.kind else str(_("care plan"))


def plan_review_due(person: PersonCaredFor) -> tuple[date, bool] | None:
    """When the person's care plan is next to be reviewed, and whether because care resumed
    after a pause (a hospital stay, say) since it was last reviewed; None without a plan.

    The date is the last review's next review date, else ``CARE_REVIEW_INTERVAL_DAYS`` after
    the first version of the plan; care that resumed after a pause since then brings it
    forward to the day it resumed (NICE quality standard QS123, statement 5: reviews "in
    response to any changes in circumstances such as a hospital admission"). Reads what
    ``people_due`` prefetched."""
    plans = list(person.plans.all())
    if not plans:
        return None
    # The plugin sees these reverse relations on a cold run but not always from its cache.
    reviews = list(person.reviews.all())  # type: ignore[attr-defined, unused-ignore]
    since = reviews[0].held_on if reviews else min(p.valid_from for p in plans)
    due = (
        reviews[0].next_review_on
        if reviews
        else rules.next_review(since, settings.CARE_REVIEW_INTERVAL_DAYS)
    )
    statuses = list(person.statuses.all())
    resumed = [
        later.on
        for earlier, later in pairwise(statuses)
        if earlier.status == CareStatus.PAUSED
        and later.status == CareStatus.ACTIVE
        and later.on > since
    ]
    if resumed and resumed[0] < due:
        return resumed[0], True
    return due, False


def current_assessments(person: PersonCaredFor) -> list[RiskAssessment]:
    """The latest version of each kind of risk assessment of the person, in the kinds' order."""
    latest: dict[str, RiskAssessment] = {}
    for assessment in (
        RiskAssessment.objects.filter(person=person).select_related("assessor").order_by("-version")
    ):
        latest.setdefault(assessment.kind, assessment)
    return [latest[kind] for kind in Kind.values if kind in latest]


def people_due(cooperative, today: date, within_days: int = DUE_SOON_DAYS) -> list[Due]:
    """The reviews of the cooperative's active people due by ``within_days`` after ``today``,
    the most overdue first: care plans (``plan_review_due``) and each kind of risk (its
    latest version's next review date)."""
    people = PersonCaredFor.objects.filter(
        cooperative=cooperative, status=CareStatus.ACTIVE
    ).prefetch_related(
        "plans",
        Prefetch("reviews", queryset=Review.objects.order_by("-held_on", "-pk")),
        Prefetch("statuses", queryset=StatusChange.objects.order_by("on", "recorded_at")),
        Prefetch("risk_assessments", queryset=RiskAssessment.objects.order_by("-version")),
    )
    until = today + timedelta(days=within_days)
    found = []
    for person in people:
        plan = plan_review_due(person)
        if plan and plan[0] <= until:
            found.append(Due(person, "", plan[0], plan[1], plan[0] < today))
        latest: dict[str, RiskAssessment] = {}
        for assessment in person.risk_assessments.all():  # type: ignore[attr-defined, unused-ignore]
            latest.setdefault(assessment.kind, assessment)
        for kind, assessment in latest.items():
            if assessment.next_review_on <= until:
                found.append(
                    Due(
                        person,
                        kind,
                        assessment.next_review_on,
                        False,
                        assessment.next_review_on < today,
                    )
                )
    return sorted(found, key=lambda d: (d.due_on, d.person.full_name, d.kind))


def score_history(person: PersonCaredFor) -> dict[str, list[tuple[date, int]]]:
    """Each scale's totals over time for the person, oldest first (scales with a total only)."""
    history: dict[str, list[tuple[date, int]]] = {}
    for assessment in RiskAssessment.objects.filter(person=person, total__isnull=False).order_by(
        "assessed_on", "version"
    ):
        if assessment.scale in SCALES and assessment.total is not None:
            history.setdefault(assessment.scale, []).append(
                (assessment.assessed_on, assessment.total)
            )
    return history


def goal_history(person: PersonCaredFor) -> list[tuple[Goal, list[tuple[date, int]]]]:
    """Each goal of the person with its ratings by review date, oldest first."""
    goals = Goal.objects.filter(person=person).prefetch_related("ratings__review")
    return [
        (
            goal,
            sorted((r.review.held_on, r.rating) for r in goal.ratings.all()),
        )
        for goal in goals
    ]


def goal_progress(cooperative, start: date, end: date) -> tuple[int, int]:
    """(people whose goals improved, people compared) over reviews held from ``start`` to
    ``end``: a person is compared when one of their goals was rated at a review in the period
    and at an earlier review, and counts as improved when such a goal's rating rose from the
    review before (``rules.improved``)."""
    ratings = (
        GoalRating.objects.filter(goal__person__cooperative=cooperative, review__held_on__lte=end)
        .order_by("goal", "review__held_on", "review__pk")
        .values_list("goal__person", "goal", "review__held_on", "rating")
    )
    by_goal: dict[int, list[tuple[int, date, int]]] = {}
    for person, goal, held_on, rating in ratings:
        by_goal.setdefault(goal, []).append((person, held_on, rating))
    compared: set[int] = set()
    better: set[int] = set()
    for rated in by_goal.values():
        for index in range(1, len(rated)):
            person, held_on, _rating = rated[index]
            if start <= held_on <= end:
                compared.add(person)
                if rules.improved([r for _p, _d, r in rated[: index + 1]]):
                    better.add(person)
    return len(better), len(compared)
