"""Household employers, their contracts and a month's payslip from the visit records."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.household import queries, services
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from tests import factories
from tests.household.conftest import contract, employer, visits_in_march


def test_an_employer_is_kept_with_its_numbers_tidied(madrid, person):
    household = employer(madrid, person, tax_id="12345678-z")
    assert (household.tax_id, household.social_security_account) == ("12345678Z", "28123456742")


def test_a_cooperative_without_household_employment_refuses(coop):
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError) as refused:
        employer(coop, person)
    assert refused.value.code == "household_employment_off"
    assert not Employer.objects.exists()


def test_bad_numbers_are_refused_and_nothing_is_kept(madrid, person):
    with pytest.raises(ValidationError) as refused:
        employer(madrid, person, tax_id="12345678A", social_security_account="28123456743")
    assert sorted(e.code for e in refused.value.error_list) == [
        "bad_social_security_account",
        "bad_tax_id",
    ]
    assert not Employer.objects.exists()


def test_a_contract_under_the_minimum_wage_or_for_someone_else_is_refused(madrid, person, carer):
    household = employer(madrid, person)
    with pytest.raises(ValidationError) as refused:
        contract(household, carer, hourly_rate=Decimal("7.00"))
    assert [e.code for e in refused.value.error_list] == ["below_minimum_wage"]
    outsider = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)
    with pytest.raises(ValidationError) as refused:
        contract(household, outsider)
    assert refused.value.code == "not_a_worker"
    with pytest.raises(ValidationError) as refused:
        contract(household, carer, ends_on=date(2024, 12, 31))
    assert refused.value.code == "contract_ends_before_start"
    assert not HouseholdContract.objects.exists()


def test_a_months_payslip_counts_the_hours_of_the_visit_records(madrid, person, carer):
    household = employer(madrid, person)
    job = contract(household, carer)
    visits_in_march(carer, person)
    # Another person's visit that month is not this household's.
    other = factories.person_cared_for(madrid)
    factories.care_plan(other, valid_from=date(2025, 1, 1))
    from tests.work.conftest import worked

    worked(carer, other, date(2025, 3, 5), 9, 12)
    slip = services.make_payslip(job, date(2025, 3, 17))
    # 5.5 hours at 9 €: 49.50 €, with the prorated extras 57.75 €: the 1st bracket, base 296 €.
    assert (slip.month, slip.hours, slip.salary, slip.extras) == (
        date(2025, 3, 1),
        Decimal("5.50"),
        Decimal("49.50"),
        Decimal("8.25"),
    )
    assert (slip.bracket, slip.base) == (1, Decimal("296.00"))
    # 296 × 4.70 % + 0.13 % + 1.55 % = 13.91 + 0.38 + 4.59.
    assert slip.worker_total == Decimal("18.88")
    assert slip.net == slip.gross - slip.worker_total
    again = services.make_payslip(job, date(2025, 3, 1))
    assert again.pk == slip.pk and HouseholdPayslip.objects.count() == 1


def test_a_month_outside_the_contract_or_without_a_table_is_refused(madrid, person, carer):
    job = contract(employer(madrid, person), carer, ends_on=date(2026, 6, 30))
    with pytest.raises(ValidationError) as refused:
        services.make_payslip(job, date(2024, 12, 1))
    assert refused.value.code == "month_outside_contract"
    with pytest.raises(ValidationError) as refused:
        services.make_payslip(job, date(2026, 2, 1))
    assert refused.value.code == "no_contribution_table"
    assert not HouseholdPayslip.objects.exists()


def test_the_year_summary_adds_up_the_payslips(madrid, person, carer):
    household = employer(madrid, person)
    job = contract(household, carer)
    visits_in_march(carer, person)
    march = services.make_payslip(job, date(2025, 3, 1))
    april = services.make_payslip(job, date(2025, 4, 1))
    summary = queries.year_summary(household, 2025)
    assert summary.months == 2
    assert summary.gross == march.gross + april.gross
    assert summary.employer_total == march.employer_total + april.employer_total
    assert queries.year_summary(household, 2024).months == 0
    assert not CareRecordRead.objects.exists()
