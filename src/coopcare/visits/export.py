"""Visits' sections of a person's data export (``care.export``), beside the visits and their
records care writes: the breaks in the person's care and every visit cancelled, who asked and
why."""

from typing import Any

from coopcare.care.export import name, plain
from coopcare.visits.models import Cancellation, CareBreak


def person_breaks_and_cancellations(person) -> dict[str, Any]:
    """The person's care breaks (pauses, hospital stays, the end of care) and cancellations."""
    cooperative = person.cooperative
    return {
        "care_breaks": [
            {
                "kind": b.kind,
                "first_day": plain(b.first_day, cooperative),
                "last_day": plain(b.last_day, cooperative),
                "resumed_on": plain(b.resumed_on, cooperative),
                "reason": b.reason,
                "recorded_by": name(b.recorded_by),
                "recorded_at": plain(b.recorded_at, cooperative),
            }
            for b in CareBreak.objects.filter(person=person).select_related("recorded_by")
        ],
        "cancellations": [
            {
                "visit_starts_at": plain(c.visit.starts_at, cooperative),
                "task": c.visit.task.title,
                "asked_by": c.requested_by,
                "why": c.reason,
                "cancelled_at": plain(c.cancelled_at, cooperative),
                "cancelled_by": name(c.cancelled_by),
                "short_notice": c.short_notice,
                "moved_to": plain(c.moved_to.starts_at, cooperative) if c.moved_to else None,
                "planned_again_at": plain(c.reinstated_at, cooperative),
            }
            for c in Cancellation.objects.filter(visit__person=person).select_related(
                "visit__task", "cancelled_by", "moved_to"
            )
        ],
    }
