from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.utils import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from coopcare.rostering.management.commands.worker import Worker
from coopcare.rostering.models import Roster, RosterRun, RosterStatus, RunStatus
from coopcare.rostering.services import runs
from coopcare.rostering.services.publishing import publish
from tests import factories
from tests.rostering.conftest import visits_on


def run(coop, coordinator, day, **kwargs):
    return runs.start_run(coop, day, day, coordinator, seconds=1, **kwargs)


def test_a_run_makes_a_draft_with_every_visit_given_and_explained(
    coop, coordinator, ana, ben, people, day
):
    started = run(coop, coordinator, day)
    started.refresh_from_db()
    assert started.status == RunStatus.DONE and started.progress == 100
    roster = started.rosters.get()
    assert roster.status == RosterStatus.DRAFT
    given = {
        a.visit.person.full_name: a for a in roster.assignments.select_related("visit__person")
    }
    assert set(given) == {"Rosa", "Marco"}
    assert not roster.unplaced.exists()
    # The 9:00 visit needs "personal", which both have; each assignment says why.
    codes = [code for code, _values in given["Rosa"].reasons]
    assert "skills" in codes and "choice" in codes
    assert roster.costs["total"] >= 0


def test_a_visit_no_carer_is_qualified_for_is_left_out_with_the_reason(coop, coordinator, ben, day):
    person = factories.person_cared_for(coop, full_name="Gina")
    factories.care_plan(person, skills="hoist", double_handed=False)
    started = run(coop, coordinator, day)
    unplaced = started.rosters.get().unplaced.get()
    assert unplaced.reasons == [["no_skills", {"skills": "hoist"}]]


def test_the_persons_refusal_is_respected(coop, coordinator, ana, ben, people, day):
    rosa, _marco = people
    rosa.refused_carers.add(ana)
    roster = run(coop, coordinator, day).rosters.get()
    assert list(roster.assignments.filter(visit__person=rosa).values_list("carer", flat=True)) == [
        ben.pk
    ]


def test_a_carer_away_gets_no_visit(coop, coordinator, ana, ben, people, day):
    from coopcare.rostering.services.availability import add_absence

    add_absence(coop, ana, {"kind": "sickness", "first_day": day, "last_day": day, "note": ""})
    roster = run(coop, coordinator, day).rosters.get()
    assert set(roster.assignments.values_list("carer", flat=True)) == {ben.pk}


def test_usual_hours_bound_the_carers_day(coop, coordinator, ana, people, day):
    from coopcare.rostering.services.availability import add_slot

    add_slot(coop, ana, day.weekday(), time(9, 30), time(13, 0))
    roster = run(coop, coordinator, day).rosters.get()
    # Rosa's 9:00 visit falls outside Ana's hours; Marco's 10:00 visit is inside.
    assert [a.visit.person.full_name for a in roster.assignments.all()] == ["Marco"]
    assert roster.unplaced.get().visit.person.full_name == "Rosa"


@pytest.mark.parametrize(
    "offset, message",
    [(-1, "This period is over"), (-7, "This period is over")],
)
def test_a_period_in_the_past_is_refused(coop, coordinator, ana, people, offset, message):
    past = timezone.localdate() + timedelta(days=offset)
    with pytest.raises(ValidationError, match=message):
        runs.start_run(coop, past, past, coordinator)
    assert not RosterRun.objects.exists()


def test_a_period_with_no_carer_is_refused(coop, coordinator, people, day):
    with pytest.raises(ValidationError, match="No carer has a contract"):
        run(coop, coordinator, day)


def test_a_period_with_no_visits_is_refused(coop, coordinator, ana, day):
    with pytest.raises(ValidationError, match="no visits to plan"):
        run(coop, coordinator, day)


def test_a_failed_run_leaves_the_rosters_as_they_were(
    coop, coordinator, ana, ben, people, day, monkeypatch
):
    published = run(coop, coordinator, day).rosters.get()
    publish(published, coordinator)
    rosa_visit = visits_on(people[0], day)
    carers_before = set(rosa_visit.carers.all())
    draft = run(coop, coordinator, day).rosters.get()

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(runs, "plan_day", broken)
    failed = run(coop, coordinator, day)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert "solver crashed" in failed.message and "nothing was changed" in failed.message
    assert not failed.rosters.exists()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == RosterStatus.DRAFT
    assert published.status == RosterStatus.PUBLISHED
    assert set(rosa_visit.carers.all()) == carers_before


