"""Reads about people cared for that pages and the API share, scoped to one cooperative."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from coopcare.care.models import (
    AdvanceDecision,
    Condition,
    DoorAccess,
    PersonCaredFor,
    PersonChange,
    Signature,
)
from coopcare.cooperatives.models import Role


def carers_of(cooperative) -> QuerySet:
    """The cooperative's carers (users with the carer role), by name: the ones a person may
    choose or refuse."""
    return (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.CARER
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def changes_of(cooperative, person: PersonCaredFor) -> QuerySet[PersonChange]:
    """The history of the person's record, newest first, with who made each change."""
    return PersonChange.objects.filter(person=person, edit__cooperative=cooperative).select_related(
        "edit__user"
    )


def signatures_of(cooperative, person: PersonCaredFor) -> QuerySet[Signature]:
    """What the person signed, newest first, with the plan or consent signed and on whose
    screen."""
    return Signature.objects.filter(person=person, cooperative=cooperative).select_related(
        "plan", "consent", "collected_by"
    )


def carers_of_ids(ids) -> QuerySet:
    """The users with ``ids``, by name (for the history of chosen and refused carers)."""
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


@dataclass
class DoorFacts:
    """What a carer must know at the door of one person: current allergies first, advance
    decisions (those in force first), health conditions, and access (None when the reader
    may not see it, or nothing is recorded)."""

    person: PersonCaredFor
    allergies: list = field(default_factory=list)
    decisions: list[AdvanceDecision] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    access: DoorAccess | None = None

    @property
    def empty(self) -> bool:
        return not (self.allergies or self.decisions or self.conditions or self.access)


def door_facts(
    cooperative, person_ids: Iterable[int], *, with_access: bool
) -> dict[int, DoorFacts]:
    """The door facts of each of the people, by id, in four queries whatever their number.

    Allergies are medication's (``person.allergies``), read through the relation so that care
    imports no app built on it; an ended allergy is left out. Access (the key safe code among
    it) only ``with_access``: the caller decides who may see it (``care.access``).
    """
    people = PersonCaredFor.objects.filter(cooperative=cooperative, pk__in=set(person_ids))
    if with_access:
        people = people.select_related("door")
    people = people.prefetch_related("allergies", "conditions", "advance_decisions")
    facts = {}
    for person in people:
        door = getattr(person, "door", None) if with_access else None
        facts[person.pk] = DoorFacts(
            person=person,
            allergies=[a for a in person.allergies.all() if a.ended_at is None],
            decisions=list(person.advance_decisions.all()),
            conditions=list(person.conditions.all()),
            access=door,
        )
    return facts
