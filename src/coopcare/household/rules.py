"""Spain's household employment (Sistema Especial para Empleados de Hogar) as plain functions:
the employer's numbers, the monthly pay, its contribution base by the year's brackets (tramos),
the employer's and the worker's contributions, and the minimum wage per hour.

Nothing here reads the database. Every figure is dated and cited; a month with no table for
its date is refused (``no_contribution_table``, ``no_minimum_wage``), never priced at zero.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.es import nif

CENT = Decimal("0.01")
# RD 1620/2011, art. 8.4: two extra payments a year, so a prorated month carries a sixth of
# the month's salary (two payments of one month's salary over twelve months).
EXTRAS_SHARE = Decimal(1) / Decimal(6)
# The months the extra payments fall due when they are not prorated (RD 1620/2011, art. 8.4,
# leaves the dates to agreement; June and December are the usual ones).
EXTRAS_MONTHS = (6, 12)


def cents(amount: Decimal) -> Decimal:
    """An amount rounded half up to the cent, as payslips and the TGSS's bills are."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bracket:
    """A tramo: monthly pay up to ``up_to`` (None: no upper limit) is contributed on ``base``
    (None: on the pay itself)."""

    up_to: Decimal | None
    base: Decimal | None


@dataclass(frozen=True)
class ContributionTable:
    """The brackets and rates (percent) of one year, with the text that sets them."""

    starts_on: date
    ends_on: date
    source: str
    brackets: tuple[Bracket, ...]
    # (employer, worker) percentages of the contribution base.
    common: tuple[Decimal, Decimal]
    mei: tuple[Decimal, Decimal]
    unemployment_permanent: tuple[Decimal, Decimal]
    unemployment_fixed_term: tuple[Decimal, Decimal]
    fogasa: Decimal
    accidents: Decimal
    # The employer's reductions (percent of their own contributions).
    common_reduction: Decimal
    large_family_bonus: Decimal
    unemployment_fogasa_bonus: Decimal
    # Contracts started from this day no longer get the large family bonus.
    large_family_until: date


def _d(text: str) -> Decimal:
    return Decimal(text)


# Orden PJC/178/2025, de 25 de febrero (BOE 26-2-2025), art. 15: from 1 January 2025 the
# brackets below; common contingencies 28.30 % (23.60 employer, 4.70 worker), MEI 0.80 %
# (0.67, 0.13), unemployment 7.05 % (5.50, 1.55) on a permanent contract and 8.30 % (6.70,
# 1.60) on a fixed-term one, FOGASA 0.20 % (employer), accidents at work and occupational
# disease by the premium table of Ley 42/2006, DA 4.ª (code 97, households as employers:
# 1.50 %, employer). The monthly pay includes the prorated extra payments (LGSS art. 147.1).
# Reductions: 20 % of the employer's common contingencies and a bonus of 80 % of the
# employer's unemployment and FOGASA (LGSS DT 16.ª as worded by Real Decreto-ley 16/2022,
# and Real Decreto-ley 16/2022, art. 3 and DT 3.ª); a large family (Ley 40/2003, art. 9) has
# 45 % instead of the 20 % for contracts made before 1 April 2024 (Ley 31/2022, art.
# 122.Cuatro.6; the cut-off day is to be confirmed against the BOE).
TABLES = (
    ContributionTable(
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        source="Orden PJC/178/2025, art. 15; LGSS art. 147.1 and DT 16.ª; RDL 16/2022",
        brackets=(
            Bracket(_d("319.00"), _d("296.00")),
            Bracket(_d("495.00"), _d("423.00")),
            Bracket(_d("672.00"), _d("584.00")),
            Bracket(_d("850.00"), _d("761.00")),
            Bracket(_d("1029.00"), _d("941.00")),
            Bracket(_d("1204.00"), _d("1116.00")),
            Bracket(_d("1381.20"), _d("1381.20")),
            Bracket(None, None),
        ),
        common=(_d("23.60"), _d("4.70")),
        mei=(_d("0.67"), _d("0.13")),
        unemployment_permanent=(_d("5.50"), _d("1.55")),
        unemployment_fixed_term=(_d("6.70"), _d("1.60")),
        fogasa=_d("0.20"),
        accidents=_d("1.50"),
        common_reduction=_d("20"),
        large_family_bonus=_d("45"),
        unemployment_fogasa_bonus=_d("80"),
        large_family_until=date(2024, 4, 1),
    ),
)

