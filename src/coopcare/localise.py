"""Numbers, percentages, money, days, times and lengths of time written as the reader's
language writes them, with the conventions of the cooperative's country (CLDR data, through
Babel): 1 234,5 in French, 1.234,5 in Italian, "21 nov 2026" and "sabato 5 dicembre 2026" in
Italian, "154 h 54 min"; an Italian cooperative read in English gets "21 Nov 2026", 14:30 and
12.345,50 € (the CLDR locale ``en_IT``).

The one rule: the language comes from the reader, the region from the cooperative, as the
Babel locale ``<language>_<COUNTRY>`` when CLDR has it, else the language alone (Arabic has
no ``ar_IT``, so an Arabic reader gets Arabic's own conventions). Pages get the region when
their cooperative is resolved (``set_region``), notices when they are written
(``coopcare.notify``), for the rest of the request or the notice."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from babel import localedata
from babel.dates import (
    format_date,
    format_datetime,
    format_skeleton,
    format_time,
    get_date_format,
    get_datetime_format,
    get_time_format,
)
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, to_locale

# The country (ISO 3166 code) whose conventions numbers and days follow: the cooperative's.
_region: ContextVar[str] = ContextVar("region", default="")


def set_region(country: str) -> None:
    """Write what follows with the conventions of ``country`` (a cooperative's), until the
    enclosing ``in_region`` ends (every request is one, see ``accounts.middleware``)."""
    _region.set(country.upper())


def current_region() -> str:
    """The country in effect ("" for none)."""
    return _region.get()


@contextmanager
def in_region(country: str) -> Iterator[None]:
    """Write with the conventions of ``country`` inside the block, then as before."""
    token = _region.set(country.upper())
    try:
        yield
    finally:
        _region.reset(token)


@cache
def _known_locales() -> frozenset[str]:
    return frozenset(localedata.locale_identifiers())


def current_locale() -> str:
    """The Babel locale to write with: the reader's language and the cooperative's country
    (``en_IT``), or the language alone when CLDR has no such pair or no country is set."""
    language = to_locale(get_language() or settings.LANGUAGE_CODE)
    region = _region.get()
    if region and "_" not in language:
        paired = f"{language}_{region}"
        if paired in _known_locales():
            return paired
    return language


def number(value, places: int | None = None) -> str:
    """``value`` with the locale's separators; ``places`` fixes the decimals shown."""
    if value is None or value == "":
        return ""
    if places is not None:
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=current_locale())
    return format_decimal(value, locale=current_locale())


def percent(value) -> str:
    """``value`` already in percent (25.3 → "25.3 %" as the locale writes it)."""
    if value is None:
        return ""
    return format_decimal(Decimal(value) / 100, format="#,##0.0%", locale=current_locale())


def money(amount, currency: str) -> str:
    """``amount`` in ``currency`` (the cooperative's): "€1,234.50" in English, "1.234,50 €"
    for an Italian cooperative read in English or Italian."""
    if amount is None or amount == "":
        return ""
    return format_currency(amount, currency, locale=current_locale())


def day(value: date | datetime | str | None) -> str:
    """A day as the language writes it in short, the month named so no reader takes it for
    another: "Nov 21, 2026", "21 nov 2026", "21 nov. 2026"; a moment is taken on the install's
    clock, and an ISO date ("2026-11-21", as signed records keep days) is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    # CLDR's skeleton of a day, month and year with the month abbreviated: the "medium"
    # format writes it so in most languages, but as figures in some (Arabic's 21/11/2026).
    return format_skeleton("yMMMd", value, locale=current_locale())


# A day written when the text holds it is, in its reader's language and region: a notice's
# subject is made in the sender's request and written later for each addressee.
lazy_day = lazy(day, str)


def _local(value: datetime) -> datetime:
    """An aware moment on the clock in use (the install's); a naive one as it is."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def moment(value: datetime | None) -> str:
    """A day and a time, the day as ``day`` writes it: "Nov 21, 2026, 2:30 PM",
    "21 nov 2026, 14:30"."""
    if value is None or value == "":
        return ""
    locale = current_locale()
    return (
        str(get_datetime_format("medium", locale=locale))
        .replace("{1}", day(value))
        .replace("{0}", format_time(_local(value), "short", locale=locale))
    )


def clock(value: datetime | time | None) -> str:
    """A time of day, as the language and country write it: "2:30 PM", "14:30"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return format_time(value, "short", locale=current_locale())


def short_day(value: date | datetime | None) -> str:
    """A day of the coming weeks, with its weekday and no year: "Sat, Nov 21", "sab 21 nov"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return format_skeleton("MMMEd", value, locale=current_locale())


def short_moment(value: datetime | None) -> str:
    """A moment of the coming weeks, its weekday, day and time: "Sat, Nov 21, 2:30 PM",
    "sab 21 nov, 14:30" (a visit, a shift)."""
    if value is None or value == "":
        return ""
    locale = current_locale()
    return (
        str(get_datetime_format("medium", locale=locale))
        .replace("{1}", short_day(value))
        .replace("{0}", clock(value))
    )


def month(value: date | None) -> str:
    """A month and its year: "November 2026", "novembre 2026"."""
    if value is None or value == "":
        return ""
    return format_skeleton("yMMMM", value, locale=current_locale())


def duration(minutes) -> str:
    """A length of time given in minutes, as hours and minutes the one way every page shows
    worked, paid and planned time: 9294 → "154 hr 54 min" in English, "154 h 54 min" in
    Italian; "-1 hr 30 min" for time owed; "45 min" under an hour."""
    if minutes is None or minutes == "":
        return ""
    total = round(Decimal(str(minutes)))
    sign = "-" if total < 0 else ""
    whole_hours, left = divmod(abs(total), 60)
    locale = current_locale()
    parts = []
    if whole_hours:
        parts.append(format_unit(whole_hours, "duration-hour", length="short", locale=locale))
    if left or not whole_hours:
        parts.append(format_unit(left, "duration-minute", length="short", locale=locale))
    return sign + " ".join(parts)


def hours(value) -> str:
    """Hours kept as a decimal number (154.9, a budget's or a contract's), as ``duration``
    writes them: "154 hr 54 min"."""
    if value is None or value == "":
        return ""
    return duration(Decimal(str(value)) * 60)


def day_in_words(value: date | None) -> str:
    """A day written out in full, its weekday and month named: "Saturday, December 5, 2026",
    "samedi 5 décembre 2026", "السبت، 5 ديسمبر 2026"."""
    if value is None:
        return ""
    return format_date(value, format="full", locale=current_locale())


def moment_in_words(value: datetime | None) -> str:
    """A moment on the install's clock, its day written out in full and then its time, put
    together as the language puts them: "samedi 5 décembre 2026, 18:00"."""
    if value is None:
        return ""
    locale = current_locale()
    pattern = (
        # A plain "{1}, {0}" pattern, though typed as a pattern object.
        str(get_datetime_format("full", locale=locale))
        .replace("{1}", get_date_format("full", locale=locale).pattern)
        .replace("{0}", get_time_format("short", locale=locale).pattern)
    )
    return format_datetime(value, pattern, tzinfo=timezone.get_current_timezone(), locale=locale)
