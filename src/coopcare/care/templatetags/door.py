"""What a carer must know at the door, on the pages that show a person:

- ``{% at_the_door visit %}`` on a carer's visit card: allergies, advance decisions,
  conditions and access, for a visit within the carer's window (every card's people looked up
  and logged once, at the first card);
- ``{% door_facts person %}`` on the person's record, and on a circle member's page without
  the access at the door (``care.access``).
"""

from django import template

from coopcare.care import access
from coopcare.cooperatives.models import Role

register = template.Library()


@register.inclusion_tag("care/_at_the_door.html", takes_context=True)
def at_the_door(context, visit):
    """The door facts of the visit's person, when the carer may see them now."""
    request = context["request"]
    if not hasattr(request, "_door_facts"):
        cards = context.get("cards") or [{"visit": visit}]
        request._door_facts = access.door_facts_at_visits(
            request.user, request.cooperative, request.roles, [card["visit"] for card in cards]
        )
    facts = request._door_facts.get(visit.pk)
    return {"facts": facts, "compact": True}


@register.inclusion_tag("care/_at_the_door.html", takes_context=True)
def door_facts(context, person, with_access=True):
    """The person's door facts; ``with_access=False`` leaves out the access at the door."""
    request = context["request"]
    shown = with_access and bool({Role.COORDINATOR, Role.CARER} & set(request.roles))
    return {"facts": access.door_facts_of(request.user, person, with_access=shown)}