# The minimum wage per hour worked of a household employee working by the hour, which
# includes the proportional parts of rest days, holidays and the extra payments.
#   2024: Real Decreto 145/2024, art. 4: 8.87 €.
#   2025: Real Decreto 87/2025, art. 4: 9.26 €.
#   2026: 9.55 € as published in the press in February 2026; the Real Decreto's number and
#         article are to be confirmed.
MINIMUM_WAGE_PER_HOUR = (
    (date(2024, 1, 1), date(2024, 12, 31), _d("8.87"), "Real Decreto 145/2024, art. 4"),
    (date(2025, 1, 1), date(2025, 12, 31), _d("9.26"), "Real Decreto 87/2025, art. 4"),
    (date(2026, 1, 1), date(2026, 12, 31), _d("9.55"), "SMI 2026 (to be confirmed)"),
)


def table_on(day: date) -> ContributionTable:
    """The contribution table in force on ``day``; a day no table covers is refused."""
    for table in TABLES:
        if table.starts_on <= day <= table.ends_on:
            return table
    raise ValidationError(
        _("There is no table of contributions for %(month)s yet.")
        % {"month": day.strftime("%Y-%m")},
        code="no_contribution_table",
    )


def minimum_wage_on(day: date) -> Decimal:
    """The minimum wage per hour of a household employee on ``day`` (see the table above)."""
    for first, last, amount, _source in MINIMUM_WAGE_PER_HOUR:
        if first <= day <= last:
            return amount
    raise ValidationError(
        _("There is no minimum wage recorded for %(month)s yet.")
        % {"month": day.strftime("%Y-%m")},
        code="no_minimum_wage",
    )


def hourly_pay_with_extras(hourly_rate: Decimal) -> Decimal:
    """What an hour earns with its share of the two extra payments (RD 1620/2011, art. 8.4),
    the figure the minimum wage per hour is compared with (RD 87/2025, art. 4)."""
    return cents(hourly_rate * (1 + EXTRAS_SHARE))


def minimum_wage_problems(hourly_rate: Decimal, day: date) -> list[ValidationError]:
    """Whether ``hourly_rate``, with its share of the extras, reaches the minimum wage per hour
    of household employees on ``day``.

    Source: RD 87/2025, art. 4 (9.26 € an hour in 2025), with RD 1620/2011, art. 8.4.
    """
    minimum = minimum_wage_on(day)
    paid = hourly_pay_with_extras(hourly_rate)
    if paid < minimum:
        return [
            ValidationError(
                _(
                    "An hour pays %(paid)s with the extra payments, under the minimum wage of "
                    "%(minimum)s an hour for household employees."
                )
                % {"paid": paid, "minimum": minimum},
                code="below_minimum_wage",
            )
        ]
    return []


def social_security_account_ok(account: str) -> bool:
    """Whether ``account`` is a well-formed código de cuenta de cotización: 11 digits, the
    province (2), the number (7) and two check digits, the first nine modulo 97, as the TGSS
    computes the check digits of its numbers (the order that sets them is to be confirmed)."""
    digits = account.replace(" ", "").replace("/", "").replace("-", "")
    return len(digits) == 11 and digits.isdigit() and int(digits[:9]) % 97 == int(digits[9:])


def employer_problems(fields: dict) -> list[ValidationError]:
    """The employer's tax id (NIF, a DNI or NIE with its check letter, RD 1065/2007, art. 18-20)
    and Social Security employer account, checked."""
    problems = []
    if not nif.is_valid(fields.get("tax_id", "")):
        problems.append(ValidationError(_("This is not a valid NIF or NIE."), code="bad_tax_id"))
    if not social_security_account_ok(fields.get("social_security_account", "")):
        problems.append(
            ValidationError(
                _("This is not a valid Social Security employer account (11 digits)."),
                code="bad_social_security_account",
            )
        )
    return problems


@dataclass(frozen=True)
class Line:
    """One contribution: what, its base, its rate (percent) and its amount (negative for a
    reduction), and who pays it."""

    key: str
    payer: str  # "employer" or "worker"
    base: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Month:
    """A month's payslip: pay, the contribution base and its bracket, and the contributions."""

    hours: Decimal
    salary: Decimal
    extras: Decimal
    gross: Decimal
    pay_for_base: Decimal
    bracket: int
    base: Decimal
    lines: tuple[Line, ...]

    @property
    def employer_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.payer == "employer"), Decimal(0))

    @property
    def worker_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.payer == "worker"), Decimal(0))

    @property
    def net(self) -> Decimal:
        return self.gross - self.worker_total


