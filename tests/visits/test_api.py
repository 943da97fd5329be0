"""The offline-tolerant check-in API: retries never duplicate, late uploads are flagged, bad
input gets a 4xx with a JSON body and writes nothing."""

import json
from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import Incident, VisitRecord
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER)


@pytest.fixture
def visit(coop, carer):
    """A visit that began an hour ago."""
    began = timezone.localtime() - timedelta(hours=1)
    person = factories.person_cared_for(coop)
    return factories.visit(
        person,
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps="Wash\nDress",
    )


def call(client, user, path, body=None):
    _token, raw = ApiToken.issue(user, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is None:
        return client.get(path, **auth)
    return client.post(path, body, content_type="application/json", **auth)


def url(visit, what):
    return f"/api/cooperatives/{visit.cooperative.slug}/visits/{visit.pk}/{what}"


def test_carer_lists_todays_visits_with_steps(client, visit, carer):
    response = call(
        client, carer, f"/api/cooperatives/cura/visits?day={timezone.localdate(visit.starts_at)}"
    )
    assert response.status_code == 200
    [listed] = response.json()
    assert listed["steps"] == ["Wash", "Dress"]
    assert listed["carer_ids"] == [carer.pk]


def test_check_in_retried_after_a_lost_answer_is_one_record(client, visit, carer):
    body = {"client_id": str(uuid4()), "at": (visit.starts_at + timedelta(minutes=2)).isoformat()}
    first = call(client, carer, url(visit, "check-in"), body)
    again = call(client, carer, url(visit, "check-in"), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["record"]["id"] == again.json()["record"]["id"]
    assert VisitRecord.objects.count() == 1


def test_a_late_upload_is_accepted_and_flagged(client, visit, carer):
    body = {"client_id": str(uuid4()), "at": visit.starts_at.isoformat()}
    response = call(client, carer, url(visit, "check-in"), body)
    assert response.status_code == 201
    assert response.json()["record"]["uploaded_late"] is True


def test_full_visit_through_the_api_carries_the_evv_items(client, visit, carer):
    now = timezone.now()
    call(client, carer, url(visit, "check-in"), {"client_id": str(uuid4()), "at": now.isoformat()})
    body = {
        "client_id": str(uuid4()),
        "at": (now + timedelta(seconds=30)).isoformat(),
        "steps": [
            {"step": "Wash", "done": True},
            {"step": "Dress", "done": False, "reason": "Wanted to stay in pyjamas"},
        ],
        "notes": "Tired today",
        "tapped": True,
    }
    response = call(client, carer, url(visit, "check-out"), body)
    assert response.status_code == 201, response.json()
    record = response.json()["record"]
    assert record["uploaded_late"] is False
    assert record["verified_how"] == "tap"
    assert record["evv"]["type_of_service"] == "Morning care"
    assert record["evv"]["end"] is not None
    assert record["outcomes"][1] == {
        "step": "Dress",
        "done": False,
        "reason": "Wanted to stay in pyjamas",
    }


@pytest.mark.parametrize(
    "check_out, message",
    [
        ({"at_minutes": -10}, "after check-in"),
        ({"steps": [{"step": "Hoover", "done": True}]}, "Not a step"),
        ({"at_minutes": 60 * 24}, "future"),
    ],
)
def test_bad_check_out_is_400_with_a_reason_and_writes_nothing(
    client, visit, carer, check_out, message
):
    at = visit.starts_at + timedelta(minutes=5)
    call(client, carer, url(visit, "check-in"), {"client_id": str(uuid4()), "at": at.isoformat()})
    body = {
        "client_id": str(uuid4()),
        "at": (at + timedelta(minutes=check_out.get("at_minutes", 30))).isoformat(),
        "steps": check_out.get("steps", [{"step": "Wash", "done": True}]),
    }
    response = call(client, carer, url(visit, "check-out"), body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    record = VisitRecord.objects.get()
    assert record.checked_out_at is None and not record.outcomes.exists()


def test_malformed_upload_is_422_with_json(client, visit, carer):
    response = call(client, carer, url(visit, "check-in"), {"client_id": "nope", "at": "x"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_another_carers_visit_is_404(client, coop, visit):
    other = factories.user_with_role(coop, Role.CARER)
    body = {"client_id": str(uuid4()), "at": timezone.now().isoformat()}
    assert call(client, other, url(visit, "check-in"), body).status_code == 404
    assert not VisitRecord.objects.exists()


def test_coordinator_sees_records_and_confirms_by_phone(client, visit, carer, coordinator):
    record = factories.recorded_visit(
        visit, carer, steps=[{"step": "Wash", "done": True}, {"step": "Dress", "done": True}]
    )
    listed = call(client, coordinator, url(visit, "records")).json()
    assert [r["id"] for r in listed] == [record.pk]
    path = f"/api/cooperatives/cura/records/{record.pk}/phone-confirmation"
    response = call(client, coordinator, path, {})
    assert response.status_code == 200
    assert response.json()["verified_how"] == "phone"
    assert call(client, coordinator, path, {}).status_code == 400


def test_carer_reports_an_incident(client, visit, carer, coordinator):
    body = {
        "occurred_at": timezone.now().isoformat(),
        "kind": "fall",
        "severity": "high",
        "description": "Fell in the bathroom",
    }
    assert call(client, carer, url(visit, "incidents"), body).status_code == 201
    listed = call(client, coordinator, "/api/cooperatives/cura/incidents").json()
    assert listed[0]["description"] == "Fell in the bathroom"
    assert Incident.objects.get().reported_by == carer
    # incidents are a coordinator's list; a carer is refused
    assert call(client, carer, "/api/cooperatives/cura/incidents").status_code == 403


def test_listing_incidents_logs_a_care_record_read_for_each_person(
    client, visit, carer, coordinator
):
    body = {
        "occurred_at": timezone.now().isoformat(),
        "kind": "fall",
        "severity": "high",
        "description": "Fell in the bathroom",
    }
    call(client, carer, url(visit, "incidents"), body)
    call(client, carer, url(visit, "incidents"), body | {"kind": "other"})
    closed = services.report_incident(
        None,
        coordinator,
        person=factories.person_cared_for(visit.cooperative),
        occurred_at=timezone.now(),
        kind="fall",
        severity="low",
        description="Slipped",
    )
    services.close_incident(closed, date.today(), "Seen by the nurse")
    assert len(call(client, coordinator, "/api/cooperatives/cura/incidents").json()) == 2
    reads = CareRecordRead.objects.filter(user=coordinator, record="incidents", via="api")
    # One read of the one person whose open incidents were listed, not one per incident.
    assert [r.person for r in reads] == [visit.person]
    every = call(client, coordinator, "/api/cooperatives/cura/incidents?open_only=false")
    assert len(every.json()) == 3
    assert reads.all().count() == 3


def test_an_incident_sent_again_with_its_client_id_is_reported_once(client, visit, carer):
    """A phone out of signal sends the incident when the signal returns, and again if the
    answer was lost: the second sending answers the incident already reported."""
    body = {
        "client_id": str(uuid4()),
        "occurred_at": (visit.starts_at + timedelta(minutes=20)).isoformat(),
        "kind": "fall",
        "severity": "medium",
        "description": "Slipped getting out of the shower",
    }
    first = call(client, carer, url(visit, "incidents"), body)
    again = call(client, carer, url(visit, "incidents"), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    incident = Incident.objects.get()
    assert str(incident.client_id) == body["client_id"]
    assert incident.description == "Slipped getting out of the shower"


def test_an_incident_client_id_used_on_another_visit_is_refused(client, coop, visit, carer):
    other = factories.visit(
        factories.person_cared_for(coop), [carer], day=timezone.localdate(visit.starts_at)
    )
    body = {
        "client_id": str(uuid4()),
        "occurred_at": (visit.starts_at + timedelta(minutes=20)).isoformat(),
        "kind": "other",
        "severity": "low",
        "description": "The door lock sticks",
    }
    assert call(client, carer, url(visit, "incidents"), body).status_code == 201
    refused = call(client, carer, url(other, "incidents"), body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "upload_id_reused"
    assert Incident.objects.filter(visit=other).count() == 0


def test_incidents_without_a_client_id_are_each_reported(client, visit, carer):
    body = {
        "occurred_at": (visit.starts_at + timedelta(minutes=20)).isoformat(),
        "kind": "property",
        "severity": "low",
        "description": "A cup broke",
    }
    assert call(client, carer, url(visit, "incidents"), body).status_code == 201
    assert call(client, carer, url(visit, "incidents"), body).status_code == 201
    assert Incident.objects.filter(visit=visit).count() == 2


def test_a_check_out_sent_again_records_its_steps_and_notes_once(client, visit, carer):
    """Steps and notes travel with the check-out and its client id: a resend adds no step
    outcome and changes no note."""
    check_in = {
        "client_id": str(uuid4()),
        "at": (visit.starts_at + timedelta(minutes=2)).isoformat(),
    }
    assert call(client, carer, url(visit, "check-in"), check_in).status_code == 201
    body = {
        "client_id": str(uuid4()),
        "at": (visit.starts_at + timedelta(minutes=40)).isoformat(),
        "steps": [{"step": "Wash", "done": True}, {"step": "Dress", "done": True}],
        "notes": "Ate all her breakfast.",
    }
    assert call(client, carer, url(visit, "check-out"), body).status_code == 201
    resent = call(client, carer, url(visit, "check-out"), {**body, "notes": "changed"})
    assert resent.status_code == 200
    record = VisitRecord.objects.get(visit=visit)
    assert record.notes == "Ate all her breakfast."
    assert record.outcomes.count() == 2


def _checked_out(coop, carer, name):
    person = factories.person_cared_for(coop, full_name=name)
    return factories.recorded_visit(factories.visit(person, [carer]), carer)


CONFIRM_MANY = "/api/cooperatives/cura/records/phone-confirmations"


def test_a_coordinator_confirms_several_visits_by_phone_at_once(client, coop, carer, coordinator):
    records = [_checked_out(coop, carer, name) for name in ("Ada Neri", "Bice Galli")]
    response = call(client, coordinator, CONFIRM_MANY, {"record_ids": [r.pk for r in records]})
    assert response.status_code == 200
    assert sorted(r["id"] for r in response.json()) == sorted(r.pk for r in records)
    assert {r.verified_how for r in VisitRecord.objects.all()} == {"phone"}
    assert {r.verified_by for r in VisitRecord.objects.all()} == {coordinator}


def test_confirming_visits_by_phone_is_all_or_none(client, coop, carer, coordinator):
    done, open_ = [_checked_out(coop, carer, name) for name in ("Ada Neri", "Bice Galli")]
    call(client, coordinator, f"/api/cooperatives/cura/records/{done.pk}/phone-confirmation", {})
    refused = call(client, coordinator, CONFIRM_MANY, {"record_ids": [done.pk, open_.pk]})
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "not_confirmable"
    assert "Ada Neri" in body["detail"] and "already verified" in body["detail"]
    open_.refresh_from_db()
    assert open_.verified_how == ""
    empty = call(client, coordinator, CONFIRM_MANY, {"record_ids": []})
    assert (empty.status_code, empty.json()["code"]) == (422, "invalid_request")


def test_visits_of_another_cooperative_are_not_confirmed(client, coop, carer, coordinator):
    other = factories.CooperativeFactory(name="Altra", slug="altra")
    their_carer = factories.user_with_role(other, Role.CARER)
    theirs = _checked_out(other, their_carer, "Elsa Ricci")
    mine = _checked_out(coop, carer, "Ada Neri")
    response = call(client, coordinator, CONFIRM_MANY, {"record_ids": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert not VisitRecord.objects.exclude(verified_how="").exists()
    # Carers do not verify visits.
    assert call(client, carer, CONFIRM_MANY, {"record_ids": [mine.pk]}).status_code == 403


def test_verification_data_carry_the_local_date_of_a_visit_after_midnight(
    client, coordinator, after_midnight
):
    """US 21st Century Cures Act §12006: the date of service is one of the six verification
    items. A visit at 00:30 on 20 November in Rome (23:30 UTC on the 19th) is dated the 20th in
    the visit's records and in the person's data export, through the API and the web page."""
    record = after_midnight(date(2026, 11, 20))
    listed = call(client, coordinator, url(record.visit, "records")).json()
    assert listed[0]["evv"]["date"] == "2026-11-20"
    assert listed[0]["evv"]["start"] == "2026-11-20T00:30:00+01:00"  # 23:30 UTC, on Rome's clock
    person = f"/api/cooperatives/cura/people/{record.person_id}/export"
    data = call(client, coordinator, person).json()
    assert data["visit_records"][0]["date"] == "2026-11-20"
    assert data["visits"][0]["starts_at"] == "2026-11-20T00:30:00+01:00"
    factories.log_in(client, coordinator)
    page = client.get(f"/c/cura/people/{record.person_id}/export.json")
    assert json.loads(page.content)["visit_records"][0]["date"] == "2026-11-20"


def test_a_broken_rule_answers_its_own_code(client, visit, carer):
    """A phone tells "already checked in" from any other refusal by the code."""
    at = visit.starts_at + timedelta(minutes=5)
    first = {"client_id": str(uuid4()), "at": at.isoformat()}
    assert call(client, carer, url(visit, "check-in"), first).status_code == 201
    again = {"client_id": str(uuid4()), "at": (at + timedelta(minutes=1)).isoformat()}
    response = call(client, carer, url(visit, "check-in"), again)
    assert (response.status_code, response.json()["code"]) == (400, "already_checked_in")
    reused = {"client_id": first["client_id"], "at": at.isoformat()}
    someone_else = factories.person_cared_for(visit.cooperative)
    other = factories.visit(someone_else, [carer], day=timezone.localdate(at))
    response = call(client, carer, url(other, "check-in"), reused)
    assert (response.status_code, response.json()["code"]) == (400, "upload_id_reused")
    early = {
        "client_id": str(uuid4()),
        "at": (at - timedelta(minutes=1)).isoformat(),
        "steps": [{"step": "Wash", "done": True}, {"step": "Dress", "done": True}],
    }
    response = call(client, carer, url(visit, "check-out"), early)
    assert (response.status_code, response.json()["code"]) == (400, "check_out_before_check_in")
    assert VisitRecord.objects.count() == 1
