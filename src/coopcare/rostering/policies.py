"""Which roster policy applies on a day, and its shape for the planner."""

from datetime import date

from coopcare.cooperatives.models import Cooperative
from coopcare.planner.model import RosterPolicy as PlannerPolicy
from coopcare.rostering.models import RosterPolicy


def policy_on(cooperative: Cooperative, day: date) -> RosterPolicy:
    """The version in force on ``day``: the latest adopted from that day or before.

    A cooperative that never adopted one gets the defaults (unsaved), so a roster can always
    be made.
    """
    in_force = cooperative.roster_policies.filter(effective_from__lte=day)
    try:
        return in_force.latest()
    except RosterPolicy.DoesNotExist:
        return RosterPolicy(cooperative=cooperative, effective_from=day)


def for_planner(policy: RosterPolicy) -> PlannerPolicy:
    """The policy as the planner's weights."""
    return PlannerPolicy(**{name: float(value) for name, value in policy.weights().items()})
