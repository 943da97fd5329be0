from django.core import mail

from coopcare.rostering.models import RosterRun, RunStatus
from tests.governance.test_api import bearer
from tests.rostering.conftest import visits_on

API = "/api/cooperatives/cura"


def test_run_read_change_and_publish_a_roster(
    client, coordinator, ana, ben, people, day, django_capture_on_commit_callbacks
):
    auth = bearer(coordinator)
    made = client.post(
        f"{API}/roster-runs",
        {"first_day": day.isoformat(), "last_day": day.isoformat(), "seconds_per_day": 1},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 202
    run = made.json()
    assert run["status"] == "done" and run["roster_id"]
    assert client.get(f"{API}/roster-runs/{run['id']}", **auth).json()["progress"] == 100
    roster = client.get(f"{API}/rosters/{run['roster_id']}", **auth).json()
    assert {a["person"] for a in roster["assignments"]} == {"Rosa", "Marco"}
    assert all(a["why"] for a in roster["assignments"])
    rosa = next(a for a in roster["assignments"] if a["person"] == "Rosa")
    # A refused carer is a hard rule: 400 with the reason, nothing changed.
    people[0].refused_carers.add(ana)
    refused = client.put(
        f"{API}/rosters/{roster['id']}/visits/{rosa['visit_id']}",
        {"carers": ["ana"], "override_reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["Rosa has refused Ana Test as a carer."]
    unknown = client.put(
        f"{API}/rosters/{roster['id']}/visits/{rosa['visit_id']}",
        {"carers": ["nobody"]},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 400 and "nobody" in unknown.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"{API}/rosters/{roster['id']}/publish", **auth).json()
        again = client.post(f"{API}/rosters/{roster['id']}/publish", **auth).json()
    assert first["status"] == "published" and not first["already_published"]
    assert again["already_published"] and again["notified"] == 0
    assert len(mail.outbox) == first["notified"]


def test_bad_periods_answer_400(client, coordinator, ana, people):
    response = client.post(
        f"{API}/roster-runs",
        {"first_day": "2020-01-06", "last_day": "2020-01-05"},
        content_type="application/json",
        **bearer(coordinator),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["The last day must be on or after the first."]


def test_carers_ask_and_coordinators_decide(client, coordinator, ana, ben, people, day):
    client.post(
        f"{API}/roster-runs",
        {"first_day": day.isoformat(), "last_day": day.isoformat(), "seconds_per_day": 1},
        content_type="application/json",
        **bearer(coordinator),
    )
    roster_id = RosterRun.objects.get().rosters.get().pk
    client.post(f"{API}/rosters/{roster_id}/publish", **bearer(coordinator))
    visit = visits_on(people[0], day)
    mine = visit.carers.get()
    asked = client.post(
        f"{API}/roster-requests",
        {"visit_id": visit.pk, "kind": "contest", "reason": "Too early"},
        content_type="application/json",
        **bearer(mine),
    )
    assert asked.status_code == 201
    assert [r["reason"] for r in client.get(f"{API}/roster-requests", **bearer(mine)).json()]
    pending = client.get(f"{API}/roster-requests", **bearer(coordinator)).json()
    decided = client.post(
        f"{API}/roster-requests/{pending[0]['id']}/decision",
        {"accept": False, "note": "Nobody else"},
        content_type="application/json",
        **bearer(coordinator),
    )
    assert decided.json()["status"] == "declined"
    feed = client.get(f"{API}/calendar", **bearer(mine)).json()["url"]
    renewed = client.post(f"{API}/calendar/renew", **bearer(mine)).json()["url"]
    assert feed != renewed and client.get(renewed).status_code == 200


def test_a_broken_rule_answers_its_own_code(client, coop, coordinator, ana, ben, people, day):
    """A refusal names its failure in ``code``: a second run while one is under way, and a
    manual edit that breaks a hard rule (a carer the person refused)."""
    auth = bearer(coordinator)
    period = {"first_day": day.isoformat(), "last_day": day.isoformat(), "seconds_per_day": 1}
    made = client.post(f"{API}/roster-runs", period, content_type="application/json", **auth)
    roster = client.get(f"{API}/rosters/{made.json()['roster_id']}", **auth).json()
    rosa = next(a for a in roster["assignments"] if a["person"] == "Rosa")
    people[0].refused_carers.add(ana)
    refused = client.put(
        f"{API}/rosters/{roster['id']}/visits/{rosa['visit_id']}",
        {"carers": ["ana"], "override_reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "carer_refused"
    assert refused.json()["errors"] == [refused.json()["detail"]]
    RosterRun.objects.create(
        cooperative=coop, first_day=day, last_day=day, seconds_per_day=1, status=RunStatus.QUEUED
    )
    again = client.post(f"{API}/roster-runs", period, content_type="application/json", **auth)
    assert again.status_code == 400
    assert again.json()["code"] == "run_under_way"
