"""Template filters for numbers, money, days and lengths of time in the reader's language (see
coopcare.localise)."""

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
def day(value) -> str:
    """``{{ roster.first_day|day }}``: "Nov 21, 2026", "21 nov 2026"."""
    return localise.day(value)


@register.filter
def duration(minutes) -> str:
    """``{{ slip.paid_minutes|duration }}``: "154 hr 54 min"."""
    return localise.duration(minutes)


@register.filter
def decimal_hours(value) -> str:
    """``{{ row.authorised_hours|decimal_hours }}``: hours kept as a decimal number, written
    as "154 hr 54 min" (``work``'s ``hours`` filter takes minutes)."""
    return localise.hours(value)


@register.filter
def day_in_words(value) -> str:
    """``{{ instalment.due_on|day_in_words }}``: "Tuesday, December 1, 2026"."""
    return localise.day_in_words(value)


@register.filter
def moment_in_words(value) -> str:
    """``{{ assembly.starts_at|moment_in_words }}``: "Saturday, December 5, 2026, 6:00 PM"."""
    return localise.moment_in_words(value)
