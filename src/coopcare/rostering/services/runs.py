"""Roster runs: a coordinator asks for a period, the planner works in the background, and the
result is a draft roster. A run that fails or is cancelled writes no roster, so the rosters
already there (draft or published) stay as they were.

The worker running a run holds a lease on it and renews it each time it reports progress. A
worker can die without a word (killed, out of memory, the machine restarted): a running run
whose lease has lapsed is given up as failed the next time anyone starts a run or looks at the
runs, so it no longer holds the cooperative's one run at a time.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coopcare.cooperatives.models import Cooperative
from coopcare.planner.solve import Progress
from coopcare.rostering.models import (
    Assignment,
    Roster,
    RosterRun,
    RosterStatus,
    RunStatus,
    Unplaced,
)
from coopcare.rostering.planning import (
    DayResult,
    Period,
    beyond_budgets,
    carers_of,
    plan_day,
    visits_to_plan,
)
from coopcare.rostering.policies import policy_on
from coopcare.visits.services import generate_for_cooperative
from coopcare.work.models import Contract

log = logging.getLogger(__name__)

MAX_DAYS = 14
SECONDS_PER_DAY = 10
MAX_SECONDS = 120
REPORT_EVERY = 0.5  # seconds between progress writes (and looks for a cancel)
# How long a worker may go without a sign of life before its run is given up. The routing
# solver holds the interpreter for a whole day's search and calls back only when it finds a
# better roster, so a live worker can be silent for up to a day's search time: the lease is two
# minutes on top of that, renewed at each report (every REPORT_EVERY seconds while the planner
# reports, and at least at the start of each day).
LEASE = timedelta(minutes=2)
# Rows per transaction when a run writes its roster, and a pause between two transactions on
# SQLite, which has no queue of writers: one waiting for the lock polls for it (about every
# 100 ms), so back-to-back transactions would keep carers' check-ins waiting until they time out.
WRITE_BATCH = 500
WRITE_PAUSE = 0.1


def run_problems(cooperative: Cooperative, first: date, last: date) -> list[ValidationError]:
    """Why a roster of ``first``..``last`` cannot be run, each with its code (none: it can)."""
    today = timezone.localdate()
    if last < first:
        return [
            ValidationError(
                _("The last day must be on or after the first."), code="period_reversed"
            )
        ]
    problems = []
    if last < today:
        problems.append(
            ValidationError(
                _("This period is over: a roster is made for days to come."), code="period_over"
            )
        )
    elif first < today:
        problems.append(
            ValidationError(
                _("A roster starts today at the earliest; these days have begun."),
                code="period_begun",
            )
        )
    if (last - first).days >= MAX_DAYS:
        problems.append(
            ValidationError(
                _("A roster covers at most %(days)s days.") % {"days": MAX_DAYS},
                code="period_too_long",
            )
        )
    working = Contract.objects.overlapping(first, last).filter(
        cooperative=cooperative, carer__in=carers_of(cooperative)
    )
    if not working.exists():
        problems.append(
            ValidationError(
                _(
                    "No carer has a contract in this period, so there is nobody to roster: add "
                    "carers and their contracts under Work and pay first."
                ),
                code="no_carers_with_contract",
            )
        )
    return problems


def start_run(
    cooperative: Cooperative, first: date, last: date, by, seconds: int = SECONDS_PER_DAY
) -> RosterRun:
    """Check the period, generate its visits from the care plans, and queue the planner."""
    problems = run_problems(cooperative, first, last)
    if not 1 <= seconds <= MAX_SECONDS:
        problems.append(
            ValidationError(
                _("The search time must be from 1 to %(most)s seconds a day.")
                % {"most": MAX_SECONDS},
                code="search_time_out_of_range",
            )
        )
    if problems:
        raise ValidationError(problems)
    give_up_lapsed(cooperative)
    if RosterRun.objects.filter(
        cooperative=cooperative, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists():
        raise ValidationError(
            _("A roster run is already under way; wait for it or cancel it."), code="run_under_way"
        )
    generate_for_cooperative(cooperative, first, (last - first).days + 1)
    if not visits_to_plan(cooperative, first, last).exists():
        raise ValidationError(
            _("There are no visits to plan in this period: write care plans with tasks first."),
            code="no_visits_to_plan",
        )
    policy = policy_on(cooperative, first)
    run = RosterRun.objects.create(
        cooperative=cooperative,
        first_day=first,
        last_day=last,
        seconds_per_day=seconds,
        policy=policy if policy.pk else None,
        requested_by=by,
    )
    plan_roster.enqueue(run.pk)
    return run


def lease_of(run: RosterRun) -> timedelta:
    """How long the worker of ``run`` may stay silent and still be taken as alive."""
    return LEASE + timedelta(seconds=run.seconds_per_day)


def _lapsed(now) -> Q:
    # A worker sets the lease in the same update that marks its run running, and the runs left
    # running from before leases were given one that ended at once (migration 0003).
    return Q(status=RunStatus.RUNNING, lease_expires_at__lt=now)


def _worker_stopped() -> str:
    return _(
        "The background process computing this roster stopped; nothing was changed. Start the "
        "run again, and if it stops again, tell whoever looks after the server."
    )


def _cancelled_without_worker() -> str:
    return _("Cancelled; the background process computing it had stopped, so nothing was changed.")


def give_up_lapsed(cooperative: Cooperative) -> int:
    """Close the cooperative's running runs whose worker stopped (their lease lapsed), so they
    no longer hold its one run at a time: failed with the reason, or cancelled if a coordinator
    had asked for that. How many were closed."""
    now = timezone.now()
    lapsed = RosterRun.objects.filter(_lapsed(now), cooperative=cooperative)
    # Read first, outside a transaction: this runs on every look at the runs (the progress bar
    # asks each second) and on SQLite a write transaction would queue behind other writers.
    ids = list(lapsed.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        # The lease is checked again in each update: a worker that reported in the meantime
        # keeps its run.
        mine = RosterRun.objects.filter(_lapsed(now), pk__in=ids)
        closed = mine.filter(cancel_requested=True).update(
            status=RunStatus.CANCELLED, finished_at=now, message=_cancelled_without_worker()
        )
        closed += mine.update(status=RunStatus.FAILED, finished_at=now, message=_worker_stopped())
        _discard_unfinished(ids)
    if closed:
        log.warning("%s: %s roster run(s) given up, their worker stopped", cooperative, closed)
    return closed


def _discard_unfinished(run_ids) -> None:
    """Rosters that runs stopped in the middle of writing are never shown: mark them so."""
    Roster.objects.filter(run_id__in=run_ids, status=RosterStatus.WRITING).exclude(
        run__status=RunStatus.RUNNING  # still being written by a live worker
    ).update(status=RosterStatus.DISCARDED)


def cancel(run: RosterRun) -> None:
    """Stop a run: at once if it has not started or its worker is gone, else at the planner's
    next report (the worker then sees the request and stops)."""
    now = timezone.now()
    this = RosterRun.objects.filter(pk=run.pk)
    with transaction.atomic():
        queued = this.filter(status=RunStatus.QUEUED).update(
            status=RunStatus.CANCELLED, finished_at=now
        )
        orphaned = not queued and this.filter(_lapsed(now)).update(
            status=RunStatus.CANCELLED,
            cancel_requested=True,
            finished_at=now,
            message=_cancelled_without_worker(),
        )
        if orphaned:
            _discard_unfinished([run.pk])
        elif not queued and not this.filter(status=RunStatus.RUNNING).update(cancel_requested=True):
            raise ValidationError(_("This run has already finished."), code="run_finished")
    run.refresh_from_db()


class _Reporter:
    """Writes a run's progress now and then, renewing the worker's lease on the run, and tells
    the planner when to stop: when a coordinator cancelled the run, or when the run is no
    longer this worker's (given up after its lease lapsed)."""

    def __init__(self, run: RosterRun, days: int):
        self.run, self.days, self.day = run, days, 0
        self.lease = lease_of(run)
        self.last = 0.0
        self.cancelled = False

    def __call__(self, progress: Progress) -> bool:
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY:
            self.last = now
            share = min(progress.seconds / max(self.run.seconds_per_day, 0.1), 1)
            self.write(best_cost=progress.cost, share=share)
        return self.cancelled

    def next_day(self) -> bool:
        self.day += 1
        self.write(share=0)
        return self.cancelled

    def write(self, share: float, best_cost: float | None = None) -> None:
        fields = {
            "progress": min(99, int(100 * (self.day + share) / self.days)),
            "lease_expires_at": timezone.now() + self.lease,
        }
        if best_cost is not None:
            fields["best_cost"] = best_cost
        self.cancelled = not self._still_ours().update(**fields)

    def keep_going(self) -> bool:
        """Renew the lease between two steps of writing the roster; False: stop."""
        self.cancelled = not self._still_ours().update(lease_expires_at=timezone.now() + self.lease)
        return not self.cancelled

    def _still_ours(self):
        return RosterRun.objects.filter(
            pk=self.run.pk, status=RunStatus.RUNNING, cancel_requested=False
        )


