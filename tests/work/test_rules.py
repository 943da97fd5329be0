"""The rules of decent work, each test quoting its source."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest

from coopcare.shared.days import elapsed
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
    assert "Average week of 54 hr" in found[-1].detail
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


# -- time as it passes: the nights the clocks change ---------------------------------------
# Directive 2000/84/EC art. 2 and 3: summer time begins at 1:00 UTC on the last Sunday of
# March and ends at 1:00 UTC on the last Sunday of October. In Rome (CET/CEST) a night shift
# from 22:00 to 06:00 lasts 9 hours on 24-25 October 2026 and 7 hours on 28-29 March 2026.

AUTUMN_NIGHT = (datetime(2026, 10, 24, 22, tzinfo=ROME), datetime(2026, 10, 25, 6, tzinfo=ROME))
SPRING_NIGHT = (datetime(2026, 3, 28, 22, tzinfo=ROME), datetime(2026, 3, 29, 6, tzinfo=ROME))


def test_the_nights_really_last_nine_and_seven_hours():
    assert elapsed(*AUTUMN_NIGHT) == timedelta(hours=9)
    assert elapsed(*SPRING_NIGHT) == timedelta(hours=7)


def test_pay_counts_the_hour_the_clocks_go_back_and_not_the_hour_they_skip():
    # Directive 2003/88/EC art. 2(1): working time is "any period during which the worker is
    # working"; it is paid as it passed. Default pay rules: 10.00 an hour, 15 % for unsocial
    # hours (20:00-07:00) and for Saturday and Sunday; premia do not add up, so 15 % on all.
    pay_rules = PayRules()
    rate = pay_rules.base_rate
    autumn = rules.pay_for_day([("visit", *AUTUMN_NIGHT)], rate, pay_rules, no_holidays)
    assert autumn.paid_minutes == 9 * 60 and autumn.premium_minutes == 9 * 60
    assert rules.to_cents(autumn.basic) == Decimal("90.00")  # 9 h at 10.00
    assert rules.to_cents(autumn.premium) == Decimal("13.50")  # 15 % of 90.00
    spring = rules.pay_for_day([("visit", *SPRING_NIGHT)], rate, pay_rules, no_holidays)
    assert spring.paid_minutes == 7 * 60
    assert rules.to_cents(spring.basic) == Decimal("70.00")  # 7 h at 10.00
    assert rules.to_cents(spring.premium) == Decimal("10.50")  # 15 % of 70.00


def test_premium_segments_are_cut_at_local_midnight_and_window_ends_on_change_nights():
    # A Friday evening into Saturday: 19:00-20:00 plain, 20:00-24:00 unsocial (15 %), from
    # midnight Saturday (25 %, the higher). On 24-25 October the Saturday night has 25 hours.
    pay_rules = PayRules(weekend_premium=Decimal(25))
    friday = datetime(2026, 10, 23, 19, tzinfo=ROME)
    sunday_noon = datetime(2026, 10, 25, 12, tzinfo=ROME)  # 42 real hours after Friday 19:00
    paid = rules.pay_for_day(
        [("visit", friday, sunday_noon)], Decimal("10.00"), pay_rules, no_holidays
    )
    assert paid.paid_minutes == 42 * 60
    # Friday 19-20 plain (1 h), 20-24 unsocial (4 h at 15 %: 6.00), then Saturday 24 h and
    # Sunday to noon 13 h (the clocks go back at 03:00) at 25 %: 37 h, 92.50.
    assert paid.premium_minutes == 41 * 60
    assert rules.to_cents(paid.premium) == Decimal("98.50")


def test_night_work_check_measures_real_hours_across_the_change():
    # Art. 8(a): night workers' normal hours "do not exceed an average of eight hours in any
    # 24-hour period". 22:00-06:00 on the autumn night is 9 hours: too long.
    assert "night" in kinds(rules.working_time_breaches([AUTUMN_NIGHT], eu()))
    # 22:00-07:00 on the spring night reads 9 hours on the clock but is 8: within the limit.
    spring_to_seven = (SPRING_NIGHT[0], datetime(2026, 3, 29, 7, tzinfo=ROME))
    assert "night" not in kinds(rules.working_time_breaches([spring_to_seven], eu()))


def test_daily_rest_is_measured_in_real_hours_across_the_change():
    # Art. 3: 11 consecutive hours of rest. Work until 20:00 on Saturday 24 October, again at
    # 06:00 on Sunday: 10 hours on the clock, 11 real hours, so enough rest.
    evening = (datetime(2026, 10, 24, 14, tzinfo=ROME), datetime(2026, 10, 24, 20, tzinfo=ROME))
    morning = (datetime(2026, 10, 25, 6, tzinfo=ROME), datetime(2026, 10, 25, 10, tzinfo=ROME))
    assert "daily_rest" not in kinds(rules.working_time_breaches([evening, morning], eu()))
    # In March the same clock times leave 9 hours of rest: too little.
    evening = (datetime(2026, 3, 28, 14, tzinfo=ROME), datetime(2026, 3, 28, 20, tzinfo=ROME))
    morning = (datetime(2026, 3, 29, 6, tzinfo=ROME), datetime(2026, 3, 29, 10, tzinfo=ROME))
    assert "daily_rest" in kinds(rules.working_time_breaches([evening, morning], eu()))


# -- average week: clipping and neutral leave ------------------------------------------------


def ten_hour_days(monday: datetime, days=range(5)):
    """Two five-hour stretches a day (8-13, 14-19) on the given weekdays of ``monday``'s week."""
    return [
        (monday + timedelta(days=d, hours=h), monday + timedelta(days=d, hours=h + 5))
        for d in days
        for h in (8, 14)
    ]


