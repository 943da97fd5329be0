"""The pricing rules of billing as plain functions: what one visit costs under a tariff
version, how a line is shared between a payer and a co-payer, late cancellations, and the
periods of an hours budget.

Nothing here reads the database: services and queries hand in plain values
(``Terms.of(version)``) and store or show what comes out. Money is exact (``Decimal``, with
``Fraction`` inside a sum) and rounded once per line, to the cent, halves away from zero.

Time: callers give aware datetimes. Lengths are measured between UTC instants (a visit the
night the clocks change lasts as long as it really lasted); local time only says what a moment
is (night, Sunday, a public holiday), as in ``work.rules``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import get_cc_module
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as NotANumber
from stdnum.it import codicefiscale

from coopcare.billing.models import RateKind, Rounding, Unit
from coopcare.shared.days import month_end, utc
from coopcare.work.models import EntryKind

CENT = Decimal("0.01")
# When two rates apply to the same minute (a Sunday night), the highest is billed; at equal
# rates the reason given is the first of this order.
PRECEDENCE = (RateKind.HOLIDAY, RateKind.SUNDAY, RateKind.NIGHT, RateKind.WEEKDAY)


@dataclass(frozen=True)
class Terms:
    """A tariff version's terms, as plain values."""

    unit: str
    weekday_rate: Decimal
    sunday_rate: Decimal
    night_rate: Decimal
    holiday_rate: Decimal
    night_starts: time
    night_ends: time
    double_handed_factor: Decimal = Decimal(2)
    minimum_minutes: int = 0
    rounding_minutes: int = 1
    rounding: str = Rounding.UP
    travel_billed: bool = False
    travel_rate: Decimal = Decimal(0)

    @classmethod
    def of(cls, version) -> "Terms":
        """The terms of a ``TariffVersion`` (its tariff says per hour or per visit)."""
        return cls(
            unit=version.tariff.unit,
            weekday_rate=version.weekday_rate,
            sunday_rate=version.sunday_rate,
            night_rate=version.night_rate,
            holiday_rate=version.holiday_rate,
            night_starts=version.night_starts,
            night_ends=version.night_ends,
            double_handed_factor=version.double_handed_factor,
            minimum_minutes=version.minimum_minutes,
            rounding_minutes=version.rounding_minutes,
            rounding=version.rounding,
            travel_billed=version.travel_billed,
            travel_rate=version.travel_rate,
        )

    def rate(self, kind: str) -> Decimal:
        return {
            RateKind.WEEKDAY: self.weekday_rate,
            RateKind.SUNDAY: self.sunday_rate,
            RateKind.NIGHT: self.night_rate,
            RateKind.HOLIDAY: self.holiday_rate,
        }[RateKind(kind)]


@dataclass(frozen=True)
class Stretch:
    """Billable minutes of a visit at one rate, and why that rate."""

    kind: str
    minutes: int
    rate: Decimal


@dataclass(frozen=True)
class Priced:
    """One visit priced: the minutes done and billed, the stretches by rate, and the amount
    of its line (rounded once, to the cent); travel, when billed, is a line of its own."""

    actual_minutes: int
    billable_minutes: int
    stretches: tuple[Stretch, ...]
    double_handed: bool
    amount: Decimal
    travel_amount: Decimal


