from django import template

from coopcare.accounts.names import display_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's name as people read it (``accounts.names.display_name``); empty for none."""
    return display_name(user) if user is not None else ""
