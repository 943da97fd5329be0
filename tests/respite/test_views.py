from datetime import date, datetime

from django.utils import timezone

from coopcare.respite.models import Caregiver, Enrolment, Gathering, SupportPlan
from tests import factories
from tests.respite.conftest import caregiver


def test_a_coordinator_registers_a_caregiver_and_writes_their_plan(
    client, coop, coordinator, person
):
    factories.log_in(client, coordinator)
    form = {
        "full_name": "Lucia Bianchi",
        "cares_for": person.pk,
        "cares_for_whom": "Her mother",
        "hours_caring_a_week": 40,
        "asks_respite": "on",
        "consent_given_on": "2026-01-05",
        "since": "2026-01-05",
    }
    response = client.post(f"/c/{coop.slug}/caregivers/new/", form)
    found = Caregiver.objects.get()
    assert response.status_code == 302 and found.cares_for == person and found.asks_respite
    response = client.post(
        f"/c/{coop.slug}/caregivers/{found.pk}/plans/",
        {
            "plan-valid_from": "2026-02-01",
            "plan-goals": "Two afternoons off",
            "plan-respite_hours_a_month": 24,
        },
    )
    assert response.status_code == 302
    assert SupportPlan.objects.get().respite_hours_a_month == 24
    page = client.get(f"/c/{coop.slug}/caregivers/{found.pk}/")
    assert "Two afternoons off" in page.content.decode()


def test_bad_input_saves_nothing_and_says_why(client, coop, coordinator):
    factories.log_in(client, coordinator)
    form = {
        "full_name": "Lucia Bianchi",
        "cares_for_whom": "Her mother",
        "hours_caring_a_week": 40,
        "consent_given_on": "2026-03-01",
        "since": "2026-01-05",
    }
    response = client.post(f"/c/{coop.slug}/caregivers/new/", form)
    assert response.status_code == 400
    assert "consent is given before" in response.content.decode()
    assert not Caregiver.objects.exists()


def test_a_coordinator_plans_a_group_enrols_and_records_who_came(client, coop, coordinator):
    factories.log_in(client, coordinator)
    lucia = caregiver(coop)
    response = client.post(
        f"/c/{coop.slug}/caregivers/gatherings/",
        {
            "kind": "group",
            "topic": "Living with dementia",
            "starts_at": "2026-11-12T17:00",
            "minutes": 90,
            "place": "Casa del Quartiere",
            "facilitator": coordinator.pk,
        },
    )
    assert response.status_code == 302
    meeting = Gathering.objects.get()
    assert meeting.starts_at == timezone.make_aware(datetime(2026, 11, 12, 17, 0))
    url = f"/c/{coop.slug}/caregivers/gatherings/{meeting.pk}/"
    assert client.post(url + "enrol/", {"enrol-caregiver": lucia.pk}).status_code == 302
    assert client.post(url + "attendance/", {"attendance-came": [lucia.pk]}).status_code == 302
    assert Enrolment.objects.get().attended is True
    assert lucia.full_name in client.get(url).content.decode()


def test_ending_support_from_the_page(client, coop, coordinator):
    factories.log_in(client, coordinator)
    found = caregiver(coop)
    response = client.post(
        f"/c/{coop.slug}/caregivers/{found.pk}/end/",
        {"end-on": "2026-06-30", "end-consent_withdrawn": "on"},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.ended_on == found.consent_withdrawn_on == date(2026, 6, 30)
