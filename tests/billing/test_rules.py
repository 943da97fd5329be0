"""The pricing rules with worked examples. Source of the minimum, rounding, rates and split:
the agreement (its tariff version and co-payment); the highest rate per minute where several
apply is coopcare's reading (``billing.rules.price_visit``)."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from coopcare.billing import rules
from coopcare.billing.models import RateKind, Rounding, Unit

ROME = ZoneInfo("Europe/Rome")
TERMS = rules.Terms(
    unit=Unit.HOUR,
    weekday_rate=Decimal("20.00"),
    sunday_rate=Decimal("26.00"),
    night_rate=Decimal("24.00"),
    holiday_rate=Decimal("30.00"),
    night_starts=time(22),
    night_ends=time(6),
    double_handed_factor=Decimal("1.80"),
    minimum_minutes=60,
    rounding_minutes=15,
    rounding=Rounding.UP,
)
IMMACOLATA = date(2026, 12, 8)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ROME)


def holiday(day: date) -> bool:
    return day == IMMACOLATA


def test_a_sunday_visit_of_50_minutes_is_billed_the_minimum_hour_at_the_sunday_rate():
    # Sunday 6 December 2026, 10:00-10:50; minimum 60, rounded up to 15: 60 min x 26.00 / h.
    priced = rules.price_visit(TERMS, at(6, 10), at(6, 10, 50))
    assert (priced.actual_minutes, priced.billable_minutes) == (50, 60)
    assert priced.stretches == (rules.Stretch(RateKind.SUNDAY, 60, Decimal("26.00")),)
    assert priced.amount == Decimal("26.00")


def test_a_visit_of_65_minutes_is_rounded_up_to_75():
    priced = rules.price_visit(TERMS, at(9, 10), at(9, 11, 5))
    assert priced.billable_minutes == 75
    assert priced.amount == Decimal("25.00")  # 75 / 60 x 20.00


def test_rounding_to_the_nearest_five_minutes_goes_down_or_up_at_the_half():
    nearest = rules.Terms(**{**TERMS.__dict__, "minimum_minutes": 0, "rounding_minutes": 5})
    nearest = rules.Terms(**{**nearest.__dict__, "rounding": Rounding.NEAREST})
    assert rules.billable_minutes(nearest, 62) == 60
    assert rules.billable_minutes(nearest, 63) == 65
    # 09:00-10:02 is billed 60 minutes: the two minutes over are taken off its last stretch.
    priced = rules.price_visit(nearest, at(9, 9), at(9, 10, 2))
    assert priced.stretches == (rules.Stretch(RateKind.WEEKDAY, 60, Decimal("20.00")),)


def test_a_night_visit_across_midnight_is_priced_by_the_rate_of_each_stretch():
    # Wednesday 9 December 21:30 to Thursday 00:30: 30 min before the night window at
    # 20.00 (10.00) and 150 min in it at 24.00 (60.00): 70.00 for 180 minutes.
    priced = rules.price_visit(TERMS, at(9, 21, 30), at(10, 0, 30))
    assert priced.stretches == (
        rules.Stretch(RateKind.WEEKDAY, 30, Decimal("20.00")),
        rules.Stretch(RateKind.NIGHT, 150, Decimal("24.00")),
    )
    assert priced.amount == Decimal("70.00")


def test_a_night_running_into_a_public_holiday_takes_the_higher_holiday_rate_after_midnight():
    # Monday 7 December 23:00 to Tuesday 8 December (Immacolata) 01:00: 60 min of night at
    # 24.00, then 60 min of the holiday at 30.00, the higher of the two rates that apply.
    priced = rules.price_visit(TERMS, at(7, 23), at(8, 1), is_holiday=holiday)
    assert [(s.kind, s.minutes) for s in priced.stretches] == [
        (RateKind.NIGHT, 60),
        (RateKind.HOLIDAY, 60),
    ]
    assert priced.amount == Decimal("54.00")


def test_the_minutes_a_minimum_adds_are_billed_at_the_rate_of_the_visits_end():
    # 21:40-22:10: 20 min weekday, 10 min night, then 30 more minutes to the minimum hour,
    # billed as night: 20/60 x 20.00 + 40/60 x 24.00 = 6.666... + 16.00 = 22.67.
    priced = rules.price_visit(TERMS, at(9, 21, 40), at(9, 22, 10))
    assert [(s.kind, s.minutes) for s in priced.stretches] == [
        (RateKind.WEEKDAY, 20),
        (RateKind.NIGHT, 40),
    ]
    assert priced.amount == Decimal("22.67")


def test_a_double_handed_visit_is_billed_at_the_tariffs_factor():
    # One hour on a weekday with two carers: 20.00 x 1.80.
    priced = rules.price_visit(TERMS, at(9, 10), at(9, 11), double_handed=True)
    assert priced.double_handed
    assert priced.amount == Decimal("36.00")


def test_a_visit_priced_per_visit_takes_the_rate_at_its_start_once():
    per_visit = rules.Terms(**{**TERMS.__dict__, "unit": Unit.VISIT})
    priced = rules.price_visit(per_visit, at(6, 21, 50), at(6, 22, 20))  # a Sunday
    assert priced.stretches == (rules.Stretch(RateKind.SUNDAY, 30, Decimal("26.00")),)
    assert priced.amount == Decimal("26.00")


def test_travel_is_billed_on_its_own_line_only_when_the_tariff_bills_it():
    with_travel = rules.Terms(
        **{**TERMS.__dict__, "travel_billed": True, "travel_rate": Decimal("12.00")}
    )
    assert rules.price_visit(
        with_travel, at(9, 10), at(9, 11), travel_minutes=25
    ).travel_amount == (Decimal("5.00"))
    assert rules.price_visit(TERMS, at(9, 10), at(9, 11), travel_minutes=25).travel_amount == 0


def test_the_travel_to_a_visit_is_the_days_travel_since_the_visit_before():
    """coopcare's reading of a timesheet: a journey goes to the visit it ends at, the waiting
    after it does not cut it off, and the journey home goes to no visit. Travel 15, visit A,
    travel 20, waiting 10, visit B, travel 12: A 15 minutes, B 20."""
    day = [
        ("travel", 15, None),
        ("visit", 40, 1),
        ("travel", 20, None),
        ("waiting", 10, None),
        ("visit", 60, 2),
        ("travel", 12, None),
    ]
    assert rules.travel_to_visits(day) == {1: 15, 2: 20}
    # Back to back, with no journey between: the second visit has none.
    assert rules.travel_to_visits([("visit", 30, 1), ("visit", 30, 2)]) == {1: 0, 2: 0}


def test_a_line_is_split_to_the_cent_and_the_payer_takes_the_remainder():
    # The municipality 80 %, the family 20 % of 25.55: 20.44 and 5.11.
    assert rules.split_line(Decimal("25.55"), Decimal(20)) == rules.Split(
        Decimal("20.44"), Decimal("5.11")
    )
    # 30 % of 0.05 is 0.015: the co-payer's share rounds half up to 0.02, the payer pays 0.03.
    split = rules.split_line(Decimal("0.05"), Decimal(30))
    assert split == rules.Split(Decimal("0.03"), Decimal("0.02"))
    assert split.payer + split.co_payer == Decimal("0.05")
    assert rules.split_line(Decimal("7.10"), None) == rules.Split(Decimal("7.10"), Decimal(0))


def test_the_co_payment_is_the_band_of_the_persons_income():
    # Up to 10 000: nothing; up to 20 000: 20 %; above: 50 %. An ISEE of 15 000 pays 20 %.
    bands = [(None, Decimal(50)), (Decimal(10000), Decimal(0)), (Decimal(20000), Decimal(20))]
    assert rules.co_payment_share(bands, Decimal(15000)) == Decimal(20)
    assert rules.co_payment_share(bands, Decimal(10000)) == Decimal(0)
    assert rules.co_payment_share(bands, Decimal(25000)) == Decimal(50)
    assert rules.co_payment_share(bands, None) == Decimal(50)
    assert rules.co_payment_share([], Decimal(1)) is None


def test_a_late_cancellation_is_billed_at_the_agreements_share():
    # "Cancelled less than 24 hours before: 50 %": 3 hours before, 22.50 is billed 11.25.
    assert rules.late_cancellation_charge(Decimal("22.50"), Decimal(3), 24, Decimal(50)) == Decimal(
        "11.25"
    )
    assert rules.late_cancellation_charge(Decimal("22.50"), Decimal(30), 24, Decimal(50)) == 0


def test_budget_periods_are_iso_weeks_and_calendar_months():
    assert rules.period_days(date(2026, 12, 9), "week") == (date(2026, 12, 7), date(2026, 12, 13))
    assert rules.period_days(date(2026, 2, 9), "month") == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_budgets_standing_shows_what_is_left_and_what_is_over():
    standing = rules.Standing(authorised=600, done=420, planned=240)
    assert (standing.used, standing.left, standing.over) == (660, 0, 60)
    assert rules.Standing(600, 300, 60).left == 240


def test_an_italian_vat_number_is_eleven_digits_ending_in_its_luhn_check_digit():
    """DM 23 December 1976: the partita IVA is seven digits of the company, three of the tax
    office and a check digit by the Luhn formula. 0123271037 (office 037, Bologna) is checked
    by 4; the same number ending in 5 is refused, as is an office that does not exist (789)."""
    assert rules.tax_number_problems("IT", "01232710374", "") == []
    (wrong_digit,) = rules.tax_number_problems("IT", "01232710375", "")
    assert wrong_digit.code == "vat_number_invalid"
    assert "check digit" in wrong_digit.messages[0]
    (no_office,) = rules.tax_number_problems("IT", "01234567890", "")
    assert "does not exist" in no_office.messages[0]
    (short,) = rules.tax_number_problems("IT", "0123", "")
    assert "number of characters" in short.messages[0]


def test_an_italian_fiscal_code_is_a_persons_sixteen_characters_or_a_companys_eleven_digits():
    """DPR 605/1973, DM 23 December 1976: a person's codice fiscale ends in a check letter
    (RSSMRA85T10A562S checks; ending in T it does not); a company's is its eleven digits."""
    assert rules.tax_number_problems("IT", "", "RSSMRA85T10A562S") == []
    assert rules.tax_number_problems("IT", "", "01232710374") == []
    (wrong,) = rules.tax_number_problems("IT", "", "RSSMRA85T10A562T")
    assert wrong.code == "fiscal_code_invalid"


def test_tax_numbers_are_checked_by_their_countrys_rule_and_written_compact():
    """Spain's NIF (B58378431 is a company's), France's TVA (FR40303265045); a country whose
    format is not known here is not checked; the country's own prefix and spaces go."""
    assert rules.tax_number_problems("ES", "B58378431", "") == []
    assert rules.tax_number_problems("ES", "B58378432", "")[0].code == "vat_number_invalid"
    assert rules.tax_number_problems("FR", "FR40303265045", "") == []
    assert rules.tax_number_problems("LB", "whatever 123", "") == []
    assert rules.compact_vat_number("IT", "IT 012 327 10374") == "01232710374"
    assert rules.compact_vat_number("LB", " 1234 ") == "1234"
