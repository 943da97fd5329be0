"""A trial: the person's circle asks that a carer new to the person comes for one of their
visits, so that they meet; the coordinator chooses the carer, with the checks of a roster
edit; after it, the carer is in the person's team, to keep or refuse."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.care.queries import team_of
from coopcare.cooperatives.models import Role
from coopcare.visits import requests
from coopcare.visits.models import VisitRequest, VisitRequestKind, VisitRequestStatus
from tests import factories
from tests.rostering.conftest import carer_with, published_with


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


@pytest.fixture
def son(coop, lucia):
    """Lucia's son, granted her visits and the choice of her carers."""
    user = factories.user_with_role(coop, Role.CIRCLE, username="marco", first_name="Marco")
    care_services.add_to_circle(
        lucia,
        user=user,
        full_name="Marco Neri",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        may_choose_carers=True,
        granted_by="Lucia Neri",
        granted_on=date(2026, 1, 1),
    )
    return user


@pytest.fixture
def rostered(coop, coordinator, lucia, day):
    """Bea has Lucia's visit of ``day`` in the published roster; Ana, who never came to
    Lucia, works for the cooperative too."""
    bea, ana = carer_with(coop, "bea"), carer_with(coop, "ana")
    visit = lucia.visits.get(starts_at__date=day)
    published_with(coop, coordinator, day, {visit: [bea]})
    return {"visit": visit, "bea": bea, "ana": ana}


def test_the_coordinator_sends_a_new_carer_who_is_then_in_the_team(
    coop, coordinator, lucia, son, rostered
):
    grant = lucia.circle.get(user=son)
    visit, ana, bea = rostered["visit"], rostered["ana"], rostered["bea"]
    asked = requests.ask(
        lucia, VisitRequestKind.TRIAL, "Someone who speaks Spanish", son, grant, visit=visit
    )
    assert asked.visit == visit and asked.status == VisitRequestStatus.PENDING
    # Before a carer is chosen, accepting would meet that; Bea is no newcomer to Lucia.
    assert [e.code for e in requests.checks(asked, coordinator)] == ["trial_carer_missing"]
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, carer=bea)
    assert refused.value.code == "trial_carer_known"
    outsider = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, carer=outsider)
    assert refused.value.code == "carer_not_in_cooperative"
    # Ana is new to Lucia: a soft rule of a roster edit, which the coordinator answers.
    found = {e.code for e in requests.checks(asked, coordinator, carer=ana)}
    assert "carer_not_known" in found
    answered = requests.accept(
        asked, coordinator, carer=ana, override_reason="A trial the family asked for"
    )
    assert answered.status == VisitRequestStatus.ACCEPTED
    assert list(answered.outcome.carers.all()) == [ana]
    assert answered.outcome.starts_at == visit.starts_at
    # Ana is in Lucia's team now, for the circle to keep or refuse.
    coming = {carer.id: carer for carer in team_of(lucia, timezone.now())}
    assert coming[ana.pk].coming == [visit.starts_at]
    care_services.choose_carer(grant, ana.pk, "preferred")
    assert list(lucia.preferred_carers.all()) == [ana]


def test_only_a_member_granted_the_choice_asks_for_a_trial(coop, lucia, daughter, rostered):
    grant = lucia.circle.get(user=daughter)
    with pytest.raises(PermissionDenied):
        requests.ask(
            lucia, VisitRequestKind.TRIAL, "New face", daughter, grant, visit=rostered["visit"]
        )
    assert not VisitRequest.objects.exists()


def test_the_trial_form_is_on_the_page_only_with_the_grant(
    client, coop, lucia, son, daughter, rostered
):
    page = f"/c/{coop.slug}/circle/{lucia.pk}/requests/"
    factories.log_in(client, daughter)
    assert "Meet a new carer" not in client.get(page).content.decode()
    factories.log_in(client, son)
    assert "Meet a new carer" in client.get(page).content.decode()
    response = client.post(
        page,
        {"trial": "1", "trial-visit": rostered["visit"].pk, "trial-reason": "Someone calm"},
    )
    assert response.status_code == 302
    asked = VisitRequest.objects.get()
    assert (asked.kind, asked.visit) == (VisitRequestKind.TRIAL, rostered["visit"])
    # Without a reason, a form error and nothing more asked.
    response = client.post(page, {"trial": "1", "trial-visit": rostered["visit"].pk})
    assert response.status_code == 400
    assert VisitRequest.objects.count() == 1


def test_the_coordinator_chooses_the_carer_on_the_queue(
    client, coop, coordinator, lucia, son, rostered
):
    grant = lucia.circle.get(user=son)
    asked = requests.ask(
        lucia, VisitRequestKind.TRIAL, "Someone calm", son, grant, visit=rostered["visit"]
    )
    factories.log_in(client, coordinator)
    queue = client.get(f"/c/{coop.slug}/visits/requests/").content.decode()
    assert "The new carer who comes" in queue
    accept = f"/c/{coop.slug}/visits/requests/{asked.pk}/accept/"
    prefix = f"accept{asked.pk}"
    assert client.post(accept, {f"{prefix}-answer": "x"}).status_code == 400
    response = client.post(
        accept,
        {f"{prefix}-carer": rostered["ana"].pk, f"{prefix}-override_reason": "Trial"},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert list(asked.outcome.carers.all()) == [rostered["ana"]]


def test_the_api_asks_for_a_trial_and_accepts_it_with_a_carer(
    client, coop, coordinator, lucia, son, rostered
):
    _token, family = ApiToken.issue(son, "phone")
    asked = client.post(
        f"/api/cooperatives/{coop.slug}/people/{lucia.pk}/visit-requests",
        {"kind": "trial", "visit_id": rostered["visit"].pk, "reason": "Someone calm"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {family}",
    )
    assert asked.status_code == 201, asked.content
    _token, office = ApiToken.issue(coordinator, "office")
    accept = f"/api/cooperatives/{coop.slug}/visit-requests/{asked.json()['id']}/accept"
    missing = client.post(
        accept, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {office}"
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "trial_carer_missing"
    accepted = client.post(
        accept,
        {"carer_id": rostered["ana"].pk, "override_reason": "Trial"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {office}",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
