"""The rules of a childcare centre: a child's age in months, the child-to-staff ratios by age
band and country with their sources, the staff a room needs for the children present, and the
order of a day's sign-in and sign-out. Pure: no database.

Where a country's rule could not be pinned to its text, the default says "to be confirmed",
and the cooperative sets its own ratio with its reason (``services.set_ratio``)."""

import enum
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TO_CONFIRM = "to be confirmed by the cooperative against its regional or national rule"

# A ratio one adult to this many children at most; an age band up to 6 years (72 months).
MAX_CHILDREN_PER_ADULT = 30
MAX_MONTHS = 72


@dataclass(frozen=True)
class Ratio:
    """At most ``children_per_adult`` children of ``from_months`` (included) to ``to_months``
    (excluded) per adult, and where that comes from."""

    from_months: int
    to_months: int
    children_per_adult: int
    source: str


EYFS = (
    "Statutory framework for the early years foundation stage, group and school-based "
    "providers (DfE, 2024), section 3, staff:child ratios"
)
REGIONS_IT = "Set by each region's law on nidi d'infanzia (national frame: D.lgs. 65/2017)"
REGIONS_ES = "Set by each autonomous community (national frame: Real Decreto 132/2010)"
CRECHES_IN = (
    "National Minimum Guidelines for setting up and running crèches under the Maternity "
    "Benefit Act 2017 (Ministry of Women and Child Development, 2018)"
)

# Sources, by country (ISO 3166 alpha-2).
DEFAULT_RATIOS: dict[str, tuple[Ratio, ...]] = {
    "GB": (
        Ratio(0, 24, 3, f"{EYFS}: children under two, 1 adult to 3"),
        Ratio(24, 36, 5, f"{EYFS}: children aged two, 1 adult to 5 (from 4 September 2023)"),
        Ratio(
            36,
            MAX_MONTHS,
            8,
            f"{EYFS}: children aged three and over, 1 adult to 8 (1 to 13 where a person "
            "with QTS, EYTS, EYPS or another approved level 6 qualification works directly "
            "with the children: set it as the cooperative's ratio, with that reason)",
        ),
    ),
    "FR": (
        Ratio(
            0,
            MAX_MONTHS,
            6,
            "Décret n° 2021-1131 of 30 August 2021 (Code de la santé publique): one "
            "professional for six children, or one for five who do not walk and one for "
            f"eight who walk; article {TO_CONFIRM}",
        ),
    ),
    "IT": (
        Ratio(0, 12, 5, f"{REGIONS_IT}: 1 to 5 under one year is common; {TO_CONFIRM}"),
        Ratio(12, 36, 7, f"{REGIONS_IT}: 1 to 7 from one to three years is common; {TO_CONFIRM}"),
        Ratio(
            36,
            MAX_MONTHS,
            26,
            f"Scuola dell'infanzia, DPR 81/2009: up to 26 children a section; {TO_CONFIRM}",
        ),
    ),
    "ES": (
        Ratio(0, 12, 8, f"{REGIONS_ES}: 1 to 8 under one year; {TO_CONFIRM}"),
        Ratio(12, 24, 13, f"{REGIONS_ES}: 1 to 13 from one to two years; {TO_CONFIRM}"),
        Ratio(24, 36, 20, f"{REGIONS_ES}: 1 to 20 from two to three years; {TO_CONFIRM}"),
        Ratio(
            36,
            MAX_MONTHS,
            25,
            f"Real Decreto 132/2010: at most 25 pupils a unit in the second cycle; {TO_CONFIRM}",
        ),
    ),
    "IN": (
        Ratio(0, 36, 10, f"{CRECHES_IN}: 1 worker to 10 children under three; {TO_CONFIRM}"),
        Ratio(
            36,
            MAX_MONTHS,
            20,
            f"National Early Childhood Care and Education Policy (2013): 1 to 20 from three "
            f"years; {TO_CONFIRM}",
        ),
    ),
}


def age_in_months(born_on: date, on: date) -> int:
    """Whole months from ``born_on`` to ``on``: a child born on 15 March 2024 is 23 months old
    on 14 March 2026 and 24 months old on 15 March 2026."""
    months = (on.year - born_on.year) * 12 + on.month - born_on.month
    if on.day < born_on.day:
        months -= 1
    return max(months, 0)


def ratio_for(ratios: list[Ratio] | tuple[Ratio, ...], months: int) -> Ratio | None:
    """The ratio whose band holds a child of ``months``, or None when no band does."""
    for ratio in ratios:
        if ratio.from_months <= months < ratio.to_months:
            return ratio
    return None