def contribution_base(pay_for_base: Decimal, table: ContributionTable) -> tuple[int, Decimal]:
    """The bracket (1 to 8) of a month's pay and the base it is contributed on.

    Source: Orden PJC/178/2025, art. 15.1: e.g. 900 € falls in the 5th bracket (850.01 to
    1,029.00), base 941 €; from 1,381.21 € the base is the pay itself.
    """
    for number, bracket in enumerate(table.brackets, start=1):
        if bracket.up_to is None or pay_for_base <= bracket.up_to:
            return number, bracket.base if bracket.base is not None else cents(pay_for_base)
    raise AssertionError("the last bracket has no upper limit")


def contributions(
    base: Decimal,
    table: ContributionTable,
    *,
    fixed_term: bool,
    large_family: bool,
    contract_starts_on: date,
) -> tuple[Line, ...]:
    """The employer's and the worker's contributions on ``base``, each line rounded to the
    cent, the employer's reductions as negative lines.

    Source: Orden PJC/178/2025, art. 15 (rates); LGSS DT 16.ª and RDL 16/2022 (the 20 %
    reduction and the 80 % bonus); Ley 40/2003, art. 9 and Ley 31/2022, art. 122 (45 % for a
    large family, in place of the 20 %, on contracts made before 1 April 2024).
    """
    unemployment = table.unemployment_fixed_term if fixed_term else table.unemployment_permanent

    def line(key: str, payer: str, rate: Decimal, on: Decimal = base) -> Line:
        return Line(key, payer, on, rate, cents(on * rate / 100))

    common = line("common", "employer", table.common[0])
    job = line("unemployment", "employer", unemployment[0])
    fogasa = line("fogasa", "employer", table.fogasa)
    bonus_family = large_family and contract_starts_on < table.large_family_until
    reduction_rate = table.large_family_bonus if bonus_family else table.common_reduction
    reduction = line(
        "large_family_bonus" if bonus_family else "common_reduction",
        "employer",
        -reduction_rate,
        common.amount,
    )
    bonus = line(
        "unemployment_fogasa_bonus",
        "employer",
        -table.unemployment_fogasa_bonus,
        job.amount + fogasa.amount,
    )
    return (
        common,
        reduction,
        line("mei", "employer", table.mei[0]),
        line("accidents", "employer", table.accidents),
        job,
        fogasa,
        bonus,
        line("common", "worker", table.common[1]),
        line("mei", "worker", table.mei[1]),
        line("unemployment", "worker", unemployment[1]),
    )


def month_pay(
    month: date,
    hours: Decimal,
    hourly_rate: Decimal,
    *,
    extras_prorated: bool,
    earlier_salary: Decimal,
    fixed_term: bool,
    large_family: bool,
    contract_starts_on: date,
) -> Month:
    """A month's payslip of a household employee paid by the hour.

    The salary is the hours worked times the rate. Prorated, the extras add a sixth of it
    each month; otherwise June and December each pay a sixth of the half-year's salaries
    (``earlier_salary``, those of its months before this one, and this month's). Either way
    the contribution base is taken from the salary plus its sixth (LGSS art. 147.1, Orden
    PJC/178/2025 art. 15.1), so an extra payment paid whole is not contributed on again.

    Source: RD 1620/2011, art. 8; Orden PJC/178/2025, art. 15. Worked example: 120 hours at
    7.50 € in March 2025, prorated: salary 900.00, extras 150.00, pay 1,050.00, 6th bracket,
    base 1,116.00.
    """
    table = table_on(month)
    salary = cents(hours * hourly_rate)
    if extras_prorated:
        extras = cents(salary * EXTRAS_SHARE)
    elif month.month in EXTRAS_MONTHS:
        extras = cents((earlier_salary + salary) * EXTRAS_SHARE)
    else:
        extras = Decimal("0.00")
    pay_for_base = cents(salary * (1 + EXTRAS_SHARE))
    bracket, base = contribution_base(pay_for_base, table)
    lines = contributions(
        base,
        table,
        fixed_term=fixed_term,
        large_family=large_family,
        contract_starts_on=contract_starts_on,
    )
    return Month(hours, salary, extras, salary + extras, pay_for_base, bracket, base, lines)
