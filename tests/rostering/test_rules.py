"""Rostering's pure rules, with worked examples."""

from decimal import Decimal

from coopcare.rostering import rules


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_a_visit_goes_to_one_carer_or_to_two_different_ones_when_double_handed():
    assert rules.carer_count_problems([7], double_handed=False) == []
    assert rules.carer_count_problems([7, 8], double_handed=True) == []
    assert codes(rules.carer_count_problems([7, 8], double_handed=False)) == ["needs_one_carer"]
    assert codes(rules.carer_count_problems([], double_handed=False)) == ["needs_one_carer"]
    assert codes(rules.carer_count_problems([7], double_handed=True)) == ["needs_two_carers"]
    assert codes(rules.carer_count_problems([7, 7], double_handed=True)) == ["same_carer_twice"]


def test_a_week_of_visits_over_the_contracted_hours_is_flagged():
    assert rules.contract_hours_problems("Ana", 20 * 60, Decimal("20")) == []
    [problem] = rules.contract_hours_problems("Ana", 20 * 60 + 30, Decimal("20"))
    assert problem.code == "over_contract_hours"
    assert "20.5 h" in problem.message
