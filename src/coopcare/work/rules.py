"""The rules of decent work as plain functions: working-time limits, pay, surplus shares.

Nothing here reads the database; services hand in plain values and store what comes out.

Time: callers give aware datetimes in local time. Lengths of time are measured between UTC
instants, never between local wall-clock times: Python subtracts two datetimes that share a
tzinfo as if no clock had changed, so the night the clocks go back (a 25-hour day) would lose
an hour and the night they go forward would gain one. Local time only says what a moment is
(night, Sunday, a holiday, which week).
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.shared.days import local_midnight, utc
from coopcare.work.models import ContractKind, WorkRules

CENT = Decimal("0.01")

# Working-time defaults per country: EU Directive 2003/88/EC unless national law is stricter.
#   EU: art. 3 daily rest 11 h; art. 5 weekly rest 24 h + 11 h; art. 4 a break after 6 h
#       (length set nationally); art. 6 and 16(b) 48 h average over up to 4 months;
#       art. 8 night workers at most 8 h in 24 h; art. 2(3) night is 7 h including 0-5 h.
#   IT: D.Lgs. 66/2003 art. 8: a break of at least 10 minutes after 6 h; art. 4: 4 months.
#   FR: Code du travail L3121-16: 20 minutes after 6 h; L3121-22: 44 h average over 12 weeks.
#   GB: Working Time Regulations 1998 reg. 12: 20 minutes after 6 h; reg. 4: 17 weeks.
#   ES: Estatuto de los Trabajadores art. 34: 12 h between days, 15 minutes after 6 h.
# Weekly rest (art. 5) is due in each 7-day period; art. 16(a) lets a member state take a
# reference period of up to 14 days. IT: D.Lgs. 66/2003 art. 9(1): 24 consecutive hours every
# seven days, cumulated with the daily rest, "calcolato come media in un periodo non superiore
# a 14 giorni".
EU_LIMITS = {
    "max_average_weekly_hours": Decimal(48),
    "reference_weeks": 17,
    "daily_rest_hours": Decimal(11),
    "weekly_rest_hours": Decimal(24),
    "weekly_rest_reference_days": 7,
    "break_after_hours": Decimal(6),
    "break_minutes": 20,
    "night_starts": time(22),
    "night_ends": time(5),
    "night_max_hours": Decimal(8),
}
COUNTRY_LIMITS = {
    "IT": EU_LIMITS | {"break_minutes": 10, "weekly_rest_reference_days": 14},
    "FR": EU_LIMITS | {"max_average_weekly_hours": Decimal(44), "reference_weeks": 12},
    "GB": EU_LIMITS,
    "ES": EU_LIMITS | {"daily_rest_hours": Decimal(12), "break_minutes": 15},
}


def limits_for(country: str) -> dict:
    """The working-time defaults for a country (ISO 3166 code); EU defaults otherwise."""
    return COUNTRY_LIMITS.get(country.upper(), EU_LIMITS)


# -- working time ---------------------------------------------------------------------------

# Fixed periods for the weekly rest start on a Monday at midnight (local), counted from this
# Monday: any Monday would do, one fixed for all makes every carer's fortnights the same ones
# whichever day a check starts from.
REST_PERIODS_FROM = date(2001, 1, 1)


@dataclass(frozen=True)
class Breach:
    """A working-time rule broken: which, when (the start of the stretch), and in words."""

    rule: str
    at: datetime
    detail: str


def _hours(delta: timedelta) -> str:
    """A length of time in a breach's words, as every page writes time worked."""
    return localise.duration(Decimal(delta.total_seconds()) / 60)


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Working intervals as UTC instants, sorted, with overlapping or touching ones joined."""
    merged: list[list[datetime]] = []
    for start, end in sorted((utc(a), utc(b)) for a, b in intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def working_days(work: list[tuple[datetime, datetime]], daily_rest: timedelta) -> list[list]:
    """Group merged work (UTC) into working days: a gap of at least the daily rest ends a day."""
    days: list[list] = []
    for interval in work:
        if days and interval[0] - days[-1][-1][1] < daily_rest:
            days[-1].append(interval)
        else:
            days.append([interval])
    return days


def _local_days(start: datetime, end: datetime, zone: tzinfo | None) -> list[date]:
    """The local days that [start, end) touches."""
    first = start.astimezone(zone).date()
    last = max(first, (end - timedelta(microseconds=1)).astimezone(zone).date())
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _night_minutes(
    start: datetime,
    end: datetime,
    night_starts: time,
    night_ends: time,
    zone: tzinfo | None,
    days: Sequence[date],
) -> float:
    """Real minutes of [start, end) inside the local night period (which may wrap past
    midnight); ``start`` and ``end`` are UTC instants, ``days`` the local days they touch."""
    total = 0.0
    for day in [days[0] - timedelta(days=1), *days]:
        night_from, night_to = _night_of(day, night_starts, night_ends, zone)
        overlap = min(end, night_to) - max(start, night_from)
        total += max(overlap.total_seconds(), 0) / 60
    return total


@lru_cache(maxsize=4096)
def _night_of(
    day: date, night_starts: time, night_ends: time, zone: tzinfo | None
) -> tuple[datetime, datetime]:
    """The night period that starts on local ``day``, as UTC instants. Kept once found: every
    interval of every carer's months of work asks for the nights of the same few days, and
    each asks the zone's rules twice."""
    wraps = night_ends <= night_starts
    return (
        utc(datetime.combine(day, night_starts, zone)),
        utc(datetime.combine(day + timedelta(days=wraps), night_ends, zone)),
    )


