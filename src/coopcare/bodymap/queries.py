"""Reads of the body map shared by its page and the API."""

from django.db.models import QuerySet

from coopcare.bodymap.models import Mark
from coopcare.care.models import PersonCaredFor


def marks(person: PersonCaredFor) -> QuerySet[Mark]:
    """Every mark of the person, healed ones included, by number, with their follow-ups."""
    return (
        Mark.objects.filter(person=person)
        .select_related("recorded_by", "incident")
        .prefetch_related("follow_ups__by")
    )


def current(all_marks) -> list[Mark]:
    """The marks still on the map: those whose latest follow-up does not say healed."""
    return [mark for mark in all_marks if not mark.healed]
