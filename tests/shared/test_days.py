"""Local days and real time, for a zone the caller gives (no Django needed)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coopcare.shared.days import day_span, elapsed, local_midnight, local_moment, month_end, utc

ROME = ZoneInfo("Europe/Rome")
# Directive 2000/84/EC art. 3: summer time ends at 1:00 UTC on the last Sunday of October.
AUTUMN_SUNDAY = date(2026, 10, 25)


def test_a_local_moment_is_on_the_clocks_of_the_zone_given():
    # Summer (CEST, UTC+2): 00:30 on 15 July in Rome is 22:30 UTC on 14 July.
    assert utc(local_moment(date(2026, 7, 15), time(0, 30), ROME)) == datetime(
        2026, 7, 14, 22, 30, tzinfo=UTC
    )
    assert local_midnight(date(2026, 7, 15), ROME) == datetime(2026, 7, 14, 22, tzinfo=UTC)


def test_a_span_of_local_days_runs_from_midnight_to_midnight_and_lasts_what_it_lasted():
    first, after = day_span(AUTUMN_SUNDAY, AUTUMN_SUNDAY, ROME)
    assert (first.date(), first.time()) == (AUTUMN_SUNDAY, time())
    assert (after.date(), after.time()) == (AUTUMN_SUNDAY + timedelta(days=1), time())
    assert elapsed(first, after) == timedelta(hours=25)  # the clocks went back an hour
    week = day_span(date(2026, 10, 19), AUTUMN_SUNDAY, ROME)
    assert elapsed(*week) == timedelta(days=7, hours=1)


def test_a_month_ends_on_its_last_calendar_day():
    # Gregorian calendar: February has 29 days in a year divisible by 4, except a century
    # year not divisible by 400 (2024 and 2000 leap, 2026 and 2100 not).
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert month_end(date(2000, 2, 1)) == date(2000, 2, 29)
    assert month_end(date(2026, 2, 28)) == date(2026, 2, 28)
    assert month_end(date(2100, 2, 1)) == date(2100, 2, 28)
    # December ends in its own year; the next month begins the day after.
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)
    assert month_end(date(2026, 12, 31)) + timedelta(days=1) == date(2027, 1, 1)
    assert month_end(date(2026, 4, 30)) == date(2026, 4, 30)
    assert month_end(date(2026, 1, 15)) == date(2026, 1, 31)
