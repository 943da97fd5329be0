"""The risks API: assessments, goals, reviews and the reviews due, with the pages' access and
read log, and refusals with their codes."""

from datetime import date, timedelta

from django.utils import timezone

from coopcare.care.models import CareRecordRead
from coopcare.risks.models import RiskAssessment
from tests import factories
from tests.risks.conftest import FALLS_LOW, handling

BASE = "/api/cooperatives/cura"


def test_assess_list_and_read_log(client, as_user, coordinator, served, carer):
    today = timezone.localdate()
    created = client.post(
        f"{BASE}/people/{served.pk}/risk-assessments",
        {
            "kind": "nutrition",
            "scale": "must",
            "assessed_on": today.isoformat(),
            "answers": {"bmi": "18_5_to_20", "weight_loss": "5_to_10", "acute_disease": "no"},
        },
        content_type="application/json",
        **as_user(coordinator),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["version"], body["total"], body["band"]) == (1, 2, "high")
    assert body["assessor_id"] == coordinator.pk

    listed = client.get(f"{BASE}/people/{served.pk}/risk-assessments", **as_user(carer))
    assert [a["scale"] for a in listed.json()] == ["must"]
    assert CareRecordRead.objects.filter(person=served, user=carer, via="api").exists()


def test_bad_input_is_400_with_its_code_and_saves_nothing(client, as_user, coordinator, person):
    today = timezone.localdate()
    refused = client.post(
        f"{BASE}/people/{person.pk}/risk-assessments",
        {
            "kind": "falls",
            "scale": "steadi_frq",
            "assessed_on": today.isoformat(),
            "answers": FALLS_LOW,
            "next_review_on": (today - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
        **as_user(coordinator),
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "review_date_in_past"
    assert not RiskAssessment.objects.exists()


def test_carer_cannot_assess_and_others_cannot_read(client, as_user, coop, person, carer):
    assert (
        client.get(f"{BASE}/people/{person.pk}/risk-assessments", **as_user(carer)).status_code
        == 404
    )
    factories.visit(person, [carer], day=timezone.localdate())
    refused = client.post(
        f"{BASE}/people/{person.pk}/goals",
        {"words": "x", "set_on": "2026-03-01"},
        content_type="application/json",
        **as_user(carer),
    )
    assert refused.status_code == 403


def test_goals_reviews_and_due(client, as_user, coordinator, person):
    auth = as_user(coordinator)
    today = timezone.localdate()
    factories.care_plan(person, valid_from=date(2025, 1, 6))
    goal = client.post(
        f"{BASE}/people/{person.pk}/goals",
        {"words": "Cook my own lunch", "set_on": today.isoformat()},
        content_type="application/json",
        **auth,
    ).json()
    due = client.get(f"{BASE}/reviews/due", **auth).json()
    assert [(d["person_id"], d["review_of"], d["overdue"]) for d in due] == [
        (person.pk, "care_plan", True)
    ]
    review = client.post(
        f"{BASE}/people/{person.pk}/reviews",
        {
            "held_on": today.isoformat(),
            "changes": "Lunch visit added.",
            "ratings": [{"goal_id": goal["id"], "rating": -1}],
        },
        content_type="application/json",
        **auth,
    )
    assert review.status_code == 201, review.content
    assert client.get(f"{BASE}/reviews/due", **auth).json() == []
    goals = client.get(f"{BASE}/people/{person.pk}/goals", **auth).json()
    assert goals[0]["ratings"] == [
        {"review_id": review.json()["id"], "held_on": today.isoformat(), "rating": -1}
    ]
    past = client.post(
        f"{BASE}/people/{person.pk}/reviews",
        {"held_on": today.isoformat(), "changes": "x", "next_review_on": "2020-01-01"},
        content_type="application/json",
        **auth,
    )
    assert (past.status_code, past.json()["code"]) == (400, "review_date_in_past")
    assert len(client.get(f"{BASE}/people/{person.pk}/reviews", **auth).json()) == 1


def test_double_handed(client, as_user, coordinator, person):
    today = timezone.localdate()
    plan = factories.care_plan(person, valid_from=date(2026, 3, 2))
    assessment = handling(person, coordinator, today)
    made = client.post(
        f"{BASE}/risk-assessments/{assessment.pk}/double-handed",
        {"valid_from": today.isoformat(), "task_ids": [plan.tasks.get().pk]},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert made.status_code == 201, made.content
    assert made.json()["version"] == 2
    again = client.post(
        f"{BASE}/risk-assessments/{assessment.pk}/double-handed",
        {"valid_from": today.isoformat(), "task_ids": []},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert (again.status_code, again.json()["code"]) == (400, "no_tasks_chosen")
