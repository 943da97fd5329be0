"""Numbers, percentages, money, days and lengths of time written as the reader's language
writes them (CLDR data, through Babel): 1 234,5 in French, 1.234,5 in Italian, €12,345.50 in
English, "21 nov 2026" and "sabato 5 dicembre 2026" in Italian, "154 h 54 min"."""

from datetime import date, datetime
from decimal import Decimal

from babel.dates import (
    format_date,
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_time_format,
)
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, to_locale


def current_locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


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
    return format_date(value, format="medium", locale=current_locale())


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
