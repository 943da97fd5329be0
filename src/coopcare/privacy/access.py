"""Who handles data protection, and what the person's circle sees.

- Coordinators record and answer rights requests and breaches; the board reads them.
- A person's own access history (who read their records) is shown to coordinators and to a
  circle member granted the care plan: the grant that lets them read the record lets them
  see who else read it. That member may also make a request for the person.
- A child's guardian sees who read the child's records and the requests made for the child,
  and makes a request for them (GDPR art. 8: they exercise the child's rights).
- Showing the access history, or a request's export, reads the person's records: logged.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coopcare.care import access as care_access
from coopcare.care.models import CircleMember
from coopcare.childcare import access as childcare_access
from coopcare.childcare.models import Child, Guardian
from coopcare.cooperatives.models import Role
from coopcare.privacy import queries
from coopcare.privacy.models import PersonalDataBreach, RightsRequest
from coopcare.respite import access as respite_access

OFFICE = (Role.COORDINATOR, Role.BOARD)
HANDLERS = (Role.COORDINATOR,)
READ_LOG = "read log"
EXPORT = "rights request export"


def visible_request(cooperative, request_id: int) -> RightsRequest:
    """A rights request of ``cooperative``, or 404."""
    return get_object_or_404(queries.requests_of(cooperative), pk=request_id)


def visible_breach(cooperative, breach_id: int) -> PersonalDataBreach:
    """A breach in ``cooperative``'s register, or 404."""
    return get_object_or_404(queries.breaches_of(cooperative), pk=breach_id)


def history_grant(user, cooperative, person_id: int) -> CircleMember:
    """The circle grant that shows ``user`` the person's access history (the care plan's),
    or 404."""
    grant = care_access.circle_grant(user, cooperative, person_id)
    if not grant.may_see_care_plan:
        raise Http404
    return grant


def guardian_of(user, cooperative, child_id: int) -> tuple[Guardian, Child]:
    """``user``'s guardian record for the child and the child, when ``user`` is the child's
    guardian in ``cooperative`` (who exercises the child's rights, GDPR art. 8); 404
    otherwise."""
    guardian = (
        Guardian.objects.filter(cooperative=cooperative, user=user, children__pk=child_id)
        .exclude(full_name="")
        .first()
    )
    if guardian is None:
        raise Http404
    return guardian, get_object_or_404(Child, cooperative=cooperative, pk=child_id)


def requests_about(cooperative, person) -> QuerySet[RightsRequest]:
    """The rights requests about ``person``."""
    return queries.requests_of(cooperative).filter(person=person)


def answer_data(user, found: RightsRequest, via: str = "web") -> dict:
    """The data a request of access or portability is answered with: the request and what
    is held about its subject. A read of the subject's records when about a person cared
    for, a child or a family caregiver, logged in their read log."""
    data = {"rights_request": queries.request_row(found)} | queries.subject_data(found)
    if found.person is not None:
        care_access.log_read(user, found.person, EXPORT, via=via)
    if found.child is not None:
        childcare_access.log_read(user, found.child, EXPORT, via=via)
    if found.caregiver is not None:
        respite_access.log_read(user, found.caregiver, EXPORT, via=via)
    return data