def test_every_week_of_fifty_hours_is_over_the_average():
    # Art. 6(b) with art. 16(b) (17 weeks here): 18 weeks of 50 h average 50 h over any
    # reference period, so each of the 18 weeks is over 48 h. Work that ended before a
    # week's reference period adds nothing to it (it once added a negative amount).
    first = datetime(2026, 1, 5, tzinfo=ROME)  # a Monday; the weeks cross the March change
    work = [i for w in range(18) for i in ten_hour_days(first + timedelta(weeks=w))]
    found = [b for b in rules.working_time_breaches(work, eu()) if b.rule == "average_week"]
    assert len(found) == 18
    assert all("Average week of 50 hr" in b.detail for b in found)
    assert "over the 17 weeks to May 10, 2026" in found[-1].detail


def test_annual_leave_and_sick_leave_are_neutral_in_the_average():
    # Art. 16(b): "The periods of paid annual leave, granted in accordance with Article 7, and
    # the periods of sick leave shall not be included or shall be neutral in the calculation
    # of the average." A week of 60 h, a week of leave, a week of 50 h: the third week
    # averages (60 + 50) / 2 = 55 h, not (60 + 0 + 50) / 3 = 36.7 h.
    monday = datetime(2026, 11, 2, tzinfo=ROME)
    work = ten_hour_days(monday, range(6)) + ten_hour_days(monday + timedelta(weeks=2))
    leave = {monday.date() + timedelta(days=7 + d) for d in range(7)}
    counted_as_nothing = rules.working_time_breaches(work, eu())
    assert [b.at.date().day for b in counted_as_nothing if b.rule == "average_week"] == [2]
    neutral = [
        b
        for b in rules.working_time_breaches(work, eu(), days_away=leave)
        if b.rule == "average_week"
    ]
    assert [b.at.date().day for b in neutral] == [2, 16]
    assert (
        "Average week of 55 hr" in neutral[-1].detail and "leaving out 7 days" in neutral[-1].detail
    )


def test_a_day_away_with_work_in_it_counts_as_worked():
    # The day was not in fact a day of leave: its hours and the day both count.
    monday = datetime(2026, 11, 2, tzinfo=ROME)
    work = ten_hour_days(monday, range(6))  # 60 h Monday to Saturday
    all_week = {monday.date() + timedelta(days=d) for d in range(7)}
    found = [
        b
        for b in rules.working_time_breaches(work, eu(), days_away=all_week)
        if b.rule == "average_week"
    ]
    # Sunday alone is neutral: 60 h over 6 days is 70 h a week.
    assert len(found) == 1 and "70 hr" in found[0].detail


# -- weekly rest: anywhere in each period (CJEU C-306/16) -------------------------------------


