"""The rules of a childcare centre: a child's age in months, the child-to-staff ratios by age
band and country with their sources, the staff a room needs for the children present, and the
order of a day's sign-in and sign-out. Pure: no database.

Where a country's rule could not be pinned to its text, the default says "to be confirmed",
and the cooperative sets its own ratio with its reason (``services.set_ratio``)."""

import math
from dataclasses import dataclass
from datetime import date
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
