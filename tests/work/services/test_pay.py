"""Pay runs from approved timesheets, the pay rules by date, and the nights the clocks change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.work import queries
from coopcare.work.models import (
    Contract,
    PayRun,
    Payslip,
    Timesheet,
)
from coopcare.work.services import pay, timesheets
from tests.work.conftest import contract, worked

TUESDAY = date(2026, 11, 3)


# -- pay ------------------------------------------------------------------------------------


@pytest.fixture
def month(coop, carer, coordinator, people):
    """Carla's November: three days of two visits each, built and approved."""
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("12.00"), weekly_hours=Decimal(20))
    for day in (TUESDAY, TUESDAY + timedelta(days=1), date(2026, 11, 8)):  # the 8th is a Sunday
        worked(carer, near, day, 8, 9)
        worked(carer, far, day, 9.5, 10.5)
    timesheets.build_timesheets(coop, date(2026, 11, 1), date(2026, 11, 30))
    return Timesheet.objects.filter(carer=carer)


def test_a_pay_run_is_refused_over_unapproved_time_and_writes_nothing(coop, coordinator, month):
    with pytest.raises(ValidationError, match="3 timesheets in the period are not approved"):
        pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    assert not PayRun.objects.exists()


def test_a_pay_run_is_refused_for_days_with_no_contract(coop, carer, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    Contract.objects.update(starts_on=date(2026, 11, 5))
    with pytest.raises(ValidationError, match="No contract covers"):
        pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    assert not PayRun.objects.exists()


def test_pay_counts_visits_travel_waiting_and_the_sunday_premium(coop, carer, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    run = pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    slip = run.payslips.get()
    # Each day: 8:00-10:30 all paid (visits, travel, waiting at 100 %): 2.5 h at 12.00 = 30.00.
    assert slip.days == 3
    assert slip.paid_minutes == 3 * 150 and slip.span_minutes == 3 * 150
    assert slip.basic_pay == Decimal("90.00")
    # Sunday the 8th: the weekend premium (15 %) on 2.5 h: 4.50.
    assert slip.premium_minutes == 150 and slip.premium_pay == Decimal("4.50")
    assert slip.gross_pay == Decimal("94.50")
    assert slip.true_hourly_pay == Decimal("12.60")  # 94.50 over 7.5 h from first to last visit
    assert not slip.below_minimum
    assert slip.contracted_hours == Decimal("42.86")  # 20 h a week over 15 days
    assert slip.mileage == (slip.km * Decimal("0.3")).quantize(Decimal("0.01"))

    rows = queries.payroll_csv(run).splitlines()
    assert rows[0].split(",")[:3] == ["username", "name", "period_start"]
    assert rows[1].startswith("carla,Carla Rossi,2026-11-01,2026-11-15,3,6.00,")
    with pytest.raises(ValidationError, match="already run"):
        pay.run_pay(coop, date(2026, 11, 10), date(2026, 11, 20), coordinator)


def test_true_hourly_pay_below_the_minimum_is_flagged(coop, carer, coordinator, people):
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("9.50"))
    worked(carer, near, TUESDAY, 7, 8)
    worked(carer, far, TUESDAY, 12, 13)  # five hours from first to last, two of them paid
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    slip = pay.run_pay(coop, TUESDAY, TUESDAY, coordinator).payslips.get()
    assert slip.true_hourly_pay < slip.minimum_wage and slip.below_minimum


def test_new_pay_rules_cannot_change_a_period_already_paid(coop, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    with pytest.raises(ValidationError, match="already run"):
        pay.adopt_pay_rules(coop, {"effective_from": date(2026, 11, 10)}, coordinator)
    adopted = pay.adopt_pay_rules(
        coop, {"effective_from": date(2026, 11, 16), "base_rate": Decimal("11.00")}, coordinator
    )
    assert queries.pay_rules_on(coop, date(2026, 11, 20)) == adopted
    assert queries.pay_rules_on(coop, date(2026, 11, 15)).pk is None  # the defaults


# -- the nights the clocks change ------------------------------------------------------------
# Directive 2000/84/EC art. 2 and 3: summer time ends at 1:00 UTC on the last Sunday of
# October and begins at 1:00 UTC on the last Sunday of March. In Rome a night from 22:00 to
# 06:00 lasts 9 hours on 24-25 October 2026 and 7 hours on 28-29 March 2026.


def night_paid(coop, carer, coordinator, people, evening: date) -> Payslip:
    contract(coop, carer, hourly_rate=Decimal("10.00"))
    worked(carer, people[0], evening, 22, 30)  # 22:00 to 06:00 the next morning
    timesheets.build_timesheets(coop, evening, evening)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    return pay.run_pay(coop, evening, evening, coordinator).payslips.get()


def test_the_night_the_clocks_go_back_is_paid_nine_hours(coop, carer, coordinator, people):
    # Working time is "any period during which the worker is working" (Directive 2003/88/EC
    # art. 2(1)): 9 hours at 10.00, and 15 % (Saturday night, unsocial hours) on all of them.
    slip = night_paid(coop, carer, coordinator, people, date(2026, 10, 24))
    assert slip.visit_minutes == 9 * 60 and slip.premium_minutes == 9 * 60
    assert slip.basic_pay == Decimal("90.00") and slip.premium_pay == Decimal("13.50")


def test_the_night_the_clocks_go_forward_is_paid_seven_hours(coop, carer, coordinator, people):
    slip = night_paid(coop, carer, coordinator, people, date(2026, 3, 28))
    assert slip.visit_minutes == 7 * 60
    assert slip.basic_pay == Decimal("70.00") and slip.premium_pay == Decimal("10.50")
