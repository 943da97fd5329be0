"""The household API: employers, contracts, payslips, the PDF and the year's summary, with
coded refusals."""

from coopcare.household.models import Employer, HouseholdPayslip
from tests.governance.test_api import bearer
from tests.household.conftest import ACCOUNT, TAX_ID, visits_in_march


def test_a_household_through_the_api(client, madrid, coordinator, person, carer):
    staff = bearer(coordinator)

    def post(path, body):
        return client.post(
            f"/api/cooperatives/cura/{path}", body, content_type="application/json", **staff
        )

    fields = {
        "person_id": person.pk,
        "name": "Javier Ruiz",
        "tax_id": TAX_ID,
        "social_security_account": ACCOUNT,
        "address": "Calle de Toledo 12",
    }
    refused = post("households", fields | {"tax_id": "12345678A"})
    assert refused.status_code == 400 and refused.json()["code"] == "bad_tax_id"
    assert not Employer.objects.exists()
    made = post("households", fields)
    assert made.status_code == 201
    household = made.json()["id"]
    low = post(
        f"households/{household}/contracts",
        {"carer_id": carer.pk, "starts_on": "2025-01-01", "hourly_rate": "7.00"},
    )
    assert low.status_code == 400 and low.json()["code"] == "below_minimum_wage"
    job = post(
        f"households/{household}/contracts",
        {"carer_id": carer.pk, "starts_on": "2025-01-01", "hourly_rate": "9.00"},
    )
    assert job.status_code == 201
    contract_id = job.json()["id"]
    visits_in_march(carer, person)
    none = post(f"household-contracts/{contract_id}/payslips", {"month": "2026-03-01"})
    assert none.status_code == 400 and none.json()["code"] == "no_contribution_table"
    slip = post(f"household-contracts/{contract_id}/payslips", {"month": "2025-03-01"})
    assert slip.status_code == 201
    assert slip.json()["hours"] == "5.50" and slip.json()["bracket"] == 1
    listed = client.get(
        f"/api/cooperatives/cura/household-contracts/{contract_id}/payslips", **staff
    )
    assert [s["month"] for s in listed.json()] == ["2025-03-01"]
    printed = client.get(
        f"/api/cooperatives/cura/household-payslips/{HouseholdPayslip.objects.get().pk}/pdf",
        **staff,
    )
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    year = client.get(f"/api/cooperatives/cura/households/{household}/summary?year=2025", **staff)
    assert year.json()["months"] == 1 and year.json()["gross"] == slip.json()["gross"]


def test_carers_are_refused(client, madrid, carer):
    answer = client.get("/api/cooperatives/cura/households", **bearer(carer))
    assert answer.status_code == 403
