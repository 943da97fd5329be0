"""Visits generated from care plans for a horizon. Generating again never duplicates a visit."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.db import transaction

from coopcare.care.models import CarePlan, CareStatus, PersonCaredFor
from coopcare.shared import days
from coopcare.visits.models import Visit, VisitStatus

HORIZON_DAYS = 28


def local_moment(day: date, at: time = time.min) -> datetime:
    """``day`` at ``at`` in the cooperative's time zone (the install's, ``settings.TIME_ZONE``).
    The clock arithmetic is ``shared.days``; this binds the zone."""
    return days.local_moment(day, at, ZoneInfo(settings.TIME_ZONE))


def _plan_windows(person: PersonCaredFor, start: date, end: date):
    """Each plan version with the dates it applies to within [start, end]."""
    plans = list(person.plans.order_by("valid_from", "version").prefetch_related("tasks"))
    for plan, following in zip(plans, [*plans[1:], None], strict=True):
        first = max(start, plan.valid_from)
        last = min(end, following.valid_from - timedelta(days=1)) if following else end
        if first <= last:
            yield plan, first, last


def _occurrences(plan: CarePlan, task, first: date, last: date):
    rule = rrulestr(task.rrule, dtstart=local_moment(plan.valid_from, task.start_time))
    # A second before midnight, so that a task at 00:00 on the first day is not left out
    # (``between`` without ``inc`` excludes an occurrence on the bound itself).
    after = local_moment(first) - timedelta(seconds=1)
    return rule.between(after, local_moment(last + timedelta(days=1)), inc=False)


@transaction.atomic
def generate_visits(person: PersonCaredFor, start: date, end: date) -> int:
    """Create the planned visits of ``person`` from ``start`` to ``end`` (inclusive) from the
    plan version that applies on each day. Returns how many were new."""
    before = Visit.objects.filter(person=person).count()
    visits = [
        Visit(
            cooperative_id=person.cooperative_id,
            person=person,
            plan=plan,
            task=task,
            starts_at=when,
            # Added on UTC: on a clock-change night, local wall time would gain or lose an hour.
            ends_at=when.astimezone(UTC) + timedelta(minutes=task.duration_minutes),
            double_handed=task.double_handed,
        )
        for plan, first, last in _plan_windows(person, start, end)
        for task in plan.tasks.all()
        for when in _occurrences(plan, task, first, last)
    ]
    # The unique (task, start) constraint makes re-running a no-op for visits already there.
    Visit.objects.bulk_create(visits, ignore_conflicts=True)
    return Visit.objects.filter(person=person).count() - before


def generate_horizon(person: PersonCaredFor, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate ``days`` of visits from ``start`` (four weeks by default)."""
    return generate_visits(person, start, start + timedelta(days=days - 1))


def generate_for_cooperative(cooperative, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate the coming ``days`` of visits for every active person of the cooperative."""
    people = PersonCaredFor.objects.filter(cooperative=cooperative, status=CareStatus.ACTIVE)
    return sum(generate_horizon(person, start, days) for person in people)


def replace_planned_visits(person: PersonCaredFor, valid_from: date) -> None:
    """After a new plan version: drop the visits still only planned from ``valid_from`` on and
    generate them again, up to where visits had been generated. Done visits stay as they were."""
    # The new version has no visits yet, so every planned visit from its date is an old one.
    # Ids first, then writes by id: a plain plan whatever the table statistics say.
    stale = dict(
        Visit.objects.filter(
            person=person, starts_at__gte=local_moment(valid_from), status=VisitStatus.PLANNED
        ).values_list("pk", "starts_at")
    )
    if not stale:
        return
    # Planned visits already given to carers are kept as cancelled, so carers see the change.
    given = set(
        Visit.carers.through.objects.filter(visit_id__in=stale).values_list("visit_id", flat=True)
    )
    Visit.objects.filter(pk__in=given).update(status=VisitStatus.CANCELLED)
    Visit.objects.filter(pk__in=stale.keys() - given).delete()
    horizon = max(stale.values()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    generate_visits(person, valid_from, horizon)
