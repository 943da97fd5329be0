"""Who may see and add to a person's body map, and the read log.

The body map is part of the person's care record: coordinators see everyone's; a carer sees a
person's while they have a visit with them (``care.access.people_visible_to``, 24 hours either
side); a circle member sees it, read-only, only if the person granted them the care plan.
Coordinators and those carers add marks and follow-ups. Every read is logged in the care
record read log.
"""

from django.http import Http404

from coopcare.bodymap.models import Mark
from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role

RECORD = "body map"
READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)
WRITERS = (Role.COORDINATOR, Role.CARER)


# Who sees a person's body map is who sees their care plan.
visible_person = care_access.visible_with_care_plan


def may_add(user, cooperative, roles, person: PersonCaredFor) -> bool:
    """Whether ``user`` may add marks and follow-ups to the person's body map now."""
    return care_access.people_visible_to(user, cooperative, roles).filter(pk=person.pk).exists()


def writable_person(user, cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may add to their body map now; 404 otherwise."""
    person = care_access.people_visible_to(user, cooperative, roles).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def writable_mark(user, cooperative, roles, mark_id: int) -> Mark:
    """The mark, if ``user`` may follow it up now; 404 otherwise."""
    people = care_access.people_visible_to(user, cooperative, roles)
    mark = Mark.objects.select_related("person").filter(pk=mark_id, person__in=people).first()
    if mark is None:
        raise Http404
    return mark


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's body map."""
    care_access.log_read(user, person, RECORD, via=via)