def to_cents(amount: Fraction | Decimal) -> Decimal:
    """An exact amount rounded to the cent, halves away from zero."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def billable_minutes(terms: Terms, actual: int) -> int:
    """The minutes billed for a visit of ``actual`` minutes: at least the minimum, then rounded
    to the step, up or to the nearest (halves up), as the agreement's tariff says.

    Source: the agreement (its tariff version's minimum and rounding). Example: a minimum of
    60 and rounding up to 15 bill a 50-minute visit as 60, and a 65-minute one as 75.
    """
    minutes = max(actual, terms.minimum_minutes)
    step = max(terms.rounding_minutes, 1)
    whole, part = divmod(minutes, step)
    if part and (terms.rounding == Rounding.UP or 2 * part >= step):
        whole += 1
    return whole * step


def _in_night(moment: time, starts: time, ends: time) -> bool:
    return starts <= moment < ends if starts < ends else moment >= starts or moment < ends


def rate_kind_at(moment: datetime, terms: Terms, is_holiday: Callable[[date], bool]) -> str:
    """Why a local ``moment`` is billed as it is: the kind with the highest rate of those that
    apply (a public holiday, a Sunday, the night window, else a weekday)."""
    kinds = [RateKind.WEEKDAY]
    if is_holiday(moment.date()):
        kinds.append(RateKind.HOLIDAY)
    if moment.weekday() == 6:
        kinds.append(RateKind.SUNDAY)
    if _in_night(moment.time(), terms.night_starts, terms.night_ends):
        kinds.append(RateKind.NIGHT)
    ordered = sorted(kinds, key=PRECEDENCE.index)
    return str(max(ordered, key=lambda kind: (terms.rate(kind), -PRECEDENCE.index(kind))))


def _cuts(start: datetime, end: datetime, terms: Terms) -> list[datetime]:
    """Where the rate may change inside [start, end): local midnights and the night window's
    ends, as UTC instants."""
    zone = start.tzinfo
    points = {utc(start), utc(end)}
    day = start.date()
    while day <= end.astimezone(zone).date():
        for at in (time(), terms.night_starts, terms.night_ends):
            moment = utc(datetime.combine(day, at, zone))
            if utc(start) < moment < utc(end):
                points.add(moment)
        day += timedelta(days=1)
    return sorted(points)


def price_visit(
    terms: Terms,
    start: datetime,
    end: datetime,
    *,
    double_handed: bool = False,
    is_holiday: Callable[[date], bool] = lambda day: False,
    travel_minutes: int = 0,
) -> Priced:
    """What one visit from ``start`` to ``end`` (aware, local time) costs under ``terms``.

    Per hour: the visit is cut where the rate changes (midnight, the night window), each
    stretch billed at the rate of its own time (``rate_kind_at``); the minutes the minimum and
    rounding add (or the rounding to the nearest step takes off) belong to the visit's last
    stretch, as if the visit had gone on (or stopped) at its end. Per visit: the rate of the
    visit's start, once. Two carers multiply the amount by the tariff's factor. The line is
    rounded once; travel, when billed, is priced per hour of travel on a line of its own.

    Source: the agreement (its tariff version); the highest applicable rate per minute is
    coopcare's reading where an agreement does not say (a Sunday night is not billed twice).
    """
    zone = start.tzinfo
    actual = round((utc(end) - utc(start)).total_seconds() / 60)
    factor = Fraction(terms.double_handed_factor) if double_handed else Fraction(1)
    if terms.unit == Unit.VISIT:
        kind = rate_kind_at(start, terms, is_holiday)
        rate = terms.rate(kind)
        stretches: tuple[Stretch, ...] = (Stretch(kind, actual, rate),)
        amount = Fraction(rate) * factor
        billed = actual
    else:
        billed = billable_minutes(terms, actual)
        pieces: list[list] = []
        for a, b in pairwise(_cuts(start, end, terms)):
            kind = rate_kind_at(a.astimezone(zone), terms, is_holiday)
            minutes = round((b - a).total_seconds() / 60)
            if pieces and pieces[-1][0] == kind:
                pieces[-1][1] += minutes
            elif minutes:
                pieces.append([kind, minutes])
        if not pieces:
            pieces = [[rate_kind_at(start, terms, is_holiday), 0]]
        _fit(pieces, billed)
        stretches = tuple(Stretch(k, m, terms.rate(k)) for k, m in pieces if m)
        amount = sum((Fraction(s.rate) * s.minutes / 60 for s in stretches), Fraction(0)) * factor
    travel = Fraction(terms.travel_rate) * travel_minutes / 60 if terms.travel_billed else 0
    return Priced(
        actual_minutes=actual,
        billable_minutes=billed,
        stretches=stretches,
        double_handed=double_handed,
        amount=to_cents(amount),
        travel_amount=to_cents(Fraction(travel)),
    )


def travel_to_visits(day: Sequence[tuple[str, int, int | None]]) -> dict[int, int]:
    """The minutes of travel to each visit of one carer's working day, from the day's
    stretches in order as ``(entry kind, minutes, visit record)``: a visit's travel is every travel
    stretch since the visit before it (or since the day started, the journey from home), so
    the waiting that may follow a journey does not cut it off; the journey home after the
    day's last visit goes to no visit. Keyed by the visit record.

    Source: the agreement (its tariff version bills travel per hour of travel); which journey
    belongs to which visit is coopcare's reading, as timesheets record a day (a journey ends
    where the next visit is). Example: travel 15, visit A, travel 20, waiting 10, visit B,
    travel 12: A 15 minutes, B 20, and the 12 minutes home to no visit.
    """
    found: dict[int, int] = {}
    travelled = 0
    for kind, minutes, record in day:
        if kind == EntryKind.TRAVEL:
            travelled += minutes
        elif kind == EntryKind.VISIT and record is not None:
            found[record] = found.get(record, 0) + travelled
            travelled = 0
    return found


def _fit(pieces: list[list], billed: int) -> None:
    """Make the stretches' minutes add up to ``billed``: minutes added go to the last stretch;
    minutes taken off (rounding to the nearest) come from the last stretches first."""
    difference = billed - sum(minutes for _kind, minutes in pieces)
    if difference >= 0:
        pieces[-1][1] += difference
        return
    for piece in reversed(pieces):
        taken = min(piece[1], -difference)
        piece[1] -= taken
        difference += taken


@dataclass(frozen=True)
class Split:
    """A line's amount shared between the agreement's payer and its co-payer."""

    payer: Decimal
    co_payer: Decimal


def co_payment_share(
    bands: Sequence[tuple[Decimal | None, Decimal]], income: Decimal | None
) -> Decimal | None:
    """The co-payment percentage of the band ``income`` falls in: the first band (by its upper
    limit, ascending; ``None`` for the open top band) whose limit is at or above the income.
    An unknown income falls in the top band (the person has not shown they pay less).

    Source: the agreement's co-payment table (in Italy, the municipality's rules for the
    co-payment by ISEE, DPCM 159/2013). Example: bands up to 10 000 → 0 %, up to 20 000 →
    20 %, above → 50 %; an income of 15 000 pays 20 %.
    """
    ordered = sorted(bands, key=lambda band: (band[0] is None, band[0] or Decimal(0)))
    for limit, percent in ordered:
        if income is not None and (limit is None or income <= limit):
            return percent
        if income is None and limit is None:
            return percent
    return ordered[-1][1] if ordered else None


def split_line(amount: Decimal, co_payment_percent: Decimal | None) -> Split:
    """Share a line's amount: the co-payer pays its percentage, rounded to the cent (halves
    away from zero), and the payer the rest, so that the two always add up to the line and the
    payer takes any remainder cent.

    Source: the agreement's split. Example: 80 % / 20 % of 25.55 is 20.44 and 5.11; 30 % of
    0.05 is 0.015, rounded to 0.02, so the payer pays 0.03.
    """
    if not co_payment_percent:
        return Split(payer=amount, co_payer=Decimal("0.00"))
    co_payer = to_cents(amount * co_payment_percent / 100)
    return Split(payer=amount - co_payer, co_payer=co_payer)


def late_cancellation_charge(
    amount: Decimal, hours_notice: Decimal, within_hours: int, percent: Decimal
) -> Decimal:
    """What a cancelled visit costs: ``percent`` of its price when it was cancelled less than
    ``within_hours`` before it was due, else nothing.

    Source: the agreement's cancellation rule. Example: cancelled 3 hours before, under "less
    than 24 hours: 50 %", a visit priced 22.50 is billed 11.25.
    """
    if hours_notice >= within_hours:
        return Decimal("0.00")
    return to_cents(amount * percent / 100)


def period_days(day: date, period: str) -> tuple[date, date]:
    """The budget period ``day`` falls in: its week (Monday to Sunday, ISO 8601) or its
    calendar month, as first and last day."""
    if period == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    return day.replace(day=1), month_end(day)


@dataclass(frozen=True)
class Standing:
    """An hours budget in one period, in minutes: authorised, done (verified), still
    planned, and what is left or over."""

    authorised: int
    done: int
    planned: int

    @property
    def used(self) -> int:
        return self.done + self.planned

    @property
    def left(self) -> int:
        return max(self.authorised - self.used, 0)

    @property
    def over(self) -> int:
        return max(self.used - self.authorised, 0)


def _why_not(error: NotANumber) -> str:
    """What python-stdnum found wrong, in the reader's words (its own messages are English)."""
    if isinstance(error, InvalidLength):
        return _("it has the wrong number of characters")
    if isinstance(error, InvalidChecksum):
        return _("its check digit is wrong")
    if isinstance(error, InvalidComponent):
        return _("a part of it does not exist")
    if isinstance(error, InvalidFormat):
        return _("it has characters that do not belong")
    return _("it is not in the country's format")


