"""The household pages: for coordinators of a cooperative that supports household
employment; the payslip printed in the household's name."""

from datetime import date

from coopcare.accounts.models import Profile
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.household import services
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from tests import factories
from tests.household.conftest import ACCOUNT, TAX_ID, contract, employer, visits_in_march


def test_a_coordinator_records_a_household_a_contract_and_a_payslip(
    client, madrid, coordinator, person, carer
):
    factories.log_in(client, coordinator)
    listed = client.get("/c/cura/households/")
    assert listed.status_code == 200
    bad = client.post(
        "/c/cura/households/",
        {
            "person": person.pk,
            "name": "Javier Ruiz",
            "tax_id": "12345678A",
            "social_security_account": ACCOUNT,
            "address": "Calle de Toledo 12",
        },
    )
    assert bad.status_code == 400 and "NIF" in bad.content.decode()
    assert not Employer.objects.exists()
    made = client.post(
        "/c/cura/households/",
        {
            "person": person.pk,
            "name": "Javier Ruiz",
            "tax_id": TAX_ID,
            "social_security_account": ACCOUNT,
            "address": "Calle de Toledo 12",
        },
    )
    household = Employer.objects.get()
    assert made.status_code == 302
    started = client.post(
        f"/c/cura/households/{household.pk}/contracts/",
        {
            "contract-carer": carer.pk,
            "contract-starts_on": "2025-01-01",
            "contract-hourly_rate": "9.00",
            "contract-extras_prorated": "on",
        },
    )
    assert started.status_code == 302
    job = HouseholdContract.objects.get()
    visits_in_march(carer, person)
    slip = client.post(
        f"/c/cura/households/contracts/{job.pk}/payslips/", {f"c{job.pk}-month": "2025-03-01"}
    )
    assert slip.status_code == 302
    page = client.get(f"/c/cura/households/{household.pk}/?year=2025")
    assert page.status_code == 200 and "Javier Ruiz" in page.content.decode()
    assert CareRecordRead.objects.filter(person=person, record="household").exists()
    printed = client.get(f"/c/cura/households/payslips/{HouseholdPayslip.objects.get().pk}/pdf/")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")


def test_a_refused_payslip_shows_why_and_keeps_nothing(client, madrid, coordinator, person, carer):
    job = contract(employer(madrid, person), carer)
    factories.log_in(client, coordinator)
    refused = client.post(
        f"/c/cura/households/contracts/{job.pk}/payslips/", {f"c{job.pk}-month": "2026-02-01"}
    )
    assert refused.status_code == 400 and "2026-02" in refused.content.decode()
    assert not HouseholdPayslip.objects.exists()


def test_carers_and_cooperatives_without_it_see_no_household(client, coop, carer, person):
    household = employer(coop, person)
    factories.log_in(client, carer)
    assert client.get(f"/c/cura/households/{household.pk}/").status_code == 403
    coop.runs_household_employment = False
    coop.save()
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    factories.log_in(client, coordinator)
    assert client.get("/c/cura/households/").status_code == 404


def test_the_payslip_pdf_in_arabic(client, madrid, coordinator, person, carer):
    job = contract(employer(madrid, person), carer)
    visits_in_march(carer, person)
    slip = services.make_payslip(job, date(2025, 3, 1))
    Profile.objects.create(user=coordinator, language="ar")
    factories.log_in(client, coordinator)
    printed = client.get(f"/c/cura/households/payslips/{slip.pk}/pdf/")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