def test_a_new_draft_replaces_the_drafts_it_overlaps(coop, coordinator, ana, people, day):
    first = run(coop, coordinator, day).rosters.get()
    second = run(coop, coordinator, day).rosters.get()
    first.refresh_from_db()
    assert first.status == RosterStatus.DISCARDED
    assert second.status == RosterStatus.DRAFT


def test_a_queued_run_can_be_cancelled_before_it_starts(coop, coordinator, ana, people, day):
    queued = RosterRun.objects.create(
        cooperative=coop, first_day=day, last_day=day, seconds_per_day=1, requested_by=coordinator
    )
    runs.cancel(queued)
    assert queued.status == RunStatus.CANCELLED
    assert runs.plan_roster.call(queued.pk) is None  # the worker then skips it
    assert not Roster.objects.exists()


def test_a_run_cancelled_while_running_writes_no_roster(
    coop, coordinator, ana, people, day, monkeypatch
):
    real = runs.plan_day

    def cancel_during(period, *args, **kwargs):
        RosterRun.objects.update(cancel_requested=True)
        return real(period, *args, **kwargs)

    monkeypatch.setattr(runs, "plan_day", cancel_during)
    cancelled = runs.start_run(coop, day, day + timedelta(days=1), coordinator, seconds=1)
    cancelled.refresh_from_db()
    assert cancelled.status == RunStatus.CANCELLED
    assert not Roster.objects.exists()


def running(coop, day, lease_left: timedelta, **fields) -> RosterRun:
    """A run a worker marked running, whose lease ends ``lease_left`` from now (negative: it
    has lapsed, the worker stopped renewing it)."""
    return RosterRun.objects.create(
        cooperative=coop,
        first_day=day,
        last_day=day,
        seconds_per_day=1,
        status=RunStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        lease_expires_at=timezone.now() + lease_left,
        **fields,
    )


