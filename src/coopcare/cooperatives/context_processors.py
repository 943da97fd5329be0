"""Template context: the current cooperative and the user's roles in it."""

from coopcare.cooperatives.access import cooperatives_of, federations_of
from coopcare.cooperatives.models import Role


def cooperative(request):
    """The cooperative a view resolved, the user's roles, and the places they can switch to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = getattr(request, "roles", frozenset())
    return {
        "cooperative": getattr(request, "cooperative", None),
        "roles": roles,
        "role_labels": [Role(role).label for role in sorted(roles)],
        "my_cooperatives": cooperatives_of(user),
        "my_federations": federations_of(user),
    }
