"""Requests about visits on the pages and through the API: a circle member granted the
person's visits asks and reads the answers, a coordinator reads the queue with what each
request would meet and answers; bad input gets a clear message and saves nothing; every read
is logged; nobody else sees them."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits import requests
from coopcare.visits.models import VisitRequest, VisitRequestKind, VisitRequestStatus, VisitStatus
from coopcare.visits.services import local_moment
from tests import factories
from tests.visits.test_api import call


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


@pytest.fixture
def visit(lucia, day):
    return lucia.visits.get(starts_at__date=day)


def api(coop, path):
    return f"/api/cooperatives/{coop.slug}/{path}"


def reads(user, record="visit requests"):
    return CareRecordRead.objects.filter(user=user, record=record).count()


def test_the_circle_asks_on_the_page_and_sees_the_answer(
    client, coop, coordinator, lucia, daughter, visit
):
    page = reverse("visits:person_requests", args=[coop.slug, lucia.pk])
    factories.log_in(client, daughter)
    shown = client.get(page)
    assert shown.status_code == 200 and reads(daughter) == 1
    # The circle page links to it.
    circle = client.get(reverse("care:circle", args=[coop.slug, lucia.pk]))
    assert page in circle.content.decode()
    empty = client.post(page, {"cancel": "1", "cancel-visit": visit.pk, "cancel-reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert not VisitRequest.objects.exists()
    sent = client.post(
        page, {"cancel": "1", "cancel-visit": visit.pk, "cancel-reason": "At the seaside"}
    )
    assert sent.status_code == 302
    asked = VisitRequest.objects.get()
    assert (asked.kind, asked.visit, asked.asked_by) == (VisitRequestKind.CANCEL, visit, daughter)
    again = client.post(page, {"cancel": "1", "cancel-visit": visit.pk, "cancel-reason": "x"})
    assert again.status_code == 400
    assert "already waiting for an answer" in again.content.decode()
    assert "waiting for an answer" in client.get(page).content.decode()
    requests.refuse(asked, coordinator, "Your mother's doctor asked us to keep every visit.")
    assert "keep every visit" in client.get(page).content.decode()


def test_the_circle_asks_for_an_extra_visit_on_the_page(client, coop, lucia, daughter, day):
    page = reverse("visits:person_requests", args=[coop.slug, lucia.pk])
    task = lucia.plans.get().tasks.get()
    form = {
        "extra": "1",
        "extra-task": task.pk,
        "extra-day": day.isoformat(),
        "extra-starts": "14:00",
        "extra-ends": "14:15",
        "extra-reason": "Party",
    }
    factories.log_in(client, daughter)
    short = client.post(page, form)
    assert short.status_code == 400 and "shorter than the visit" in short.content.decode()
    assert client.post(page, form | {"extra-ends": "17:00"}).status_code == 302
    asked = VisitRequest.objects.get()
    assert asked.kind == VisitRequestKind.EXTRA and asked.task == task


def test_only_a_circle_member_granted_the_visits_asks(client, coop, lucia, daughter, visit):
    page = reverse("visits:person_requests", args=[coop.slug, lucia.pk])
    grant = lucia.circle.get(user=daughter)
    grant.may_see_visits = False
    grant.save()
    factories.log_in(client, daughter)
    assert client.get(page).status_code == 404
    body = {"kind": "cancel", "visit_id": visit.pk, "reason": "x"}
    assert (
        call(client, daughter, api(coop, f"people/{lucia.pk}/visit-requests"), body).status_code
        == 404
    )
    other = factories.person_cared_for(coop)
    other_page = reverse("visits:person_requests", args=[coop.slug, other.pk])
    grant.may_see_visits = True
    grant.save()
    assert client.get(other_page).status_code == 404
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    assert client.get(page).status_code == 403
    assert client.get(reverse("visits:requests_waiting", args=[coop.slug])).status_code == 403
    assert not VisitRequest.objects.exists()


def test_the_coordinator_answers_the_queue_on_the_page(
    client, coop, coordinator, lucia, daughter, visit, day
):
    grant = lucia.circle.get(user=daughter)
    asked = requests.ask(lucia, VisitRequestKind.CANCEL, "Away", daughter, grant, visit=visit)
    later = lucia.visits.get(starts_at__date=day + timedelta(days=1))
    moved = requests.ask(
        lucia,
        VisitRequestKind.MOVE,
        "Doctor",
        daughter,
        grant,
        visit=later,
        starts_at=local_moment(day + timedelta(days=1), time(15)),
    )
    queue = reverse("visits:requests_waiting", args=[coop.slug])
    factories.log_in(client, coordinator)
    shown = client.get(queue)
    text = shown.content.decode()
    assert shown.status_code == 200 and text.index(f"request-{asked.pk}") < text.index(
        f"request-{moved.pk}"
    )
    assert "find nothing against it" in text and reads(coordinator) == 1
    refuse = reverse("visits:refuse_request", args=[coop.slug, moved.pk])
    blank = client.post(refuse, {f"refuse{moved.pk}-reason": ""})
    assert blank.status_code == 400
    moved.refresh_from_db()
    assert moved.status == VisitRequestStatus.PENDING
    accept = reverse("visits:accept_request", args=[coop.slug, asked.pk])
    assert client.post(accept, {}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert client.get(accept).status_code == 405


def test_the_api_asks_lists_and_answers(client, coop, coordinator, lucia, daughter, visit, day):
    path = api(coop, f"people/{lucia.pk}/visit-requests")
    body = {
        "kind": "move",
        "visit_id": visit.pk,
        "day": day.isoformat(),
        "at": "15:00",
        "reason": "Doctor",
    }
    made = call(client, daughter, path, body)
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "pending" and made.json()["asked_as"] == "circle"
    twice = call(client, daughter, path, body)
    assert (twice.status_code, twice.json()["code"]) == (400, "request_pending")
    coordinator_asks = call(client, coordinator, path, body)
    assert coordinator_asks.status_code == 403
    waiting = call(client, coordinator, api(coop, "visit-requests"))
    assert waiting.status_code == 200
    [row] = waiting.json()
    # No published roster covers the day: the next run plans the moved visit, nothing to check.
    assert row["checks"] == [] and row["task"] == "Morning care"
    assert call(client, daughter, api(coop, "visit-requests")).status_code == 403
    refused = call(
        client,
        coordinator,
        api(coop, f"visit-requests/{row['id']}/refuse"),
        {"reason": "No carer free then"},
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    again = call(client, coordinator, api(coop, f"visit-requests/{row['id']}/accept"), {})
    assert (again.status_code, again.json()["code"]) == (400, "request_answered")
    listed = call(client, daughter, path)
    assert [r["answer"] for r in listed.json()] == ["No carer free then"]
    # The asking and the list: a refused ask reads nothing.
    assert reads(daughter) == 2 and reads(coordinator) >= 2
