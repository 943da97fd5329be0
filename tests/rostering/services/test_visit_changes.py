"""A coordinator's one-off changes to visits: cancel one (who asked, why, short notice), add a
one-off visit, move one in time or to other carers, under the rules of a roster edit; the
carers concerned are told, and a refusal writes nothing."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care.models import CareStatus
from coopcare.rostering.models import ChangeKind, RosterChange
from coopcare.rostering.services import runs
from coopcare.rostering.services.care_status import change_care_status
from coopcare.rostering.services.publishing import publish
from coopcare.rostering.services.visit_changes import add, cancel, move
from coopcare.visits.models import Cancellation, Requester, Visit, VisitStatus
from coopcare.visits.services import generate_visits, local_moment
from tests import factories
from tests.rostering.conftest import carer_with


@pytest.fixture
def published(coop, coordinator, ana, ben, people, day):
    run = runs.start_run(coop, day, day, coordinator, seconds=1)
    roster = run.rosters.get()
    publish(roster, coordinator, notify=False)
    return roster


def rosa_visit(people, day):
    return people[0].visits.get(starts_at__date=day)


def test_cancelling_a_visit_records_who_asked_and_tells_its_carers(
    coordinator, published, people, day, django_capture_on_commit_callbacks
):
    visit = rosa_visit(people, day)
    carers = set(visit.carers.all())
    with django_capture_on_commit_callbacks(execute=True):
        cancellation = cancel(visit, Requester.CIRCLE, "Her daughter visits", coordinator)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED and not visit.carers.exists()
    assert cancellation.requested_by == Requester.CIRCLE
    assert cancellation.cancelled_by == coordinator and cancellation.reason == "Her daughter visits"
    # The day is days ahead: not at short notice.
    assert not cancellation.short_notice
    assert not published.assignments.filter(visit=visit).exists()
    assert {c.carer for c in RosterChange.objects.filter(visit=visit)} == carers
    assert {m.to[0] for m in mail.outbox} == {c.email for c in carers}
    assert all("Rosa" not in m.body and "daughter" not in m.body for m in mail.outbox)


def test_a_cancellation_less_than_a_day_ahead_is_at_short_notice(coordinator, people, day):
    generate_visits(people[0], day, day)
    visit = rosa_visit(people, day)
    now = visit.starts_at - timedelta(hours=3)
    cancellation = cancel(visit, Requester.PERSON, "Feels unwell", coordinator, now=now)
    assert cancellation.short_notice


@pytest.mark.parametrize(
    ("requested_by", "reason", "code"),
    [
        ("", "x", "requester_missing"),
        ("care_status", "x", "requester_missing"),
        ("person", "  ", "reason_missing"),
    ],
)
def test_a_cancellation_without_who_or_why_is_refused(
    coordinator, people, day, requested_by, reason, code
):
    generate_visits(people[0], day, day)
    visit = rosa_visit(people, day)
    with pytest.raises(ValidationError) as refused:
        cancel(visit, requested_by, reason, coordinator)
    assert refused.value.code == code
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and not Cancellation.objects.exists()


def test_a_visit_cancelled_or_begun_cannot_be_cancelled(coordinator, people, day):
    generate_visits(people[0], day, day)
    visit = rosa_visit(people, day)
    cancel(visit, Requester.PERSON, "Away", coordinator)
    with pytest.raises(ValidationError) as refused:
        cancel(visit, Requester.PERSON, "Away", coordinator)
    assert refused.value.code == "visit_begun"
    assert Cancellation.objects.count() == 1


def test_an_extra_visit_goes_into_the_published_roster_as_an_open_visit(
    coordinator, published, people, day
):
    rosa = people[0]
    task = rosa.plans.get().tasks.get()
    visit = add(rosa, task, local_moment(day, time(15, 0)), 30, coordinator)
    assert visit.extra and visit.minutes == 30 and visit.status == VisitStatus.PLANNED
    assert published.unplaced.filter(visit=visit).exists()


def test_an_extra_visit_given_to_a_carer_is_checked_and_told(
    coordinator, published, ana, people, day, django_capture_on_commit_callbacks
):
    rosa = people[0]
    task = rosa.plans.get().tasks.get()
    with django_capture_on_commit_callbacks(execute=True):
        visit = add(
            rosa,
            task,
            local_moment(day, time(15, 0)),
            30,
            coordinator,
            carers=[ana],
            override_reason="Ana knows her",
        )
    assert list(visit.carers.all()) == [ana]
    assert RosterChange.objects.filter(visit=visit, carer=ana, kind=ChangeKind.ADDED).exists()
    assert [m.to[0] for m in mail.outbox] == [ana.email]


def test_an_extra_visit_to_a_refused_carer_is_refused_and_nothing_is_written(
    coordinator, published, ana, people, day
):
    rosa = people[0]
    rosa.refused_carers.add(ana)
    task = rosa.plans.get().tasks.get()
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as refused:
        add(
            rosa,
            task,
            local_moment(day, time(15, 0)),
            30,
            coordinator,
            carers=[ana],
            override_reason="x",
        )
    assert "carer_refused" in {e.code for e in refused.value.error_list}
    assert Visit.objects.count() == before and not RosterChange.objects.exists()


@pytest.mark.parametrize(
    ("when", "code"),
    [("past", "visit_in_past"), ("paused", "not_in_care_that_day"), ("same", "visit_exists")],
)
def test_an_extra_visit_that_cannot_be_is_refused(coordinator, people, day, when, code):
    rosa = people[0]
    generate_visits(rosa, day, day)
    task = rosa.plans.get().tasks.get()
    starts = local_moment(day, time(15, 0))
    if when == "past":
        starts = datetime(2026, 1, 5, 9, 0).astimezone()
    elif when == "paused":
        change_care_status(rosa, CareStatus.PAUSED, day, coordinator, until=day)
    else:
        starts = rosa_visit(people, day).starts_at
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as refused:
        add(rosa, task, starts, 30, coordinator)
    assert refused.value.code == code
    assert Visit.objects.count() == before


def test_a_task_of_another_person_is_refused(coordinator, people, day):
    rosa, marco = people
    with pytest.raises(ValidationError) as refused:
        add(rosa, marco.plans.get().tasks.get(), local_moment(day, time(15)), 30, coordinator)
    assert refused.value.code == "task_not_in_plan"


def test_moving_a_visit_cancels_it_as_moved_and_tells_the_carer_once(
    coordinator, published, people, day, django_capture_on_commit_callbacks
):
    visit = rosa_visit(people, day)
    [carer] = visit.carers.all()
    with django_capture_on_commit_callbacks(execute=True):
        moved = move(
            visit,
            coordinator,
            starts_at=local_moment(day, time(14, 0)),
            reason="Physiotherapy in the morning",
            override_reason="Agreed with her",
        )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    cancellation = visit.cancellations.get()
    assert cancellation.moved_to == moved and not cancellation.short_notice
    assert moved.extra and moved.minutes == visit.minutes and list(moved.carers.all()) == [carer]
    kinds = set(RosterChange.objects.filter(carer=carer).values_list("visit", "kind"))
    assert kinds == {(visit.pk, ChangeKind.REMOVED), (moved.pk, ChangeKind.ADDED)}
    assert [m.to[0] for m in mail.outbox] == [carer.email]
    # A new plan version leaves the one-off visit as it is.
    factories.care_plan(people[0], valid_from=timezone.localdate())
    assert Visit.objects.filter(pk=moved.pk, status=VisitStatus.PLANNED).exists()


def test_giving_a_visit_to_another_carer_follows_the_roster_rules(
    coop, coordinator, published, people, day
):
    visit = rosa_visit(people, day)
    before = set(visit.carers.all())
    carla = carer_with(coop, "carla")
    people[0].refused_carers.add(carla)
    with pytest.raises(ValidationError) as refused:
        move(visit, coordinator, starts_at=visit.starts_at, carers=[carla], override_reason="x")
    assert "carer_refused" in {e.code for e in refused.value.error_list}
    assert set(visit.carers.all()) == before and not RosterChange.objects.exists()
    people[0].refused_carers.remove(carla)
    move(visit, coordinator, starts_at=visit.starts_at, carers=[carla], override_reason="Cover")
    assert list(visit.carers.all()) == [carla]
    assert visit.status == VisitStatus.PLANNED


def test_a_visit_outside_a_published_roster_gets_carers_on_the_draft(coordinator, ana, people, day):
    generate_visits(people[0], day, day)
    visit = rosa_visit(people, day)
    with pytest.raises(ValidationError) as refused:
        move(visit, coordinator, starts_at=visit.starts_at, carers=[ana])
    assert refused.value.code == "visit_not_published"
