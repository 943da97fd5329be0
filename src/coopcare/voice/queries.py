"""Reads of feedback and complaints shared by the pages, the API, the export and the
indicators. Each takes the cooperative (or a record of it) first."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Role
from coopcare.shared.cells import inert
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.zones import on_cooperative_clock
from coopcare.voice import rules
from coopcare.voice.models import (
    Audience,
    Complaint,
    Feedback,
    Outcome,
    Score,
    Step,
    Survey,
    SurveyAnswer,
    SurveyAnswered,
)


def today(cooperative) -> date:
    """Today on the cooperative's clock."""
    return on_cooperative_clock(timezone.now(), cooperative).date()


def feedback(cooperative) -> QuerySet[Feedback]:
    """The cooperative's feedback, newest first, with its visit, carers and author."""
    return (
        Feedback.objects.filter(cooperative=cooperative)
        .select_related("visit", "person", "author")
        .prefetch_related("visit__carers")
    )


def given_by(visit, author) -> Feedback | None:
    """The feedback ``author`` gave on the visit, if any."""
    return Feedback.objects.filter(visit=visit, author=author).first()


def feedback_on_carer(cooperative, carer_id: int, *, shared_only: bool) -> QuerySet[Feedback]:
    """The feedback on the visits ``carer_id`` was rostered to (only what was shared with
    the carers when ``shared_only``)."""
    found = feedback(cooperative).filter(visit__carers=carer_id).distinct()
    return found.filter(shared_with_carers=True) if shared_only else found


def visits_for_feedback(person, author, now=None) -> list[tuple[Visit, Feedback | None]]:
    """The person's visits of the last ``rules.FEEDBACK_DAYS`` days that have begun and were
    not cancelled, newest first, each with the feedback ``author`` gave on it (or None)."""
    now = now or timezone.now()
    since = on_cooperative_clock(now, person.cooperative).date() - timedelta(
        days=rules.FEEDBACK_DAYS
    )
    visits = list(
        person.visits.filter(starts_at__lte=now, starts_at__date__gte=since)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("task")
        .prefetch_related("carers")
        .order_by("-starts_at")
    )
    given = {f.visit_id: f for f in Feedback.objects.filter(author=author, visit__in=visits)}
    return [(visit, given.get(visit.pk)) for visit in visits]


DEADLINE_STATES = [
    ("met", gettext_lazy("met")),
    ("missed", gettext_lazy("missed")),
    ("overdue", gettext_lazy("overdue")),
    ("pending", gettext_lazy("pending")),
]


@dataclass(frozen=True)
class RegisterRow:
    """A complaint on the register: its dates, where each deadline stands, and whether it is
    overdue now."""

    complaint: Complaint
    acknowledged_on: date | None
    answered_on: date | None
    closed_on: date | None
    acknowledgement: str  # rules.deadline_state: met, missed, overdue or pending
    answer: str

    @property
    def overdue(self) -> bool:
        return "overdue" in (self.acknowledgement, self.answer)

    @property
    def acknowledgement_label(self) -> str:
        return str(dict(DEADLINE_STATES)[self.acknowledgement])

    @property
    def answer_label(self) -> str:
        return str(dict(DEADLINE_STATES)[self.answer])


def register_row(complaint: Complaint, today: date) -> RegisterRow:
    """The complaint's row on the register (its steps prefetched)."""
    acknowledged = complaint.step_on(Step.ACKNOWLEDGED)
    answered = complaint.step_on(Step.ANSWERED)
    return RegisterRow(
        complaint,
        acknowledged,
        answered,
        complaint.step_on(Step.CLOSED),
        rules.deadline_state(acknowledged, complaint.acknowledge_by, today),
        rules.deadline_state(answered, complaint.answer_by, today),
    )


def register(
    complaints: QuerySet[Complaint],
    today: date,
    *,
    status: str = "",
    outcome: str = "",
    about: str = "",
    year: int | None = None,
    overdue: bool = False,
) -> list[RegisterRow]:
    """The register of ``complaints`` (already scoped to a cooperative and a reader),
    filtered, newest first."""
    if status:
        complaints = complaints.filter(status=status)
    if outcome:
        complaints = complaints.filter(outcome=outcome)
    if about:
        complaints = complaints.filter(about=about)
    if year:
        complaints = complaints.filter(received_on__year=year)
    rows = [
        register_row(c, today)
        for c in complaints.select_related("person", "carer").prefetch_related("steps")
    ]
    return [row for row in rows if row.overdue] if overdue else rows