@task()
def plan_roster(run_id: int) -> int | None:
    """The background task: plan each day of the run's period; the draft roster's id."""
    run = RosterRun.objects.get(pk=run_id)
    now = timezone.now()
    started = RosterRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, lease_expires_at=now + lease_of(run)
    )
    if not started:  # cancelled while it waited
        return None
    try:
        return _plan(run)
    except Exception as error:
        log.exception("roster run %s failed", run_id)
        with transaction.atomic():
            # Only while still running: a run given up or cancelled meanwhile keeps its reason.
            RosterRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                message=_("The planner stopped with an error (%(error)s); nothing was changed.")
                % {"error": f"{type(error).__name__}: {error}"},
            )
            _discard_unfinished([run_id])
        raise


def _stopped(run: RosterRun) -> None:
    """The run stopped before its end: cancelled, unless it was given up meanwhile."""
    with transaction.atomic():
        RosterRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.CANCELLED, finished_at=timezone.now()
        )
        _discard_unfinished([run.pk])


def _plan(run: RosterRun) -> int | None:
    reporter = _Reporter(run, (run.last_day - run.first_day).days + 1)
    results = plan_period(
        run.cooperative, run.first_day, run.last_day, run.seconds_per_day, reporter
    )
    if results is None:
        _stopped(run)
        return None
    roster = write_roster(
        run.cooperative, run.first_day, run.last_day, results, run, reporter.keep_going
    )
    if roster is None:
        _stopped(run)
        return None
    with transaction.atomic():
        # The run is done only if it is still this worker's and nobody cancelled it while the
        # roster was being written; the draft appears in the same transaction.
        done = RosterRun.objects.filter(
            pk=run.pk, status=RunStatus.RUNNING, cancel_requested=False
        ).update(status=RunStatus.DONE, progress=100, finished_at=timezone.now())
        if done:
            make_draft(roster)
    if not done:
        _stopped(run)
        return None
    return roster.pk


