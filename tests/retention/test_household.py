"""A household's payslips are payroll records under the kind "payslips", counted from the end
of their month: past the period they are deleted, then the household's ended contracts with no
payslip left and an employer with none left; a hold on the person cared for keeps them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coopcare.household import services as household
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from coopcare.retention import rules
from coopcare.retention import services as retention
from coopcare.retention.rules import Kind
from tests.household import conftest as households

MADRID = ZoneInfo("Europe/Madrid")

pytestmark = pytest.mark.django_db
# The household tests' cooperative in Madrid, its carer Lucía and Carmen, cared for at home.
madrid, carer, person = households.madrid, households.carer, households.person


@pytest.fixture
def march(madrid, person, carer):
    """Carmen's household employs Lucía from January to March 2025; March's payslip is made.
    The household was recorded in January 2025."""
    employer = households.employer(madrid, person)
    Employer.objects.filter(pk=employer.pk).update(
        recorded_at=datetime(2025, 1, 2, 10, 0, tzinfo=MADRID)
    )
    contract = households.contract(employer, carer, ends_on=date(2025, 3, 31))
    households.visits_in_march(carer, person)
    return household.make_payslip(contract, date(2025, 3, 1))


def test_spain_keeps_payroll_records_four_years():
    # LISOS (RDLeg. 5/2000) art. 21: not keeping the contribution documents and the receipts
    # of wages paid for four years is an offence; Ley 58/2003 (LGT) art. 66: tax is limited
    # to four years. March 2025's pay period ends on 31 March 2025: its payslip is kept until
    # 31 March 2029.
    default = rules.default_period("ES", Kind.PAYSLIPS)
    assert default.years == 4
    assert "LISOS" in default.source
    assert rules.cutoff(date(2029, 3, 31), default.years) == date(2025, 3, 31)


def test_a_household_payslip_is_kept_until_four_years_from_its_months_end(madrid, march):
    report = retention.run_retention(madrid, today=date(2029, 3, 31))

    assert report.counts[Kind.PAYSLIPS] == {"done": 0, "held": 0}
    assert HouseholdPayslip.objects.filter(pk=march.pk).exists()


def test_past_its_period_the_payslip_its_contract_and_employer_go(madrid, march):
    report = retention.run_retention(madrid, today=date(2029, 4, 1))

    assert report.counts[Kind.PAYSLIPS] == {"done": 1, "held": 0}
    assert not HouseholdPayslip.objects.exists()
    assert not HouseholdContract.objects.exists()
    assert not Employer.objects.exists()


def test_an_employer_with_a_contract_going_on_is_kept(madrid, person, carer, march):
    households.contract(march.contract.employer, carer, starts_on=date(2025, 4, 1))

    retention.run_retention(madrid, today=date(2029, 4, 1))

    assert not HouseholdPayslip.objects.exists()
    assert list(HouseholdContract.objects.values_list("starts_on", flat=True)) == [date(2025, 4, 1)]
    assert Employer.objects.filter(name="Javier Ruiz").exists()


def test_a_hold_on_the_person_keeps_the_households_payroll(madrid, person, coordinator, march):
    retention.place_hold(madrid, person, "dispute", "Unpaid extras claimed", by=coordinator)

    report = retention.run_retention(madrid, today=date(2029, 4, 1))

    assert report.counts[Kind.PAYSLIPS] == {"done": 0, "held": 1}
    assert HouseholdPayslip.objects.filter(pk=march.pk).exists()
    assert HouseholdContract.objects.exists() and Employer.objects.exists()


def test_a_dry_run_counts_the_payslip_and_keeps_it(madrid, march):
    report = retention.run_retention(madrid, today=date(2029, 4, 1), dry_run=True)

    assert report.counts[Kind.PAYSLIPS] == {"done": 1, "held": 0}
    assert HouseholdPayslip.objects.filter(pk=march.pk).exists()
    assert HouseholdContract.objects.exists()
