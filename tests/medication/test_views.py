"""The medication pages: a coordinator keeps medicines and allergies, a carer records the
doses of a visit and cannot check out before, the chart as a page and a PDF in every language,
who may see what, and the read log."""

import io
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from coopcare.accounts.models import Profile
from coopcare.care import services as care_services
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.medication import queries, services
from coopcare.medication.models import DoseRecord, Medicine
from coopcare.visits.models import VisitRecord
from tests import factories
from tests.medication.conftest import prescription


def medicine_post(**fields) -> dict:
    data = prescription(**fields)
    if isinstance(data["times"], list):
        data["times"] = " ".join(data["times"])
    return {f"medicine-{k}": ("" if v is None else v) for k, v in data.items()}


def test_a_coordinator_adds_an_allergy_and_a_medicine(client, coordinator, person):
    factories.log_in(client, coordinator)
    url = f"/c/cura/medication/people/{person.pk}/"
    assert client.get(url).status_code == 200
    added = client.post(url, {"allergy-substance": "Penicillin", "allergy-reaction": "Rash"})
    assert added.status_code == 302
    no_unit = client.post(url, medicine_post(dose_unit=""))
    assert no_unit.status_code == 400
    assert "Give the unit of the dose" in no_unit.content.decode()
    assert not Medicine.objects.exists()
    clash = client.post(url, medicine_post(name="Amoxicillin", ingredients="penicillin"))
    assert clash.status_code == 400
    assert "allergic to Penicillin" in clash.content.decode()
    assert client.post(url, medicine_post(times="08:00 20:00")).status_code == 302
    medicine = Medicine.objects.get()
    assert medicine.current.times == ["08:00", "20:00"]
    assert CareRecordRead.objects.filter(user=coordinator, record="medication").exists()


def test_a_coordinator_changes_a_medicine_as_a_new_version(client, coordinator, person):
    medicine = services.add_medicine(person, by=coordinator, **prescription())
    factories.log_in(client, coordinator)
    url = f"/c/cura/medication/medicines/{medicine.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Dr Conti" in page.content.decode()
    data = {k.removeprefix("medicine-"): v for k, v in medicine_post(strength="10 mg").items()}
    assert client.post(url, data).status_code == 400  # no reason
    assert client.post(url, data | {"reason": "Dose doubled by the GP"}).status_code == 302
    assert [v.strength for v in medicine.versions.order_by("number")] == ["5 mg", "10 mg"]


def test_a_carer_cannot_change_medicines(client, carer, visit, person):
    factories.log_in(client, carer)
    url = f"/c/cura/medication/people/{person.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, medicine_post()).status_code == 403
    assert not Medicine.objects.exists()


def test_a_carer_records_the_doses_and_then_checks_out(client, carer, checked_in, due_now):
    factories.log_in(client, carer)
    day = timezone.localdate(checked_in.starts_at)
    card = client.get(f"/c/cura/today/?day={day}").content.decode()
    assert "1 dose due" in card and "1 to record before check-out" in card
    prefix = f"v{checked_in.pk}"
    start = card.index(f'name="{prefix}-client_id" value="') + len(
        f'name="{prefix}-client_id" value="'
    )
    out_id = card[start : card.index('"', start)]
    check_out = {f"{prefix}-client_id": out_id, f"{prefix}-done_0": "on", f"{prefix}-tapped": "on"}
    refused = client.post(f"/c/cura/visits/{checked_in.pk}/check-out/", check_out)
    assert refused.status_code == 400
    assert "before checking out" in refused.content.decode()
    assert VisitRecord.objects.get().checked_out_at is None

    url = f"/c/cura/medication/visits/{checked_in.pk}/"
    page = client.get(url).content.decode()
    assert "Ramipril 5 mg" in page
    [due] = queries.doses_due(checked_in)
    no_reason = client.post(
        url, {"medicine": due_now.pk, "due_at": due.due_at.isoformat(), "outcome": "refused"}
    )
    assert no_reason.status_code == 400
    assert "Say why the dose was not given." in no_reason.content.decode()
    given = client.post(
        url, {"medicine": due_now.pk, "due_at": due.due_at.isoformat(), "outcome": "given"}
    )
    assert given.status_code == 302
    assert DoseRecord.objects.get().outcome == "given"
    assert client.post(f"/c/cura/visits/{checked_in.pk}/check-out/", check_out).status_code == 302
    assert VisitRecord.objects.get().checked_out_at is not None
    assert CareRecordRead.objects.filter(
        user=carer, record=f"doses of visit {checked_in.pk}"
    ).exists()


