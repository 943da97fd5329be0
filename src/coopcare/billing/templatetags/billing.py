"""Billing on other apps' pages, without their views knowing of billing:
``{% budget_overruns roster %}`` lists the hours budgets the visits of the roster's days put
over, so that the coordinator sees them before publishing (each person shown is a logged
read); ``{% family_invoices %}`` links a family that pays for someone's care to its invoices
and payments from its home page."""

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


@register.inclusion_tag("billing/_family_link.html", takes_context=True)
def family_invoices(context):
    """A link to the user's own invoices and payments when they are the login of a family
    payer of the cooperative; nothing otherwise."""
    request = context["request"]
    cooperative = context["cooperative"]
    return {
        "cooperative": cooperative,
        "pays": queries.family_payers(cooperative, request.user).exists(),
    }
