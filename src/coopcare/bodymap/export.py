"""The body map's section of a person's data export (``care.export``): every mark found on
them, healed ones too, with its follow-ups."""

from typing import Any

from coopcare.bodymap.models import Mark
from coopcare.care.export import name, rows


def person_body_marks(person) -> dict[str, Any]:
    """The marks on the person's body map and their follow-ups."""
    cooperative = person.cooperative
    marks = (
        Mark.objects.filter(person=person)
        .select_related("recorded_by")
        .prefetch_related("follow_ups__by")
    )
    left_out = ("id", "person", "recorded_by", "visit", "incident")
    return {
        "body_marks": [
            rows([mark], cooperative, exclude=left_out)[0]
            | {
                "recorded_by": name(mark.recorded_by),
                "follow_ups": [
                    rows([f], cooperative, exclude=("id", "mark", "by", "visit"))[0]
                    | {"by": name(f.by)}
                    for f in mark.follow_ups.all()
                ],
            }
            for mark in marks
        ]
    }
