"""The payroll CSV runs no formula hidden in a carer's name."""

from datetime import date

from coopcare.work import pay, timesheets
from tests.work.test_services import month  # noqa: F401 - the fixture, a month of work


def test_a_carers_name_cannot_run_as_a_formula(coop, carer, coordinator, month):  # noqa: F811
    carer.first_name, carer.last_name = "=1+1", "@SUM(A1)"
    carer.save()
    timesheets.approve(coop, month, coordinator)
    run = pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    row = pay.payroll_csv(run).splitlines()[1]
    assert row.startswith("carla,'=1+1 @SUM(A1),2026-11-01")
