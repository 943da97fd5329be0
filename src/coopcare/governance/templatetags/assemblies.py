"""Template tags of governance for pages of other apps: the assemblies a member is called to,
shown on the cooperative's dashboard, which the cooperatives app renders."""

from django import template

from coopcare.governance import queries

register = template.Library()


@register.simple_tag
def called_to(member):
    """The assemblies ``member`` was sent the notice of and that are not yet held."""
    return list(queries.called_to(member.cooperative, member))
