"""The medication API: medicines and allergies, a visit's doses, the chart; errors are JSON
with their codes, and check-out through the API waits for the doses as the page does."""

from uuid import uuid4

from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.medication import queries, services
from coopcare.medication.models import DoseRecord, Medicine
from tests.medication.conftest import prescription


def call(client, user, path, body=None):
    _token, raw = ApiToken.issue(user, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is None:
        return client.get(path, **auth)
    return client.post(path, body, content_type="application/json", **auth)


def as_json(fields: dict) -> dict:
    return {k: (str(v) if k in ("dose_amount", "starts_on") else v) for k, v in fields.items()}


def test_a_coordinator_adds_medicines_and_bad_ones_get_a_code(client, coordinator, person):
    url = f"/api/cooperatives/cura/people/{person.pk}/medicines"
    no_unit = call(client, coordinator, url, as_json(prescription(dose_unit="")))
    assert no_unit.status_code == 400
    assert no_unit.json()["code"] == "dose_unit_missing"
    allergy = f"/api/cooperatives/cura/people/{person.pk}/allergies"
    assert call(client, coordinator, allergy, {"substance": "Ramipril"}).status_code == 201
    clash = call(client, coordinator, url, as_json(prescription()))
    assert clash.json()["code"] == "allergy_conflict"
    assert not Medicine.objects.exists()
    added = call(
        client, coordinator, url, as_json(prescription()) | {"allergy_reason": "GP confirmed"}
    )
    assert added.status_code == 201, added.json()
    medicine_id = added.json()["id"]
    changed = call(
        client,
        coordinator,
        f"/api/cooperatives/cura/medicines/{medicine_id}/versions",
        as_json(prescription(strength="10 mg")) | {"reason": "Higher dose", "allergy_reason": "GP"},
    )
    assert changed.status_code == 201 and changed.json()["number"] == 2
    listed = call(client, coordinator, url).json()
    assert [v["strength"] for v in listed[0]["versions"]] == ["10 mg", "5 mg"]
    assert CareRecordRead.objects.filter(user=coordinator, via="api").exists()


def test_a_carer_may_not_add_medicines(client, carer, visit, person):
    url = f"/api/cooperatives/cura/people/{person.pk}/medicines"
    refused = call(client, carer, url, as_json(prescription()))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


def test_a_carer_records_doses_then_checks_out(client, carer, checked_in, due_now):
    doses = f"/api/cooperatives/cura/visits/{checked_in.pk}/doses"
    listed = call(client, carer, doses).json()
    [due] = listed["due"]
    assert (due["name"], due["outcome"]) == ("Ramipril 5 mg", None)
    check_out = f"/api/cooperatives/cura/visits/{checked_in.pk}/check-out"
    body = {
        "client_id": str(uuid4()),
        "at": timezone.now().isoformat(),
        "steps": [{"step": "Wash", "done": True}],
    }
    refused = call(client, carer, check_out, body)
    assert (refused.status_code, refused.json()["code"]) == (400, "doses_unrecorded")
    no_reason = call(
        client,
        carer,
        doses,
        {"medicine_id": due_now.pk, "outcome": "other", "due_at": due["due_at"]},
    )
    assert no_reason.json()["code"] == "dose_reason_missing"
    recorded = call(
        client,
        carer,
        doses,
        {"medicine_id": due_now.pk, "outcome": "given", "due_at": due["due_at"]},
    )
    assert recorded.status_code == 201, recorded.json()
    assert call(client, carer, check_out, body).status_code == 201
    assert DoseRecord.objects.count() == 1


def test_the_chart_as_json(client, coordinator, checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    services.record_dose(checked_in, due_now, by=carer, outcome="given", due_at=due.due_at)
    day = timezone.localdate(checked_in.starts_at)
    chart = call(
        client,
        coordinator,
        f"/api/cooperatives/cura/people/{checked_in.person_id}/medication-chart"
        f"?year={day.year}&month={day.month}",
    )
    assert chart.status_code == 200
    [row] = chart.json()["rows"]
    assert row["cells"][day.day - 1] == "G"