def mornings(first: datetime, days: int, start: float = 8, end: float = 13):
    return [
        (first + timedelta(days=d, hours=start), first + timedelta(days=d, hours=end))
        for d in range(days)
    ]


def test_twelve_days_of_work_with_the_rest_at_both_ends_is_lawful():
    # Art. 5 "per each seven-day period"; C-306/16, ruling: the weekly rest need not be granted
    # "no later than the day following a period of six consecutive working days" but "within
    # each seven-day period". Weeks run Monday to Sunday. Work on Sunday 1 November, rest on
    # Monday 2, work every day from Tuesday 3 to Saturday 14 (twelve days), rest on Sunday 15,
    # work on Monday 16: each week holds 24 h of rest plus the 11 h daily rest.
    sunday = datetime(2026, 11, 1, tzinfo=ROME)
    work = mornings(sunday, 1) + mornings(sunday + timedelta(days=2), 12) + mornings(at(16, 0), 1)
    assert rules.working_time_breaches(work, eu()) == []


def test_a_week_with_no_rest_in_it_is_still_a_breach():
    # The same twelve days a day earlier (Monday 2 to Friday 13) leave the week of 2-8
    # November with no rest of 24 + 11 hours inside it.
    sunday = datetime(2026, 11, 1, tzinfo=ROME)
    work = mornings(sunday, 13) + mornings(at(16, 0), 1)
    found = rules.working_time_breaches(work, eu())
    assert kinds(found) == ["weekly_rest"]
    assert found[0].at.date().isoformat() == "2026-11-02"
    assert "from Nov 2, 2026 to Nov 8, 2026" in found[0].detail


def test_saturday_noon_to_monday_morning_is_a_weekly_rest():
    # Six mornings a week, Sunday off, for three weeks: 24 h inside each week (Sunday) with
    # the daily rest joined to it on Saturday afternoon.
    work = [i for w in range(3) for i in mornings(at(2, 0) + timedelta(weeks=w), 6)]
    assert rules.working_time_breaches(work, eu()) == []


def italy() -> WorkRules:
    return WorkRules(**rules.limits_for("IT"))


def test_italy_averages_the_weekly_rest_over_fourteen_days():
    # D.Lgs. 66/2003 art. 9(1): 24 consecutive hours every seven days, cumulated with the daily
    # rest, "calcolato come media in un periodo non superiore a 14 giorni" (art. 16(a) of the
    # Directive). Fortnights run from Monday 2 November 2026 (counted from Monday 1 January
    # 2001). Work from Monday 2 to Friday 13, then two days off: the fortnight holds one rest
    # of 48 + 11 hours, worth two weekly rests.
    assert rules.limits_for("IT")["weekly_rest_reference_days"] == 14
    assert (date(2026, 11, 2) - rules.REST_PERIODS_FROM).days % 14 == 0
    work = mornings(at(1, 0), 13) + mornings(at(16, 0), 1)  # Sunday 1 .. Friday 13, Monday 16
    assert rules.working_time_breaches(work, italy()) == []
    # Under the Directive's own 7 days, the week of 2-8 November had no rest.
    assert kinds(rules.working_time_breaches(work, eu())) == ["weekly_rest"]


def test_one_weekly_rest_in_an_italian_fortnight_is_not_enough():
    # Monday 2 to Saturday 14, Sunday 15 off: one rest of 24 + 11 h in the fortnight, two due.
    work = mornings(at(1, 0), 14) + mornings(at(16, 0), 1)
    found = rules.working_time_breaches(work, italy())
    assert kinds(found) == ["weekly_rest"]
    assert "from Nov 2, 2026 to Nov 15, 2026" in found[0].detail
    assert "of 59 hr)" in found[0].detail  # or one of 48 + 11 h


def test_rests_count_for_as_many_weekly_rests_as_they_hold():
    day, hour = timedelta(hours=24), timedelta(hours=1)
    daily, week = 11 * hour, 7 * day
    assert rules.rest_credits(35 * hour, week, day, daily) == 1
    assert rules.rest_credits(34 * hour, week, day, daily) == 0
    assert rules.rest_credits(59 * hour, week, day, daily) == 2
    # Only the 24 h inside the period count for it; the daily rest may lie outside.
    assert rules.rest_credits(42 * hour, 23 * hour, day, daily) == 0
