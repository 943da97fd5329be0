"""Who may see a person's risk assessments, goals and reviews, and the read log.

They are part of the person's care record: coordinators see everyone's; a carer sees a
person's while they have a visit with them (``care.access.people_visible_to``, 24 hours either
side); a circle member sees them only if the person granted them the care plan. Every read is
logged in the care record read log.
"""

from django.http import Http404

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role

RECORD = "risks and reviews"


def visible_person(user, cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may see their risks and reviews now; 404 otherwise."""
    person = care_access.people_visible_to(user, cooperative, roles).filter(pk=person_id).first()
    if person is not None:
        return person
    if Role.CIRCLE in roles:
        grant = care_access.circle_grant(user, cooperative, person_id)
        if grant.may_see_care_plan:
            return grant.person
    raise Http404


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's risks and reviews."""
    care_access.log_read(user, person, RECORD, via=via)


def log_due(user, rows, via: str = "web") -> None:
    """Record that ``user`` read, in the list of reviews due, which reviews each listed person
    is due (which risks they were assessed for is part of their care record)."""
    people = {row.person.pk: row.person for row in rows}
    care_access.log_reads(user, people.values(), "reviews due", via=via)
