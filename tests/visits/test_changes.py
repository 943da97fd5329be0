"""A coordinator's one-off changes to visits, through the API and the pages: cancel, add a
one-off visit, move; and the care status form acting on visits. Refusals answer their code and
write nothing; a carer cannot make these changes; reads are logged."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopcare.care.models import CareRecordRead, CareStatus
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Cancellation, Visit, VisitStatus
from coopcare.visits.services import add_carer, generate_visits, local_moment
from tests import factories
from tests.visits.test_api import call


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


@pytest.fixture
def rosa(coop, day):
    person = factories.person_cared_for(coop, full_name="Rosa")
    factories.care_plan(person, valid_from=timezone.localdate())
    generate_visits(person, day, day + timedelta(days=2))
    return person


def api(coop, path):
    return f"/api/cooperatives/{coop.slug}/{path}"


def test_cancel_through_the_api(client, coop, coordinator, rosa, day):
    visit = rosa.visits.get(starts_at__date=day)
    body = {"requested_by": "person", "reason": "Away at her son's"}
    response = call(client, coordinator, api(coop, f"visits/{visit.pk}/cancel"), body)
    assert response.status_code == 200, response.content
    assert response.json()["requested_by"] == "person"
    assert response.json()["short_notice"] is False
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert CareRecordRead.objects.filter(person=rosa, user=coordinator).exists()
    again = call(client, coordinator, api(coop, f"visits/{visit.pk}/cancel"), body)
    assert (again.status_code, again.json()["code"]) == (400, "visit_begun")
    assert Cancellation.objects.count() == 1


def test_a_carer_cannot_cancel_add_or_move(client, coop, rosa, day):
    carer = factories.user_with_role(coop, Role.CARER)
    visit = rosa.visits.get(starts_at__date=day)
    add_carer(visit, carer)
    body = {"requested_by": "carer", "reason": "x"}
    assert call(client, carer, api(coop, f"visits/{visit.pk}/cancel"), body).status_code == 403
    moved = {"starts_at": local_moment(day, time(15)).isoformat()}
    assert call(client, carer, api(coop, f"visits/{visit.pk}/move"), moved).status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_add_and_move_through_the_api(client, coop, coordinator, rosa, day):
    task = rosa.plans.get().tasks.get()
    body = {
        "task_id": task.pk,
        "starts_at": local_moment(day, time(16)).isoformat(),
        "minutes": 60,
        "double_handed": True,
    }
    response = call(client, coordinator, api(coop, f"people/{rosa.pk}/visits"), body)
    assert response.status_code == 201, response.content
    added = Visit.objects.get(pk=response.json()["id"])
    assert added.extra and added.double_handed and added.minutes == 60
    again = call(client, coordinator, api(coop, f"people/{rosa.pk}/visits"), body)
    assert (again.status_code, again.json()["code"]) == (400, "visit_exists")
    moved = {"starts_at": local_moment(day, time(17)).isoformat(), "reason": "Later"}
    response = call(client, coordinator, api(coop, f"visits/{added.pk}/move"), moved)
    assert response.status_code == 200, response.content
    assert response.json()["id"] != added.pk
    added.refresh_from_db()
    assert added.status == VisitStatus.CANCELLED
    unknown = call(
        client,
        coordinator,
        api(coop, f"visits/{response.json()['id']}/move"),
        {"carers": ["nobody"]},
    )
    assert (unknown.status_code, unknown.json()["code"]) == (400, "not_carers")


def test_the_status_api_pauses_and_resumes_visits(client, coop, coordinator, rosa, day):
    path = api(coop, f"people/{rosa.pk}/status")
    body = {"status": "paused", "on": str(day), "until": str(day), "kind": "hospital"}
    response = call(client, coordinator, path, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paused"
    assert rosa.visits.get(starts_at__date=day).status == VisitStatus.CANCELLED
    assert rosa.visits.get(starts_at__date=day + timedelta(days=1)).status == VisitStatus.PLANNED
    past = {"status": "active", "on": str(timezone.localdate() - timedelta(days=1))}
    refused = call(client, coordinator, path, past)
    assert (refused.status_code, refused.json()["code"]) == (400, "status_date_in_past")
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.PAUSED


def test_the_status_form_on_the_person_page_acts_on_visits(client, coop, coordinator, rosa, day):
    factories.log_in(client, coordinator)
    url = reverse("care:act", args=[coop.slug, rosa.pk, "status"])
    response = client.post(
        url, {"status-status": "ended", "status-on": str(day + timedelta(days=1))}
    )
    assert response.status_code == 302
    planned = rosa.visits.filter(status=VisitStatus.PLANNED)
    assert [v.starts_at.date() for v in planned] == [day]
    past = client.post(
        url, {"status-status": "active", "status-on": str(timezone.localdate() - timedelta(1))}
    )
    assert past.status_code == 400 and b"cannot be dated in the past" in past.content
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.ENDED


def test_the_visit_page_cancels_and_moves(client, coop, coordinator, rosa, day):
    factories.log_in(client, coordinator)
    visit = rosa.visits.get(starts_at__date=day)
    url = reverse("visits:change", args=[coop.slug, visit.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Cancel the visit" in page.content
    assert CareRecordRead.objects.filter(person=rosa, user=coordinator).exists()
    response = client.post(
        url,
        {"move": "1", "move-day": str(day), "move-at": "18:00", "move-reason": "Evening"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    moved = visit.cancellations.get().moved_to
    assert timezone.localtime(moved.starts_at).time() == time(18, 0)
    refused = client.post(
        reverse("visits:change", args=[coop.slug, moved.pk]),
        {"cancel": "1", "cancel-requested_by": "person", "cancel-reason": " "},
    )
    assert refused.status_code == 400
    moved.refresh_from_db()
    assert moved.status == VisitStatus.PLANNED


def test_the_add_page_adds_a_one_off_visit(client, coop, coordinator, rosa, day):
    factories.log_in(client, coordinator)
    url = reverse("visits:add", args=[coop.slug, rosa.pk])
    assert client.get(url).status_code == 200
    task = rosa.plans.get().tasks.get()
    response = client.post(url, {"task": task.pk, "day": str(day), "at": "15:30", "minutes": "30"})
    assert response.status_code == 302
    assert rosa.visits.filter(extra=True).count() == 1
    refused = client.post(url, {"task": task.pk, "day": str(day), "at": "15:30", "minutes": "30"})
    assert refused.status_code == 400
    assert rosa.visits.filter(extra=True).count() == 1


def test_another_cooperatives_visit_is_not_found(client, coop, coordinator, rosa, day):
    other = factories.CooperativeFactory(slug="other")
    stranger = factories.user_with_role(other, Role.COORDINATOR)
    visit = rosa.visits.get(starts_at__date=day)
    body = {"requested_by": "person", "reason": "x"}
    assert call(client, stranger, api(coop, f"visits/{visit.pk}/cancel"), body).status_code in (
        403,
        404,
    )
    response = call(client, stranger, api(other, f"visits/{visit.pk}/cancel"), body)
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
