"""Numbers, percentages, money and days written as the reader's language writes them (CLDR
data, through Babel): 1 234,5 in French, 1.234,5 in Italian, €12,345.50 in English, "sabato 5
dicembre 2026" in Italian."""

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
