"""The way to a person's data protection page from their record and from the circle's page,
without care knowing of it: ``{% person_privacy person %}``, and on the circle's page
``{% person_privacy person grant %}``."""

from django import template

from coopcare.cooperatives.models import Role
from coopcare.privacy import queries

register = template.Library()


@register.inclusion_tag("privacy/_person_privacy.html", takes_context=True)
def person_privacy(context, person, grant=None):
    """For a coordinator, the link to who read the record and the person's requests, and
    whether the records are restricted; for a circle member granted the care plan, the link
    to the same history and to making a request."""
    request = context["request"]
    coordinator = Role.COORDINATOR in request.roles
    return {
        "cooperative": request.cooperative,
        "person": person,
        "is_coordinator": coordinator,
        "is_circle": grant is not None and grant.may_see_care_plan,
        "restriction": queries.restricted(person) if coordinator else None,
    }
