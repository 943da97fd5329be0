"""A change of care status acts on visits: a pause or a hospital stay cancels the visits of
its days, the end of care every visit from its day, and resuming plans them again; published
rosters lose the cancelled visits and their carers are told the times, and nothing else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coopcare.care.models import CareStatus, StatusChange
from coopcare.rostering.models import ChangeKind, RosterChange
from coopcare.rostering.planning import visits_to_plan
from coopcare.rostering.services import runs
from coopcare.rostering.services.care_status import change_care_status
from coopcare.rostering.services.publishing import publish
from coopcare.visits.models import BreakKind, Cancellation, Requester, Visit, VisitStatus
from coopcare.visits.services import generate_visits, local_moment
from tests import factories


def on(person, day):
    return person.visits.get(starts_at__date=day)


@pytest.fixture
def rosa(people, day):
    rosa = people[0]
    generate_visits(rosa, day, day + timedelta(days=6))
    return rosa


def test_a_pause_cancels_only_the_visits_of_its_days(coordinator, rosa, day):
    done = change_care_status(
        rosa,
        CareStatus.PAUSED,
        day + timedelta(days=1),
        coordinator,
        reason="Family holiday",
        until=day + timedelta(days=2),
    )
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.PAUSED
    cancelled = {v.starts_at.date() for v in rosa.visits.filter(status=VisitStatus.CANCELLED)}
    assert cancelled == {day + timedelta(days=1), day + timedelta(days=2)}
    assert {v.pk for v in done.cancelled} == set(
        rosa.visits.filter(status=VisitStatus.CANCELLED).values_list("pk", flat=True)
    )
    assert on(rosa, day).status == VisitStatus.PLANNED
    assert on(rosa, day + timedelta(days=3)).status == VisitStatus.PLANNED
    cancellation = Cancellation.objects.filter(visit__person=rosa).first()
    assert cancellation.requested_by == Requester.CARE_STATUS
    assert cancellation.cancelled_by == coordinator
    assert cancellation.care_break.kind == BreakKind.PAUSE
    assert "Family holiday" in on(rosa, day + timedelta(days=1)).status_reason


def test_a_hospital_stay_is_a_pause_of_its_own_kind(coordinator, rosa, day):
    done = change_care_status(rosa, CareStatus.PAUSED, day, coordinator, kind=BreakKind.HOSPITAL)
    assert done.care_break.kind == BreakKind.HOSPITAL and done.care_break.last_day is None
    # Open-ended: every visit from its day, until care resumes.
    assert not rosa.visits.filter(status=VisitStatus.PLANNED).exists()


def test_the_end_of_care_cancels_every_visit_from_its_day(coordinator, rosa, day):
    change_care_status(rosa, CareStatus.ENDED, day + timedelta(days=2), coordinator)
    planned = {v.starts_at.date() for v in rosa.visits.filter(status=VisitStatus.PLANNED)}
    assert planned == {day, day + timedelta(days=1)}
    # No new visit is generated after the end.
    generate_visits(rosa, day, day + timedelta(days=10))
    assert not rosa.visits.filter(
        status=VisitStatus.PLANNED, starts_at__gte=local_moment(day + timedelta(days=2))
    ).exists()


def test_resuming_plans_the_visits_again_from_the_care_plan(coordinator, rosa, day):
    change_care_status(rosa, CareStatus.PAUSED, day, coordinator)
    missed = on(rosa, day + timedelta(days=1))
    change_care_status(rosa, CareStatus.ACTIVE, day + timedelta(days=1), coordinator)
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.ACTIVE
    # The visits from the day care resumed are planned again, the same rows: no duplicates.
    assert on(rosa, day).status == VisitStatus.CANCELLED
    missed.refresh_from_db()
    assert missed.status == VisitStatus.PLANNED
    assert rosa.visits.filter(starts_at__date=day + timedelta(days=1)).count() == 1
    # And the horizon the pause kept empty is generated.
    assert rosa.visits.filter(starts_at__date=day + timedelta(days=20)).exists()


def test_resuming_never_revives_a_visit_cancelled_for_another_reason(coordinator, rosa, day):
    from coopcare.rostering.services.visit_changes import cancel

    other = on(rosa, day + timedelta(days=1))
    cancel(other, Requester.PERSON, "Doctor's appointment", coordinator)
    change_care_status(rosa, CareStatus.PAUSED, day, coordinator)
    change_care_status(rosa, CareStatus.ACTIVE, day, coordinator)
    other.refresh_from_db()
    assert other.status == VisitStatus.CANCELLED
    assert on(rosa, day + timedelta(days=2)).status == VisitStatus.PLANNED


def test_resuming_twice_is_refused_and_changes_nothing(coordinator, rosa, day):
    change_care_status(rosa, CareStatus.PAUSED, day, coordinator)
    change_care_status(rosa, CareStatus.ACTIVE, day, coordinator)
    changes = StatusChange.objects.filter(person=rosa).count()
    with pytest.raises(ValidationError) as refused:
        change_care_status(rosa, CareStatus.ACTIVE, day, coordinator)
    assert refused.value.code == "status_unchanged"
    assert StatusChange.objects.filter(person=rosa).count() == changes


@pytest.mark.parametrize("status", [CareStatus.PAUSED, CareStatus.ENDED])
def test_a_date_in_the_past_is_refused_and_nothing_is_written(coordinator, rosa, status):
    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        change_care_status(rosa, status, yesterday, coordinator)
    assert refused.value.code == "status_date_in_past"
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.ACTIVE
    assert not Cancellation.objects.exists() and not rosa.care_breaks.exists()


def test_a_pause_that_ends_before_it_starts_is_refused(coordinator, rosa, day):
    with pytest.raises(ValidationError) as refused:
        change_care_status(rosa, CareStatus.PAUSED, day, coordinator, until=day - timedelta(days=1))
    assert refused.value.code == "pause_ends_before_start"
    assert not rosa.visits.filter(status=VisitStatus.CANCELLED).exists()


def test_the_published_roster_loses_the_visits_and_their_carers_are_told(
    coordinator, ana, ben, rosa, day, django_capture_on_commit_callbacks
):
    run = runs.start_run(rosa.cooperative, day, day + timedelta(days=1), coordinator, seconds=1)
    draft = run.rosters.get()
    publish(draft, coordinator, notify=False)
    paused = on(rosa, day + timedelta(days=1))
    carers = set(paused.carers.all())
    assert carers
    with django_capture_on_commit_callbacks(execute=True):
        change_care_status(
            rosa,
            CareStatus.PAUSED,
            day + timedelta(days=1),
            coordinator,
            kind=BreakKind.HOSPITAL,
            reason="Broken hip",
        )
    paused.refresh_from_db()
    assert not paused.carers.exists()
    assert not draft.assignments.filter(visit=paused).exists()
    assert not draft.unplaced.filter(visit=paused).exists()
    assert {c.carer for c in RosterChange.objects.filter(visit=paused)} == carers
    assert set(RosterChange.objects.values_list("kind", flat=True)) == {ChangeKind.REMOVED}
    assert {m.to[0] for m in mail.outbox} == {c.email for c in carers}
    for message in mail.outbox:
        # The times only: no name, no health detail.
        assert "Rosa" not in message.body and "hip" not in message.body
        assert "Hospital" not in message.body and "hospital" not in message.body
    # The visit of the day before the stay keeps its carers.
    assert on(rosa, day).carers.exists()


def test_a_roster_run_after_a_pause_leaves_the_paused_visits_out(
    coop, coordinator, ana, ben, people, day
):
    rosa, marco = people
    change_care_status(rosa, CareStatus.PAUSED, day, coordinator, until=day)
    run = runs.start_run(coop, day, day, coordinator, seconds=1)
    roster = run.rosters.get()
    planned = {a.visit.person for a in roster.assignments.select_related("visit__person")}
    planned |= {u.visit.person for u in roster.unplaced.select_related("visit__person")}
    assert rosa not in planned and marco in planned
    assert not visits_to_plan(coop, day, day).filter(person=rosa).exists()
    # The day after the pause, Rosa is visited again.
    generate_visits(rosa, day + timedelta(days=1), day + timedelta(days=1))
    assert on(rosa, day + timedelta(days=1)).status == VisitStatus.PLANNED


def test_a_pause_whose_last_day_is_over_ends_by_itself(coop, coordinator, rosa, day):
    from coopcare.visits.services import end_pauses_due, generate_for_cooperative

    change_care_status(rosa, CareStatus.PAUSED, day, coordinator, until=day)
    assert end_pauses_due(coop, day) == 0
    assert end_pauses_due(coop, day + timedelta(days=1)) == 1
    rosa.refresh_from_db()
    assert rosa.status == CareStatus.ACTIVE
    assert rosa.statuses.last().on == day + timedelta(days=1)
    generate_for_cooperative(coop, day + timedelta(days=1), 3)
    assert Visit.objects.filter(person=rosa, starts_at__date=day + timedelta(days=9)).count() == 0
    assert on(rosa, day + timedelta(days=2)).status == VisitStatus.PLANNED


def test_a_referral_made_active_only_records_the_status(coop, coordinator):
    person = factories.person_cared_for(coop, status="referral")
    from django.utils import timezone

    done = change_care_status(person, CareStatus.ACTIVE, timezone.localdate(), coordinator)
    assert done.care_break is None and not done.cancelled
    person.refresh_from_db()
    assert person.status == CareStatus.ACTIVE
