"""The yearly survey in the cooperative's indicators (the social report)."""

from datetime import date
from decimal import Decimal

from coopcare.impact.indicators import INDICATORS
from coopcare.voice import services


def figure(coop, start, end):
    indicator = next(i for i in INDICATORS if i.key == "survey_satisfaction")
    return indicator.compute(coop, start, end)


def test_the_survey_indicator_is_the_share_of_scores_of_four_or_five(coop, coordinator):
    """Five answers to a survey of two questions closing on 15 December 2026: [5, 4] four
    times and [2, 3] once. Of 10 scores, 8 are 4 or 5: 80 %; the mean is (9 × 4 + 5) / 10 =
    4.1. With four answers only their number is shown (the small-number rule)."""
    opened = date(2026, 12, 1)
    survey = services.open_survey(
        coop,
        by=coordinator,
        year=2026,
        audience="circle",
        closes_on=date(2026, 12, 15),
        questions=["Respect?", "Overall?"],
        today=opened,
    )
    for _ in range(4):
        services.record_phone_answer(survey, side="circle", scores=[5, 4], today=opened)
    held_back = figure(coop, date(2026, 1, 1), date(2026, 12, 31))
    assert held_back.value is None and dict(held_back.parts) == {"answers": 4}
    services.record_phone_answer(survey, side="circle", scores=[2, 3], today=opened)
    shown = figure(coop, date(2026, 1, 1), date(2026, 12, 31))
    assert shown.value == Decimal("80.0") and shown.base == 5
    assert dict(shown.parts) == {"mean score, 1 to 5": Decimal("4.1"), "answers": 5}
    assert figure(coop, date(2027, 1, 1), date(2027, 12, 31)).parts == [("answers", 0)]
