"""Billing on the roster's page, without rostering's views knowing of billing:
``{% budget_overruns roster %}`` lists the hours budgets the visits of the roster's days put
over, so that the coordinator sees them before publishing (each person shown is a logged
read)."""

from django import template

from coopcare.billing import access, queries

register = template.Library()


@register.inclusion_tag("billing/_overruns.html", takes_context=True)
def budget_overruns(context, roster):
    """The budgets over in the periods the roster's days fall in, planned visits included."""
    request = context["request"]
    rows = queries.overruns(roster.cooperative, roster.first_day, roster.last_day)
    access.log_budgets(request.user, rows)
    return {
        "cooperative": roster.cooperative,
        "rows": rows,
        "refused": queries.budget_policy(roster.cooperative) == "refuse",
        "first_day": roster.first_day,
        "last_day": roster.last_day,
    }
