"""The membership and share capital rules, as pure functions."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from coopcare.members import rules
from coopcare.members.rules import ClassWeight, ShareBalance


def messages(problems: list[ValidationError]) -> list[str]:
    """What the problems say (each is a ValidationError with its code)."""
    return [str(problem.message) for problem in problems]


def codes(problems: list[ValidationError]) -> list[str | None]:
    return [problem.code for problem in problems]


def test_paid_up_needs_the_class_shares_and_nothing_owed():
    """Voting rights go to paid-up members: CHCA's $1,000 worker share counts once fully paid."""
    assert rules.is_paid_up(ShareBalance(1, Decimal(500), Decimal(500)), min_shares=1)
    assert not rules.is_paid_up(ShareBalance(1, Decimal(500), Decimal(450)), min_shares=1)
    assert not rules.is_paid_up(ShareBalance(1, Decimal(50), Decimal(50)), min_shares=2)
    assert not rules.is_paid_up(ShareBalance(), min_shares=1)


def test_payment_may_not_exceed_what_is_subscribed():
    balance = ShareBalance(1, Decimal(500), Decimal(450))
    assert rules.payment_problems(balance, Decimal(50)) == []
    [problem] = rules.payment_problems(balance, Decimal("50.01"))
    assert "above the 500 subscribed" in problem.message
    assert problem.code == "payment_above_capital"
    assert messages(rules.payment_problems(balance, Decimal(0))) == [
        "A payment must be more than zero."
    ]


def test_redemption_only_after_leaving_and_only_once():
    held = ShareBalance(1, Decimal(50), Decimal(50))
    assert rules.redemption_problems(has_left=False, balance=held)
    assert rules.redemption_problems(has_left=True, balance=held) == []
    assert messages(rules.redemption_problems(has_left=True, balance=ShareBalance())) == [
        "This member's shares have already been redeemed."
    ]


def test_worker_admission_waits_for_probation():
    """Worker membership after a probation period (issue #2; e.g. CHCA's worker-owner path)."""
    common = dict(is_applicant=True, subscribed_shares=1, min_shares=1, probation_days=180)
    started = date(2026, 1, 1)
    early = rules.admission_problems(**common, works_since=started, admitted_on=date(2026, 6, 1))
    assert len(early) == 1 and "probation of 180 days" in early[0].message
    assert codes(early) == ["probation_not_over"]
    assert (
        rules.admission_problems(**common, works_since=started, admitted_on=date(2026, 6, 30)) == []
    )
    assert rules.admission_problems(**common, works_since=None, admitted_on=date(2026, 6, 30))


def test_admission_needs_the_class_minimum_of_shares():
    problems = rules.admission_problems(
        is_applicant=True,
        subscribed_shares=2,
        min_shares=5,
        probation_days=0,
        works_since=None,
        admitted_on=date(2026, 1, 1),
    )
    assert messages(problems) == ["The applicant must subscribe at least 5 shares (now 2)."]
    assert codes(problems) == ["too_few_shares"]


def test_transfers_only_of_paid_shares_keeping_the_class_minimum():
    paid = ShareBalance(3, Decimal(150), Decimal(150))
    ok = dict(same_member=False, receiver_admitted=True)
    assert rules.transfer_problems(paid, 1, 2, **ok) == []
    assert rules.transfer_problems(paid, 1, 3, **ok)  # would keep none
    assert rules.transfer_problems(paid, 1, 4, **ok)  # holds only three
    unpaid = ShareBalance(3, Decimal(150), Decimal(100))
    assert messages(rules.transfer_problems(unpaid, 1, 1, **ok)) == [
        "Only fully paid shares can be transferred."
    ]
    assert rules.transfer_problems(paid, 1, 1, same_member=True, receiver_admitted=True)
    assert rules.transfer_problems(paid, 1, 1, same_member=False, receiver_admitted=False)


SCIC = dict(minimum=Decimal(10), maximum=Decimal(50))


def test_scic_class_weights_between_10_and_50_percent_and_adding_to_100():
    """Loi n° 47-1775 art. 19 octies: "chaque collège dispose d'au moins 10 % et au plus 50 %"
    of the votes in the general assembly."""
    good = [
        ClassWeight("Workers", Decimal(50), None),
        ClassWeight("Users", Decimal(30), None),
        ClassWeight("Supporters", Decimal(20), None),
    ]
    assert rules.class_weight_problems(good, **SCIC) == []
    too_heavy = [ClassWeight("Workers", Decimal(60), None), ClassWeight("Users", Decimal(40), None)]
    assert any(
        "60" in p and "10 % to 50 %" in p
        for p in messages(rules.class_weight_problems(too_heavy, **SCIC))
    )
    too_light = [
        ClassWeight("A", Decimal(5), None),
        ClassWeight("B", Decimal(45), None),
        ClassWeight("C", Decimal(50), None),
    ]
    assert rules.class_weight_problems(too_light, **SCIC)
    not_100 = [ClassWeight("A", Decimal(40), None), ClassWeight("B", Decimal(40), None)]
    assert messages(rules.class_weight_problems(not_100, **SCIC)) == [
        "The class weights add up to 80 %; they must add up to 100 %."
    ]


def test_investor_cap():
    """Equal Care Co-op's rules cap investor members at 10 % of the vote."""
    classes = [
        ClassWeight("Workers", Decimal(45), None),
        ClassWeight("Users", Decimal(40), None),
        ClassWeight("Investors", Decimal(15), Decimal(10)),
    ]
    assert messages(rules.class_weight_problems(classes, **SCIC)) == [
        "Investors weighs 15 %, above its cap of 10 %."
    ]


def test_unweighted_classes_are_fine_but_half_weighted_are_not():
    unweighted = [ClassWeight("A", None, None), ClassWeight("B", None, None)]
    assert rules.class_weight_problems(unweighted, **SCIC) == []
    half = [ClassWeight("A", Decimal(50), None), ClassWeight("B", None, None)]
    assert "missing: B" in messages(rules.class_weight_problems(half, **SCIC))[0]


def test_no_member_holds_more_capital_than_the_register_can():
    """The ledger's columns hold 12 digits; one member holds at most 99,999,999.99 so that the
    cooperative's sum fits too. 100,000,000,000 shares of 25.00 (the request that once broke
    the ledger page) is refused; a large public investor's 3,000,000 shares of 25.00 is not."""
    assert rules.subscription_problems(100_000_000_000, Decimal("25.00"))
    assert not rules.subscription_problems(3_000_000, Decimal("25.00"))
    held = rules.ShareBalance(shares=3_999_998, capital=Decimal("99999950.00"))
    assert rules.subscription_problems(1, Decimal("25.00"), held) == []
    assert rules.subscription_problems(2, Decimal("25.00"), held)
    assert rules.capital_problems(Decimal("100000000.00"))
