"""Reads of family caregivers' support shared by the pages, the API and the indicators, each
scoped to one cooperative.

A respite visit is a visit to the person a caregiver cares for whose task is "sitting and
respite" (``care.ServiceType.SITTING``), on a day the caregiver is supported: it is rostered,
checked in and out like any visit, and the respite it gives is counted to the caregiver."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from coopcare.care.models import ServiceType
from coopcare.respite import rules
from coopcare.respite.models import Caregiver, Enrolment, Gathering
from coopcare.visits.models import Visit, VisitRecord, VisitStatus
from coopcare.work.queries import between_days


def caregivers(cooperative) -> QuerySet[Caregiver]:
    """The cooperative's caregivers, with the person each cares for."""
    return Caregiver.objects.filter(cooperative=cooperative).select_related("cares_for")


def _supported(caregiver: Caregiver, day: date) -> bool:
    return rules.supported_on(
        day, caregiver.since, caregiver.ended_on, caregiver.consent_withdrawn_on
    )


def respite_visits(caregiver: Caregiver) -> list[Visit]:
    """The respite visits given to the caregiver, planned and done, soonest last."""
    if caregiver.cares_for_id is None:
        return []
    found = (
        Visit.objects.filter(
            person_id=caregiver.cares_for_id,
            task__service_type=ServiceType.SITTING,
            starts_at__date__gte=caregiver.since,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .prefetch_related("carers")
        .order_by("starts_at")
    )
    return [v for v in found if _supported(caregiver, timezone.localdate(v.starts_at))]


@dataclass
class Respite:
    """Respite given in a period: the done respite visits each caregiver had, by caregiver id,
    and the time of those visits, each visit counted once however many caregivers it
    relieved (from the first check-in to the last check-out of its carers)."""

    visits: dict[int, set[int]] = field(default_factory=dict)
    time: timedelta = timedelta()


def respite_given(cooperative, start: date, end: date) -> Respite:
    """The respite given by the visits done on local days ``start`` to ``end``."""
    supported = [
        c
        for c in Caregiver.objects.filter(
            cooperative=cooperative, cares_for__isnull=False, since__lte=end
        )
        if c.ended_on is None or c.ended_on >= start
    ]
    by_person: dict[int, list[Caregiver]] = defaultdict(list)
    for caregiver in supported:
        if caregiver.cares_for_id is not None:
            by_person[caregiver.cares_for_id].append(caregiver)
    records = VisitRecord.objects.filter(
        visit__person_id__in=by_person,
        visit__task__service_type=ServiceType.SITTING,
        visit__status=VisitStatus.DONE,
        checked_out_at__isnull=False,
        **between_days("visit__starts_at", start, end),
    ).values_list(
        "visit_id", "visit__person_id", "visit__starts_at", "checked_in_at", "checked_out_at"
    )
    spans: dict[int, list] = {}
    for visit_id, person_id, starts_at, checked_in, checked_out in records:
        span = spans.setdefault(visit_id, [person_id, starts_at, checked_in, checked_out])
        span[2], span[3] = min(span[2], checked_in), max(span[3], checked_out)
    respite = Respite()
    for visit_id, (person_id, starts_at, checked_in, checked_out) in spans.items():
        day = timezone.localdate(starts_at)
        relieved = [c for c in by_person[person_id] if _supported(c, day)]
        for caregiver in relieved:
            respite.visits.setdefault(caregiver.pk, set()).add(visit_id)
        if relieved:
            respite.time += checked_out - checked_in
    return respite


def gatherings(cooperative) -> QuerySet[Gathering]:
    """The cooperative's support groups and training sessions, latest first, each with how
    many are enrolled (``enrolled``)."""
    return (
        Gathering.objects.filter(cooperative=cooperative)
        .select_related("facilitator")
        .annotate(enrolled=Count("enrolments"))
    )


def attendances(cooperative, start: date, end: date) -> QuerySet[Enrolment]:
    """The enrolments in the gatherings held on local days ``start`` to ``end``."""
    return Enrolment.objects.filter(
        gathering__cooperative=cooperative, **between_days("gathering__starts_at", start, end)
    )
