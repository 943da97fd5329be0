"""Links to feedback and complaints on the person's pages, without care knowing of them:
``{% person_voice person %}`` gives a circle member the way to give feedback on a visit and
to make a complaint, and a coordinator the feedback on the person's visits and a complaint
recorded on someone's behalf; ``{% surveys_to_answer %}`` brings those a satisfaction survey
asks to it from their dashboard."""

from django import template

from coopcare.cooperatives.models import Role
from coopcare.voice import access, queries

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


@register.inclusion_tag("voice/_surveys.html", takes_context=True)
def surveys_to_answer(context):
    """On the dashboard: the open surveys asking the reader that they have not answered, and
    the way to the surveys for the office and the board."""
    request = context["request"]
    cooperative = context["cooperative"]
    return {
        "cooperative": cooperative,
        "to_answer": queries.surveys_to_answer(
            cooperative, request.user, request.roles, queries.today(cooperative)
        ),
        "office": bool(request.roles & set(access.SURVEY_OFFICE)),
    }
