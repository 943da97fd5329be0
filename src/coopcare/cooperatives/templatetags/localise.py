"""Template filters for numbers and money in the reader's language (see coopcare.localise)."""

from django import template

from coopcare import localise

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """``{{ amount|money:cooperative.currency }}``"""
    return localise.money(amount, currency)


@register.filter
def number(value, places=None) -> str:
    return localise.number(value, None if places in (None, "") else int(places))


@register.filter
def percent(value) -> str:
    return localise.percent(value)
