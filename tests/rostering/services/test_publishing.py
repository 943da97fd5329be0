"""Publishing gives carers their visits, tells them once, and shows them what changed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coopcare.accounts.models import Profile
from coopcare.rostering.models import ChangeKind, RosterChange, RosterStatus
from coopcare.rostering.services import edits, runs
from coopcare.rostering.services.publishing import publish, revise
from coopcare.visits.services import set_carers
from tests.rostering.conftest import carer_with, visits_on


@pytest.fixture
def draft(coop, coordinator, ana, ben, people, day):
    return runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()


def test_publishing_gives_carers_their_visits_and_tells_them(
    coordinator, draft, people, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done = publish(draft, coordinator)
    assert done.roster.status == RosterStatus.PUBLISHED and not done.already
    for assignment in draft.assignments.all():
        assert assignment.carer in assignment.visit.carers.all()
    carers = {a.carer.email for a in draft.assignments.select_related("carer")}
    assert {m.to[0] for m in mail.outbox} == carers
    assert "Your visits from" in mail.outbox[0].subject
    # The email gives times only: who is cared for, where and for what stays in coopcare.
    for message in mail.outbox:
        assert "Morning care" not in message.body
        assert "Rosa" not in message.body and "Marco" not in message.body


def test_each_carer_is_told_in_their_own_language(
    coordinator, draft, ana, ben, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=ana, language="fr")
    Profile.objects.create(user=ben, language="it")
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, coordinator)
    opening = {ana.email: "Vos visites du ", ben.email: "Le tue visite dal "}
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject.startswith(opening[message.to[0]])


def test_nobody_is_told_before_the_roster_is_saved(coordinator, draft):
    # Inside the test's own transaction, which never commits: nothing goes out.
    done = publish(draft, coordinator)
    assert done.notified > 0 and mail.outbox == []
    # A first publication is news, not a change.
    assert not RosterChange.objects.exists()


def test_publishing_twice_changes_nothing_and_tells_nobody_again(
    coordinator, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, coordinator)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = publish(draft, coordinator)
    assert again.already and again.changes == 0 and again.notified == 0
    assert not callbacks and len(mail.outbox) == sent


def test_republishing_shows_the_carers_concerned_what_changed(
    coop, coordinator, draft, ana, ben, people, day, django_capture_on_commit_callbacks
):
    publish(draft, coordinator)
    draft.refresh_from_db()
    rosa_visit = visits_on(people[0], day)
    before = set(rosa_visit.carers.all())
    carla = carer_with(coop, "carla")
    second = revise(draft, coordinator)
    edits.give(second, rosa_visit, [carla], coordinator, "Carla covers this week")
    with django_capture_on_commit_callbacks(execute=True):
        done = publish(second, coordinator)
    assert set(rosa_visit.carers.all()) == {carla}
    draft.refresh_from_db()
    assert draft.status == RosterStatus.SUPERSEDED
    changes = {(c.carer, c.kind) for c in RosterChange.objects.filter(visit=rosa_visit)}
    assert changes == {(carla, ChangeKind.ADDED)} | {(c, ChangeKind.REMOVED) for c in before}
    assert done.changes == 1 + len(before)
    # Only the carers whose visits changed hear about it.
    assert {m.to[0] for m in mail.outbox} == {carla.email} | {c.email for c in before}
    assert all(m.subject == "Changes to your visits" for m in mail.outbox)
    assert not any("Rosa" in m.body for m in mail.outbox)


def test_a_replaced_draft_cannot_be_published(coop, coordinator, draft, day):
    runs.start_run(coop, day, day, coordinator, seconds=1)
    with pytest.raises(ValidationError, match="discarded"):
        publish(draft, coordinator)


def test_visits_begun_since_the_draft_keep_their_carers(coordinator, draft, ben, people, day):
    rosa_visit = visits_on(people[0], day)
    set_carers(rosa_visit, [ben])
    rosa_visit.status = "in_progress"
    rosa_visit.save()
    publish(draft, coordinator)
    assert list(rosa_visit.carers.all()) == [ben]