def plan_period(
    cooperative: Cooperative,
    first: date,
    last: date,
    seconds: float,
    reporter: _Reporter | None = None,
    since=None,
    solution_limit: int | None = None,
) -> list[DayResult] | None:
    """Plan each day from ``first`` to ``last`` in turn; None if the reporter says cancel."""
    period = Period.load(cooperative, first, last, since)
    to_plan = list(visits_to_plan(cooperative, first, last, since))
    # Under a budget policy that refuses, the visits beyond a person's hours budget are never
    # given to the planner: they stay unplanned with their reason.
    beyond = beyond_budgets(cooperative, first, last, to_plan)
    by_day = defaultdict(list)
    left_out = defaultdict(list)
    for visit in to_plan:
        day = timezone.localdate(visit.starts_at)
        if visit.pk in beyond:
            left_out[day].append((visit, [beyond[visit.pk]]))
        else:
            by_day[day].append(visit)
    results = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        result = plan_day(period, day, by_day[day], seconds, reporter, solution_limit)
        result.unplaced.extend(left_out[day])
        results.append(result)
        if reporter is not None and reporter.next_day():
            return None
    return results


def save_draft(
    cooperative: Cooperative, first: date, last: date, results: list[DayResult], run=None
) -> Roster:
    """The planned days as a draft roster, which replaces the drafts it overlaps (published
    rosters stay until this one is published)."""
    # Without ``keep_going`` nothing asks it to stop, so a roster is always written.
    roster = cast(Roster, write_roster(cooperative, first, last, results, run))
    make_draft(roster)
    return roster


def write_roster(
    cooperative: Cooperative,
    first: date,
    last: date,
    results: list[DayResult],
    run=None,
    keep_going: Callable[[], bool] | None = None,
) -> Roster | None:
    """Write the planned days as a roster being written (shown to nobody), in short
    transactions of ``WRITE_BATCH`` rows, so that carers checking in meanwhile are not kept
    waiting for the database; ``make_draft`` then makes it the draft. Between two transactions
    ``keep_going()`` may say to stop: then the roster is discarded and None returned."""
    costs: dict[str, float] = defaultdict(float)
    for result in results:
        for part, value in result.costs.items():
            costs[part] += value
    roster = Roster.objects.create(
        cooperative=cooperative,
        first_day=first,
        last_day=last,
        run=run,
        costs=dict(costs),
        status=RosterStatus.WRITING,
    )
    assigned = [
        Assignment(roster=roster, visit=visit, carer_id=carer, reasons=why)
        for result in results
        for visit, carer, why in result.assigned
    ]
    unplaced = [
        Unplaced(roster=roster, visit=visit, reasons=why)
        for result in results
        for visit, why in result.unplaced
    ]
    batches: tuple[tuple[type[Assignment] | type[Unplaced], list[Any]], ...] = (
        (Assignment, assigned),
        (Unplaced, unplaced),
    )
    for model, rows in batches:
        for start in range(0, len(rows), WRITE_BATCH):
            if keep_going is not None and not keep_going():
                Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.DISCARDED)
                return None
            model.objects.bulk_create(rows[start : start + WRITE_BATCH])
            _let_others_write()
    return roster


def _let_others_write() -> None:
    # Inside an outer transaction the lock is held anyway; pausing would only slow it down.
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(WRITE_PAUSE)


@transaction.atomic
def make_draft(roster: Roster) -> None:
    """Make a fully written roster the draft, discarding the drafts it overlaps (published
    rosters stay until this one is published)."""
    Roster.objects.filter(
        cooperative_id=roster.cooperative_id,
        status=RosterStatus.DRAFT,
        first_day__lte=roster.last_day,
        last_day__gte=roster.first_day,
    ).update(status=RosterStatus.DISCARDED)
    Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.DRAFT)
    roster.status = RosterStatus.DRAFT