def _vat_module(country: str):
    """python-stdnum's module for the VAT (or tax) number of ``country``, if it has one."""
    return get_cc_module(country.lower(), "vat") if country else None


def compact_vat_number(country: str, number: str) -> str:
    """A VAT number as invoices and e-invoices want it: no spaces or dots, and without the
    country's own prefix (``IT 01232710374`` is ``01232710374``: FatturaPA gives the country
    apart); as typed, stripped, where the country's format is not known."""
    module = _vat_module(country)
    return module.compact(number) if module and number.strip() else number.strip()


def tax_number_problems(country: str, vat_number: str, fiscal_code: str) -> list[ValidationError]:
    """A VAT number (and, in Italy, a fiscal code) with the format and check digit of the
    country; an empty one is not checked, nor the numbers of a country not known here.

    Source: each country's own rule, as python-stdnum implements it: Italy's partita IVA is
    eleven digits, seven of the company, three of the tax office and a Luhn check digit, and
    its codice fiscale a person's sixteen characters ending in a check letter or a company's
    eleven digits (DM 23 December 1976; DPR 605/1973); Spain's NIF, France's numéro de TVA, the
    UK's VAT registration number, India's GSTIN and Colombia's NIT likewise. E.g. 01232710374
    is a valid partita IVA; 01232710375 is not (its check digit should be 4).
    """
    problems = []
    module = _vat_module(country)
    if module and vat_number:
        try:
            module.validate(vat_number)
        except NotANumber as error:
            problems.append(
                ValidationError(
                    _("%(number)s is not a valid VAT number for %(country)s (%(why)s).")
                    % {"number": vat_number, "country": country.upper(), "why": _why_not(error)},
                    code="vat_number_invalid",
                )
            )
    if country.upper() == "IT" and fiscal_code:
        try:
            codicefiscale.validate(fiscal_code)
        except NotANumber as error:
            problems.append(
                ValidationError(
                    _("%(code)s is not a valid Italian fiscal code (%(why)s).")
                    % {"code": fiscal_code, "why": _why_not(error)},
                    code="fiscal_code_invalid",
                )
            )
    return problems