def register_csv(rows: list[RegisterRow]) -> str:
    """The register as CSV, in the reader's language; text people typed is made inert."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Number"),
            _("Received on"),
            _("Person cared for"),
            _("Complainant"),
            _("About"),
            _("Carer"),
            _("Status"),
            _("To acknowledge by"),
            _("Acknowledged on"),
            _("Acknowledgement"),
            _("To answer by"),
            _("Answered on"),
            _("Answer"),
            _("Outcome"),
            _("May appeal until"),
            _("Closed on"),
        ]
    )
    states = dict(DEADLINE_STATES)
    for row in rows:
        c = row.complaint
        writer.writerow(
            [
                c.number,
                c.received_on.isoformat(),
                inert(c.person.full_name),
                inert(c.complainant_name),
                c.get_about_display(),
                inert(c.carer.get_full_name()) if c.carer else "",
                c.get_status_display(),
                c.acknowledge_by.isoformat(),
                row.acknowledged_on.isoformat() if row.acknowledged_on else "",
                states[row.acknowledgement],
                c.answer_by.isoformat(),
                row.answered_on.isoformat() if row.answered_on else "",
                states[row.answer],
                c.get_outcome_display(),
                c.appeal_by.isoformat() if c.appeal_by else "",
                row.closed_on.isoformat() if row.closed_on else "",
            ]
        )
    return out.getvalue()


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Satisfaction:
    """The feedback given on the visits of a period."""

    given: int
    mean: Decimal | None  # the mean score, 1 to 5
    satisfied: int  # scored 4 or 5


def satisfaction(cooperative, start: date, end: date) -> Satisfaction:
    """The feedback on the visits whose day is in ``start``..``end``."""
    given = Feedback.objects.filter(
        cooperative=cooperative,
        visit__starts_at__date__gte=start,
        visit__starts_at__date__lte=end,
    ).aggregate(n=Count("pk"), mean=Avg("score"), satisfied=Count("pk", filter=Q(score__gte=4)))
    mean = _one_decimal(given["mean"]) if given["mean"] is not None else None
    return Satisfaction(given["n"], mean, given["satisfied"])


@dataclass(frozen=True)
class ComplaintFigures:
    """The complaints received in a period and how they ended."""

    received: int
    acknowledged_on_time: int
    outcomes: dict[str, int]  # by outcome, of those answered


def complaint_figures(cooperative, start: date, end: date) -> ComplaintFigures:
    """The complaints received in ``start``..``end``: how many, how many were acknowledged by
    their day, and their outcomes (the board's, after an appeal)."""
    received = list(
        Complaint.objects.filter(
            cooperative=cooperative, received_on__gte=start, received_on__lte=end
        ).prefetch_related("steps")
    )
    on_time = 0
    for complaint in received:
        acknowledged = complaint.step_on(Step.ACKNOWLEDGED)
        if acknowledged is not None and acknowledged <= complaint.acknowledge_by:
            on_time += 1
    outcomes = {o: sum(c.outcome == o for c in received) for o in Outcome.values}
    return ComplaintFigures(len(received), on_time, outcomes)


@dataclass(frozen=True)
class QuestionResult:
    """The answers to one question on the scale: how many, how many gave each score (1 to 5)
    and their mean; ``shown`` is False, and the figures None, under the smallest count shown."""

    question: str
    count: int
    shown: bool
    distribution: tuple[int, ...] | None
    mean: Decimal | None

    @property
    def scale(self) -> list[tuple[int, str, int, int]]:
        """Per score 1 to 5 (when shown): the score, its words, how many gave it and their
        share of the answers in whole percent."""
        if self.distribution is None:
            return []
        return [
            (
                score,
                str(Score(score).label),
                given,
                int((Decimal(100 * given) / self.count).quantize(Decimal(1), ROUND_HALF_UP)),
            )
            for score, given in zip(Score.values, self.distribution, strict=True)
        ]


def survey_results(survey, side: str | None = None) -> list[QuestionResult]:
    """Per question of ``survey``, the answers of ``side`` (or of all): nothing shown from
    fewer than 5 answers, the federation's small-number rule, so no one's answer can be told
    from the figures."""
    # Imported here: the federation reads the indicators, which read this module.
    from coopcare.impact.federation import too_small

    answers = SurveyAnswer.objects.filter(survey=survey)
    if side:
        answers = answers.filter(side=side)
    all_scores = list(answers.values_list("scores", flat=True))
    results = []
    for index, question in enumerate(survey.questions):
        scores = [s[index] for s in all_scores]
        count = len(scores)
        shown = count > 0 and not too_small(count)
        results.append(
            QuestionResult(
                question=question,
                count=count,
                shown=shown,
                distribution=tuple(scores.count(v) for v in range(1, 6)) if shown else None,
                mean=_one_decimal(Decimal(sum(scores)) / count) if shown else None,
            )
        )
    return results


def smallest_shown() -> int:
    """The fewest answers from which a survey's results are shown (the small-number rule)."""
    from coopcare.impact.federation import SMALL_COUNT  # the federation reads this module

    return SMALL_COUNT


def surveys(cooperative) -> QuerySet[Survey]:
    """The cooperative's satisfaction surveys, the latest year first."""
    return Survey.objects.filter(cooperative=cooperative)


def surveys_open_to(cooperative, roles, today) -> list:
    """The surveys the reader may answer today: open, and asking their side."""
    side = answering_side(roles)
    if side is None:
        return []
    return list(
        Survey.objects.filter(
            cooperative=cooperative,
            closes_on__gte=today,
            closed=False,
            audience__in=[side, Audience.BOTH],
        )
    )


def surveys_to_answer(cooperative, user, roles, today) -> list:
    """The surveys open to the reader today that they have not answered yet."""
    answered = set(SurveyAnswered.objects.filter(user=user).values_list("survey_id", flat=True))
    return [s for s in surveys_open_to(cooperative, roles, today) if s.pk not in answered]


def has_answered(survey, user) -> bool:
    """Whether ``user`` has answered ``survey`` (only that, never which answer is theirs)."""
    return SurveyAnswered.objects.filter(survey=survey, user=user).exists()


def asks(survey, roles) -> bool:
    """Whether ``survey`` asks a login of ``roles`` (as ``answering_side`` decides)."""
    side = answering_side(roles)
    return side is not None and survey.audience in (side, Audience.BOTH)


def sides_of(survey) -> list[str]:
    """The sides ``survey`` asks: the circle, the carers, or each of them."""
    if survey.audience == Audience.BOTH:
        return [Audience.CIRCLE, Audience.CARERS]
    return [survey.audience]


@dataclass(frozen=True)
class Turnout:
    """How one side answered a survey: the logins it asked, those who answered themselves,
    and the answers a coordinator took by phone (from people without a login, so not counted
    among those asked)."""

    side: str
    asked: int
    online: int
    by_phone: int

    @property
    def side_label(self) -> str:
        return str(Audience(self.side).label)

    @property
    def rate(self) -> int | None:
        """The share of the logins asked who answered, in whole percent."""
        if not self.asked:
            return None
        return int((Decimal(100 * self.online) / self.asked).quantize(Decimal(1), ROUND_HALF_UP))


def survey_turnout(survey) -> list[Turnout]:
    """Per side the survey asks, how many were asked and how many answered. A login holding
    both roles answers as a carer (``answering_side``), so it is asked as one."""
    logins = survey.cooperative.roles.filter(user__is_active=True)
    carers = set(logins.filter(role=Role.CARER).values_list("user", flat=True))
    circle = set(logins.filter(role=Role.CIRCLE).values_list("user", flat=True)) - carers
    asked: dict[str, int] = {Audience.CIRCLE: len(circle), Audience.CARERS: len(carers)}
    counts = {
        (row["side"], row["by_phone"]): row["n"]
        for row in SurveyAnswer.objects.filter(survey=survey)
        .values("side", "by_phone")
        .annotate(n=Count("pk"))
    }
    return [
        Turnout(side, asked[side], counts.get((side, False), 0), counts.get((side, True), 0))
        for side in sides_of(survey)
    ]


@dataclass(frozen=True)
class SurveyWords:
    """An answer to the open question: its words, who wrote them when the survey is not
    anonymous (else empty), and whether they were taken by phone."""

    words: str
    by: str
    by_phone: bool


def survey_words(survey, side: str | None = None) -> list[SurveyWords] | None:
    """The answers to the open question of ``side`` (or of all), in the order of their words
    so that the order tells nothing. In an anonymous survey they are withheld (None) under 5
    answers, as the figures are, and never name anyone; otherwise each names its author."""
    from coopcare.impact.federation import too_small  # the federation reads this module

    answers = SurveyAnswer.objects.filter(survey=survey)
    if side:
        answers = answers.filter(side=side)
    if survey.anonymous and too_small(answers.count()):
        return None
    given = answers.exclude(words="").select_related("respondent").order_by("words")
    return [
        SurveyWords(
            a.words,
            "" if survey.anonymous or a.respondent is None else a.respondent.get_full_name(),
            a.by_phone,
        )
        for a in given
    ]


def answering_side(roles) -> str | None:
    """The side a login answers a survey as: a carer as a carer, a circle member as the
    circle; None for anyone else (the office enters answers taken by phone instead)."""
    if Role.CARER in roles:
        return Audience.CARERS
    if Role.CIRCLE in roles:
        return Audience.CIRCLE
    return None


@dataclass(frozen=True)
class SurveyFigures:
    """The answers to the satisfaction surveys that closed in a period: how many, and, from 5
    answers, the mean of all their scores and how many scores were 4 or 5 of how many."""

    answers: int
    mean: Decimal | None
    satisfied: int | None
    scores: int | None


def survey_figures(cooperative, start: date, end: date) -> SurveyFigures:
    """The answers to the surveys closing in ``start``..``end``, suppressed under 5 answers as
    ``survey_results`` is."""
    from coopcare.impact.federation import too_small  # the federation reads this module

    all_scores = list(
        SurveyAnswer.objects.filter(
            survey__cooperative=cooperative,
            survey__closes_on__gte=start,
            survey__closes_on__lte=end,
        ).values_list("scores", flat=True)
    )
    answers = len(all_scores)
    if answers == 0 or too_small(answers):
        return SurveyFigures(answers, None, None, None)
    scores = [s for answer in all_scores for s in answer]
    mean = _one_decimal(Decimal(sum(scores)) / len(scores))
    return SurveyFigures(answers, mean, sum(1 for s in scores if s >= 4), len(scores))
