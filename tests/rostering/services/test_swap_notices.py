"""A swap tells people as it goes: the carers who could take the visit when it is offered,
the carer who offered it and the coordinators when a colleague offers to take it, and those
who asked when it is declined; by email, and by push to those who keep the topic ``cover``.
Nothing names the person or the place: a visit's time at most."""

import pytest
from django.core import mail
from django.test import override_settings

from coopcare import notify
from coopcare.cooperatives.models import Role
from coopcare.push import services as push
from coopcare.push.models import Topic
from coopcare.rostering.services import requests, runs
from coopcare.rostering.services.publishing import publish
from tests import factories
from tests.push.conftest import KEY, endpoint, subscribed
from tests.push.test_channel import FakePushService
from tests.rostering.conftest import carer_with, visits_on


@pytest.fixture
def published(coop, coordinator, ana, ben, people, day):
    roster = runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()
    publish(roster, coordinator)
    return roster


@pytest.fixture
def swap(coop, published, ana, ben, people, day):
    """Rosa's visit, its carer, and the colleague who could take it."""
    visit = visits_on(people[0], day)
    giver = visit.carers.get()
    return visit, giver, (ben if giver == ana else ana)


@pytest.fixture
def push_service(monkeypatch):
    """An installation with a VAPID key, pushing to a fake push service."""
    service = FakePushService()
    monkeypatch.setattr(notify, "webpush", service)
    with override_settings(VAPID_PRIVATE_KEY=KEY):
        yield service


def told(subject):
    return sorted(m.to[0] for m in mail.outbox if m.subject == subject)


def test_an_offered_visit_is_told_to_the_colleagues_who_could_take_it(
    coop, coordinator, swap, django_capture_on_commit_callbacks
):
    visit, giver, colleague = swap
    carer_with(coop, "cleo", skills="meds")  # not qualified for Rosa's personal care
    elsewhere = factories.CooperativeFactory(slug="altra")
    carer_with(elsewhere, "dora")  # a carer of another cooperative
    with django_capture_on_commit_callbacks(execute=True):
        requests.ask(coop, visit, giver, "swap", "Dentist that morning")
    assert told("Open visits you could take") == [colleague.email]
    [message] = mail.outbox
    assert "offered for swap" in message.body.lower()
    for secret in ("Rosa", visit.person.home, "Dentist"):
        assert secret not in message.body and secret not in message.subject


def test_a_taken_swap_is_told_to_its_carer_and_the_coordinators(
    coop, coordinator, swap, django_capture_on_commit_callbacks
):
    visit, giver, colleague = swap
    elsewhere = factories.CooperativeFactory(slug="altra")
    other_office = factories.user_with_role(elsewhere, Role.COORDINATOR)
    offer = requests.ask(coop, visit, giver, "swap", "Dentist that morning")
    with django_capture_on_commit_callbacks(execute=True):
        requests.ask(coop, visit, colleague, "take")
    assert told("A colleague offers to take your visit") == [giver.email]
    assert told("A swap is waiting for your decision") == [coordinator.email]
    assert other_office.email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Rosa" not in message.body and visit.person.home not in message.body
    assert offer.pk == requests.RosterRequest.objects.get(taker=colleague).pk


def test_a_declined_swap_is_told_to_who_offered_and_who_would_take_it(
    coop, coordinator, swap, django_capture_on_commit_callbacks
):
    visit, giver, colleague = swap
    offer = requests.ask(coop, visit, giver, "swap")
    requests.ask(coop, visit, colleague, "take")
    with django_capture_on_commit_callbacks(execute=True):
        requests.decide(offer, coordinator, accept=False, note="We need you there")
    assert told("Your request has an answer") == sorted([giver.email, colleague.email])
    assert all("We need you there" not in m.body for m in mail.outbox)


def test_an_accepted_swap_tells_each_carer_once_through_their_roster(
    coop, coordinator, swap, django_capture_on_commit_callbacks
):
    visit, giver, colleague = swap
    offer = requests.ask(coop, visit, giver, "swap")
    requests.ask(coop, visit, colleague, "take")
    with django_capture_on_commit_callbacks(execute=True):
        requests.decide(offer, coordinator, accept=True, override_reason="they agreed")
    assert told("Changes to your visits") == sorted([giver.email, colleague.email])
    assert len(mail.outbox) == 2


def test_swap_notices_are_pushed_only_to_those_who_keep_the_topic(
    coop, coordinator, swap, push_service, django_capture_on_commit_callbacks
):
    visit, giver, colleague = swap
    subscribed(giver, "giver")  # the default topics: cover is one
    subscribed(colleague, "colleague")
    push.choose_topics(colleague, [Topic.ROSTER])  # cover turned off
    offer = requests.ask(coop, visit, giver, "swap")
    with django_capture_on_commit_callbacks(execute=True):
        requests.ask(coop, visit, colleague, "take")
        requests.decide(offer, coordinator, accept=False)
    pushed = sorted((to, data["topic"], data["title"]) for to, data, _o in push_service.sent)
    assert pushed == [
        (endpoint("giver"), "cover", "A colleague offers to take your visit"),
        (endpoint("giver"), "cover", "Your request has an answer"),
    ]
    # Email does not look at the topic.
    assert colleague.email in {m.to[0] for m in mail.outbox}
