"""Roster runs: a coordinator asks for a period, the planner works in the background, and the
result is a draft roster. A run that fails or is cancelled writes no roster, so the rosters
already there (draft or published) stay as they were."""

import logging
import time
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
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
from coopcare.rostering.planning import DayResult, Period, carers_of, plan_day, visits_to_plan
from coopcare.rostering.policies import policy_on
from coopcare.visits.services import generate_for_cooperative
from coopcare.work.models import Contract

log = logging.getLogger(__name__)

MAX_DAYS = 14
SECONDS_PER_DAY = 10
MAX_SECONDS = 120
REPORT_EVERY = 0.5  # seconds between progress writes (and looks for a cancel)


def run_problems(cooperative: Cooperative, first: date, last: date) -> list[str]:
    """Why a roster of ``first``..``last`` cannot be run, in words (none: it can)."""
    today = timezone.localdate()
    if last < first:
        return [_("The last day must be on or after the first.")]
    problems = []
    if last < today:
        problems.append(_("This period is over: a roster is made for days to come."))
    elif first < today:
        problems.append(_("A roster starts today at the earliest; these days have begun."))
    if (last - first).days >= MAX_DAYS:
        problems.append(_("A roster covers at most %(days)s days.") % {"days": MAX_DAYS})
    working = Contract.objects.filter(
        cooperative=cooperative,
        carer__in=carers_of(cooperative),
        starts_on__lte=last,
    ).exclude(ends_on__lt=first)
    if not working.exists():
        problems.append(
            _(
                "No carer has a contract in this period, so there is nobody to roster: add "
                "carers and their contracts under Work and pay first."
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
            _("The search time must be from 1 to %(most)s seconds a day.") % {"most": MAX_SECONDS}
        )
    if problems:
        raise ValidationError(problems)
    if RosterRun.objects.filter(
        cooperative=cooperative, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists():
        raise ValidationError(_("A roster run is already under way; wait for it or cancel it."))
    generate_for_cooperative(cooperative, first, (last - first).days + 1)
    if not visits_to_plan(cooperative, first, last).exists():
        raise ValidationError(
            _("There are no visits to plan in this period: write care plans with tasks first.")
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


def cancel(run: RosterRun) -> None:
    """Stop a run: at once if it has not started, else at the planner's next report."""
    if run.status == RunStatus.QUEUED:
        RosterRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.CANCELLED, finished_at=timezone.now()
        )
    elif run.status == RunStatus.RUNNING:
        RosterRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    else:
        raise ValidationError(_("This run has already finished."))
    run.refresh_from_db()


class _Reporter:
    """Writes a run's progress now and then, and tells the planner when to stop."""

    def __init__(self, run: RosterRun, days: int):
        self.run, self.days, self.day = run, days, 0
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
        fields = {"progress": min(99, int(100 * (self.day + share) / self.days))}
        if best_cost is not None:
            fields["best_cost"] = best_cost
        RosterRun.objects.filter(pk=self.run.pk).update(**fields)
        self.cancelled = RosterRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists()


@task()
def plan_roster(run_id: int) -> int | None:
    """The background task: plan each day of the run's period; the draft roster's id."""
    run = RosterRun.objects.get(pk=run_id)
    started = RosterRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not started:  # cancelled while it waited
        return None
    try:
        return _plan(run)
    except Exception as error:
        log.exception("roster run %s failed", run_id)
        RosterRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=_("The planner stopped with an error (%(error)s); nothing was changed.")
            % {"error": f"{type(error).__name__}: {error}"},
        )
        raise


def _plan(run: RosterRun) -> int | None:
    reporter = _Reporter(run, (run.last_day - run.first_day).days + 1)
    results = plan_period(
        run.cooperative, run.first_day, run.last_day, run.seconds_per_day, reporter
    )
    if results is None:
        RosterRun.objects.filter(pk=run.pk).update(
            status=RunStatus.CANCELLED, finished_at=timezone.now()
        )
        return None
    with transaction.atomic():
        roster = save_draft(run.cooperative, run.first_day, run.last_day, results, run)
        RosterRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, progress=100, finished_at=timezone.now()
        )
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
    by_day = defaultdict(list)
    for visit in visits_to_plan(cooperative, first, last, since):
        by_day[timezone.localdate(visit.starts_at)].append(visit)
    results = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        results.append(plan_day(period, day, by_day[day], seconds, reporter, solution_limit))
        if reporter is not None and reporter.next_day():
            return None
    return results


@transaction.atomic
def save_draft(
    cooperative: Cooperative, first: date, last: date, results: list[DayResult], run=None
) -> Roster:
    """The planned days as a draft roster, which replaces the drafts it overlaps (published
    rosters stay until this one is published)."""
    costs: dict[str, float] = defaultdict(float)
    for result in results:
        for part, value in result.costs.items():
            costs[part] += value
    Roster.objects.filter(
        cooperative=cooperative,
        status=RosterStatus.DRAFT,
        first_day__lte=last,
        last_day__gte=first,
    ).update(status=RosterStatus.DISCARDED)
    roster = Roster.objects.create(
        cooperative=cooperative, first_day=first, last_day=last, run=run, costs=dict(costs)
    )
    Assignment.objects.bulk_create(
        Assignment(roster=roster, visit=visit, carer_id=carer, reasons=why)
        for result in results
        for visit, carer, why in result.assigned
    )
    Unplaced.objects.bulk_create(
        Unplaced(roster=roster, visit=visit, reasons=why)
        for result in results
        for visit, why in result.unplaced
    )
    return roster
