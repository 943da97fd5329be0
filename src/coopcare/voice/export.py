"""Feedback and complaints in a person's data export (``care.export``): the feedback given on
their visits and the complaints about their care, each with its steps."""

from typing import Any

from coopcare.care.export import name, plain, rows
from coopcare.voice.models import Complaint, Feedback


def person_voice(person) -> dict[str, Any]:
    """The feedback on the person's visits and the complaints about their care."""
    cooperative = person.cooperative
    feedback = Feedback.objects.filter(person=person).select_related("author", "visit")
    complaints = Complaint.objects.filter(person=person).prefetch_related("steps__by")
    return {
        "feedback": [
            rows([f], cooperative, exclude=("id", "person", "cooperative", "author", "visit"))[0]
            | {"by": name(f.author), "visit_starts_at": plain(f.visit.starts_at, cooperative)}
            for f in feedback
        ],
        "complaints": [
            rows(
                [c],
                cooperative,
                exclude=("id", "person", "cooperative", "carer", "complainant"),
            )[0]
            | {
                "carer": name(c.carer),
                "steps": [
                    rows([s], cooperative, exclude=("id", "complaint", "by"))[0]
                    | {"by": name(s.by)}
                    for s in c.steps.all()
                ],
            }
            for c in complaints
        ],
    }
