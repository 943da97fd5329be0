"""Local days and real time: the arithmetic of clocks, for a time zone given by the caller,
and of the calendar (the last day of a month).

Moments are aware datetimes. A length of time is measured between UTC instants, never between
local wall-clock times: Python subtracts two datetimes that share a tzinfo as if no clock had
changed, so the night the clocks go back (a 25-hour day) would lose an hour and the night they
go forward would gain one. Local time only says what a moment is (which day, night, Sunday).

Nothing here knows which zone is the cooperative's: the apps pass it in (``visits.services``
and ``work.queries`` bind the install's zone), so the planner may use these too.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def utc(moment: datetime) -> datetime:
    """An aware moment as a UTC instant: the only safe way to measure time across a change of
    the clocks."""
    return moment.astimezone(UTC)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from ``start`` to ``end`` (aware datetimes), whatever clocks changed between."""
    return utc(end) - utc(start)


def local_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """``day`` at ``at`` on the clocks of ``zone``."""
    return datetime.combine(day, at, tzinfo=zone)


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """Midnight at the start of local ``day``, as a UTC instant."""
    return utc(local_moment(day, time(), zone))


def day_span(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local days ``first`` to ``last`` (both included) as a half-open interval of moments:
    from midnight at the start of ``first`` to midnight at the end of ``last``."""
    return local_moment(first, time(), zone), local_moment(last + timedelta(days=1), time(), zone)


def month_end(day: date) -> date:
    """The last day of ``day``'s calendar month: 28 or 29 February (Gregorian leap years,
    as ``calendar.monthrange`` counts them), 30 or 31 for the others, 31 December in December.
    The first day of the next month is the day after it."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
