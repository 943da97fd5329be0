"""The body map through the API: list with follow-ups (a logged read), add a mark (raising an
incident), follow up; refusals as JSON with their codes, saving nothing."""

from django.utils import timezone

from coopcare.bodymap import services
from coopcare.bodymap.models import FollowUp, Mark
from coopcare.care.export import person_data
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Incident
from tests import factories
from tests.bodymap.conftest import circle_member, heel_ulcer


def marks_url(person):
    return f"/api/cooperatives/cura/people/{person.pk}/body-marks"


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_the_list_gives_every_mark_with_its_follow_ups_and_is_logged(
    client, person, coordinator, as_user
):
    mark = heel_ulcer(person, coordinator)
    services.follow_up(mark, by=coordinator, status="improving", notes="Paler today.")
    response = client.get(marks_url(person), **as_user(coordinator))
    assert response.status_code == 200
    [listed] = response.json()
    assert (listed["number"], listed["region"], listed["category"]) == (1, "left_heel", "1")
    assert listed["incident_id"] == mark.incident_id
    assert listed["healed"] is False
    assert [f["status"] for f in listed["follow_ups"]] == ["improving"]
    assert CareRecordRead.objects.filter(person=person, record="body map", via="api").count() == 1


def test_a_carer_on_a_visit_adds_a_mark_which_raises_an_incident(
    client, person, carer, today_visit, as_user
):
    body = {
        "side": "front",
        "region": "left_forearm",
        "kind": "bruise",
        "x": 158,
        "y": 207,
        "length_cm": "3.0",
        "width_cm": "2.0",
        "description": "Bluish bruise.",
        "visit_id": today_visit.pk,
    }
    response = post(client, marks_url(person), body, as_user(carer))
    assert response.status_code == 201, response.content
    mark = Mark.objects.get()
    assert response.json()["id"] == mark.pk
    assert (mark.visit, mark.incident.visit, mark.incident.severity) == (
        today_visit,
        today_visit,
        "medium",
    )


def test_a_mark_off_the_body_is_a_400_with_its_code(client, person, coordinator, as_user):
    body = {"side": "back", "region": "sacrum", "kind": "wound", "x": 5, "y": 5, "description": "x"}
    response = post(client, marks_url(person), body, as_user(coordinator))
    assert response.status_code == 400
    assert response.json()["code"] == "mark_off_body"
    assert "detail" in response.json()
    assert not Mark.objects.exists() and not Incident.objects.exists()


def test_a_point_outside_the_drawing_is_a_422(client, person, coordinator, as_user):
    body = {
        "side": "back",
        "region": "sacrum",
        "kind": "wound",
        "x": 900,
        "y": 5,
        "description": "x",
    }
    response = post(client, marks_url(person), body, as_user(coordinator))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_a_carer_without_a_visit_and_a_circle_member_may_not_add(
    client, coop, person, carer, as_user
):
    body = {"side": "front", "region": "chest", "kind": "rash", "description": "Red rash."}
    assert post(client, marks_url(person), body, as_user(carer)).status_code == 404
    relative = factories.user_with_role(coop, Role.CIRCLE)
    circle_member(person, relative, may_see_care_plan=True)
    assert client.get(marks_url(person), **as_user(relative)).status_code == 200
    refused = post(client, marks_url(person), body, as_user(relative))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert not Mark.objects.exists()


def test_a_follow_up_and_its_refusal(client, person, coordinator, as_user):
    mark = heel_ulcer(person, coordinator)
    url = f"/api/cooperatives/cura/body-marks/{mark.pk}/follow-ups"
    refused = post(client, url, {"status": "same", "length_cm": "1.0"}, as_user(coordinator))
    assert refused.status_code == 400
    assert refused.json()["code"] == "size_incomplete"
    assert not FollowUp.objects.exists()
    response = post(client, url, {"status": "healed", "notes": "Gone."}, as_user(coordinator))
    assert response.status_code == 201
    assert response.json()["status"] == "healed"
    listed = client.get(marks_url(person), **as_user(coordinator)).json()
    assert listed[0]["healed"] is True


def test_the_persons_data_export_holds_the_marks_and_follow_ups(person, coordinator):
    mark = heel_ulcer(person, coordinator, at=timezone.now())
    services.follow_up(mark, by=coordinator, status="same")
    [exported] = person_data(person)["body_marks"]
    assert (exported["number"], exported["region"], exported["kind"]) == (
        1,
        "left_heel",
        "pressure_ulcer",
    )
    assert exported["recorded_by"] == coordinator.get_full_name()
    assert [f["status"] for f in exported["follow_ups"]] == ["same"]
