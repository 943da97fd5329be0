"""Which visits a user may act on, the same for pages and the API."""

from django.db.models import QuerySet

from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit


def visits_of(user, cooperative, roles) -> QuerySet[Visit]:
    """A coordinator's whole cooperative; a carer only the visits they are rostered on."""
    visits = Visit.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR not in roles:
        visits = visits.filter(carers=user)
    return visits
