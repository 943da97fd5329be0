"""The rules of feedback and complaints: pure functions of plain values.

Sources:

- Acknowledging a complaint within 3 working days: the Local Authority Social Services and
  National Health Service Complaints (England) Regulations 2009 (SI 2009/309), reg. 13(2)
  ("not later than 3 working days after the day on which it receives the complaint"); a
  working day is any day but a Saturday, a Sunday, Christmas Day, Good Friday or a bank
  holiday (reg. 2). coopcare counts the public holidays of the cooperative's country.
- Answering: the same regulations, reg. 14(2), give at most six months unless agreed; coopcare
  defaults to 20 working days (about a month), which the cooperative sets.
- Appealing: the cooperative's own procedure (its board hears an appeal); coopcare defaults to
  20 working days from the answer, which the cooperative sets.
- The order of the steps: reg. 13 to 14 (acknowledged, investigated, answered), then the
  cooperative's appeal to its board, then closed.
"""

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.voice.models import Step

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one

FEEDBACK_DAYS = 14  # feedback is given on a visit of the last two weeks, while it is remembered


@dataclass(frozen=True)
class Policy:
    """A cooperative's deadlines, in working days."""

    acknowledge_working_days: int
    answer_working_days: int
    appeal_working_days: int


DEFAULT_POLICY = Policy(acknowledge_working_days=3, answer_working_days=20, appeal_working_days=20)

# Which step may follow which (the status is the latest step). Investigation notes may be
# added more than once; an answer may be appealed or closed; an appeal is closed by the
# board's decision.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "received": ("acknowledged",),
    "acknowledged": ("investigated",),
    "investigated": ("investigated", "answered"),
    "answered": ("appealed", "closed"),
    "appealed": ("closed",),
    "closed": (),
}


def is_working_day(day: date, days_off: Container[date]) -> bool:
    """Whether ``day`` is a working day: not a Saturday, a Sunday or one of ``days_off`` (the
    public holidays). Source: SI 2009/309 reg. 2."""
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: date, count: int, days_off: Container[date]) -> date:
    """The day ``count`` working days after ``start`` (``start`` itself not counted).
    Source: SI 2009/309 reg. 13(2), "3 working days after the day on which it receives".

    Received on Friday 4 December 2026 in Italy: Monday 7 is the first working day, Tuesday 8
    is a holiday (the Immaculate Conception), Wednesday 9 the second and Thursday 10 the third,
    so it is acknowledged by Thursday 10 December."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, days_off):
            count -= 1
    return day


def deadlines(received_on: date, policy: Policy, days_off: Container[date]) -> tuple[date, date]:
    """The days by which a complaint received on ``received_on`` must be acknowledged and
    answered. Source: SI 2009/309 regs 13(2) and 14(2), with the cooperative's periods."""
    return (
        add_working_days(received_on, policy.acknowledge_working_days, days_off),
        add_working_days(received_on, policy.answer_working_days, days_off),
    )


def step_problems(
    status: str,
    step: str,
    on: date,
    *,
    last_on: date,
    today: date,
    appeal_by: date | None,
    outcome: str,
    text: str,
) -> list[ValidationError]:
    """What is wrong with taking ``step`` on ``on`` after a complaint's latest step
    ``status``, taken on ``last_on``. An answer says its outcome; an appeal comes by the
    day the answer allowed; a step is never dated before the one it follows nor in the
    future. Source: SI 2009/309 regs 13 and 14, and the cooperative's appeal procedure."""
    problems = []
    if step not in NEXT_STEPS.get(status, ()):
        problems.append(
            ValidationError(
                _("A complaint that is %(status)s cannot be %(step)s next."),
                code="step_out_of_order",
                # The steps' words, not their codes, in the reader's language.
                params={"status": Step(status).label, "step": Step(step).label},
            )
        )
    if on < last_on or on > today:
        problems.append(
            ValidationError(
                _("A step is dated between the previous step and today."), code="step_misdated"
            )
        )
    if step == "answered" and not outcome:
        problems.append(
            ValidationError(
                _("An answer says whether the complaint is upheld, partly or not."),
                code="complaint_outcome_missing",
            )
        )
    if step == "closed" and status == "appealed" and not outcome:
        problems.append(
            ValidationError(
                _("The board's decision on an appeal says its outcome."),
                code="complaint_outcome_missing",
            )
        )
    if step in ("acknowledged", "investigated", "answered", "appealed") and not text.strip():
        problems.append(ValidationError(_("Say what this step says."), code="step_text_missing"))
    if step == "appealed" and appeal_by is not None and on > appeal_by:
        problems.append(
            ValidationError(
                _("The time to appeal ended on %(day)s."),
                code="appeal_too_late",
                params={"day": appeal_by},
            )
        )
    return problems


