"""The demo at any hour: the ``carer`` login has a visit due now whenever the demo starts.

The demo's visits follow the cooperative's day (Bologna's), so someone trying it in the evening,
or from another time zone, would find no visit near enough to check in. ``coopcare demo`` calls
``visit_due_now`` each time it starts, on a new or an existing demo database: a visit of the
carer's own that is due keeps its place; otherwise a one-off visit of a person they serve (one
of their care plan's tasks, with its steps and the person's own way of confirming visits) is
added at the next quarter hour (the next minute just before midnight), after whatever the carer
or the person is already busy with, so nobody is in two places at once. It is given to the
carer directly, not through a roster edit: late in the evening the carer's usual hours and
daily rest would refuse it, and the point is to let people try checking in. The seed itself
never calls it: the same seed and day give the same data, whatever the clock says.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coopcare.care.models import CareStatus, PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.visits import services as visits
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work.queries import skills_on

CARER_LOGIN = "carer"
COOPERATIVE_SLUG = "cura-insieme"
MINUTES = 30
# A planned visit of the carer's starting this close to now is due already.
DUE_BEFORE, DUE_AFTER = timedelta(minutes=30), timedelta(hours=1)
# Time to travel from one home to the next, as the demo's visits leave.
GAP = timedelta(minutes=15)
QUARTER = timedelta(minutes=15)


def _next_quarter(moment: datetime) -> datetime:
    """The first quarter hour strictly after ``moment``, on the cooperative's clock."""
    local = timezone.localtime(moment).replace(second=0, microsecond=0)
    return local + timedelta(minutes=15 - local.minute % 15)


def _soon(now: datetime) -> datetime:
    """When the visit due now starts: the next quarter hour, or the next minute late in the
    evening, so that it stays on today's page of the carer's visits."""
    start = _next_quarter(now)
    if timezone.localdate(start) != timezone.localdate(now):
        start = timezone.localtime(now).replace(second=0, microsecond=0) + timedelta(minutes=1)
    return start


def _free_from(start: datetime, busy: list[tuple[datetime, datetime]]) -> datetime:
    """The first quarter hour from ``start`` when a visit of ``MINUTES`` fits between the
    ``busy`` intervals with ``GAP`` either side."""
    length = timedelta(minutes=MINUTES)
    for begins, ends in sorted(busy):
        if start + length + GAP <= begins:
            break
        if ends + GAP > start:
            start = _next_quarter(ends + GAP - timedelta(microseconds=1))
    return start


def _people(cooperative: Cooperative, carer, now: datetime):
    """The people the carer visits, in care now, the eldest first (their care plans are the
    demo's usual morning, lunch and bath visits, not a child's after-school hours)."""
    return (
        PersonCaredFor.objects.filter(
            cooperative=cooperative,
            status=CareStatus.ACTIVE,
            visits__carers=carer,
            visits__starts_at__gte=now - timedelta(days=35),
        )
        .distinct()
        .order_by("date_of_birth", "pk")
    )


@transaction.atomic
def visit_due_now(now: datetime | None = None) -> Visit | None:
    """A visit of the demo's ``carer`` login that they can check in to at ``now`` (default:
    the clock): one of theirs due now, or a one-off visit added for it. None when the demo
    has no such carer, or none of their people can have a visit then."""
    now = now or timezone.now()
    cooperative = Cooperative.objects.filter(slug=COOPERATIVE_SLUG).first()
    carer = get_user_model().objects.filter(username=CARER_LOGIN).first()
    if cooperative is None or carer is None:
        return None
    theirs = Visit.objects.filter(cooperative=cooperative, carers=carer).exclude(
        status__in=[VisitStatus.CANCELLED, VisitStatus.MISSED]
    )
    due = (
        theirs.filter(
            status=VisitStatus.PLANNED,
            starts_at__gte=now - DUE_BEFORE,
            starts_at__lte=now + DUE_AFTER,
        )
        .order_by("starts_at")
        .first()
    )
    if due is not None:
        return due
    busy = list(
        theirs.filter(
            starts_at__lt=now + timedelta(hours=12), ends_at__gt=now - timedelta(hours=12)
        ).values_list("starts_at", "ends_at")
    )
    skills = skills_on(cooperative, timezone.localdate(now)).get(carer.pk, set())
    for person in _people(cooperative, carer, now):
        # Nor is the person to have two visits at once.
        others = person.visits.exclude(
            status__in=[VisitStatus.CANCELLED, VisitStatus.MISSED]
        ).filter(starts_at__lt=now + timedelta(hours=12), ends_at__gt=now - timedelta(hours=12))
        start = _free_from(_soon(now), busy + list(others.values_list("starts_at", "ends_at")))
        plan = (
            person.plans.filter(valid_from__lte=timezone.localdate(start))
            .order_by("-valid_from", "-version")
            .first()
        )
        if plan is None:
            continue
        tasks = [
            t
            for t in plan.tasks.order_by("pk")
            if not t.double_handed and set(t.skill_list) <= skills
        ]
        if not tasks:
            continue
        try:
            with transaction.atomic():
                visit = visits.add_visit(person, tasks[0], start, MINUTES, now=now)
        except ValidationError:
            continue  # not in care that day (a hospital stay): the next person
        visits.add_carer(visit, carer)
        return visit
    return None
