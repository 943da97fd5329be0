"""Showing working time."""

from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as hours and minutes, e.g. 150 → "2:30"."""
    if minutes in (None, ""):
        return ""
    minutes = round(minutes)
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"
