"""The way into a person's conversation from pages that do not know of it: the person's page
and the circle page (``{% conversation_link person %}``), the family's dashboard and the
carer's day page (``{% my_conversations %}``)."""

from django import template

from coopcare.conversations import access, queries
from coopcare.cooperatives.models import Role

register = template.Library()


@register.inclusion_tag("conversations/_link.html", takes_context=True)
def conversation_link(context, person):
    """A link to the person's conversation with what is new, for those who take part in it."""
    request = context["request"]
    side = access.side_of(request.user, request.cooperative, request.roles, person)
    return {
        "cooperative": request.cooperative,
        "person": person,
        "side": side,
        "unread": queries.unread(person, request.user) if side else 0,
    }


@register.inclusion_tag("conversations/_mine.html", takes_context=True)
def my_conversations(context):
    """The conversations of the people a circle member or a carer writes about, with what is
    new in each: on the family's dashboard and the carer's day page, in a fixed number of
    queries however many people."""
    request = context["request"]
    roles = [r for r in request.roles if r in (Role.CIRCLE, Role.CARER)]
    rows = []
    if roles and Role.COORDINATOR not in request.roles:
        people = access.people_of(request.user, request.cooperative, roles)
        rows = queries.conversations(request.user, people, with_empty=True)
    return {"cooperative": request.cooperative, "rows": rows}
