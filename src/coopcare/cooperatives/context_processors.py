"""Template context: the current cooperative and the user's roles in it."""

from coopcare.cooperatives.access import cooperatives_of, federations_of
from coopcare.cooperatives.models import Role
from coopcare.pages import remembered

CAN_SWITCH_KEY = "coopcare.can_switch"


def cooperative(request):
    """The cooperative a view resolved, the user's roles, and whether they have other places to
    switch to (other cooperatives, federations), remembered in the session: every page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = getattr(request, "roles", frozenset())
    return {
        "cooperative": getattr(request, "cooperative", None),
        "roles": roles,
        "role_labels": [Role(role).label for role in sorted(roles)],
        "can_switch": remembered(
            request,
            CAN_SWITCH_KEY,
            lambda: len(cooperatives_of(user)) > 1 or bool(federations_of(user)),
        ),
    }