def test_a_carer_not_serving_the_person_sees_nothing(client, coop, person, due_now, visit):
    other = factories.user_with_role(coop, Role.CARER, username="other")
    factories.log_in(client, other)
    for url in (
        f"/c/cura/medication/people/{person.pk}/",
        f"/c/cura/medication/people/{person.pk}/chart/",
        f"/c/cura/medication/medicines/{due_now.pk}/",
        f"/c/cura/medication/visits/{visit.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert not CareRecordRead.objects.filter(user=other).exists()


@pytest.mark.parametrize("language", ["en", "fr", "it", "es", "ar"])
def test_the_chart_and_its_pdf_in_every_language(
    client, coordinator, checked_in, due_now, carer, language
):
    [due] = queries.doses_due(checked_in)
    services.record_dose(
        checked_in, due_now, by=carer, outcome="refused", reason="رفضت الدواء", due_at=due.due_at
    )
    Profile.objects.create(user=coordinator, language=language)
    factories.log_in(client, coordinator)
    month = timezone.localdate(checked_in.starts_at).strftime("%Y-%m")
    base = f"/c/cura/medication/people/{checked_in.person_id}/chart"
    page = client.get(f"{base}/?month={month}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ramipril 5 mg" in html and ('dir="rtl"' in html) == (language == "ar")
    pdf = client.get(f"{base}.pdf?month={month}")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    document = PdfReader(io.BytesIO(pdf.content))
    assert document.metadata.author == "Cura Insieme"
    assert "Ramipril" in document.pages[0].extract_text()
    assert CareRecordRead.objects.filter(
        user=coordinator, record=f"medication chart {month} pdf"
    ).exists()


def test_a_circle_member_with_the_care_plan_grant_sees_the_chart(
    client, coop, person, coordinator, due_now
):
    relative = factories.user_with_role(coop, Role.CIRCLE, username="daughter")
    grant = care_services.add_to_circle(
        person,
        user=relative,
        full_name="Lucia Bianchi",
        relationship="child",
        may_see_care_plan=False,
        granted_by="person",
        granted_on=date(2026, 1, 1),
    )
    factories.log_in(client, relative)
    url = f"/c/cura/medication/people/{person.pk}/chart/"
    assert client.get(url).status_code == 404
    grant.may_see_care_plan = True
    grant.save()
    assert client.get(url).status_code == 200
    circle_page = client.get(f"/c/cura/circle/{person.pk}/").content.decode()
    assert url in circle_page
    assert (
        client.post(f"/c/cura/medication/people/{person.pk}/", medicine_post()).status_code == 403
    )
    assert CareRecordRead.objects.filter(user=relative).exists()


def test_doses_not_taken_are_on_the_follow_up_page(client, coordinator, checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    services.record_dose(
        checked_in,
        due_now,
        by=carer,
        outcome="not_available",
        reason="Box empty",
        due_at=due.due_at,
    )
    factories.log_in(client, coordinator)
    page = client.get("/c/cura/visits/follow-up/").content.decode()
    assert "Box empty" in page and "Rosa Bianchi" in page
    assert CareRecordRead.objects.filter(user=coordinator, record="doses not taken").exists()


def test_the_coordinators_list_of_people_with_medicines(client, coordinator, person, due_now):
    factories.log_in(client, coordinator)
    page = client.get("/c/cura/medication/")
    assert page.status_code == 200 and "Rosa Bianchi" in page.content.decode()
