"""The rules of time credits, each with its source's worked example."""

from decimal import Decimal

from coopcare.timecredits import rules


def codes(problems):
    return [p.code for p in problems]


def test_hours_are_quarter_hours_up_to_the_cooperatives_maximum():
    # Time banking's hour for hour; the quarter-hour and the maximum are the cooperative's
    # choice. "1.75 hours passes; 1.1 hours is not a quarter-hour; with a maximum of 8, 9
    # hours is too many."
    assert rules.hours_problems(Decimal("1.75"), Decimal(8)) == []
    assert codes(rules.hours_problems(Decimal("1.1"), Decimal(8))) == [
        "time_credit_not_quarter_hours"
    ]
    assert codes(rules.hours_problems(Decimal(9), Decimal(8))) == ["time_credit_too_many_hours"]
    assert codes(rules.hours_problems(Decimal(0), Decimal(8))) == ["time_credit_hours_not_positive"]


def test_a_receiver_may_owe_up_to_the_overdraft():
    # "With a limit of 10 hours, a member at -8 may receive 2 hours (to -10) but not 2.25."
    assert rules.overdraft_problems(Decimal(-8), Decimal(2), Decimal(10)) == []
    assert codes(rules.overdraft_problems(Decimal(-8), Decimal("2.25"), Decimal(10))) == [
        "time_credit_overdraft"
    ]


def test_nobody_exchanges_with_themselves():
    # Credits pass between a giver and a receiver: "a member cannot accept their own offer".
    assert codes(rules.parties_problems(7, 7)) == ["time_credit_self"]
    assert rules.parties_problems(7, 8) == []


def test_terms_are_quarter_hours_with_at_least_a_quarter_hour_per_exchange():
    assert rules.terms_problems(Decimal(8), Decimal(10), Decimal(2)) == []
    assert codes(rules.terms_problems(Decimal(0), Decimal(10), Decimal(0))) == [
        "time_credit_terms_invalid"
    ]
    assert codes(rules.terms_problems(Decimal(8), Decimal("0.1"), Decimal(0))) == [
        "time_credit_terms_invalid"
    ]
