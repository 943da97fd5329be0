from django import template
from django.utils.translation import gettext_lazy as _

from coopcare.rostering.wording import say as say_reasons

register = template.Library()

COST_PARTS = {
    "travel": _("travel"),
    "tardiness": _("lateness"),
    "max_tardiness": _("longest lateness"),
    "continuity": _("visits by carers the person does not know"),
    "preference": _("visits against the person's choice"),
    "fairness": _("hours away from contracts"),
    "unassigned": _("visits left out"),
}


@register.filter
def say(reasons) -> str:
    """Stored reasons in the reader's language."""
    return say_reasons(reasons)


@register.filter
def cost_part(name: str) -> str:
    """A part of the planner's objective in words."""
    return str(COST_PARTS.get(name, name))
