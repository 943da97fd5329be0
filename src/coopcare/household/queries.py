"""Reads of household employment shared by the pages and the API, scoped to one cooperative:
the employers, their contracts and payslips, the hours of a month and a year's totals."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

from coopcare.cooperatives.models import Cooperative
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from coopcare.shared.days import elapsed, month_end
from coopcare.visits.models import VisitRecord
from coopcare.work.queries import between_days

HOUR = Decimal(3600)


def employers(cooperative: Cooperative) -> QuerySet[Employer]:
    """The cooperative's household employers, with the person cared for."""
    return Employer.objects.filter(cooperative=cooperative).select_related("person")


def contracts_of(employer: Employer) -> QuerySet[HouseholdContract]:
    """The employer's contracts, newest first, with their carers."""
    return employer.contracts.select_related("carer")


def payslips_of(contract: HouseholdContract) -> QuerySet[HouseholdPayslip]:
    """The contract's payslips, newest month first."""
    return contract.payslips.all()


def hours_worked(contract: HouseholdContract, month: date) -> Decimal:
    """The hours of the carer's finished visit records at the employer's person in ``month``
    (local days of the active time zone), from check-in to check-out."""
    first = max(month, contract.starts_on)
    last = min(month_end(month), contract.last_day or month_end(month))
    records = VisitRecord.objects.filter(
        carer=contract.carer,
        person=contract.employer.person,
        checked_out_at__isnull=False,
        **between_days("checked_in_at", first, last),
    ).values_list("checked_in_at", "checked_out_at")
    worked = sum((elapsed(start, end) for start, end in records if end), timedelta())
    return (Decimal(worked.total_seconds()) / HOUR).quantize(Decimal("0.01"))


def half_year_salary(contract: HouseholdContract, month: date) -> Decimal:
    """The salaries of the contract's earlier payslips in ``month``'s half-year (January to
    June, or July to December), which the extra payment paid whole in June or December
    counts from."""
    first = month.replace(month=1 if month.month <= 6 else 7)
    total = contract.payslips.filter(month__gte=first, month__lt=month).aggregate(
        salary=Sum("salary")
    )["salary"]
    return total or Decimal(0)


@dataclass(frozen=True)
class YearSummary:
    """What a household paid and withheld in a year, for the yearly certificate."""

    year: int
    months: int
    gross: Decimal
    worker_total: Decimal
    net: Decimal
    employer_total: Decimal


def year_summary(employer: Employer, year: int) -> YearSummary:
    """The year's totals over the employer's payslips. A household employer withholds no
    income tax (RIRPF, art. 76.1 names no household among those who withhold), so only the
    worker's Social Security contributions are withheld."""
    totals = HouseholdPayslip.objects.filter(
        contract__employer=employer, month__year=year
    ).aggregate(
        gross=Sum("gross"),
        worker=Sum("worker_total"),
        net=Sum("net"),
        employer=Sum("employer_total"),
    )
    months = HouseholdPayslip.objects.filter(contract__employer=employer, month__year=year)
    return YearSummary(
        year,
        months.count(),
        totals["gross"] or Decimal(0),
        totals["worker"] or Decimal(0),
        totals["net"] or Decimal(0),
        totals["employer"] or Decimal(0),
    )
