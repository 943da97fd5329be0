"""Numbers, percentages and money written as the reader's language writes them (CLDR data,
through Babel): 1 234,5 in French, 1.234,5 in Italian, €12,345.50 in English."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.conf import settings
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
