"""Who may see a person cared for, and the log of every read of their records.

- Coordinators see the people of their cooperative.
- A carer sees a person only while they have a visit with them, from ``CARE_ACCESS_WINDOW``
  before it starts until the same after it ends.
- A circle member sees only what the person granted them (see ``circle_grant``).

What a carer must know at the door (``door_facts_at_visits``, ``door_facts_of``): allergies,
advance decisions, health conditions and access. Coordinators see all of it, and a carer all
of it for a visit within their window, the key safe code included. A circle member granted
the care plan sees the allergies, decisions and conditions, never the access at the door: the
key safe code opens the home, and only those who work there need it. Each showing is logged.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coopcare.care import queries
from coopcare.care.models import CareRecordRead, CircleMember, PersonCaredFor
from coopcare.cooperatives.models import Role

CARE_ACCESS_WINDOW = timedelta(hours=24)


def people_visible_to(user, cooperative, roles, now=None) -> QuerySet[PersonCaredFor]:
    """The people cared for whose records ``user`` may open in ``cooperative``."""
    people = PersonCaredFor.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR in roles:
        return people
    if Role.CARER in roles:
        now = now or timezone.now()
        return people.filter(
            visits__carers=user,
            visits__starts_at__lte=now + CARE_ACCESS_WINDOW,
            visits__ends_at__gte=now - CARE_ACCESS_WINDOW,
        ).distinct()
    return people.none()


def visible_person(request, person_id: int) -> PersonCaredFor:
    """The person, if the requesting user may see them now; 404 otherwise."""
    return get_object_or_404(
        people_visible_to(request.user, request.cooperative, request.roles), pk=person_id
    )


def circle_grant(user, cooperative, person_id: int) -> CircleMember:
    """The active circle grant of ``user`` for the person, or 404."""
    grant = (
        CircleMember.objects.select_related("person")
        .filter(
            user=user,
            person_id=person_id,
            person__cooperative=cooperative,
            revoked_on__isnull=True,
        )
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def visible_with_care_plan(user, cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may see their care plan and what goes with it (medication,
    risks, the body map): staff who may see the person now (``people_visible_to``), or a
    circle member granted the care plan; 404 otherwise."""
    person = people_visible_to(user, cooperative, roles).filter(pk=person_id).first()
    if person is not None:
        return person
    if Role.CIRCLE in roles:
        grant = circle_grant(user, cooperative, person_id)
        if grant.may_see_care_plan:
            return grant.person
    raise Http404


def log_read(user, person: PersonCaredFor, record: str, via: str = "web") -> None:
    """Record that ``user`` read ``record`` of ``person`` (GDPR art. 9 and 30)."""
    CareRecordRead.objects.create(
        cooperative_id=person.cooperative_id, person=person, user=user, record=record, via=via
    )


def log_reads(user, people, record: str, via: str = "web") -> None:
    """Record that ``user`` read ``record`` of each of ``people`` (one insert for all)."""
    CareRecordRead.objects.bulk_create(
        CareRecordRead(cooperative_id=p.cooperative_id, person=p, user=user, record=record, via=via)
        for p in people
    )


def within_window(visit, now=None) -> bool:
    """Whether ``now`` is within ``CARE_ACCESS_WINDOW`` of the visit (before or after it)."""
    now = now or timezone.now()
    return visit.starts_at - CARE_ACCESS_WINDOW <= now <= visit.ends_at + CARE_ACCESS_WINDOW


def door_facts_at_visits(
    user, cooperative, roles, visits, via: str = "web", now=None
) -> dict[int, queries.DoorFacts]:
    """The door facts for each of ``visits`` (the user's own, from ``visits_of``), by visit id:
    every visit for a coordinator; for a carer only those within their window. Each person
    with something to show is logged as a read of "door", in one insert."""
    if Role.COORDINATOR not in roles:
        visits = [v for v in visits if within_window(v, now)]
    facts = queries.door_facts(cooperative, {v.person_id for v in visits}, with_access=True)
    log_reads(user, [f.person for f in facts.values() if not f.empty], "door", via=via)
    return {v.pk: facts[v.person_id] for v in visits if v.person_id in facts}


def door_facts_of(user, person: PersonCaredFor, *, with_access: bool) -> queries.DoorFacts:
    """The door facts of a person the caller already let ``user`` see (their record, or a
    circle grant of the care plan, then without access), logged as a read of "door" when
    there is something to show."""
    facts = queries.door_facts(person.cooperative, [person.pk], with_access=with_access)
    if not facts[person.pk].empty:
        log_read(user, person, "door")
    return facts[person.pk]
