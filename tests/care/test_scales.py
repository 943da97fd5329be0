"""The standard scales, scored as published."""

import pytest

from coopcare.care import scales
from tests.care.conftest import KATZ_ALL_INDEPENDENT, LAWTON_INDEPENDENT


def test_katz_adl_scores_one_point_per_independent_function():
    """Katz et al. (JAMA 1963; Gerontologist 1970), as in the Hartford Institute's "Try This"
    Katz Index: six functions, independence = 1 point, dependence = 0; total 0-6.
    Worked example: dependent for bathing and dressing, independent in the other four = 4."""
    katz = scales.SCALES["katz_adl"]
    assert list(katz.items) == [
        "bathing",
        "dressing",
        "toileting",
        "transferring",
        "continence",
        "feeding",
    ]
    assert all(
        {k: o.points for k, o in item.options.items()} == {"independent": 1, "dependent": 0}
        for item in katz.items.values()
    )
    assert katz.max_score == 6
    assert scales.score("katz_adl", KATZ_ALL_INDEPENDENT) == 6
    two_dependent = KATZ_ALL_INDEPENDENT | {"bathing": "dependent", "dressing": "dependent"}
    assert scales.score("katz_adl", two_dependent) == 4


# Lawton & Brody, The Gerontologist 9(3):179-186 (1969), as printed in the Hartford Institute's
# "Try This" issue 23: the points of each domain's options, from the most independent down.
PUBLISHED_LAWTON_POINTS = {
    "telephone": [1, 1, 1, 0],
    "shopping": [1, 0, 0, 0],
    "food_preparation": [1, 0, 0, 0],
    "housekeeping": [1, 1, 1, 1, 0],
    "laundry": [1, 1, 0],
    "transportation": [1, 1, 1, 0, 0],
    "medications": [1, 0, 0],
    "finances": [1, 1, 0],
}


def test_lawton_iadl_options_score_as_published():
    """Eight domains for everyone (the 1969 scoring of men on five domains is not used), each
    with its published options scoring 1 or 0; total 0-8."""
    lawton = scales.SCALES["lawton_iadl"]
    points = {key: [o.points for o in item.options.values()] for key, item in lawton.items.items()}
    assert points == PUBLISHED_LAWTON_POINTS
    assert lawton.max_score == 8


def test_lawton_iadl_worked_example():
    """A person who answers the telephone but does not dial (1), shops only for small purchases
    (0), prepares meals only if the ingredients are supplied (0), needs help with all home
    maintenance (1), washes small items (1), travels on public transport when accompanied (1),
    takes medication prepared in advance in separate doses (0) and manages day-to-day purchases
    but needs help with banking (1) scores 5 of 8. A yes/no "does it independently" tick, as
    used before, could not give housekeeping its point: needing help with all of it scores 1."""
    answers = {
        "telephone": "answers_only",
        "shopping": "small_purchases",
        "food_preparation": "if_supplied",
        "housekeeping": "needs_help_with_all",
        "laundry": "small_items",
        "transportation": "public_accompanied",
        "medications": "if_prepared",
        "finances": "day_to_day",
    }
    assert scales.score("lawton_iadl", answers) == 5
    assert scales.score("lawton_iadl", LAWTON_INDEPENDENT) == 8


@pytest.mark.parametrize(
    "scale, items, code, keys",
    [
        ("katz_adl", {"bathing": "independent"}, "incomplete", list(KATZ_ALL_INDEPENDENT)[1:]),
        (
            "katz_adl",
            KATZ_ALL_INDEPENDENT | {"cooking": "independent"},
            "unknown_item",
            ["cooking"],
        ),
        ("katz_adl", KATZ_ALL_INDEPENDENT | {"feeding": True}, "invalid_answer", ["feeding"]),
        ("lawton_iadl", {}, "incomplete", list(LAWTON_INDEPENDENT)),
        ("lawton_iadl", LAWTON_INDEPENDENT | {"laundry": 1}, "invalid_answer", ["laundry"]),
    ],
)
def test_missing_or_foreign_answers_give_no_score(scale, items, code, keys):
    """A missing item is unknown, never 0: the scale has no total until every item is answered."""
    with pytest.raises(scales.NotScorable) as refused:
        scales.score(scale, items)
    assert (refused.value.code, refused.value.items) == (code, keys)