def test_only_one_run_at_a_time(coop, coordinator, ana, people, day):
    live = running(coop, day, lease_left=timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already under way"):
        run(coop, coordinator, day)
    live.refresh_from_db()
    assert live.status == RunStatus.RUNNING


def test_a_run_whose_worker_stopped_frees_the_slot_and_says_why(
    coop, coordinator, ana, people, day
):
    orphan = running(coop, day, lease_left=-timedelta(seconds=1))
    # Half written when the worker died: never shown, and discarded with the run.
    unfinished = Roster.objects.create(
        cooperative=coop, first_day=day, last_day=day, run=orphan, status=RosterStatus.WRITING
    )
    new = run(coop, coordinator, day)
    new.refresh_from_db()
    assert new.status == RunStatus.DONE
    orphan.refresh_from_db()
    assert orphan.status == RunStatus.FAILED and orphan.finished_at is not None
    assert "process computing this roster stopped" in orphan.message
    unfinished.refresh_from_db()
    assert unfinished.status == RosterStatus.DISCARDED


def test_looking_at_the_runs_gives_up_those_whose_worker_stopped(coop, day):
    orphan = running(coop, day, lease_left=-timedelta(seconds=1))
    asked_to_stop = running(coop, day, lease_left=-timedelta(seconds=1), cancel_requested=True)
    live = running(coop, day, lease_left=timedelta(seconds=30))
    assert runs.give_up_lapsed(coop) == 2
    for each in (orphan, asked_to_stop, live):
        each.refresh_from_db()
    assert orphan.status == RunStatus.FAILED
    # The coordinator had asked to stop it: that is what happened, worker or not.
    assert asked_to_stop.status == RunStatus.CANCELLED
    assert live.status == RunStatus.RUNNING
    assert runs.give_up_lapsed(coop) == 0


def test_cancelling_a_run_whose_worker_stopped_cancels_it_at_once(coop, day):
    orphan = running(coop, day, lease_left=-timedelta(seconds=1))
    runs.cancel(orphan)
    assert orphan.status == RunStatus.CANCELLED and orphan.finished_at is not None
    assert "process computing it had stopped" in orphan.message
    with pytest.raises(ValidationError, match="already finished"):
        runs.cancel(orphan)


def test_cancelling_a_run_with_a_live_worker_asks_the_worker_to_stop(coop, day):
    live = running(coop, day, lease_left=timedelta(minutes=1))
    runs.cancel(live)
    assert live.status == RunStatus.RUNNING and live.cancel_requested


def test_the_worker_renews_its_lease_as_it_reports(
    coop, coordinator, ana, people, day, monkeypatch
):
    real = runs.plan_day
    leases = []

    def watch(period, *args, **kwargs):
        leases.append(RosterRun.objects.get().lease_expires_at)
        return real(period, *args, **kwargs)

    monkeypatch.setattr(runs, "plan_day", watch)
    started_at = timezone.now()
    runs.start_run(coop, day, day + timedelta(days=1), coordinator, seconds=1)
    # Set when the worker took the run, then pushed on at the start of the next day.
    assert len(leases) == 2
    assert leases[0] >= started_at + runs.LEASE
    assert leases[1] > leases[0]


def test_a_worker_whose_run_was_given_up_stops_and_writes_nothing(
    coop, coordinator, ana, people, day, monkeypatch
):
    real = runs.plan_day

    def too_slow(period, *args, **kwargs):
        # The worker was silent past its lease, and a coordinator's look gave the run up.
        RosterRun.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        runs.give_up_lapsed(coop)
        return real(period, *args, **kwargs)

    monkeypatch.setattr(runs, "plan_day", too_slow)
    given_up = runs.start_run(coop, day, day + timedelta(days=1), coordinator, seconds=1)
    given_up.refresh_from_db()
    assert given_up.status == RunStatus.FAILED
    assert "process computing this roster stopped" in given_up.message
    assert not Roster.objects.exists()


def test_a_cancel_while_the_roster_is_written_leaves_no_draft(
    coop, coordinator, ana, people, day, monkeypatch
):
    real = runs.write_roster

    def cancel_first(*args, **kwargs):
        RosterRun.objects.update(cancel_requested=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "write_roster", cancel_first)
    cancelled = runs.start_run(coop, day, day, coordinator, seconds=1)
    cancelled.refresh_from_db()
    assert cancelled.status == RunStatus.CANCELLED
    assert not Roster.objects.exclude(status=RosterStatus.DISCARDED).exists()


def test_a_roster_is_written_in_batches_and_is_a_draft_only_once_complete(
    coop, coordinator, ana, ben, people, day, monkeypatch
):
    monkeypatch.setattr(runs, "WRITE_BATCH", 1)
    seen = []
    real = runs.make_draft

    def check(roster):
        seen.append((roster.status, roster.assignments.count()))
        return real(roster)

    monkeypatch.setattr(runs, "make_draft", check)
    roster = run(coop, coordinator, day).rosters.get()
    assert seen == [(RosterStatus.WRITING, 2)]
    assert roster.status == RosterStatus.DRAFT and roster.assignments.count() == 2


def test_the_search_time_is_bounded(coop, coordinator, ana, people, day):
    with pytest.raises(ValidationError, match="from 1 to 120 seconds"):
        runs.start_run(coop, day, day, coordinator, seconds=0)


# -- the worker ------------------------------------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(**options) -> Worker:
    """A worker that runs what is queued, then stops."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        **options,
    )


def locked_once(monkeypatch, error: OperationalError) -> list:
    """Make the worker's next transaction fail with ``error`` when it opens (as SQLite's
    BEGIN does when another connection holds the lock), once; the failures raised."""
    raised = []
    real = db_worker.exclusive_transaction

    @contextmanager
    def flaky(using=None):
        if not raised:
            raised.append(error)
            raise error
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", flaky)
    return raised


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_outlives_a_locked_database_and_runs_the_next_task(
    coop, coordinator, ana, people, day, monkeypatch
):
    queued = run(coop, coordinator, day)
    assert queued.status == RunStatus.QUEUED
    raised = locked_once(monkeypatch, OperationalError("database is locked"))
    worker(lock_pause=0).run()
    assert len(raised) == 1
    queued.refresh_from_db()
    assert queued.status == RunStatus.DONE and queued.rosters.get().status == RosterStatus.DRAFT
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_django_tasks_db_alone_loses_its_loop_to_a_locked_database(monkeypatch):
    locked_once(monkeypatch, OperationalError("database is locked"))
    plain = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="plain",
        excluded_queue_names=[],
    )
    with pytest.raises(OperationalError, match="locked"):
        plain.run()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.parametrize(
    "error", [OperationalError("disk I/O error"), RuntimeError("something else broke")]
)
def test_the_worker_exits_non_zero_on_any_other_error(monkeypatch, error):
    locked_once(monkeypatch, error)
    # Signal handlers are the process's; leave pytest's alone.
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    with pytest.raises(CommandError) as stopped:
        call_command("worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    assert stopped.value.returncode == 1
    assert str(error) in str(stopped.value)


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_does_not_reload(db):
    with pytest.raises(CommandError, match="does not reload") as refused:
        call_command("worker", "--reload", verbosity=0)
    assert refused.value.returncode == 2
