"""The rules of Spain's household employment, with worked examples from their sources."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.household import rules

MARCH_2025 = date(2025, 3, 1)


def _d(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize(
    ("pay", "bracket", "base"),
    [
        # Orden PJC/178/2025, art. 15.1: "1.º Hasta 319,00 — 296,00"; "2.º Desde 319,01 Hasta
        # 495,00 — 423,00"; "5.º Desde 850,01 Hasta 1.029,00 — 941,00"; "7.º Desde 1.204,01
        # Hasta 1.381,20 — 1.381,20"; "8.º Desde 1.381,21 — Retribución mensual".
        ("150.00", 1, "296.00"),
        ("319.00", 1, "296.00"),
        ("319.01", 2, "423.00"),
        ("900.00", 5, "941.00"),
        ("1300.00", 7, "1381.20"),
        ("1500.00", 8, "1500.00"),
    ],
)
def test_the_contribution_base_is_the_bracket_of_the_months_pay(pay, bracket, base):
    assert rules.contribution_base(_d(pay), rules.table_on(MARCH_2025)) == (bracket, _d(base))


def test_contributions_on_the_fifth_bracket_of_2025():
    """Orden PJC/178/2025, art. 15: on a base of 941 € (pay of 900 € a month), the employer
    pays 23.60 % common contingencies less the 20 % reduction, 0.67 % MEI, 1.50 % accidents,
    5.50 % unemployment and 0.20 % FOGASA less the 80 % bonus; the worker 4.70 %, 0.13 % and
    1.55 %."""
    lines = rules.contributions(
        _d("941.00"),
        rules.table_on(MARCH_2025),
        fixed_term=False,
        large_family=False,
        contract_starts_on=date(2025, 1, 1),
    )
    amounts = {(line.payer, line.key): line.amount for line in lines}
    assert amounts == {
        ("employer", "common"): _d("222.08"),  # 941 × 23.60 % = 222.076
        ("employer", "common_reduction"): _d("-44.42"),  # 20 % of 222.08
        ("employer", "mei"): _d("6.30"),
        ("employer", "accidents"): _d("14.12"),  # 941 × 1.50 % = 14.115
        ("employer", "unemployment"): _d("51.76"),
        ("employer", "fogasa"): _d("1.88"),
        ("employer", "unemployment_fogasa_bonus"): _d("-42.91"),  # 80 % of 53.64
        ("worker", "common"): _d("44.23"),
        ("worker", "mei"): _d("1.22"),
        ("worker", "unemployment"): _d("14.59"),
    }
    month = rules.Month(_d(0), _d(900), _d(0), _d(900), _d(900), 5, _d(941), lines)
    assert month.employer_total == _d("208.81")
    assert month.worker_total == _d("60.04")
    assert month.net == _d("839.96")


def test_a_fixed_term_contract_pays_the_higher_unemployment_rate():
    """Orden PJC/178/2025: 8.30 % on a fixed-term contract, 6.70 % employer and 1.60 % worker."""
    lines = rules.contributions(
        _d("941.00"),
        rules.table_on(MARCH_2025),
        fixed_term=True,
        large_family=False,
        contract_starts_on=date(2025, 1, 1),
    )
    rates = {(line.payer, line.key): line.rate for line in lines}
    assert rates[("employer", "unemployment")] == _d("6.70")
    assert rates[("worker", "unemployment")] == _d("1.60")


@pytest.mark.parametrize(
    ("starts_on", "key", "amount"),
    [
        # Ley 40/2003, art. 9: 45 % of the employer's common contingencies, in place of the
        # 20 % reduction, for contracts made before 1 April 2024 (Ley 31/2022, art. 122).
        (date(2024, 1, 10), "large_family_bonus", _d("-99.94")),  # 45 % of 222.08
        (date(2024, 5, 1), "common_reduction", _d("-44.42")),
    ],
)
def test_a_large_family_has_45_percent_on_contracts_before_april_2024(starts_on, key, amount):
    lines = rules.contributions(
        _d("941.00"),
        rules.table_on(MARCH_2025),
        fixed_term=False,
        large_family=True,
        contract_starts_on=starts_on,
    )
    assert lines[1].key == key and lines[1].amount == amount


def test_a_prorated_month_and_its_base():
    """RD 1620/2011, art. 8.4 and LGSS art. 147.1: 120 hours at 7.50 € in March 2025 are a
    salary of 900 €, and the prorated extras add a sixth, 150 €; the pay of 1,050 € falls in
    the 6th bracket (1,029.01 to 1,204.00), base 1,116 €."""
    month = rules.month_pay(
        MARCH_2025,
        _d(120),
        _d("7.50"),
        extras_prorated=True,
        earlier_salary=_d(0),
        fixed_term=False,
        large_family=False,
        contract_starts_on=date(2025, 1, 1),
    )
    assert (month.salary, month.extras, month.gross) == (_d("900.00"), _d("150.00"), _d("1050.00"))
    assert (month.bracket, month.base) == (6, _d("1116.00"))
    assert (month.employer_total, month.worker_total) == (_d("247.64"), _d("71.20"))


def test_extras_paid_whole_in_june_are_not_contributed_on_again():
    """Not prorated, June pays a sixth of the half-year's salaries (5 × 900 + 900 = 5,400 €:
    900 €), and the base is still that of 900 € plus its sixth (LGSS art. 147.1)."""
    kept = {
        "extras_prorated": False,
        "fixed_term": False,
        "large_family": False,
        "contract_starts_on": date(2025, 1, 1),
    }
    march = rules.month_pay(MARCH_2025, _d(120), _d("7.50"), earlier_salary=_d(1800), **kept)
    june = rules.month_pay(date(2025, 6, 1), _d(120), _d("7.50"), earlier_salary=_d(4500), **kept)
    assert (march.extras, march.gross, march.base) == (_d("0.00"), _d("900.00"), _d("1116.00"))
    assert (june.extras, june.gross, june.base) == (_d("900.00"), _d("1800.00"), _d("1116.00"))
    assert june.employer_total == march.employer_total


@pytest.mark.parametrize("day", [date(2024, 12, 1), date(2026, 3, 1)])
def test_a_month_without_its_table_is_refused_never_zero(day):
    with pytest.raises(ValidationError) as refused:
        rules.table_on(day)
    assert refused.value.code == "no_contribution_table"


@pytest.mark.parametrize(
    ("rate", "refused"),
    [
        # RD 87/2025, art. 4: 9.26 € an hour in 2025, the extras' share included:
        # 7.94 × 7/6 = 9.263 (9.26), 7.93 × 7/6 = 9.252 (9.25).
        ("7.94", False),
        ("7.93", True),
    ],
)
def test_the_minimum_wage_per_hour_of_household_employees(rate, refused):
    problems = rules.minimum_wage_problems(_d(rate), MARCH_2025)
    assert [p.code for p in problems] == (["below_minimum_wage"] if refused else [])


def test_a_year_without_a_minimum_wage_is_refused():
    with pytest.raises(ValidationError) as refused:
        rules.minimum_wage_on(date(2023, 5, 1))
    assert refused.value.code == "no_minimum_wage"


@pytest.mark.parametrize(
    ("tax_id", "account", "codes"),
    [
        ("12345678Z", "28123456742", []),
        ("X1234567L", "28123456742", []),  # an NIE: X → 0, 01234567 mod 23 = 19: L
        ("12345678A", "28123456742", ["bad_tax_id"]),
        ("12345678Z", "28123456743", ["bad_social_security_account"]),
        ("12345678Z", "2812345674", ["bad_social_security_account"]),
    ],
)
def test_the_employers_numbers_are_checked(tax_id, account, codes):
    problems = rules.employer_problems({"tax_id": tax_id, "social_security_account": account})
    assert [p.code for p in problems] == codes