def feedback_problems(
    visit_day: date, *, begun: bool, cancelled: bool, today: date
) -> list[ValidationError]:
    """Why feedback cannot be given on a visit of ``visit_day`` today: it has not begun, it
    was cancelled, or it is more than ``FEEDBACK_DAYS`` days old. coopcare's own rule: feedback
    is about care that was given, while it is remembered."""
    if cancelled:
        return [ValidationError(_("This visit was cancelled."), code="visit_cancelled")]
    if not begun:
        return [ValidationError(_("This visit has not happened yet."), code="visit_not_happened")]
    if (today - visit_day).days > FEEDBACK_DAYS:
        return [
            ValidationError(
                _("Feedback is given within %(days)s days of the visit."),
                code="feedback_too_late",
                params={"days": FEEDBACK_DAYS},
            )
        ]
    return []


def may_change_feedback(given_on: date, today: date) -> bool:
    """Whether feedback given on ``given_on`` may still be changed: on the same day only, so
    that what the office read and the figures counted do not change under them (coopcare's
    own rule)."""
    return given_on == today


def deadline_state(done_on: date | None, due: date, today: date) -> str:
    """Where a deadline stands: "met" or "missed" once the step was taken (on ``done_on``),
    else "overdue" after ``due`` and "pending" until then. Source: SI 2009/309 regs 13(2)
    and 14(2): the step is taken on or before the day due."""
    if done_on is not None:
        return "met" if done_on <= due else "missed"
    return "overdue" if today > due else "pending"


# The yearly satisfaction survey. Its built-in questions follow the themes of the Care Quality
# Commission's community services survey (treated with respect and dignity, involved in
# decisions, staff on time, told of changes, overall) for those cared for and their circle, and
# the Skills for Care workforce questions (supported, listened to, enough time) for carers.
# Every question but the open one is answered on the same 1 to 5 scale as feedback.
SURVEY_QUESTIONS: "dict[str, tuple[StrOrPromise, ...]]" = {
    "circle": (
        gettext_lazy("Do the carers treat you with respect and dignity?"),
        gettext_lazy("Are you involved in decisions about your care?"),
        gettext_lazy("Do the carers come on time, or are you told when they will be late?"),
        gettext_lazy("Overall, how satisfied are you with the care?"),
    ),
    "carers": (
        gettext_lazy("Do you feel supported by the office?"),
        gettext_lazy("Are you listened to when you raise a concern?"),
        gettext_lazy("Do you have enough time at each visit?"),
        gettext_lazy("Overall, how satisfied are you working for the cooperative?"),
    ),
    # Asked of both sides alike, so their answers can be set side by side.
    "both": (
        gettext_lazy("Do you feel listened to by the cooperative?"),
        gettext_lazy("Are you told in good time about changes that concern you?"),
        gettext_lazy("Overall, how satisfied are you with the cooperative?"),
    ),
}
SURVEY_OPEN_QUESTION = gettext_lazy("Is there anything you would like us to change?")


def default_survey_questions(audience: str) -> list[str]:
    """The built-in questions on the scale for ``audience`` ("circle", "carers" or "both"),
    in the reader's language."""
    return [str(q) for q in SURVEY_QUESTIONS[audience]]


def survey_problems(questions: list[str], closes_on: date, today: date) -> list[ValidationError]:
    """What is wrong with a survey about to be opened: no question, an empty one, or a closing
    day already past."""
    problems = []
    if not questions or any(not q.strip() for q in questions):
        problems.append(
            ValidationError(_("Every question needs its words."), code="survey_question_empty")
        )
    if closes_on < today:
        problems.append(
            ValidationError(_("A survey cannot close before today."), code="survey_closes_in_past")
        )
    return problems


def survey_open(closes_on: date, closed: bool, today: date) -> bool:
    """Whether a survey takes answers today: up to its closing day, unless a coordinator
    closed it sooner (coopcare's own rule)."""
    return not closed and today <= closes_on


def survey_answer_problems(
    scores: list[int], question_count: int, closes_on: date, today: date, *, closed: bool = False
) -> list[ValidationError]:
    """What is wrong with an answer: the survey closed (on its day or sooner, by a
    coordinator), or not one score from 1 to 5 per question."""
    problems = []
    if not survey_open(closes_on, closed, today):
        problems.append(ValidationError(_("This survey has closed."), code="survey_closed"))
    if len(scores) != question_count or any(s not in range(1, 6) for s in scores):
        problems.append(
            ValidationError(
                _("Answer every question with a score from 1 to 5."), code="survey_scores_invalid"
            )
        )
    return problems
