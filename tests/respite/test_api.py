from datetime import timedelta

from django.utils import timezone

from coopcare.care.models import ServiceType
from coopcare.respite.models import Caregiver, CaregiverRead, Enrolment
from tests import factories
from tests.respite.conftest import caregiver


def test_register_read_and_plan_through_the_api(client, coop, coordinator, person, carer, as_user):
    headers = as_user(coordinator)
    base = f"/api/cooperatives/{coop.slug}"
    body = {
        "full_name": "Lucia Bianchi",
        "cares_for_id": person.pk,
        "cares_for_whom": "Her mother",
        "hours_caring_a_week": 40,
        "consent_given_on": "2026-01-05",
        "since": "2026-01-05",
        "asks_group": True,
    }
    made = client.post(f"{base}/caregivers", body, content_type="application/json", **headers)
    assert made.status_code == 201
    found = Caregiver.objects.get(pk=made.json()["id"])
    plan = client.post(
        f"{base}/caregivers/{found.pk}/support-plans",
        {"valid_from": "2026-02-01", "goals": "Evenings off", "respite_hours_a_month": 12},
        content_type="application/json",
        **headers,
    )
    assert plan.status_code == 201 and plan.json()["version"] == 1
    visit = factories.visit(
        person, [carer], day=timezone.localdate(), service_type=ServiceType.SITTING
    )
    read = client.get(f"{base}/caregivers/{found.pk}", **headers).json()
    assert [v["id"] for v in read["respite_visits"]] == [visit.pk]
    assert CaregiverRead.objects.filter(caregiver=found, via="api").count() == 1
    assert [c["id"] for c in client.get(f"{base}/caregivers", **headers).json()] == [found.pk]
    assert CaregiverRead.objects.filter(caregiver=found, via="api").count() == 2


def test_bad_input_is_a_400_with_a_code_and_saves_nothing(client, coop, coordinator, as_user):
    headers = as_user(coordinator)
    base = f"/api/cooperatives/{coop.slug}"
    body = {
        "full_name": "Lucia Bianchi",
        "cares_for_whom": "Her mother",
        "hours_caring_a_week": 40,
        "consent_given_on": "2026-03-01",
        "since": "2026-01-05",
    }
    answer = client.post(f"{base}/caregivers", body, content_type="application/json", **headers)
    assert answer.status_code == 400
    assert answer.json()["code"] == "caregiver_consent_after_support"
    assert not Caregiver.objects.exists()


def test_gatherings_enrolment_and_attendance_through_the_api(client, coop, coordinator, as_user):
    headers = as_user(coordinator)
    base = f"/api/cooperatives/{coop.slug}"
    lucia = caregiver(coop)
    body = {
        "kind": "training",
        "topic": "Moving someone safely",
        "starts_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "minutes": 120,
        "online_link": "https://meet.example.org/training",
        "facilitator_id": coordinator.pk,
    }
    made = client.post(f"{base}/gatherings", body, content_type="application/json", **headers)
    assert made.status_code == 201
    gathering_id = made.json()["id"]
    enrolled = client.post(
        f"{base}/gatherings/{gathering_id}/enrolments",
        {"caregiver_id": lucia.pk},
        content_type="application/json",
        **headers,
    )
    assert enrolled.status_code == 201
    came = client.post(
        f"{base}/gatherings/{gathering_id}/attended",
        {"caregiver_ids": [lucia.pk]},
        content_type="application/json",
        **headers,
    )
    assert came.status_code == 200 and came.json()[0]["attended"] is True
    assert Enrolment.objects.get().attended is True
    listed = client.get(f"{base}/gatherings", **headers).json()
    assert listed[0]["enrolments"] == [
        {"gathering_id": gathering_id, "caregiver_id": lucia.pk, "attended": True}
    ]


def test_a_carer_may_not_plan_gatherings_nor_read_a_caregiver_they_do_not_relieve(
    client, coop, carer, as_user
):
    headers = as_user(carer)
    base = f"/api/cooperatives/{coop.slug}"
    found = caregiver(coop)
    assert client.get(f"{base}/gatherings", **headers).status_code == 403
    assert client.get(f"{base}/caregivers/{found.pk}", **headers).status_code == 404
