"""Showing working time."""

from django import template

from coopcare import localise

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as hours and minutes the way every page shows time, e.g. 150 → "2 hr 30 min"
    (``localise.duration``)."""
    return localise.duration(minutes)