def working_time_breaches(
    intervals: Iterable[tuple[datetime, datetime]],
    limits,
    *,
    weekly_limit=None,
    days_away: Collection[date] = (),
    zone: tzinfo | None = None,
) -> list[Breach]:
    """Every breach of the working-time rules in a carer's work (aware datetimes). Weeks,
    nights and days are read in local time: ``zone``, else the time zone of the moments given.

    ``limits`` has the fields of ``WorkRules``; ``weekly_limit`` is a contract's own lower
    average; ``days_away`` are local days of paid annual leave or sick leave, neutral in the
    average week. Rules from EU Directive 2003/88/EC (defaults) as configured per country:

    - art. 3: 11 consecutive hours of rest in every 24 h, so a working day (work separated by
      less than the daily rest) may span at most 24 h minus the daily rest;
    - art. 4: a break when the working day exceeds 6 h (length from national law);
    - art. 5: in each 7-day period, an uninterrupted rest of 24 h plus the daily 11 h, anywhere
      in the period (CJEU C-306/16); over a 14-day reference period where national law takes
      one (art. 16(a));
    - art. 6 and 16(b): at most 48 h a week on average over the reference period, with leave
      and sick leave neutral;
    - art. 8: a night worker (3 h or more of the day's work in the night period, art. 2(4))
      works at most 8 h in 24 h.
    """
    given = list(intervals)
    if not given:
        return []
    zone = zone or min(given, key=lambda interval: utc(interval[0]))[0].tzinfo
    work = merge(given)
    # Each interval's local days, found once: the nights, the weeks and the days worked all
    # need them, and months of work are thousands of intervals.
    days_of = {interval: _local_days(*interval, zone) for interval in work}
    daily_rest = timedelta(hours=float(limits.daily_rest_hours))
    breaches: list[Breach] = []
    for day in working_days(work, daily_rest):
        start, end = day[0][0], day[-1][1]
        at = start.astimezone(zone)
        worked = sum((b - a for a, b in day), timedelta())
        if end - start > timedelta(hours=24) - daily_rest:
            breaches.append(
                Breach(
                    "daily_rest",
                    at,
                    _(
                        "Working day of %(span)s from first start to last end leaves less "
                        "than %(rest)s of rest in 24 h (Directive 2003/88/EC art. 3)."
                    )
                    % {
                        "span": _hours(end - start),
                        "rest": localise.hours(limits.daily_rest_hours),
                    },
                )
            )
        if worked > timedelta(hours=float(limits.break_after_hours)):
            longest_gap = max((b[0] - a[1] for a, b in pairwise(day)), default=timedelta())
            if longest_gap < timedelta(minutes=limits.break_minutes):
                breaches.append(
                    Breach(
                        "break",
                        at,
                        _(
                            "%(worked)s of work with no break of %(minutes)s minutes "
                            "(Directive 2003/88/EC art. 4)."
                        )
                        % {"worked": _hours(worked), "minutes": limits.break_minutes},
                    )
                )
        night = sum(
            (
                _night_minutes(a, b, limits.night_starts, limits.night_ends, zone, days_of[a, b])
                for a, b in day
            ),
            0.0,
        )
        if night >= 180 and worked > timedelta(hours=float(limits.night_max_hours)):
            breaches.append(
                Breach(
                    "night",
                    at,
                    _(
                        "Night work: %(worked)s in the day, more than %(limit)s "
                        "(Directive 2003/88/EC art. 8)."
                    )
                    % {"worked": _hours(worked), "limit": localise.hours(limits.night_max_hours)},
                )
            )
    breaches += _weekly_rest_breaches(work, limits, zone)
    limit = weekly_limit or limits.max_average_weekly_hours
    breaches += _average_week_breaches(work, limit, limits, zone, set(days_away), days_of)
    return sorted(breaches, key=lambda breach: utc(breach.at))


