"""Reads about people cared for that pages and the API share, scoped to one cooperative."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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


# The circle's team: the carers coming in the next week and those who came in the last weeks.
TEAM_AHEAD = timedelta(days=7)
TEAM_BEHIND = timedelta(weeks=6)
CHOICES = ("preferred", "refused", "")


@dataclass
class TeamCarer:
    """One carer of the person's team as the circle sees them: the first name only, the
    starts of their planned visits in the coming week, the day they last came, and the
    person's choice ("preferred", "refused" or "")."""

    id: int
    first_name: str
    coming: list[datetime] = field(default_factory=list)
    last_visit: date | None = None
    choice: str = ""
    photo: bool = False


def team_of(person: PersonCaredFor, now: datetime) -> list[TeamCarer]:
    """The carers the person knows: those of their planned visits in the next 7 days, those
    who came in the last 6 weeks, and those already chosen or refused; the ones coming
    first, then by first name."""
    team: dict[int, TeamCarer] = {}

    def member(user) -> TeamCarer:
        if user.pk not in team:
            team[user.pk] = TeamCarer(id=user.pk, first_name=user.first_name)
        return team[user.pk]

    # Visits are read through the person's reverse relations: care does not import visits.
    coming = (
        person.visits.filter(status="planned", starts_at__gte=now, starts_at__lt=now + TEAM_AHEAD)
        .order_by("starts_at")
        .prefetch_related("carers")
    )
    for visit in coming:
        for carer in visit.carers.all():
            member(carer).coming.append(visit.starts_at)
    came = (
        person.visit_records.filter(checked_in_at__gte=now - TEAM_BEHIND, checked_in_at__lt=now)
        .select_related("carer")
        .order_by("checked_in_at")
    )
    for record in came:
        member(record.carer).last_visit = record.checked_in_at.date()
    for carer in person.preferred_carers.all():
        member(carer).choice = "preferred"
    for carer in person.refused_carers.all():
        member(carer).choice = "refused"
    return sorted(team.values(), key=lambda c: (not c.coming, c.first_name.casefold(), c.id))


@dataclass
class ComingCarer:
    """A carer of a coming visit as the circle sees them: the first name, the initials shown
    when there is no photo, and whether their photo may be shown (``mark_photos``)."""

    id: int
    first_name: str
    initials: str
    photo: bool = False


@dataclass
class ComingVisit:
    """A planned visit of the coming week: when, and who is coming (none: not given yet)."""

    starts_at: datetime
    carers: list[ComingCarer]


@dataclass
class ComingDay:
    """One day of the coming week, on the cooperative's clock, with its visits in order."""

    day: date
    visits: list[ComingVisit]


def _initials(user) -> str:
    return "".join(part[0] for part in (user.first_name, user.last_name) if part).upper() or "?"


def coming_this_week(person: PersonCaredFor, now: datetime) -> list[ComingDay]:
    """Who is coming to the person in the next 7 days, day by day (on the cooperative's
    clock), visit by visit: the time and each carer's first name and initials, nothing else
    about them."""
    # Imported here, as in services: care does not import visits at its top.
    from coopcare.visits.zones import on_cooperative_clock

    days: dict[date, ComingDay] = {}
    coming = (
        person.visits.filter(status="planned", starts_at__gte=now, starts_at__lt=now + TEAM_AHEAD)
        .order_by("starts_at", "pk")
        .prefetch_related("carers")
    )
    for visit in coming:
        day = on_cooperative_clock(visit.starts_at, person.cooperative).date()
        carers = [
            ComingCarer(id=carer.pk, first_name=carer.first_name, initials=_initials(carer))
            for carer in sorted(visit.carers.all(), key=lambda c: (c.first_name, c.pk))
        ]
        days.setdefault(day, ComingDay(day, [])).visits.append(
            ComingVisit(starts_at=visit.starts_at, carers=carers)
        )
    return list(days.values())


def mark_photos(person: PersonCaredFor, days: list[ComingDay], team: list[TeamCarer]) -> None:
    """Mark the carers of ``days`` and ``team`` whose photo the person's circle may see: those
    who agree that it is shown and are coming this week or came lately (``work.access``
    answers the photo itself under the same terms)."""
    # Imported here: the photos are work's, and work builds on care.
    from coopcare.work.queries import shown_photos

    serving = {carer.id for day in days for visit in day.visits for carer in visit.carers}
    serving |= {carer.id for carer in team if carer.coming or carer.last_visit}
    shown = shown_photos(person.cooperative, serving)
    for day in days:
        for visit in day.visits:
            for carer in visit.carers:
                carer.photo = carer.id in shown
    for member in team:
        member.photo = member.id in shown and (bool(member.coming) or bool(member.last_visit))
