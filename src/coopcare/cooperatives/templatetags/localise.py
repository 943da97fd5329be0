"""Template filters for numbers, money, days, times and lengths of time in the reader's language
and the cooperative's country (see coopcare.localise). Every template shows a day, a time and
time worked through them, never Django's ``date``, ``time`` or ``floatformat`` filters, which
follow neither; a value a program reads (an input's ``value``, a ``datetime`` attribute, a
link's query) stays ISO."""

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
def moment(value) -> str:
    """``{{ document.uploaded_at|moment }}``: "Nov 21, 2026, 2:30 PM", "21 nov 2026, 14:30"."""
    return localise.moment(value)


@register.filter
def clock(value) -> str:
    """``{{ visit.start|clock }}``: a time of day, "2:30 PM", "14:30"."""
    return localise.clock(value)


@register.filter
def short_day(value) -> str:
    """``{{ visit.start|short_day }}``: a day of the coming weeks, "Sat, Nov 21", "sab 21 nov"."""
    return localise.short_day(value)


@register.filter
def short_moment(value) -> str:
    """``{{ visit.start|short_moment }}``: "Sat, Nov 21, 2:30 PM", "sab 21 nov, 14:30"."""
    return localise.short_moment(value)


@register.filter
def month(value) -> str:
    """``{{ first|month }}``: "November 2026", "novembre 2026"."""
    return localise.month(value)


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
