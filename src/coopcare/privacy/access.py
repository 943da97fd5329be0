"""Who handles data protection, and what the person's circle sees.

- Coordinators record and answer rights requests and breaches; the board reads them.
- A person's own access history (who read their records) is shown to coordinators and to a
  circle member granted the care plan: the grant that lets them read the record lets them
  see who else read it. That member may also make a request for the person.
- Showing the access history, or a request's export, reads the person's records: logged.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coopcare.care import access as care_access
from coopcare.care.models import CircleMember
from coopcare.cooperatives.models import Role
from coopcare.privacy import queries
from coopcare.privacy.models import PersonalDataBreach, RightsRequest

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


def requests_about(cooperative, person) -> QuerySet[RightsRequest]:
    """The rights requests about ``person``."""
    return queries.requests_of(cooperative).filter(person=person)


def answer_data(user, found: RightsRequest, via: str = "web") -> dict:
    """The data a request of access or portability is answered with: the request and what
    is held about its subject. A read of the person's records when about a person cared
    for, logged."""
    data = {"rights_request": queries.request_row(found)} | queries.subject_data(found)
    if found.person is not None:
        care_access.log_read(user, found.person, EXPORT, via=via)
    return data
