"""Days, lengths of time and money written one way on every page, as the reader's language
writes them (CLDR, through Babel)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

from coopcare import localise

DAY = date(2026, 11, 21)


def test_a_day_in_each_language():
    """Worked example: 21 November 2026 is "Nov 21, 2026" in English and "21 nov 2026" in
    Italian, never the US 11/21/2026 to an Italian reader."""
    shown = {}
    for language in ("en", "it", "fr", "es", "ar"):
        with translation.override(language):
            shown[language] = localise.day(DAY)
    assert shown["en"] == "Nov 21, 2026"
    assert shown["it"] == "21 nov 2026"
    assert shown["fr"] == "21 nov. 2026"
    assert "11/21" not in shown["it"] and "2026" in shown["ar"]
    with translation.override("it"):
        assert localise.day(None) == ""
        # A moment is the day it is on the clock in use: 23:30 UTC is already the 22nd in Rome.
        with timezone.override(ZoneInfo("Europe/Rome")):
            assert localise.day(datetime(2026, 11, 21, 23, 30, tzinfo=UTC)) == "22 nov 2026"


def test_minutes_as_hours_and_minutes():
    """Worked example: 9294 minutes (154.9 hours) read "154 hr 54 min" in English and "154 h
    54 min" in Italian, on every page the same."""
    with translation.override("en"):
        assert localise.duration(9294) == "154 hr 54 min"
        assert localise.duration(45) == "45 min"
        assert localise.duration(120) == "2 hr"
        assert localise.duration(-90) == "-1 hr 30 min"
        assert localise.duration(0) == "0 min"
        assert localise.duration(None) == ""
        assert localise.hours(Decimal("154.90")) == "154 hr 54 min"
        assert localise.hours(Decimal("120.00")) == "120 hr"
    with translation.override("it"):
        assert localise.duration(9294) == "154 h 54 min"
        assert localise.duration(60 * 1154) == "1.154 h"


def test_money_follows_the_language():
    with translation.override("it"):
        assert localise.money(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"
    with translation.override("en"):
        assert localise.money(Decimal("1234.5"), "EUR") == "€1,234.50"


def test_the_template_filters():
    template = Template(
        "{% load localise work %}{{ on|day }} · {{ minutes|duration }} · {{ minutes|hours }}"
        " · {{ budget|decimal_hours }} · {{ amount|money:'EUR' }}"
    )
    with translation.override("it"):
        shown = template.render(
            Context({"on": DAY, "minutes": 150, "budget": Decimal("7.5"), "amount": 12})
        )
    assert shown == "21 nov 2026 · 2 h 30 min · 2 h 30 min · 7 h 30 min · 12,00\xa0€"
