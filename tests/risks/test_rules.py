"""The risk scales' scoring, with worked examples from their sources, and the rules of review
dates and goal ratings."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coopcare.risks import rules
from coopcare.risks.scales import SCALES
from tests.risks.conftest import FALLS_LOW, HANDLING


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list if e.code}


def test_steadi_four_points_or_more_may_be_at_risk():
    # CDC STEADI, "Stay Independent": "Add up the number of points for each yes answer. If you
    # scored 4 points or more, you may be at risk for falling." Fallen in the past year (yes:
    # 2 points), unsteady when walking (1) and worried about falling (1): 4 points.
    answers = FALLS_LOW | {"fallen": "yes", "unsteady": "yes", "worried": "yes"}
    assert rules.score("steadi_frq", "falls", answers, None, "") == rules.Result(4, "high")
    # Without the worry, 3 points: below the cut-off.
    answers["worried"] = "no"
    assert rules.score("steadi_frq", "falls", answers, None, "") == rules.Result(3, "low")


def test_steadi_walking_aid_scores_two():
    # "I use or have been advised to use a cane or walker to get around safely": yes is 2.
    answers = FALLS_LOW | {"walking_aid": "yes"}
    assert rules.score("steadi_frq", "falls", answers, None, "").total == 2


@pytest.mark.parametrize(
    ("bmi", "loss", "acute", "total", "band"),
    [
        # BAPEN, 'MUST' booklet, step 4: "0 low risk, 1 medium risk, 2 or more high risk".
        ("over_20", "under_5", "no", 0, "low"),
        # BMI 18.5-20 scores 1 (step 1): medium risk.
        ("18_5_to_20", "under_5", "no", 1, "medium"),
        # BMI 18.5-20 (1) and 5-10 % weight loss (step 2: 1): 2, high risk.
        ("18_5_to_20", "5_to_10", "no", 2, "high"),
        # Acutely ill, no intake for more than 5 days (step 3: 2), BMI under 18.5 (2), more
        # than 10 % weight loss (2): 6.
        ("under_18_5", "over_10", "yes", 6, "high"),
    ],
)
def test_must_steps_one_to_four(bmi, loss, acute, total, band):
    answers = {"bmi": bmi, "weight_loss": loss, "acute_disease": acute}
    assert rules.score("must", "nutrition", answers, None, "") == rules.Result(total, band)


def test_handling_counts_the_factors_of_concern_without_a_band():
    # HSE L23 gives no score: two of the four factors (task and load) are of concern.
    result = rules.score("handling_tile", "moving_handling", HANDLING, None, "")
    assert result == rules.Result(2, "")


def test_braden_total_and_band_are_entered_within_its_range():
    assert rules.score("braden", "skin", {}, 14, "medium") == rules.Result(14, "medium")
    with pytest.raises(ValidationError) as refused:
        rules.score("braden", "skin", {"mobility": "1"}, 30, "")
    assert codes(refused.value) == {
        "risk_items_not_kept",
        "risk_total_out_of_range",
        "risk_band_missing",
    }
    with pytest.raises(ValidationError) as refused:
        rules.score("waterlow", "skin", {}, None, "high")
    assert codes(refused.value) == {"risk_total_missing"}


def test_waterlow_totals_stop_at_what_the_card_can_add_up_to():
    # Waterlow (1985, revised 2005): the card's items give totals up to 64; "10+ at risk,
    # 15+ high risk, 20+ very high risk". A total of 64 is the most a person can score, so
    # 65 is a mistake in adding up, refused as Braden's 30 is.
    assert rules.score("waterlow", "skin", {}, 64, "very_high") == rules.Result(64, "very_high")
    assert rules.score("waterlow", "skin", {}, 15, "high") == rules.Result(15, "high")
    with pytest.raises(ValidationError) as refused:
        rules.score("waterlow", "skin", {}, 65, "very_high")
    assert codes(refused.value) == {"risk_total_out_of_range"}


def test_steadi_items_say_what_the_brochure_asks():
    # CDC STEADI, "Stay Independent": "I steady myself by holding onto furniture when walking
    # at home" (yes: 1 point), and 14 points in all when every answer is yes.
    steadi = SCALES["steadi_frq"]
    assert steadi.items is not None
    assert str(steadi.items["holds_furniture"].label) == (
        "Steadies self by holding onto furniture when walking at home."
    )
    assert steadi.items["holds_furniture"].options["yes"].points == 1
    assert steadi.max_score == 14


def test_every_item_answered_with_one_of_its_options():
    answers = dict(FALLS_LOW)
    del answers["sad"]
    answers["fallen"] = "maybe"
    answers["owns_a_dog"] = "yes"
    with pytest.raises(ValidationError) as refused:
        rules.score("steadi_frq", "falls", answers, None, "")
    assert codes(refused.value) == {
        "risk_items_unanswered",
        "risk_answer_invalid",
        "risk_item_unknown",
    }


def test_scale_must_exist_and_assess_the_kind():
    with pytest.raises(ValidationError) as refused:
        rules.score("norton", "skin", {}, 10, "low")
    assert refused.value.code == "risk_scale_unknown"
    with pytest.raises(ValidationError) as refused:
        rules.score("must", "falls", {}, None, "")
    assert refused.value.code == "risk_scale_not_for_kind"


def test_handling_says_one_or_two_carers_and_only_handling_does():
    assert rules.handling_problems("moving_handling", 2, "hoist") == []
    assert [p.code for p in rules.handling_problems("moving_handling", 3, "")] == [
        "carers_needed_invalid"
    ]
    assert [p.code for p in rules.handling_problems("falls", 2, "")] == ["handling_not_applicable"]


def test_next_review_neither_in_the_past_nor_before_the_assessment():
    today = date(2026, 11, 22)
    assert rules.review_date_problems(today, date(2027, 11, 22), today) == []
    assert [p.code for p in rules.review_date_problems(today, date(2026, 11, 21), today)] == [
        "review_date_in_past"
    ]
    assert [p.code for p in rules.review_date_problems(today, today, today)] == ["review_not_after"]
    assert [
        p.code for p in rules.review_date_problems(date(2026, 11, 23), date(2027, 1, 1), today)
    ] == ["dated_in_future"]


def test_default_review_is_a_year_later():
    # Care and Support Statutory Guidance, para. 13.32: a review "no later than every 12
    # months"; NICE QS123, statement 5: a review "within 6 weeks of starting to use the
    # service and then at least annually". The setting's default is 365 days: assessed on
    # 2 March 2026, reviewed by 2 March 2027.
    assert rules.next_review(date(2026, 3, 2), 365) == date(2027, 3, 2)


def test_goal_ratings_are_goal_attainment_levels():
    # Kiresuk and Sherman (1968): five levels, -2 to +2.
    assert rules.rating_problems({1: -2, 2: 2}) == []
    assert [p.code for p in rules.rating_problems({1: 3})] == ["goal_rating_invalid"]


def test_improved_compares_the_last_two_ratings():
    assert rules.improved([-2, -1])
    assert not rules.improved([-1, -1])
    assert not rules.improved([0, 1, 0])
    assert not rules.improved([1])
