"""The rules of decent work, each test quoting its source."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest

from coopcare.work import rules
from coopcare.work.models import PayRules, WorkRules

ROME = ZoneInfo("Europe/Rome")


def at(day: int, hour: float, month: int = 11) -> datetime:
    """A moment in November 2026 (Monday the 2nd … Sunday the 29th), Rome time."""
    return datetime(2026, month, day, tzinfo=ROME) + timedelta(hours=hour)


def eu() -> WorkRules:
    return WorkRules(**rules.EU_LIMITS)


def kinds(breaches) -> list[str]:
    return [b.rule for b in breaches]


def no_holidays(day):
    return False


# -- working time: EU Directive 2003/88/EC ----------------------------------------------------


def test_country_defaults_follow_national_law():
    # D.Lgs. 66/2003 art. 8: "pausa ... non inferiore a dieci minuti" after six hours.
    assert rules.limits_for("it")["break_minutes"] == 10
    # Working Time Regulations 1998 reg. 12: a rest break of 20 minutes.
    assert rules.limits_for("GB")["break_minutes"] == 20
    # Unknown country: the Directive's own figures.
    assert rules.limits_for("XX")["max_average_weekly_hours"] == 48


def test_daily_rest_of_eleven_hours():
    # Art. 3: "a minimum daily rest period of 11 consecutive hours per 24-hour period".
    evening_then_early = [(at(2, 14), at(2, 22)), (at(3, 8), at(3, 12))]  # 10 h of rest
    assert "daily_rest" in kinds(rules.working_time_breaches(evening_then_early, eu()))
    enough_rest = [(at(2, 14), at(2, 21)), (at(3, 8), at(3, 12))]  # 11 h of rest
    assert "daily_rest" not in kinds(rules.working_time_breaches(enough_rest, eu()))


def test_break_when_the_day_exceeds_six_hours():
    # Art. 4: "where the working day is longer than six hours, every worker is entitled to a
    # rest break"; its length is set by national law (here the Directive defaults: 20 min).
    no_break = [(at(2, 7), at(2, 10)), (at(2, 10) + timedelta(minutes=10), at(2, 14))]
    assert kinds(rules.working_time_breaches(no_break, eu())) == ["break"]
    with_break = [(at(2, 7), at(2, 10)), (at(2, 10.5), at(2, 14))]
    assert rules.working_time_breaches(with_break, eu()) == []
    six_hours = [(at(2, 7), at(2, 13))]
    assert rules.working_time_breaches(six_hours, eu()) == []
    italian = WorkRules(**rules.limits_for("IT"))
    assert rules.working_time_breaches(no_break, italian) == []  # 10 minutes suffice in Italy


def test_weekly_rest_of_24_plus_11_hours():
    # Art. 5: "per each seven-day period, a minimum uninterrupted rest period of 24 hours plus
    # the 11 hours' daily rest referred to in Article 3".
    every_day = [(at(d, 8), at(d, 12)) for d in range(2, 9)] + [(at(9, 8), at(9, 12))]
    found = rules.working_time_breaches(every_day, eu())
    assert "weekly_rest" in kinds(found)
    sunday_off = [(at(d, 8), at(d, 12)) for d in range(2, 8)]  # Saturday noon to Monday 8:00
    assert rules.working_time_breaches([*sunday_off, (at(9, 8), at(9, 12))], eu()) == []


def test_average_week_of_48_hours_over_the_reference_period():
    # Art. 6(b): "the average working time for each seven-day period, including overtime, does
    # not exceed 48 hours"; art. 16(b): over a reference period not exceeding four months.
    nine_hours_six_days = [
        (at(d, 7) + timedelta(weeks=w), at(d, 16) + timedelta(weeks=w))
        for w in range(3)
        for d in range(2, 8)
    ]  # 54 h a week
    found = [
        b
        for b in rules.working_time_breaches(nine_hours_six_days, eu())
        if b.rule == "average_week"
    ]
    assert len(found) == 3
    assert "54.0 h" in found[-1].detail
    # A long week balanced by a short one is within the average.
    long_then_short = nine_hours_six_days[:6] + [
        (at(d, 8) + timedelta(weeks=1), at(d, 14) + timedelta(weeks=1)) for d in range(2, 7)
    ]  # 54 h then 30 h: the second week averages 42 h
    assert kinds(rules.working_time_breaches(long_then_short, eu())).count("average_week") == 1
    # A contract may set a lower limit.
    thirty = [(at(d, 8), at(d, 14)) for d in range(2, 8)]  # 36 h
    assert kinds(rules.working_time_breaches(thirty, eu(), weekly_limit=Decimal(30))) == [
        "average_week"
    ]


def test_night_worker_at_most_eight_hours():
    # Art. 8(a): "normal hours of work for night workers do not exceed an average of eight
    # hours in any 24-hour period"; art. 2(4): a night worker works at least three hours of
    # daily working time during night time (here 22:00-05:00).
    night_shift = [(at(2, 21), at(3, 2)), (at(3, 2.5), at(3, 6))]  # 8.5 h, 6.5 h at night
    assert "night" in kinds(rules.working_time_breaches(night_shift, eu()))
    day_shift = [(at(2, 7), at(2, 11)), (at(2, 11.5), at(2, 16))]  # 8.5 h by day
    assert rules.working_time_breaches(day_shift, eu()) == []


# -- pay ------------------------------------------------------------------------------------


def test_travel_between_visits_is_paid_as_working_time_and_breaks_are_not():
    # CJEU C-266/14 Tyco (2015): travel of workers without a fixed workplace is working time.
    pay_rules = PayRules(base_rate=Decimal("12.00"), waiting_paid=Decimal(50))
    day = [
        ("visit", at(3, 8), at(3, 9)),
        ("travel", at(3, 9), at(3, 9.25)),
        ("waiting", at(3, 9.25), at(3, 9.75)),
        ("visit", at(3, 9.75), at(3, 10.75)),
        ("break", at(3, 10.75), at(3, 13)),
    ]  # a Tuesday, 2h15 of visits and travel, 30 minutes waiting paid at half
    paid = rules.pay_for_day(day, Decimal("12.00"), pay_rules, no_holidays)
    assert paid.paid_minutes == 165
    assert rules.to_cents(paid.basic) == Decimal("30.00")  # 2.25 h at 12 + 0.5 h at 6
    assert paid.premium == 0


def test_premia_for_unsocial_hours_weekends_and_holidays_do_not_add_up():
    pay_rules = PayRules(
        unsocial_premium=Decimal(15),
        unsocial_from=time(20),
        unsocial_until=time(7),
        weekend_premium=Decimal(25),
        holiday_premium=Decimal(50),
    )
    rate = Decimal("10.00")
    # Tuesday 19:00-21:00: one hour at the unsocial premium.
    evening = rules.pay_for_day([("visit", at(3, 19), at(3, 21))], rate, pay_rules, no_holidays)
    assert evening.premium_minutes == 60
    assert rules.to_cents(evening.premium) == Decimal("1.50")
    # Saturday evening: the weekend premium, the higher, applies alone.
    saturday = rules.pay_for_day([("visit", at(7, 19), at(7, 21))], rate, pay_rules, no_holidays)
    assert rules.to_cents(saturday.premium) == Decimal("5.00")

    # Christmas Day 2026 (a Friday) from the `holidays` library: the holiday premium.
    italy = holidays.country_holidays("IT", years=2026)
    christmas = rules.pay_for_day(
        [("visit", at(25, 9, month=12), at(25, 10, month=12))],
        rate,
        pay_rules,
        lambda day: day in italy,
    )
    assert rules.to_cents(christmas.premium) == Decimal("5.00")


def test_true_hourly_pay_counts_the_whole_span_of_the_day():
    # DESIGN.md glossary: pay ÷ hours from first visit start to last visit end, gaps included.
    assert rules.true_hourly_pay(Decimal("60.00"), 8 * 60) == Decimal("7.50")
    assert rules.true_hourly_pay(Decimal("0"), 0) == Decimal("0")


# -- surplus --------------------------------------------------------------------------------


def test_surplus_goes_first_to_the_reserve_and_the_mutual_fund():
    # L. 59/1992 art. 11 and c.c. art. 2545-quater: at least 30 % to the legal reserve, 3 % to
    # the mutual funds for the promotion of cooperation.
    split = rules.split_surplus(Decimal("10000.00"), Decimal(30), Decimal(3), Decimal(100))
    assert split == rules.SurplusSplit(
        Decimal("3000.00"), Decimal("300.00"), Decimal("6700.00"), Decimal("0.00")
    )
    odd = rules.split_surplus(Decimal("1234.57"), Decimal(30), Decimal(3), Decimal(50))
    assert odd.reserve + odd.mutual_fund + odd.refunds + odd.other_reserves == Decimal("1234.57")


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        ("100.00", [1, 1, 1]),
        ("0.05", [1, 1, 1, 1, 1, 1]),
        ("6700.00", ["1234.50", "987.25", "12.00", "0.75"]),
    ],
)
def test_refunds_in_proportion_add_up_to_the_cent(total, weights):
    shares = rules.split_to_cent(Decimal(total), weights)
    assert sum(shares) == Decimal(total)
    assert all(share == share.quantize(Decimal("0.01")) for share in shares)


def test_refunds_follow_hours_worked():
    # c.c. art. 2545-sexies: refunds in proportion to the quantity of mutual exchanges (work).
    assert rules.split_to_cent(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert rules.split_to_cent(Decimal("900.00"), [200, 100]) == [
        Decimal("600.00"),
        Decimal("300.00"),
    ]
