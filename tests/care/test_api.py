"""The care API: a coordinator admits, assesses and plans; a carer sees only whom they visit;
every read is logged; bad input gets a 400 with the rule that was broken."""

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.models import Assessment, CarePlan, CareRecordRead, PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit
from tests import factories
from tests.care.conftest import KATZ_ALL_INDEPENDENT, LAWTON_INDEPENDENT

BASE = "/api/cooperatives/cura/people"


def api(client, user):
    _token, raw = ApiToken.issue(user, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(path, body=None):
        if body is None:
            return client.get(BASE + path, **auth)
        return client.post(BASE + path, body, content_type="application/json", **auth)

    return call


@pytest.fixture
def coordinator_api(client, coordinator):
    return api(client, coordinator)


def test_admit_assess_plan_and_export(coordinator_api, coordinator):
    today = timezone.localdate()
    created = coordinator_api(
        "",
        {
            "full_name": "Luca Ferri",
            "address": "Via Mascarella 5",
            "city": "Bologna",
            "latitude": "44.4991",
            "longitude": "11.3502",
            "status": "active",
            "on": today.isoformat(),
        },
    )
    assert created.status_code == 201, created.json()
    person_id = created.json()["id"]
    assert PersonCaredFor.objects.get().confirmation_code.isdigit()

    assessed = coordinator_api(
        f"/{person_id}/assessments",
        {
            "domain": "physical",
            "on": today.isoformat(),
            "scale": "katz_adl",
            "items": KATZ_ALL_INDEPENDENT | {"transferring": "dependent"},
        },
    )
    assert assessed.status_code == 201, assessed.json()
    assert assessed.json()["score"] == 5

    planned = coordinator_api(
        f"/{person_id}/plans",
        {
            "valid_from": today.isoformat(),
            "goals": "Wash and dress independently again",
            "tasks": [
                {
                    "title": "Morning care",
                    "steps": "Wash\nDress",
                    "rrule": "FREQ=DAILY",
                    "start_time": "08:30",
                    "duration_minutes": 45,
                }
            ],
        },
    )
    assert planned.status_code == 201, planned.json()
    assert planned.json()["tasks"][0]["steps"] == "Wash\nDress"
    assert Visit.objects.filter(person_id=person_id).count() == 28

    exported = coordinator_api(f"/{person_id}/export").json()
    assert exported["person"]["full_name"] == "Luca Ferri"
    assert len(exported["assessments"]) == 1
    reads = CareRecordRead.objects.filter(user=coordinator, via="api")
    assert list(reads.values_list("record", flat=True)) == ["export"]


def test_bad_plan_is_400_and_writes_nothing(coordinator_api, coop):
    person = factories.person_cared_for(coop)
    response = coordinator_api(
        f"/{person.pk}/plans",
        {
            "valid_from": "2026-12-01",
            "goals": "x",
            "tasks": [
                {
                    "title": "Lunch",
                    "rrule": "FREQ=SECONDLY",
                    "start_time": "12:00",
                    "duration_minutes": 30,
                }
            ],
        },
    )
    assert response.status_code == 400
    assert "daily, weekly or monthly" in response.json()["detail"]
    assert not CarePlan.objects.exists()


def test_unknown_scale_is_400(coordinator_api, coop):
    person = factories.person_cared_for(coop)
    response = coordinator_api(
        f"/{person.pk}/assessments", {"domain": "physical", "on": "2026-11-01", "scale": "bogus"}
    )
    assert response.status_code == 400
    assert not person.assessments.exists()


def test_carer_reaches_a_person_only_around_their_visits(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    visited, other = factories.person_cared_for(coop), factories.person_cared_for(coop)
    # A visit today at 9:00 is within 24 hours of any moment of today.
    factories.visit(visited, [carer], day=timezone.localdate())
    call = api(client, carer)
    assert [p["id"] for p in call("").json()] == [visited.pk]
    assert call(f"/{visited.pk}").status_code == 200
    assert call(f"/{other.pk}").status_code == 404
    # writing is for coordinators
    assert (
        call(
            f"/{visited.pk}/assessments", {"domain": "social", "on": "2026-11-01", "notes": "x"}
        ).status_code
        == 403
    )


def test_an_incomplete_assessment_is_400_with_a_code_and_writes_nothing(coordinator_api, coop):
    """Lawton & Brody (1969) total the eight domains; a domain left out is unknown, not 0.
    Before, this one (finances left out) was recorded with a score of 7."""
    person = factories.person_cared_for(coop)
    items = {k: v for k, v in LAWTON_INDEPENDENT.items() if k != "finances"}
    response = coordinator_api(
        f"/{person.pk}/assessments",
        {"domain": "physical", "on": "2026-11-01", "scale": "lawton_iadl", "items": items},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete_assessment"
    assert "Handling finances (finances)" in body["detail"]
    assert body["errors"] == [body["detail"]]
    assert not person.assessments.exists()


def test_scales_and_their_answers_are_listed_for_clients(client, coordinator):
    _token, raw = ApiToken.issue(coordinator, "test")
    response = client.get(
        "/api/cooperatives/cura/assessment-scales", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    scales = {s["key"]: s for s in response.json()}
    assert scales["katz_adl"]["max_score"] == 6
    [shopping] = [i for i in scales["lawton_iadl"]["items"] if i["key"] == "shopping"]
    assert [(o["key"], o["points"]) for o in shopping["options"]] == [
        ("independently", 1),
        ("small_purchases", 0),
        ("accompanied", 0),
        ("unable", 0),
    ]


def test_an_older_incomplete_assessment_is_listed_without_a_score(coordinator_api, coop):
    """Recorded before every item was required: it is kept, but shown with no total."""
    person = factories.person_cared_for(coop)
    Assessment.objects.create(
        person=person,
        on="2026-01-10",
        assessor=factories.UserFactory(),
        domain="physical",
        scale="katz_adl",
        items={"bathing": "independent", "feeding": "independent"},
        score=None,
    )
    [listed] = coordinator_api(f"/{person.pk}/assessments").json()
    assert listed["score"] is None
    assert listed["unanswered_items"] == ["dressing", "toileting", "transferring", "continence"]


def test_a_broken_rule_answers_its_own_code(coordinator_api, coop):
    person = factories.person_cared_for(coop)
    body = {"status": person.status, "on": str(timezone.localdate())}
    response = coordinator_api(f"/{person.pk}/status", body)
    assert response.status_code == 400
    assert response.json()["code"] == "status_unchanged"
    consent = {"kind": "location", "given_by": "the person", "on": str(timezone.localdate())}
    assert coordinator_api(f"/{person.pk}/consents", consent).status_code == 201
    response = coordinator_api(f"/{person.pk}/consents", consent)
    assert (response.status_code, response.json()["code"]) == (400, "consent_already_given")
    plan = {
        "valid_from": "2026-12-01",
        "goals": "x",
        "tasks": [
            {
                "title": "Lunch",
                "rrule": "FREQ=SECONDLY",
                "start_time": "12:00",
                "duration_minutes": 30,
            }
        ],
    }
    response = coordinator_api(f"/{person.pk}/plans", plan)
    assert (response.status_code, response.json()["code"]) == (400, "repeat_frequency_not_allowed")
    assert response.json()["detail"].startswith("Task “Lunch”: ")


def test_a_task_has_a_service_type_for_billing_personal_care_unless_given(coordinator_api, coop):
    person = factories.person_cared_for(coop)
    tasks = [
        {"title": "Wash", "rrule": "FREQ=DAILY", "start_time": "08:30", "duration_minutes": 45},
        {
            "title": "Clean the kitchen",
            "rrule": "FREQ=WEEKLY",
            "start_time": "10:00",
            "duration_minutes": 60,
            "service_type": "domestic_help",
        },
    ]
    planned = coordinator_api(
        f"/{person.pk}/plans", {"valid_from": "2026-12-01", "goals": "x", "tasks": tasks}
    )
    assert planned.status_code == 201, planned.json()
    assert [t["service_type"] for t in planned.json()["tasks"]] == [
        "personal_care",
        "domestic_help",
    ]
    wrong = coordinator_api(
        f"/{person.pk}/plans",
        {"valid_from": "2026-12-02", "goals": "x", "tasks": [tasks[0] | {"service_type": "x"}]},
    )
    assert wrong.status_code == 422
    assert CarePlan.objects.filter(person=person).count() == 1
