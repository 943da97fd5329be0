"""API: the cooperatives the caller belongs to, with their roles; a coordinator's week at a
glance."""

from ninja import Router, Schema

from coopcare.cooperatives.access import cooperatives_of, resolve_cooperative, roles_of
from coopcare.cooperatives.models import Role
from coopcare.cooperatives.queries import this_week

router = Router(tags=["cooperatives"])


class CooperativeOut(Schema):
    slug: str
    name: str
    city: str
    country: str
    currency: str
    roles: list[str]


@router.get("", response=list[CooperativeOut], summary="My cooperatives and roles")
def my_cooperatives(request):
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "city": c.city,
            "country": c.country,
            "currency": c.currency,
            "roles": sorted(roles_of(request.auth, c)),
        }
        for c in cooperatives_of(request.auth)
    ]


class ThisWeekOut(Schema):
    short_of_carers: int
    short_of_carers_days: int
    carers_away: int
    late_to_start: int
    open_incidents: int
    reviews_due: int
    reviews_due_days: int
    qualifications_expiring: int
    qualifications_expiring_days: int


@router.get("/{coop}/this-week", response=ThisWeekOut, summary="The week at a glance")
def week_at_a_glance(request, coop: str):
    """What a coordinator handles first, as counted on their dashboard: visits in the coming
    days without enough carers, carers away today, visits late to start, open incidents,
    reviews due and qualifications expiring."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    return this_week(cooperative)
