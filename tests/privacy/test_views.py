import json
from datetime import timedelta

from django.utils import timezone

from coopcare.accounts.names import display_name
from coopcare.care.access import log_read
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.privacy import services
from coopcare.privacy.models import PersonalDataBreach, RightsRequest
from tests import factories


def test_a_coordinator_records_answers_and_exports_an_access_request(
    client, coop, coordinator, person, carer
):
    log_read(carer, person, "record")
    factories.log_in(client, coordinator)
    base = f"/c/{coop.slug}/privacy/requests/"
    response = client.post(
        base + "new/",
        {
            "kind": "access",
            "person": person.pk,
            "requester_name": "Giulia Neri",
            "received_on": timezone.localdate().isoformat(),
            "details": "Everything you hold on me.",
        },
    )
    made = RightsRequest.objects.get()
    assert response.status_code == 302 and made.person == person
    page = client.get(f"{base}{made.pk}/")
    assert page.status_code == 200 and "Giulia Neri" in page.content.decode()
    exported = client.get(f"{base}{made.pk}/export.json")
    data = json.loads(exported.content)
    assert data["rights_request"]["kind"] == "access"
    assert [r["by"] for r in data["person_cared_for"]["record_reads"]][-1] == display_name(carer)
    assert CareRecordRead.objects.filter(record="rights request export", user=coordinator).exists()
    client.post(f"{base}{made.pk}/answer/", {"answer": "Sent by post."})
    made.refresh_from_db()
    assert made.status == "answered"
    assert "Sent by post." in client.get(f"{base}{made.pk}/").content.decode()


def test_a_bad_request_is_shown_on_the_form_and_saves_nothing(client, coop, coordinator, person):
    factories.log_in(client, coordinator)
    response = client.post(
        f"/c/{coop.slug}/privacy/requests/new/",
        {"kind": "access", "requester_name": "X", "received_on": "2026-11-02"},
    )
    assert response.status_code == 400
    assert "Choose one person" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_the_board_reads_requests_but_does_not_answer(
    client, coop, board_user, coordinator, person
):
    made = services.receive_request(
        coop,
        kind="objection",
        by=coordinator,
        requester_name="G",
        received_on=timezone.localdate(),
        person=person,
    )
    factories.log_in(client, board_user)
    assert client.get(f"/c/{coop.slug}/privacy/requests/{made.pk}/").status_code == 200
    answer = client.post(f"/c/{coop.slug}/privacy/requests/{made.pk}/answer/", {"answer": "x"})
    assert answer.status_code == 403


def test_the_circle_sees_who_read_and_makes_a_request(client, coop, person, family, carer):
    log_read(carer, person, "record")
    factories.log_in(client, family)
    url = f"/c/{coop.slug}/privacy/circle/{person.pk}/"
    page = client.get(url).content.decode()
    assert "Marta Bianchi" in page and carer.username not in page
    assert (
        client.post(url, {"kind": "rectification", "details": "Wrong birthday"}).status_code == 302
    )
    made = RightsRequest.objects.get()
    assert (made.person, made.requester_name, made.requested_by) == (person, "Anna Neri", family)
    care_page = client.get(f"/c/{coop.slug}/circle/{person.pk}/").content.decode()
    assert url in care_page


def test_the_circle_without_the_care_plan_sees_no_history(client, coop, person, today):
    from coopcare.care import services as care_services

    friend = factories.user_with_role(coop, Role.CIRCLE)
    care_services.add_to_circle(
        person,
        user=friend,
        full_name="F",
        relationship="friend",
        may_see_visits=True,
        granted_by="Giulia",
        granted_on=today,
    )
    factories.log_in(client, friend)
    assert client.get(f"/c/{coop.slug}/privacy/circle/{person.pk}/").status_code == 404


def test_the_person_page_shows_the_history_to_a_coordinator(client, coop, coordinator, person):
    factories.log_in(client, coordinator)
    assert (
        f"/privacy/people/{person.pk}/"
        in client.get(f"/c/{coop.slug}/people/{person.pk}/").content.decode()
    )
    page = client.get(f"/c/{coop.slug}/privacy/people/{person.pk}/")
    assert page.status_code == 200
    # Opening the record and then its history are both logged.
    assert list(CareRecordRead.objects.order_by("pk").values_list("record", flat=True)) == [
        "record",
        "read log",
    ]


def test_the_records_of_processing_download(client, coop, board_user):
    factories.log_in(client, board_user)
    page = client.get(f"/c/{coop.slug}/privacy/processing/")
    assert "Care records of the people cared for" in page.content.decode()
    csv = client.get(f"/c/{coop.slug}/privacy/processing.csv")
    assert csv["Content-Type"].startswith("text/csv")
    rows = json.loads(client.get(f"/c/{coop.slug}/privacy/processing.json").content)
    assert any(r["retention"] == "payslips" for r in rows)


def test_a_breach_is_recorded_and_its_clock_shown(client, coop, coordinator):
    factories.log_in(client, coordinator)
    aware = timezone.localtime() - timedelta(hours=80)
    response = client.post(
        f"/c/{coop.slug}/privacy/breaches/new/",
        {
            "aware_at": aware.strftime("%Y-%m-%dT%H:%M"),
            "nature": "An email sent to the wrong family.",
            "people_categories": "people cared for",
            "people_count": 1,
            "record_categories": "care plan",
            "record_count": 1,
            "consequences": "The care plan seen by another family.",
            "measures": "Asked them to delete it.",
        },
    )
    breach = PersonalDataBreach.objects.get()
    assert response.status_code == 302
    assert "not notified" in client.get(f"/c/{coop.slug}/privacy/breaches/").content.decode()
    late = client.post(
        f"/c/{coop.slug}/privacy/breaches/{breach.pk}/authority/",
        {"notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert late.status_code == 400 and "reasons for the delay" in late.content.decode()


def test_the_unusual_reads_page(client, coop, coordinator):
    factories.log_in(client, coordinator)
    assert client.get(f"/c/{coop.slug}/privacy/unusual-reads/?month=2026-11").status_code == 200
    assert client.get(f"/c/{coop.slug}/privacy/unusual-reads/?month=nonsense").status_code == 200
