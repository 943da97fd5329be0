"""The membership and share capital rules, as pure functions."""

from datetime import date
from decimal import Decimal

import pytest
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


# SEPA direct debit.


@pytest.mark.parametrize(
    "iban",
    [
        "IT60X0542811101000000123456",
        "ES9121000418450200051332",
        "FR1420041010050500013M02606",
        "GB29NWBK60161331926819",
    ],
)
def test_the_national_example_ibans_are_valid(iban):
    """ISO 13616-1: move the country code and check digits to the end, letters as numbers
    (A = 10 ... Z = 35), and the number mod 97 is 1. For GB29NWBK60161331926819:
    NWBK60161331926819GB29 → 2332112060161331926819161129, mod 97 = 1. The United Kingdom
    is outside the EEA but within the SEPA schemes' area."""
    assert int("2332112060161331926819161129") % 97 == 1
    assert rules.iban_problems(iban) == []


def test_an_iban_with_wrong_check_digits_is_refused():
    """IT60... is right; IT61... gives 2 mod 97, not 1."""
    assert [p.code for p in rules.iban_problems("IT61X0542811101000000123456")] == ["iban_invalid"]


def test_an_iban_outside_sepa_is_refused():
    """Brazil has IBANs (ISO 13616 registry) but is not in the SEPA area."""
    problems = rules.iban_problems("BR1800360305000010009795493C1")
    assert [p.code for p in problems] == ["iban_outside_sepa"]


@pytest.mark.parametrize("identifier", ["DE98ZZZ09999999999", "IT66ZZZA1B2C3D4E5F6G7H8"])
def test_creditor_identifiers_with_right_check_digits(identifier):
    """EPC262-08: check digits = 98 - (national id + country code + "00", letters as
    numbers, mod 97), the business code (ZZZ) left out. DE98ZZZ09999999999:
    "09999999999" "DE00" → 09999999999131400 mod 97 = 0 → 98."""
    assert int("09999999999131400") % 97 == 0
    assert rules.creditor_id_problems(identifier) == []


def test_the_business_code_is_outside_the_check():
    assert rules.creditor_id_problems("DE98ABC09999999999") == []
    assert [p.code for p in rules.creditor_id_problems("DE97ZZZ09999999999")] == [
        "creditor_id_invalid"
    ]


def test_a_collection_is_due_two_target_business_days_after_it_is_made():
    """EPC SDD Core: presented to the debtor's bank at D-1, the creditor's bank a day before.
    Made on Wednesday 23 December 2026: the 24th is open, the 25th and 26th (TARGET holidays)
    and the weekend are closed, so D-2 falls on the 28th and the earliest due date is Monday
    28 December."""
    assert rules.earliest_collection(date(2026, 12, 23)) == date(2026, 12, 28)
    assert rules.earliest_collection(date(2026, 11, 23)) == date(2026, 11, 25)
    assert [
        p.code for p in rules.collection_date_problems(date(2026, 11, 23), date(2026, 11, 28))
    ] == ["collection_date_too_soon"]


def test_instalments_add_up_to_the_cent():
    """c.c. art. 2521(3) n. 4: capital subscribed and paid may differ; 100 in three parts."""
    assert rules.split_instalments(Decimal("100.00"), 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


def test_the_first_debit_under_a_mandate_is_frst():
    assert rules.sequence_type(collected_before=False) == "FRST"
    assert rules.sequence_type(collected_before=True) == "RCUR"