def _mondays(days_worked: Iterable[date]) -> list[date]:
    """The local Monday of every week with a day worked."""
    return sorted({day - timedelta(days=day.weekday()) for day in days_worked})


def rest_credits(
    rest: timedelta, inside: timedelta, weekly_rest: timedelta, daily_rest: timedelta
) -> int:
    """How many weekly rests an uninterrupted ``rest`` counts for in a period it overlaps by
    ``inside``. Each weekly rest is ``weekly_rest`` within the period, on top of a daily rest
    that may lie either side of it: 24 + 11 h is one, 48 + 11 h (two days off) is two."""
    if rest < weekly_rest + daily_rest:
        return 0
    return min(int((rest - daily_rest) / weekly_rest), int(inside / weekly_rest))


def _weekly_rest_breaches(work, limits, zone) -> list[Breach]:
    """Art. 5: "per each seven-day period, ... a minimum uninterrupted rest period of 24 hours
    plus the 11 hours' daily rest". It need not follow six working days but must be "provided
    within each seven-day period" (CJEU C-306/16 Maio Marques da Rosa, 2017, ruling), so up
    to twelve days of work in a row can be lawful. The 24 h are counted inside the period;
    the daily rest joined to them may lie outside it (Saturday noon to Monday morning is a
    weekly rest for the week it ends). With a 14-day reference period (art. 16(a)) each
    fortnight holds two such rests or one twice as long. Time with no known work is rest."""
    days = int(limits.weekly_rest_reference_days)
    due = max(days // 7, 1)
    weekly = timedelta(hours=float(limits.weekly_rest_hours))
    daily = timedelta(hours=float(limits.daily_rest_hours))
    # Rests between work; before the first and after the last known work, rest without end.
    forever = timedelta(days=36500)
    edges = [work[0][0] - forever, *(moment for interval in work for moment in interval)]
    rests = list(zip(edges[::2], [*edges[1::2], work[-1][1] + forever], strict=True))
    first = work[0][0].astimezone(zone).date()
    last = (work[-1][1] - timedelta(microseconds=1)).astimezone(zone).date()
    period = REST_PERIODS_FROM + timedelta(days=(first - REST_PERIODS_FROM).days // days * days)
    breaches = []
    while period <= last:
        after = period + timedelta(days=days)
        opens, closes = local_midnight(period, zone), local_midnight(after, zone)
        credits = sum(
            rest_credits(b - a, min(b, closes) - max(a, opens), weekly, daily)
            for a, b in rests
            if a < closes and b > opens
        )
        if credits < due:
            words = {
                "needed": _hours(weekly + daily),
                "long": _hours(weekly * due + daily),
                "start": localise.day(period),
                "end": localise.day(after - timedelta(days=1)),
            }
            breaches.append(
                Breach(
                    "weekly_rest",
                    datetime.combine(period, time(), zone),
                    (
                        _(
                            "No uninterrupted rest of %(needed)s from %(start)s to %(end)s; "
                            "one is due in every 7-day period (Directive 2003/88/EC art. 5)."
                        )
                        if due == 1
                        else _(
                            "Fewer than two uninterrupted rests of %(needed)s (or one of "
                            "%(long)s) from %(start)s to %(end)s; they are due in every "
                            "14-day period (Directive 2003/88/EC art. 5 and 16(a))."
                        )
                    )
                    % words,
                )
            )
        period = after
    return breaches


def _average_week_breaches(
    work, limit, limits, zone, days_away: set[date], days_of: Mapping[tuple, Sequence[date]]
) -> list[Breach]:
    """Art. 6(b): the average working time for each seven-day period is at most ``limit``
    over the reference period (art. 16(b)), judged for every week with work, over the weeks
    that end with it. Art. 16(b): "periods of paid annual leave ... and periods of sick leave
    shall not be included or shall be neutral in the calculation of the average": such days
    leave the period (the average is over the days left), unless the carer worked that day."""
    days_worked = {day for interval in work for day in days_of[interval]}
    mondays = _mondays(days_worked)
    neutral = days_away - days_worked
    first = mondays[0]
    breaches = []
    for monday in mondays:
        last_day = monday + timedelta(days=6)
        # The reference period ends with this week; weeks before the first known work don't
        # count, so a new carer's average is over the weeks they have worked.
        first_day = max(first, monday - timedelta(weeks=limits.reference_weeks - 1))
        opens = local_midnight(first_day, zone)
        closes = local_midnight(last_day + timedelta(days=1), zone)
        length = (last_day - first_day).days + 1
        away = sum(1 for day in neutral if first_day <= day <= last_day)
        counted = length - away
        if counted <= 0:
            continue
        # Work is clipped to the period: what ended before it or starts after adds nothing.
        worked = sum(
            (min(b, closes) - max(a, opens) for a, b in work if a < closes and b > opens),
            timedelta(),
        )
        average = worked * 7 / counted
        if average > timedelta(hours=float(limit)):
            words = {
                "average": _hours(average),
                "weeks": length // 7,
                "day": localise.day(last_day),
                "limit": localise.hours(limit),
                "away": away,
            }
            detail = (
                _(
                    "Average week of %(average)s over the %(weeks)s weeks to %(day)s, more "
                    "than %(limit)s (Directive 2003/88/EC art. 6)."
                )
                if not away
                else _(
                    "Average week of %(average)s over the %(weeks)s weeks to %(day)s, "
                    "leaving out %(away)s days of leave or sickness, more than %(limit)s "
                    "(Directive 2003/88/EC art. 6 and 16(b))."
                )
            )
            breaches.append(
                Breach("average_week", datetime.combine(monday, time(), zone), detail % words)
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


def _cuts(start: datetime, end: datetime, rules, zone: tzinfo | None) -> list[datetime]:
    """Where the premium may change inside [start, end) (UTC instants): local midnights and
    the ends of the unsocial window, as UTC instants."""
    points = {start, end}
    for day in _local_days(start, end, zone):
        for at in (time(), rules.unsocial_from, rules.unsocial_until):
            moment = utc(datetime.combine(day, at, zone))
            if start < moment < end:
                points.add(moment)
    return sorted(points)


def pay_for_day(
    entries: Sequence[tuple[str, datetime, datetime]],
    rate: Decimal,
    rules,
    is_holiday: Callable[[date], bool],
) -> DayPay:
    """Pay for a day's timesheet entries (kind, start, end; local time) at an hourly ``rate``.

    Visits and travel (between visits, and from home to the first and from the last back
    home) are working time (CJEU C-266/14 *Tyco*); waiting is paid at the pay rules' share of
    the rate; breaks are the carer's own time and not paid. Time is paid as it passed: the
    night the clocks go back holds an hour more, the night they go forward an hour less.
    """
    hourly = Fraction(Decimal(rate))
    share = {"visit": Fraction(1), "travel": Fraction(1), "waiting": _percent(rules.waiting_paid)}
    paid = 0.0
    basic = premium = premium_minutes = Fraction(0)
    for kind, start, end in entries:
        zone = start.tzinfo
        start, end = utc(start), utc(end)
        if kind not in share or end <= start:
            continue
        for a, b in pairwise(_cuts(start, end, rules, zone)):
            minutes = Fraction(round((b - a).total_seconds()), 60)
            extra = premium_at(a.astimezone(zone), rules, is_holiday)
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


# -- contracts ------------------------------------------------------------------------------


def contract_problems(fields: dict, work_rules: WorkRules) -> list[ValidationError]:
    """What is wrong with a contract's terms, each problem with its code.

    Source: the members' decision whether zero-hours contracts are allowed
    (``WorkRules.allows_zero_hours``); a fixed-term contract has an end, and a contract
    guarantees its hours unless it is a zero-hours one.
    """
    problems = []
    kind, hours = fields["kind"], fields["weekly_hours"]
    if kind == ContractKind.ZERO_HOURS:
        if not work_rules.allows_zero_hours:
            problems.append(
                ValidationError(
                    _(
                        "Zero-hours contracts are not allowed in this cooperative; "
                        "offer guaranteed hours instead."
                    ),
                    code="zero_hours_not_allowed",
                )
            )
        elif hours:
            problems.append(
                ValidationError(
                    _("A zero-hours contract has no contracted hours."),
                    code="zero_hours_with_hours",
                )
            )
    elif not hours:
        problems.append(
            ValidationError(_("Give the contracted hours a week."), code="weekly_hours_missing")
        )
    if kind == ContractKind.FIXED_TERM and not fields.get("ends_on"):
        problems.append(
            ValidationError(_("A fixed-term contract needs an end date."), code="end_date_missing")
        )
    if fields.get("ends_on") and fields["ends_on"] < fields["starts_on"]:
        problems.append(
            ValidationError(
                _("The contract cannot end before it starts."), code="contract_ends_before_start"
            )
        )
    return problems


# A carer's photo of themselves: what a phone's camera gives, and no more (services.photos).
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
# The side of the square the kept photo fits in: enough for a face on a phone's screen.
PHOTO_SIDE = 512


def photo_problems(
    *, size: int, image_format: str | None, width: int, height: int
) -> list[ValidationError]:
    """What is wrong with a carer's photo of ``size`` bytes, whose content Pillow read as
    ``image_format`` (None: not an image it reads) of ``width`` by ``height`` pixels.

    Source: coopcare's own rules, and GDPR art. 5(1)(c) (data minimisation): only the
    picture is kept, re-encoded, so nothing the camera wrote beside it (the place, the time,
    the device) is kept. A file that is not a JPEG, PNG or WebP image is refused, whatever
    its name says; so is one over ``PHOTO_MAX_BYTES``, or with more pixels than
    ``PHOTO_MAX_PIXELS`` (an image that would take the server's memory to decode).
    """
    if size == 0:
        return [ValidationError(_("The file is empty."), code="photo_not_an_image")]
    if size > PHOTO_MAX_BYTES:
        return [
            ValidationError(
                _("The photo is larger than %(limit)s MB.")
                % {"limit": PHOTO_MAX_BYTES // (1024 * 1024)},
                code="photo_too_large",
            )
        ]
    if image_format not in PHOTO_FORMATS:
        return [
            ValidationError(
                _("Only a JPEG, PNG or WebP photo can be kept; this file is none of them."),
                code="photo_not_an_image",
            )
        ]
    if width * height > PHOTO_MAX_PIXELS:
        return [
            ValidationError(
                _("The photo has too many pixels; send a smaller one."),
                code="photo_too_many_pixels",
            )
        ]
    return []
