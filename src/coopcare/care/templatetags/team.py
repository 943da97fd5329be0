"""``{% who_is_coming grant %}``: who is coming to the person in the next 7 days, day by day,
for a member of their circle granted the person's visits: the time, each carer's first name,
and their photo if the carer agrees it is shown (else their initials), nothing else about
them. On the circle's page and, per person, on the circle member's dashboard."""

from django import template
from django.utils import timezone

from coopcare.care import queries

register = template.Library()


@register.inclusion_tag("care/_who_is_coming.html", takes_context=True)
def who_is_coming(context, grant, heading=True):
    """The coming week of ``grant``'s person, if the grant covers their visits."""
    if not grant.may_see_visits:
        return {"shown": False}
    days = queries.coming_this_week(grant.person, timezone.now())
    queries.mark_photos(grant.person, days, [])
    return {
        "shown": True,
        "days": days,
        "heading": heading,
        "cooperative": context["cooperative"],
    }