@dataclass(frozen=True)
class Staffing:
    """The staff a room needs for its children present, and whether it has them."""

    children: int
    staff: int
    needed: int
    # Children of an age no band covers: counted, not weighed.
    unbanded: int

    @property
    def over_ratio(self) -> bool:
        return self.staff < self.needed


def staff_needed(ages_in_months: list[int], ratios, staff_present: int) -> Staffing:
    """The staff a room needs: each child weighs one over their band's ratio, and the sum is
    rounded up, so a mixed room needs what each age group present needs, together.

    Worked example: 3 babies (1:3) and 5 two-year-olds (1:5) weigh 3/3 + 5/5 = 2 adults; a
    fourth baby makes 2 1/3, rounded up to 3."""
    load = Fraction(0)
    unbanded = 0
    for months in ages_in_months:
        ratio = ratio_for(ratios, months)
        if ratio is None:
            unbanded += 1
            continue
        load += Fraction(1, ratio.children_per_adult)
    return Staffing(len(ages_in_months), staff_present, math.ceil(load), unbanded)


def check_band(from_months: int, to_months: int) -> list[ValidationError]:
    """An age band runs forwards, within the centre's ages (0 to 72 months)."""
    if not 0 <= from_months < to_months <= MAX_MONTHS:
        return [
            ValidationError(
                _("The age band must run from a younger to an older age, up to 72 months."),
                code="age_band_invalid",
            )
        ]
    return []


def check_sign_in(already_in: bool) -> list[ValidationError]:
    """A child is signed in once a day."""
    if already_in:
        return [
            ValidationError(_("The child is already signed in today."), code="already_signed_in")
        ]
    return []


def check_sign_out(signed_in: bool, signed_out: bool) -> list[ValidationError]:
    """A child is signed out once, after being signed in."""
    if not signed_in:
        return [ValidationError(_("The child has not been signed in today."), code="not_signed_in")]
    if signed_out:
        return [ValidationError(_("The child is already signed out."), code="already_signed_out")]
    return []


def check_observation(observed_on: date, today: date) -> list[ValidationError]:
    """An observation is of something already seen: its day is today or before."""
    if observed_on > today:
        return [ValidationError(_("It cannot be dated in the future."), code="dated_in_future")]
    return []


def check_sharing(consent_in_force: bool) -> list[ValidationError]:
    """An observation is shared with the guardians only while a guardian's consent to sharing
    observations is in force (UK GDPR art. 6(1)(a); the consent is recorded on the child)."""
    if not consent_in_force:
        return [
            ValidationError(
                _("No consent to share observations is in force for this child."),
                code="sharing_not_consented",
            )
        ]
    return []


# Parents' fees. Italy's declared household income is the ISEE (DPCM 159/2013, art. 1 and 2:
# the indicator public services use to set what a household pays by its means); the bands,
# their fees and what an income not declared pays are each cooperative's own schedule, as each
# municipality sets its nidi's, so none is written here.

CENT = Decimal("0.01")


def check_fee_bands(ceilings: list[Decimal | None], fees: list[Decimal]) -> list[ValidationError]:
    """A schedule's bands (each "income up to X", the top one with no ceiling) cover every
    income once: no two bands with the same ceiling (they would overlap), exactly one band
    with no ceiling (without one, incomes above the last ceiling fall in no band: a gap), and
    no fee below zero.

    Source: the cooperative's fee schedule; an income scale leaves no household without its
    band (DPCM 159/2013 art. 2 c. 1: services set what a household pays by its ISEE)."""
    problems = []
    capped = [c for c in ceilings if c is not None]
    if not ceilings:
        return [ValidationError(_("A fee schedule has at least one band."), code="fee_bands_gap")]
    if len(capped) != len(set(capped)):
        problems.append(
            ValidationError(_("Two bands have the same ceiling."), code="fee_bands_overlap")
        )
    if len(ceilings) - len(capped) != 1:
        problems.append(
            ValidationError(
                _("Exactly one band, the highest, has no ceiling: any income above the others."),
                code="fee_bands_gap",
            )
        )
    if any(c < 0 for c in capped) or any(f < 0 for f in fees):
        problems.append(
            ValidationError(_("A ceiling or a fee below zero."), code="fee_band_below_zero")
        )
    return problems


