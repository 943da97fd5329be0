"""Visits' sections of a person's data export (``care.export``), beside the visits and their
records care writes: the breaks in the person's care, every visit cancelled, who asked and
why, and the handover notes left for the next carer with who read them."""

from typing import Any

from coopcare.care.export import name, plain
from coopcare.visits.models import Cancellation, CareBreak, HandoverNote


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


def person_handover_notes(person) -> dict[str, Any]:
    """The handover notes carers and coordinators left about the person, with who read them."""
    cooperative = person.cooperative
    notes = (
        HandoverNote.objects.filter(person=person)
        .select_related("written_by", "visit")
        .prefetch_related("acknowledgements__carer")
    )
    return {
        "handover_notes": [
            {
                "written_at": plain(n.written_at, cooperative),
                "written_by": name(n.written_by),
                "text": n.text,
                "at_visit": plain(n.visit.starts_at, cooperative) if n.visit else None,
                "no_longer_relevant_since": plain(n.retired_at, cooperative),
                "read_by": [
                    {"by": name(a.carer), "at": plain(a.at, cooperative)}
                    for a in n.acknowledgements.all()
                ],
            }
            for n in notes
        ]
    }
