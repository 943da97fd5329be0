"""The rules of decent work as plain functions: working-time limits, pay, surplus shares.

Nothing here reads the database; services hand in plain values and store what comes out.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from django.utils.translation import gettext as _

CENT = Decimal("0.01")

# Working-time defaults per country: EU Directive 2003/88/EC unless national law is stricter.
#   EU: art. 3 daily rest 11 h; art. 5 weekly rest 24 h + 11 h; art. 4 a break after 6 h
#       (length set nationally); art. 6 and 16(b) 48 h average over up to 4 months;
#       art. 8 night workers at most 8 h in 24 h; art. 2(3) night is 7 h including 0-5 h.
#   IT: D.Lgs. 66/2003 art. 8: a break of at least 10 minutes after 6 h; art. 4: 4 months.
#   FR: Code du travail L3121-16: 20 minutes after 6 h; L3121-22: 44 h average over 12 weeks.
#   GB: Working Time Regulations 1998 reg. 12: 20 minutes after 6 h; reg. 4: 17 weeks.
#   ES: Estatuto de los Trabajadores art. 34: 12 h between days, 15 minutes after 6 h.
EU_LIMITS = {
    "max_average_weekly_hours": Decimal(48),
    "reference_weeks": 17,
    "daily_rest_hours": Decimal(11),
    "weekly_rest_hours": Decimal(24),
    "break_after_hours": Decimal(6),
    "break_minutes": 20,
    "night_starts": time(22),
    "night_ends": time(5),
    "night_max_hours": Decimal(8),
}
COUNTRY_LIMITS = {
    "IT": EU_LIMITS | {"break_minutes": 10},
    "FR": EU_LIMITS | {"max_average_weekly_hours": Decimal(44), "reference_weeks": 12},
    "GB": EU_LIMITS,
    "ES": EU_LIMITS | {"daily_rest_hours": Decimal(12), "break_minutes": 15},
}


def limits_for(country: str) -> dict:
    """The working-time defaults for a country (ISO 3166 code); EU defaults otherwise."""
    return COUNTRY_LIMITS.get(country.upper(), EU_LIMITS)


# -- working time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A working-time rule broken: which, when (the start of the stretch), and in words."""

    rule: str
    at: datetime
    detail: str


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f}"


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Working intervals sorted, with overlapping or touching ones joined."""
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def working_days(work: list[tuple[datetime, datetime]], daily_rest: timedelta) -> list[list]:
    """Group merged work into working days: a gap of at least the daily rest ends a day."""
    days: list[list] = []
    for interval in work:
        if days and interval[0] - days[-1][-1][1] < daily_rest:
            days[-1].append(interval)
        else:
            days.append([interval])
    return days


def _night_minutes(start: datetime, end: datetime, night_starts: time, night_ends: time) -> float:
    """Minutes of [start, end) inside the night period (which may wrap past midnight)."""
    total = 0.0
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        night_from = datetime.combine(day, night_starts, start.tzinfo)
        night_to = datetime.combine(day, night_ends, start.tzinfo)
        if night_to <= night_from:
            night_to += timedelta(days=1)
        overlap = min(end, night_to) - max(start, night_from)
        total += max(overlap.total_seconds(), 0) / 60
        day += timedelta(days=1)
    return total


def working_time_breaches(
    intervals: Iterable[tuple[datetime, datetime]], limits, *, weekly_limit=None
) -> list[Breach]:
    """Every breach of the working-time rules in a carer's work (aware datetimes, local time).

    ``limits`` has the fields of ``WorkRules``; ``weekly_limit`` is a contract's own lower
    average. Rules from EU Directive 2003/88/EC (defaults) as configured per country:

    - art. 3: 11 consecutive hours of rest in every 24 h, so a working day (work separated by
      less than the daily rest) may span at most 24 h minus the daily rest;
    - art. 4: a break when the working day exceeds 6 h (length from national law);
    - art. 5: in each 7-day period, an uninterrupted rest of 24 h plus the daily 11 h;
    - art. 6 and 16(b): at most 48 h a week on average over the reference period;
    - art. 8: a night worker (3 h or more of the day's work in the night period, art. 2(4))
      works at most 8 h in 24 h.
    """
    work = merge(intervals)
    if not work:
        return []
    daily_rest = timedelta(hours=float(limits.daily_rest_hours))
    breaches: list[Breach] = []
    for day in working_days(work, daily_rest):
        start, end = day[0][0], day[-1][1]
        worked = sum((b - a for a, b in day), timedelta())
        if end - start > timedelta(hours=24) - daily_rest:
            breaches.append(
                Breach(
                    "daily_rest",
                    start,
                    _(
                        "Working day of %(span)s h from first start to last end leaves less "
                        "than %(rest)s h of rest in 24 h (Directive 2003/88/EC art. 3)."
                    )
                    % {"span": _hours(end - start), "rest": limits.daily_rest_hours},
                )
            )
        if worked > timedelta(hours=float(limits.break_after_hours)):
            longest_gap = max((b[0] - a[1] for a, b in pairwise(day)), default=timedelta())
            if longest_gap < timedelta(minutes=limits.break_minutes):
                breaches.append(
                    Breach(
                        "break",
                        start,
                        _(
                            "%(worked)s h of work with no break of %(minutes)s minutes "
                            "(Directive 2003/88/EC art. 4)."
                        )
                        % {"worked": _hours(worked), "minutes": limits.break_minutes},
                    )
                )
        night = sum(_night_minutes(a, b, limits.night_starts, limits.night_ends) for a, b in day)
        if night >= 180 and worked > timedelta(hours=float(limits.night_max_hours)):
            breaches.append(
                Breach(
                    "night",
                    start,
                    _(
                        "Night work: %(worked)s h in the day, more than %(limit)s h "
                        "(Directive 2003/88/EC art. 8)."
                    )
                    % {"worked": _hours(worked), "limit": limits.night_max_hours},
                )
            )
    breaches += _weekly_rest_breaches(work, limits)
    limit = weekly_limit or limits.max_average_weekly_hours
    breaches += _average_week_breaches(work, limit, limits)
    return sorted(breaches, key=lambda breach: breach.at)


def _weeks(work) -> list[datetime]:
    """Monday midnight (local) of every week with work."""
    tz = work[0][0].tzinfo
    mondays = set()
    for start, end in work:
        for moment in (start, end - timedelta(microseconds=1)):
            day = moment.date()
            mondays.add(datetime.combine(day - timedelta(days=day.weekday()), time(), tz))
    return sorted(mondays)


def _weekly_rest_breaches(work, limits) -> list[Breach]:
    """Every 7-day period holds the weekly rest exactly when no stretch of work between two
    such rests is longer than 7 days less the rest (time with no known work counts as rest)."""
    needed = timedelta(hours=float(limits.weekly_rest_hours + limits.daily_rest_hours))
    longest = timedelta(days=7) - needed
    stretches, start = [], work[0][0]
    for before, after in pairwise(work):
        if after[0] - before[1] >= needed:
            stretches.append((start, before[1]))
            start = after[0]
    stretches.append((start, work[-1][1]))
    return [
        Breach(
            "weekly_rest",
            first,
            _(
                "Worked from %(start)s to %(end)s with no rest of %(needed)s h; a rest that long "
                "is due in every 7 days (Directive 2003/88/EC art. 5)."
            )
            % {
                "start": first.strftime("%Y-%m-%d %H:%M"),
                "end": last.strftime("%Y-%m-%d %H:%M"),
                "needed": _hours(needed),
            },
        )
        for first, last in stretches
        if last - first > longest
    ]


def _average_week_breaches(work, limit, limits) -> list[Breach]:
    weeks = _weeks(work)
    first = weeks[0]
    breaches = []
    for monday in weeks:
        window_end = monday + timedelta(days=7)
        # The reference period ends with this week; weeks before the first known work don't
        # count, so a new carer's average is over the weeks they have worked.
        window_start = max(first, window_end - timedelta(weeks=limits.reference_weeks))
        n_weeks = round((window_end - window_start) / timedelta(weeks=1))
        worked = sum(
            (min(b, window_end) - max(a, window_start) for a, b in work if a < window_end),
            timedelta(),
        )
        average = worked / n_weeks
        if average > timedelta(hours=float(limit)):
            breaches.append(
                Breach(
                    "average_week",
                    monday,
                    _(
                        "Average week of %(average)s h over the %(weeks)s weeks to %(day)s, more "
                        "than %(limit)s h (Directive 2003/88/EC art. 6)."
                    )
                    % {
                        "average": _hours(average),
                        "weeks": n_weeks,
                        "day": (window_end - timedelta(days=1)).date().isoformat(),
                        "limit": limit,
                    },
                )
            )
    return breaches


# -- pay ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPay:
    """A day's pay: minutes and money, unrounded until a payslip adds them up."""

    paid_minutes: int
    premium_minutes: int
    basic: Fraction
    premium: Fraction


def _percent(value) -> Fraction:
    return Fraction(Decimal(value)) / 100


def _in_window(moment: time, start: time, end: time) -> bool:
    return start <= moment < end if start < end else moment >= start or moment < end


def premium_at(moment: datetime, rules, is_holiday: Callable[[date], bool]) -> Fraction:
    """The premium (a fraction of the rate) for work at ``moment`` (local time): the highest
    that applies — public holiday, Saturday or Sunday, unsocial hours. Premia do not add up."""
    candidates = [Fraction(0)]
    if is_holiday(moment.date()):
        candidates.append(_percent(rules.holiday_premium))
    if moment.weekday() >= 5:
        candidates.append(_percent(rules.weekend_premium))
    if _in_window(moment.time(), rules.unsocial_from, rules.unsocial_until):
        candidates.append(_percent(rules.unsocial_premium))
    return max(candidates)


def _cuts(start: datetime, end: datetime, rules) -> list[datetime]:
    """Where the premium may change inside [start, end): midnights and the unsocial window."""
    points = {start, end}
    day = start.date()
    while day <= end.date():
        for at in (time(), rules.unsocial_from, rules.unsocial_until):
            moment = datetime.combine(day, at, start.tzinfo)
            if start < moment < end:
                points.add(moment)
        day += timedelta(days=1)
    return sorted(points)


def pay_for_day(
    entries: Sequence[tuple[str, datetime, datetime]],
    rate: Decimal,
    rules,
    is_holiday: Callable[[date], bool],
) -> DayPay:
    """Pay for a day's timesheet entries (kind, start, end; local time) at an hourly ``rate``.

    Visits and travel between them are working time (CJEU C-266/14 *Tyco*); waiting is paid
    at the pay rules' share of the rate; breaks are the carer's own time and not paid.
    """
    hourly = Fraction(Decimal(rate))
    share = {"visit": Fraction(1), "travel": Fraction(1), "waiting": _percent(rules.waiting_paid)}
    paid = premium_minutes = 0
    basic = premium = Fraction(0)
    for kind, start, end in entries:
        if kind not in share or end <= start:
            continue
        points = _cuts(start, end, rules)
        for a, b in pairwise(points):
            minutes = Fraction(round((b - a).total_seconds()), 60)
            extra = premium_at(a, rules, is_holiday)
            basic += minutes / 60 * hourly * share[kind]
            premium += minutes / 60 * hourly * share[kind] * extra
            if extra:
                premium_minutes += minutes
        paid += (end - start).total_seconds() / 60
    return DayPay(round(paid), round(premium_minutes), basic, premium)


def to_cents(amount) -> Decimal:
    """An exact amount rounded to the cent, halves away from zero (as payroll does)."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def true_hourly_pay(gross: Decimal, span_minutes: int) -> Decimal:
    """Pay ÷ hours from first visit start to last visit end, gaps included (DESIGN.md)."""
    if span_minutes <= 0:
        return Decimal(0)
    return to_cents(Fraction(gross) * 60 / span_minutes)


# -- surplus --------------------------------------------------------------------------------


def split_to_cent(total: Decimal, weights: Sequence) -> list[Decimal]:
    """Share ``total`` in proportion to ``weights``, to the cent, so the shares add up to it.

    Largest remainder: everyone gets the cents their exact share rounds down to; the cents
    left go one each to the largest remainders (ties to the earlier weight).
    """
    cents = int((total / CENT).to_integral_value())
    whole = sum(Fraction(Decimal(w)) for w in weights)
    if whole <= 0:
        return [Decimal(0).quantize(CENT) for _ in weights]
    exact = [Fraction(Decimal(w)) * cents / whole for w in weights]
    floors = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: cents - sum(floors)]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


@dataclass(frozen=True)
class SurplusSplit:
    reserve: Decimal
    mutual_fund: Decimal
    refunds: Decimal
    other_reserves: Decimal


def split_surplus(
    surplus: Decimal, reserve_percent: Decimal, mutual_fund_percent: Decimal, refund_percent
) -> SurplusSplit:
    """The year's surplus by destination; the four parts add up to the surplus exactly.

    Italian social cooperatives: at least 30 % to the indivisible legal reserve (L. 59/1992
    art. 11 and c.c. art. 2545-quater) and 3 % to the mutual fund for cooperative promotion
    (L. 59/1992 art. 11); of the rest, the statutes' share returns to worker members as
    patronage refunds (c.c. art. 2545-sexies) and what remains goes to other reserves.
    """
    reserve = to_cents(surplus * reserve_percent / 100)
    mutual_fund = to_cents(surplus * mutual_fund_percent / 100)
    rest = surplus - reserve - mutual_fund
    refunds = to_cents(rest * Decimal(refund_percent) / 100)
    return SurplusSplit(reserve, mutual_fund, refunds, rest - refunds)
