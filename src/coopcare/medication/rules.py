"""The checks of medication: a medicine as prescribed, an allergy it may touch, the doses due
at a visit, and a dose recorded.

Pure functions of plain values: each returns the problems it finds as ``ValidationError``s
with their codes (or the figures asked for), and the services refuse an action with any.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# How far from its time a fixed-time dose may be given, either side. Source: CMS, "Timing of
# medication administration", S&C 12-05-Hospital (2011): a scheduled medicine that is not
# time-critical is given within one hour before or after its time when given more often than
# daily (two hours for daily ones). coopcare takes the stricter hour for every dose, so that
# two doses of one medicine never fall due in one visit unless they are at most two hours
# apart. A policy value: change the carers' guidance with it.
DOSE_WINDOW = timedelta(minutes=60)
# As-needed doses are counted over the 24 hours before the dose (BNF, "Prescription writing":
# an "as required" prescription states the most doses in 24 hours and the least interval).
AS_NEEDED_PERIOD = timedelta(hours=24)
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_times(times: Iterable[str]) -> list[str]:
    """The times of day as sorted "HH:MM" strings without repeats; raises for any other
    shape (code ``invalid_time``)."""
    shown = sorted({str(t).strip()[:5] for t in times if str(t).strip()})
    bad = [t for t in shown if not TIME_OF_DAY.match(t)]
    if bad:
        raise ValidationError(
            _("Times of day are written as hours and minutes, such as 08:00: %(times)s.")
            % {"times": ", ".join(bad)},
            code="invalid_time",
        )
    return shown


def medicine_problems(
    *,
    dose_amount: Decimal | None,
    dose_unit: str,
    as_needed: bool,
    times: list[str],
    max_per_day: int | None,
    min_gap_minutes: int | None,
    starts_on: date,
    ends_on: date | None,
) -> list[ValidationError]:
    """What is wrong with a medicine as prescribed. Source: BNF, "Prescription writing": the
    dose is stated with its unit, and an "as required" prescription states how often and the
    most in 24 hours; NICE SC1 (2017), "Medicines support": the care record says what is
    taken, how much and when."""
    problems = []
    if not dose_unit.strip():
        problems.append(
            ValidationError(
                _("Give the unit of the dose (tablets, mg, ml, puffs...)."),
                code="dose_unit_missing",
            )
        )
    if dose_amount is None or dose_amount <= 0:
        problems.append(
            ValidationError(_("The dose must be more than zero."), code="dose_not_positive")
        )
    if as_needed:
        if not max_per_day or not min_gap_minutes:
            problems.append(
                ValidationError(
                    _(
                        "A medicine taken as needed needs the most doses in 24 hours and the "
                        "least time between two doses."
                    ),
                    code="as_needed_limits_missing",
                )
            )
    elif not times:
        problems.append(
            ValidationError(_("Give the times of day the medicine is taken."), code="times_missing")
        )
    if ends_on is not None and ends_on < starts_on:
        problems.append(
            ValidationError(
                _("The medicine cannot stop before it starts."),
                code="medicine_ends_before_start",
            )
        )
    return problems


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", text.casefold()) if w}


def allergy_matches(name: str, ingredients: str, allergies: Iterable[str]) -> list[str]:
    """The allergies that the medicine's name or one of its ingredients names. Source: NICE
    CG183, "Drug allergy" (2014), §1.2: a drug allergy is recorded and checked before a
    medicine is given. An allergy matches when all of its words are words of the name or of one
    ingredient ("penicillin" matches "Penicillin V"; "sulfa" does not match "sulfasalazine",
    which the prescriber's own check is for)."""
    parts = [name, *ingredients.split(",")]
    found = []
    for allergy in allergies:
        words = _words(allergy)
        if words and any(words <= _words(part) for part in parts):
            found.append(allergy)
    return found


def doses_due(
    times: Iterable[str],
    *,
    starts: datetime,
    ends: datetime,
    zone: ZoneInfo,
    starts_on: date,
    ends_on: date | None,
    window: timedelta = DOSE_WINDOW,
) -> list[datetime]:
    """The moments of fixed-time doses that fall due in a visit from ``starts`` to ``ends``:
    each time of day, on the cooperative's clock, from ``window`` before the visit starts to
    ``window`` after it ends, on the days the medicine is taken (CMS S&C 12-05, above)."""
    first, last = starts - window, ends + window
    due = []
    day = first.astimezone(zone).date()
    while day <= last.astimezone(zone).date():
        if day >= starts_on and (ends_on is None or day <= ends_on):
            for shown in times:
                hours, minutes = (int(part) for part in shown.split(":"))
                moment = datetime.combine(day, time(hours, minutes), tzinfo=zone)
                if first <= moment <= last:
                    due.append(moment)
        day += timedelta(days=1)
    return sorted(due)


def outcome_problems(outcome: str, reason: str) -> list[ValidationError]:
    """A dose not given needs the reason. Source: NICE SC1 (2017), "Keeping records of
    medicines support": the record says when a medicine was not taken and why."""
    if outcome not in ("given", "self") and not reason.strip():
        return [ValidationError(_("Say why the dose was not given."), code="dose_reason_missing")]
    return []


def as_needed_problems(
    at: datetime, taken: Iterable[datetime], *, max_per_day: int, min_gap_minutes: int
) -> list[ValidationError]:
    """An as-needed dose at ``at`` past its limits, given the moments of the doses taken
    before. Source: BNF, "Prescription writing": an "as required" prescription's most doses
    in 24 hours and least interval between doses are part of the prescription."""
    before = [t for t in taken if at - AS_NEEDED_PERIOD < t <= at + AS_NEEDED_PERIOD]
    problems = []
    in_day = [t for t in before if at - AS_NEEDED_PERIOD < t <= at]
    if len(in_day) >= max_per_day:
        problems.append(
            ValidationError(
                ngettext(
                    "At most %(count)s dose in 24 hours: it was already taken.",
                    "At most %(count)s doses in 24 hours: they were all taken already.",
                    max_per_day,
                )
                % {"count": max_per_day},
                code="as_needed_over_limit",
            )
        )
    gap = timedelta(minutes=min_gap_minutes)
    close = [t for t in before if abs(at - t) < gap]
    if close:
        last = max(close)
        wait = gap - abs(at - last)
        problems.append(
            ValidationError(
                _(
                    "Doses are at least %(gap)s minutes apart: the last was %(ago)s minutes "
                    "ago, wait %(wait)s more."
                )
                % {
                    "gap": min_gap_minutes,
                    "ago": round(abs(at - last).total_seconds() / 60),
                    "wait": -(-int(wait.total_seconds()) // 60),
                },
                code="as_needed_too_soon",
            )
        )
    return problems


# -- stock counts -------------------------------------------------------------------------------
#
# Source: NICE NG67 (2017), "Managing medicines for adults receiving social care in the
# community" (home care, where NICE SC1 covers care homes): the care provider keeps records
# of the medicines support it gives, including what is received and held in the home when it
# is responsible for that, and medicines-related problems, discrepancies included, are
# reported and looked into under its safeguarding and incident processes. The running
# balance (last count, plus received, less doses taken) is how eMAR systems keep it.

# The days of doses left below which a tracked medicine is listed as running low, unless its
# tracking says otherwise: about a week, the time a repeat prescription usually takes from
# request to delivery. A policy value.
LOW_STOCK_DAYS = 7


def same_unit(first: str, second: str) -> bool:
    """Whether two units are the same, written with any case, spaces or a plural "s"."""

    def plain(unit: str) -> str:
        unit = unit.strip().lower()
        return unit[:-1] if unit.endswith("s") and len(unit) > 1 else unit

    return plain(first) == plain(second)


def units_per_dose(
    dose_amount: Decimal, dose_unit: str, unit: str, per_dose: Decimal | None
) -> Decimal | None:
    """How many units counted one dose takes: the tracking's own figure when it has one,
    else the dose itself when it is written in the unit counted (2 tablets), else None: a
    dose in mg of tablets counted in tablets cannot be turned into tablets without the
    figure, so the balance is not guessed."""
    if per_dose is not None:
        return per_dose
    if same_unit(dose_unit, unit):
        return dose_amount
    return None


def tracking_problems(
    *,
    unit: str,
    per_dose: Decimal | None,
    dose_unit: str,
    low_days: int,
    tolerance: Decimal,
) -> list[ValidationError]:
    """What is wrong with turning stock tracking on. Source: NICE NG67 (2017): the record
    says what is held in the home; counted units have to match the doses taken from them."""
    problems = []
    if not unit.strip():
        problems.append(
            ValidationError(
                _("Give the unit counted (tablets, ml, patches...)."), code="stock_unit_missing"
            )
        )
    elif per_dose is None and not same_unit(dose_unit, unit):
        problems.append(
            ValidationError(
                _(
                    "The dose is in %(dose_unit)s but the stock is counted in %(unit)s: say "
                    "how many %(unit)s one dose takes."
                )
                % {"dose_unit": dose_unit, "unit": unit.strip()},
                code="stock_units_differ",
            )
        )
    if per_dose is not None and per_dose <= 0:
        problems.append(
            ValidationError(
                _("The units per dose must be more than zero."), code="stock_per_dose_not_positive"
            )
        )
    if low_days < 1:
        problems.append(
            ValidationError(_("Warn at one day left or more."), code="stock_low_days_not_positive")
        )
    if tolerance < 0:
        problems.append(
            ValidationError(
                _("The difference accepted cannot be below zero."), code="stock_tolerance_negative"
            )
        )
    return problems


def quantity_problems(quantity: Decimal | None, *, counted: bool) -> list[ValidationError]:
    """A delivery brings more than nothing; a count finds nothing or more."""
    if quantity is None or quantity < 0 or (not counted and quantity == 0):
        return [
            ValidationError(
                _("A count is zero or more.") if counted else _("A delivery is more than zero."),
                code="stock_quantity_invalid",
            )
        ]
    return []


def expected_balance(
    last_count: Decimal, received: Iterable[Decimal], taken: Iterable[Decimal]
) -> Decimal:
    """The balance expected now: the last count, plus what was received since, less the
    units of the doses taken since. Worked example: 28 tablets counted, 28 received, 10
    doses of 2 tablets taken: 28 + 28 - 20 = 36."""
    return last_count + sum(received, Decimal(0)) - sum(taken, Decimal(0))


def count_problems(
    quantity: Decimal, expected: Decimal | None, reason: str
) -> list[ValidationError]:
    """A count that differs from the expected balance says why. Source: NICE NG67 (2017):
    a discrepancy in medicines is recorded and looked into."""
    if expected is not None and quantity != expected and not reason.strip():
        return [
            ValidationError(
                _("The count differs from the %(expected)s expected: say why.")
                % {"expected": f"{expected.normalize():f}"},
                code="stock_difference_unexplained",
            )
        ]
    return []


def beyond_tolerance(quantity: Decimal, expected: Decimal | None, tolerance: Decimal) -> bool:
    """Whether a count is further from the expected balance than the tracking accepts (it
    then raises a medication incident). Worked example: 30 counted, 36 expected, tolerance
    0: 6 missing, beyond."""
    return expected is not None and abs(quantity - expected) > tolerance


def days_left(balance: Decimal, units_a_day: Decimal) -> Decimal | None:
    """The days of doses the balance lasts at the scheduled rate (None when nothing is taken
    at fixed times). Worked example: 12 tablets, 2 doses a day of 1 tablet: 6 days."""
    if units_a_day <= 0:
        return None
    return max(balance, Decimal(0)) / units_a_day
