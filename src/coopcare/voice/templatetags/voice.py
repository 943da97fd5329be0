"""Links to feedback and complaints on the person's pages, without care knowing of them:
``{% person_voice person %}`` gives a circle member the way to give feedback on a visit and
to make a complaint, and a coordinator the feedback on the person's visits and a complaint
recorded on someone's behalf."""

from django import template

from coopcare.cooperatives.models import Role

register = template.Library()


@register.inclusion_tag("voice/_person_voice.html", takes_context=True)
def person_voice(context, person):
    """The links the reader's roles give on the person's page."""
    request = context["request"]
    return {
        "cooperative": request.cooperative,
        "person": person,
        "is_coordinator": Role.COORDINATOR in request.roles,
        "is_circle": Role.CIRCLE in request.roles,
    }
