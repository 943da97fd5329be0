"""The rules of a medicine's stock, each with its source and a worked example.

Source: NICE NG67 (2017), "Managing medicines for adults receiving social care in the
community": the provider keeps records of the medicines it supports, what it receives and
holds in the home included, and a discrepancy is recorded and looked into."""

from decimal import Decimal

from coopcare.medication import rules


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_the_expected_balance_is_the_last_count_plus_received_less_taken():
    # 28 tablets counted, 28 received, 10 doses of 2 tablets taken: 28 + 28 - 20 = 36.
    assert rules.expected_balance(Decimal(28), [Decimal(28)], [Decimal(2)] * 10) == Decimal(36)


def test_a_dose_in_the_unit_counted_takes_its_own_amount():
    assert rules.units_per_dose(Decimal(2), "tablets", "Tablet", None) == Decimal(2)


def test_a_dose_in_another_unit_needs_the_units_per_dose():
    # A 10 mg dose of 5 mg tablets counted in tablets: 2 tablets, only when the figure is given.
    assert rules.units_per_dose(Decimal(10), "mg", "tablets", None) is None
    assert rules.units_per_dose(Decimal(10), "mg", "tablets", Decimal(2)) == Decimal(2)


def test_tracking_in_another_unit_without_the_figure_is_refused():
    problems = rules.tracking_problems(
        unit="tablets", per_dose=None, dose_unit="mg", low_days=7, tolerance=Decimal(0)
    )
    assert codes(problems) == ["stock_units_differ"]
    assert not rules.tracking_problems(
        unit="tablets", per_dose=Decimal(2), dose_unit="mg", low_days=7, tolerance=Decimal(0)
    )


def test_tracking_needs_a_unit_a_day_or_more_and_no_negative_tolerance():
    problems = rules.tracking_problems(
        unit=" ", per_dose=Decimal(0), dose_unit="ml", low_days=0, tolerance=Decimal(-1)
    )
    assert codes(problems) == [
        "stock_unit_missing",
        "stock_per_dose_not_positive",
        "stock_low_days_not_positive",
        "stock_tolerance_negative",
    ]


def test_a_delivery_is_more_than_zero_and_a_count_zero_or_more():
    assert codes(rules.quantity_problems(Decimal(0), counted=False)) == ["stock_quantity_invalid"]
    assert rules.quantity_problems(Decimal(0), counted=True) == []
    assert codes(rules.quantity_problems(Decimal(-1), counted=True)) == ["stock_quantity_invalid"]


def test_a_count_that_differs_says_why():
    # 30 counted, 36 expected: 6 missing, the reason is required.
    assert codes(rules.count_problems(Decimal(30), Decimal(36), "")) == [
        "stock_difference_unexplained"
    ]
    assert rules.count_problems(Decimal(30), Decimal(36), "Two strips dropped") == []
    assert rules.count_problems(Decimal(36), Decimal(36), "") == []
    assert rules.count_problems(Decimal(36), None, "") == []


def test_a_difference_beyond_the_tolerance():
    # 30 counted, 36 expected, tolerance 0: beyond; 98 ml counted, 100 expected, 5 ml: within.
    assert rules.beyond_tolerance(Decimal(30), Decimal(36), Decimal(0))
    assert not rules.beyond_tolerance(Decimal(98), Decimal(100), Decimal(5))
    assert not rules.beyond_tolerance(Decimal(30), None, Decimal(0))


def test_the_days_left_at_the_scheduled_rate():
    # 12 tablets, 2 doses a day of 1 tablet: 6 days; nothing at fixed times: no figure.
    assert rules.days_left(Decimal(12), Decimal(2)) == Decimal(6)
    assert rules.days_left(Decimal(-3), Decimal(2)) == Decimal(0)
    assert rules.days_left(Decimal(12), Decimal(0)) is None
