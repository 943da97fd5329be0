"""Payslips past their period lose who was paid and keep the amounts, hours and dates, so the
impact figures of pay are the same after retention."""

from datetime import date
from decimal import Decimal

import pytest

from coopcare.impact.indicators import median_true_hourly_pay
from coopcare.retention import services
from coopcare.retention.rules import Kind
from coopcare.work import queries
from coopcare.work.models import Payslip, Timesheet
from coopcare.work.services import pay, timesheets
from tests import factories
from tests.work.conftest import contract, worked

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 11, 3)


@pytest.fixture
def slip(coop, carer, coordinator):
    """The carer's payslip for 1 to 15 November 2026 in an Italian cooperative: two days of
    one paid hour each, at 12.00 an hour."""
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    contract(coop, carer, hourly_rate=Decimal("12.00"))
    for day in (TUESDAY, date(2026, 11, 4)):
        worked(carer, person, day, 8, 9)
    timesheets.build_timesheets(coop, date(2026, 11, 1), date(2026, 11, 15))
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    return pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator).payslips.get()


def test_a_payslip_is_kept_whole_until_five_years_from_its_pay_periods_end(coop, slip):
    # Codice civile art. 2948 n. 4: wages are claimed within five years. The pay period ended
    # on 15 November 2026, so on 15 November 2031 the payslip is still within its period.
    report = services.run_retention(coop, today=date(2031, 11, 15))
    assert report.counts[Kind.PAYSLIPS] == {"done": 0, "held": 0}
    slip.refresh_from_db()
    assert slip.carer is not None


def test_past_its_period_a_payslip_loses_its_carer_and_keeps_the_pay_figures(coop, carer, slip):
    year = (date(2026, 1, 1), date(2026, 12, 31))
    before = median_true_hourly_pay(coop, *year)
    assert before.value == Decimal("12.00") and before.base == 1
    kept = Payslip.objects.values("gross_pay", "visit_minutes", "days", "pay_run").get()

    report = services.run_retention(coop, today=date(2031, 11, 16))

    assert report.counts[Kind.PAYSLIPS] == {"done": 1, "held": 0}
    slip.refresh_from_db()
    assert slip.carer is None
    assert not carer.payslips.exists()
    assert Payslip.objects.values("gross_pay", "visit_minutes", "days", "pay_run").get() == kept
    assert median_true_hourly_pay(coop, *year) == before
    # The payroll export still has its row, with nobody's name on it.
    row = queries.payroll_csv(slip.pay_run).splitlines()[1]
    assert row.startswith(",,2026-11-01,2026-11-15,2,")
    assert services.run_retention(coop, today=date(2031, 11, 16)).counts[Kind.PAYSLIPS] == {
        "done": 0,
        "held": 0,
    }
