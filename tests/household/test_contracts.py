"""A household contract ended on its last day, by the service, the page and the API, and a
second contract of the same carer with the same household refused while the first runs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.cooperatives.models import Role
from coopcare.household import services
from coopcare.household.models import HouseholdContract
from tests import factories
from tests.governance.test_api import bearer
from tests.household.conftest import contract, employer, visits_in_march

pytestmark = pytest.mark.django_db


def _refused(call) -> str:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.code


def test_a_contract_overlapping_the_carers_other_one_with_the_household_is_refused(
    madrid, person, carer
):
    household = employer(madrid, person)
    contract(household, carer, ends_on=date(2025, 6, 30))

    assert _refused(lambda: contract(household, carer, starts_on=date(2025, 6, 30))) == (
        "contract_overlaps"
    )
    assert _refused(lambda: contract(household, carer, starts_on=date(2024, 12, 1))) == (
        "contract_overlaps"
    )
    assert HouseholdContract.objects.count() == 1
    # The day after its end is free; so is another carer, or another household.
    contract(household, carer, starts_on=date(2025, 7, 1))
    other_carer = factories.user_with_role(madrid, Role.CARER, username="pilar")
    contract(household, other_carer, starts_on=date(2025, 3, 1))
    contract(employer(madrid, factories.person_cared_for(madrid)), carer)
    assert HouseholdContract.objects.filter(employer=household, carer=carer).count() == 2
    # The one from July has no end: a contract starting later overlaps it.
    assert _refused(lambda: contract(household, carer, starts_on=date(2025, 12, 1))) == (
        "contract_overlaps"
    )


def test_ending_a_permanent_contract_keeps_it_permanent_for_the_contributions(
    madrid, person, carer
):
    job = contract(employer(madrid, person), carer)
    visits_in_march(carer, person)

    ended = services.end_contract(job, date(2025, 3, 31))

    assert (ended.ends_on, ended.ended_on, ended.last_day) == (
        None,
        date(2025, 3, 31),
        date(2025, 3, 31),
    )
    assert not ended.fixed_term
    # Permanent: 296 × (4.70 + 0.13 + 1.55) % = 18.88 withheld, not the fixed-term 1.60 %.
    assert services.make_payslip(ended, date(2025, 3, 1)).worker_total == Decimal("18.88")
    assert _refused(lambda: services.make_payslip(ended, date(2025, 4, 1))) == (
        "month_outside_contract"
    )


def test_an_end_before_the_start_after_an_end_or_before_a_payslip_is_refused(madrid, person, carer):
    job = contract(employer(madrid, person), carer, ends_on=date(2025, 12, 31))
    visits_in_march(carer, person)
    services.make_payslip(job, date(2025, 3, 1))

    assert _refused(lambda: services.end_contract(job, date(2024, 12, 31))) == (
        "contract_ends_before_start"
    )
    assert _refused(lambda: services.end_contract(job, date(2026, 1, 31))) == (
        "contract_already_ended"
    )
    assert _refused(lambda: services.end_contract(job, date(2025, 2, 28))) == "payslip_after_end"
    job.refresh_from_db()
    assert job.ended_on is None
    assert services.end_contract(job, date(2025, 3, 15)).last_day == date(2025, 3, 15)
    assert job.fixed_term


def test_a_coordinator_ends_a_contract_on_the_households_page(
    client, madrid, coordinator, person, carer
):
    household = employer(madrid, person)
    job = contract(household, carer)
    factories.log_in(client, coordinator)
    page = client.get(f"/c/cura/households/{household.pk}/")
    assert f"/c/cura/households/contracts/{job.pk}/end/" in page.content.decode()

    bad = client.post(
        f"/c/cura/households/contracts/{job.pk}/end/", {f"end-{job.pk}-ends_on": "2024-05-01"}
    )
    assert bad.status_code == 400
    assert "The contract cannot end before it starts." in bad.content.decode()
    job.refresh_from_db()
    assert job.ended_on is None

    done = client.post(
        f"/c/cura/households/contracts/{job.pk}/end/", {f"end-{job.pk}-ends_on": "2025-05-31"}
    )
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.ended_on == date(2025, 5, 31)


def test_the_api_ends_a_contract_and_answers_a_coded_refusal(
    client, madrid, coordinator, person, carer
):
    job = contract(employer(madrid, person), carer)
    path = f"/api/cooperatives/cura/household-contracts/{job.pk}/end"

    def end(day: str):
        return client.post(
            path, {"ends_on": day}, content_type="application/json", **bearer(coordinator)
        )

    refused = end("2024-12-31")
    assert refused.status_code == 400
    assert refused.json()["code"] == "contract_ends_before_start"
    ended = end("2025-05-31")
    assert ended.status_code == 200
    assert (ended.json()["ended_on"], ended.json()["ends_on"]) == ("2025-05-31", None)
    other = factories.CooperativeFactory(slug="altra", runs_household_employment=True)
    stranger = factories.user_with_role(other, Role.COORDINATOR)
    elsewhere = client.post(
        f"/api/cooperatives/altra/household-contracts/{job.pk}/end",
        {"ends_on": "2025-05-31"},
        content_type="application/json",
        **bearer(stranger),
    )
    assert elsewhere.status_code == 404
