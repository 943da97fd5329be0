"""Template filters for numbers, money and days in the reader's language (see coopcare.localise)."""

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


@register.filter
def day_in_words(value) -> str:
    """``{{ instalment.due_on|day_in_words }}``: "Tuesday, December 1, 2026"."""
    return localise.day_in_words(value)


@register.filter
def moment_in_words(value) -> str:
    """``{{ assembly.starts_at|moment_in_words }}``: "Saturday, December 5, 2026, 6:00 PM"."""
    return localise.moment_in_words(value)
