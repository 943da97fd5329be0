"""Template tags of governance for pages of other apps: what asks for a member's own action
(the votes open to them, the assemblies they are called to), shown first on the cooperative's
dashboard, which the cooperatives app renders."""

from django import template

from coopcare.governance import queries

register = template.Library()


@register.inclusion_tag("members/_to_act_on.html", takes_context=True)
def member_to_act_on(context, member):
    """The votes open to ``member`` now and the assemblies they are called to and that are not
    yet held, as on their page "My cooperative"; nothing when there are none."""
    return {
        "cooperative": context["cooperative"],
        "member": member,
        "votes": queries.votes_open_to(member),
        "assemblies": queries.called_with_proxies(member),
        "only_if_any": True,
    }
