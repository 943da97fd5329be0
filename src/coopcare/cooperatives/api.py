"""API: the cooperatives the caller belongs to, with their roles."""

from ninja import Router, Schema

from coopcare.cooperatives.access import cooperatives_of, roles_of

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
