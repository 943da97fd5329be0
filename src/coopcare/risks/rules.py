"""The rules of risk assessments, reviews and goals: pure checks and figures of plain values.
Each returns the problems (``ValidationError``s with their code) or the figure, and cites its
source."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.risks.scales import SCALES, Band, Kind, RiskScale

# Goal Attainment Scaling's five levels (Kiresuk and Sherman, "Goal attainment scaling: a
# general method for evaluating comprehensive community mental health programs", Community
# Mental Health Journal 1968;4(6):443-453; Turner-Stokes, "Goal attainment scaling (GAS) in
# rehabilitation: a practical guide", Clinical Rehabilitation 2009;23(4):362-370): -2 much less
# than expected, -1 somewhat less, 0 the expected outcome, +1 somewhat more, +2 much more.
GAS_LEVELS = (-2, -1, 0, 1, 2)
CARERS_NEEDED = (1, 2)


@dataclass(frozen=True)
class Result:
    """What a scale gave: its total (None for a scale with no total) and its band ("" when it
    has none)."""

    total: int | None
    band: str


def score(scale_key: str, kind: str, answers: dict, total: int | None, band: str) -> Result:
    """The total and band of an assessment on the scale ``scale_key``, or its problems raised
    together as one ``ValidationError``.

    A scored scale (``scales.SCALES`` with items) needs every item answered with one of its
    options; its total is the sum of the options' points and its band the last of its bands
    whose lowest total it reaches (``scales`` cites each scale's published scoring). A scale
    entered by the assessor (Braden, Waterlow) needs its total, within the scale's range, and
    its band; coopcare neither holds nor checks its items.
    """
    scale = SCALES.get(scale_key)
    if scale is None:
        raise ValidationError(_("No such risk scale."), code="risk_scale_unknown")
    if scale.kind != kind:
        raise ValidationError(
            _("This scale does not assess %(kind)s.") % {"kind": scale.kind.label},
            code="risk_scale_not_for_kind",
        )
    if scale.items is None:
        return _entered(scale, answers, total, band)
    return _scored(scale, answers)


def _entered(scale: RiskScale, answers: dict, total: int | None, band: str) -> Result:
    problems = []
    if answers:
        problems.append(
            ValidationError(
                _("This scale's items are not kept: enter its total and band."),
                code="risk_items_not_kept",
            )
        )
    if total is None:
        problems.append(ValidationError(_("Enter the scale's total."), code="risk_total_missing"))
    elif not scale.lowest <= total <= scale.highest:
        problems.append(
            ValidationError(
                _("The total of %(scale)s is from %(low)s to %(high)s.")
                % {"scale": scale.name, "low": scale.lowest, "high": scale.highest},
                code="risk_total_out_of_range",
            )
        )
    if band not in Band.values:
        problems.append(
            ValidationError(_("Choose the band the scale gives."), code="risk_band_missing")
        )
    if problems:
        raise ValidationError(problems)
    return Result(total, band)


def _scored(scale: RiskScale, answers: dict) -> Result:
    items = scale.items or {}
    problems = []
    if unknown := sorted(set(answers) - set(items)):
        problems.append(
            ValidationError(
                _("Not items of this scale: %(items)s.") % {"items": ", ".join(unknown)},
                code="risk_item_unknown",
            )
        )
    invalid = [
        key
        for key, value in answers.items()
        if key in items and not (isinstance(value, str) and value in items[key].options)
    ]
    if invalid:
        problems.append(
            ValidationError(
                _("Not one of the item's answers: %(items)s.") % {"items": ", ".join(invalid)},
                code="risk_answer_invalid",
            )
        )
    if missing := [key for key in items if key not in answers]:
        problems.append(
            ValidationError(
                _("Every item must be answered; not answered: %(items)s.")
                % {"items": ", ".join(str(items[key].label) for key in missing)},
                code="risk_items_unanswered",
            )
        )
    if problems:
        raise ValidationError(problems)
    total = sum(items[key].options[value].points for key, value in answers.items())
    return Result(total, band_of(scale, total))


def band_of(scale: RiskScale, total: int) -> str:
    """The band of ``total`` on a scored scale: the last band whose lowest total it reaches,
    or "" for a scale without bands."""
    reached = [band for lowest, band in scale.bands if total >= lowest]
    return reached[-1] if reached else ""


def handling_problems(kind: str, carers_needed: int, equipment: str) -> list[ValidationError]:
    """A moving and handling assessment says how many carers the person's transfers need (one
    or two: the planner plans at most two carers a visit); other kinds say neither."""
    if kind == Kind.MOVING_HANDLING:
        if carers_needed not in CARERS_NEEDED:
            return [
                ValidationError(
                    _("Transfers need one or two carers."), code="carers_needed_invalid"
                )
            ]
        return []
    if carers_needed != 1 or equipment:
        return [
            ValidationError(
                _("Only a moving and handling assessment says the carers and equipment needed."),
                code="handling_not_applicable",
            )
        ]
    return []


def review_date_problems(on: date, next_review_on: date, today: date) -> list[ValidationError]:
    """An assessment or a review is dated no later than today, and sets its next review for a
    day after it that is not in the past (a review planned for a day gone by could never be
    kept)."""
    problems = []
    if on > today:
        problems.append(
            ValidationError(_("It cannot be dated in the future."), code="dated_in_future")
        )
    if next_review_on < today:
        problems.append(
            ValidationError(
                _("The next review cannot be in the past (%(date)s).") % {"date": next_review_on},
                code="review_date_in_past",
            )
        )
    elif next_review_on <= on:
        problems.append(
            ValidationError(
                _("The next review must come after %(date)s.") % {"date": on},
                code="review_not_after",
            )
        )
    return problems


def next_review(on: date, interval_days: int) -> date:
    """The default next review: ``interval_days`` after ``on`` (the setting
    ``CARE_REVIEW_INTERVAL_DAYS``, 365 by default: at least yearly, as England's Care and
    Support Statutory Guidance, para. 13.32, NICE guideline NG21, section 1.3 ("Planning and
    reviewing home care and support"), and NICE quality standard QS123, statement 5 ("within
    6 weeks of starting to use the service and then at least annually"), ask)."""
    return on + timedelta(days=interval_days)


def rating_problems(ratings: dict[int, int]) -> list[ValidationError]:
    """Each goal is rated on Goal Attainment Scaling's five levels, -2 to +2 (``GAS_LEVELS``)."""
    if any(value not in GAS_LEVELS for value in ratings.values()):
        return [
            ValidationError(
                _("A goal is rated from -2 (much less than expected) to +2 (much more)."),
                code="goal_rating_invalid",
            )
        ]
    return []


def improved(ratings: list[int]) -> bool:
    """Whether a goal's rating rose from one review to the next: the last rating is higher
    than the one before it (Goal Attainment Scaling's levels, ``GAS_LEVELS``)."""
    return len(ratings) >= 2 and ratings[-1] > ratings[-2]