def fee_band(ceilings: list[Decimal | None], income: Decimal | None) -> int | None:
    """The band (1 the lowest incomes') of a household's declared ``income``: the first whose
    ceiling is at or above it, the one without ceiling above them all; with no income declared,
    the highest band. ``ceilings`` are checked by ``check_fee_bands``.

    Source: the cooperative's fee schedule ("income up to X" bands, the ISEE of DPCM
    159/2013); a household that declares no income pays the highest band, the cooperative's
    rule as municipal schedules have it (``FeeSchedule.undeclared_pays_top_band``: the caller
    refuses instead when the cooperative does not)."""
    ordered = sorted(ceilings, key=lambda c: (c is None, c or 0))
    if income is None:
        return len(ordered)
    for number, ceiling in enumerate(ordered, start=1):
        if ceiling is None or income <= ceiling:
            return number
    return None


def monthly_fee(
    full_time_fee: Decimal,
    *,
    part_time: bool,
    part_time_percent: Decimal,
    days_enrolled: int,
    days_in_month: int,
    pro_rata: bool,
) -> Decimal:
    """A child's fee for a month: the band's full-time fee, times the part-time share for a
    child part time, times the days enrolled over the month's calendar days when the child
    starts or leaves during the month and the schedule reckons so; rounded to the cent, half
    up, once at the end.

    Source: the cooperative's fee schedule (``FeeSchedule.part_time_percent`` and
    ``pro_rata``): a month begun or ended is paid by its calendar days enrolled, or in
    full, as the cooperative chose."""
    fee = full_time_fee * (part_time_percent / 100 if part_time else 1)
    if pro_rata and days_enrolled < days_in_month:
        fee = fee * days_enrolled / days_in_month
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SubsidyTerms:
    """A subsidy as a fee reads it: a fixed amount a month or a percentage of the fee."""

    percent: bool
    amount: Decimal


def subsidies_of(fee: Decimal, subsidies: list[SubsidyTerms]) -> list[Decimal]:
    """What each subsidy pays of ``fee``, in order: a fixed amount or the percentage of the
    fee (to the cent, half up), each capped by what is left of the fee after those before, so
    that together they never pay more than the fee and the family never less than nothing.

    Source: the cooperative's agreement with the public body (e.g. a municipality's agreed
    places): a subsidy pays towards a fee, never beyond it."""
    left, paid = fee, []
    for subsidy in subsidies:
        asked = (
            (fee * subsidy.amount / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            if subsidy.percent
            else subsidy.amount
        )
        share = min(asked, left)
        paid.append(share)
        left -= share
    return paid


class LineCredit(enum.Enum):
    """What credit notes did to one line of a child's fee of a month."""

    STANDING = "standing"  # not credited
    KEPT = "kept"  # credited, the month kept billed
    AGAIN = "again"  # credited with "bill again"


class Rebilling(enum.Enum):
    """What the next fee run does with a child's month already billed."""

    STAYS_BILLED = "stays_billed"
    BILL_AGAIN = "bill_again"
    CREDIT_THE_REST = "credit_the_rest"


def rebilling(lines: list[LineCredit]) -> Rebilling:
    """Whether a child's fee of a month, billed on ``lines`` (the family's share and each
    subsidy's share on its public body's invoice), is billed again by the next fee run.

    A credit note corrects an issued invoice; told to, the corrected charge is billed again
    on a new invoice, as an invoice run bills a credited visit again. The fee and its subsidies
    are one reckoning (the subsidies are capped by the fee, the family pays the rest), so the
    month is billed again whole or not at all:

    - no line credited with "bill again": the month stays billed;
    - a line credited with "bill again" while another still stands uncredited (typically the
      public body's subsidy line, when only the family's fee was credited): the run is refused
      until that line is credited too. Billing only the family's part would reckon the fee
      afresh against subsidies already billed on the old terms, and billing the subsidy again
      would bill the public body twice for the same child and month;
    - every line credited, one of them without "bill again": that credit note cancelled its
      part for good, so the month stays billed (a credit note without "bill again" keeps it);
    - every line credited with "bill again": the month is billed again, whole, with the terms
      then in force.

    Source: DPR 633/1972 art. 26 (an issued invoice is corrected by a credit note, a "nota di
    variazione", never by an edit); the cooperative's agreement with the public body (a
    subsidy is billed once per child and month)."""
    if LineCredit.AGAIN not in lines:
        return Rebilling.STAYS_BILLED
    if LineCredit.STANDING in lines:
        return Rebilling.CREDIT_THE_REST
    if LineCredit.KEPT in lines:
        return Rebilling.STAYS_BILLED
    return Rebilling.BILL_AGAIN
