"""Days, lengths of time and money written one way on every page, as the reader's language
writes them (CLDR, through Babel)."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

import coopcare
from coopcare import localise, notify
from coopcare.cooperatives.models import Role
from tests import factories

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


def _written(language: str, country: str) -> dict[str, str]:
    """Each kind of value as ``language`` read in a cooperative of ``country`` writes it."""
    moment = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)  # 14:30 in Rome
    with (
        translation.override(language),
        localise.in_region(country),
        timezone.override(ZoneInfo("Europe/Rome")),
    ):
        return {
            "locale": localise.current_locale(),
            "day": localise.day(DAY),
            "moment": localise.moment(moment),
            "clock": localise.clock(moment),
            "short_moment": localise.short_moment(moment),
            "month": localise.month(DAY),
            "money": localise.money(Decimal("12345.5"), "EUR"),
            "hours": localise.hours(Decimal("154.90")),
        }


def test_the_language_comes_from_the_reader_and_the_region_from_the_cooperative():
    """The rule (docs/architecture.md, "Days, times, hours and money"): Babel's locale
    ``<language>_<COUNTRY>``, CLDR's data for it. Worked example: Saturday 21 November 2026 at
    14:30 in Rome and 12,345.50 euros, for an Italian cooperative read in English, the English
    of Italy (CLDR ``en_IT``): "21 Nov 2026", "14:30", "12.345,50 €"; in Italian "21 nov 2026",
    "12.345,50 €"; with no cooperative, English alone (the United States): "Nov 21, 2026",
    "2:30 PM", "€12,345.50"."""
    assert _written("en", "IT") == {
        "locale": "en_IT",
        "day": "21 Nov 2026",
        "moment": "21 Nov 2026, 14:30",
        "clock": "14:30",
        "short_moment": "Sat, 21 Nov, 14:30",
        "month": "November 2026",
        "money": "12.345,50\xa0€",
        "hours": "154 hrs 54 mins",
    }
    assert _written("it", "IT") == {
        "locale": "it_IT",
        "day": "21 nov 2026",
        "moment": "21 nov 2026, 14:30",
        "clock": "14:30",
        "short_moment": "sab 21 nov, 14:30",
        "month": "novembre 2026",
        "money": "12.345,50\xa0€",
        "hours": "154 h 54 min",
    }
    assert _written("en", "") == {
        "locale": "en",
        "day": "Nov 21, 2026",
        "moment": "Nov 21, 2026, 2:30\u202fPM",
        "clock": "2:30\u202fPM",
        "short_moment": "Sat, Nov 21, 2:30\u202fPM",
        "month": "November 2026",
        "money": "€12,345.50",
        "hours": "154 hr 54 min",
    }


def test_an_arabic_reader_gets_arabic_conventions_where_cldr_has_no_pair():
    """CLDR has no ``ar_IT``: an Arabic reader of an Italian cooperative reads Arabic as CLDR
    writes it by default, the same as with no cooperative, right to left marks included."""
    arabic = _written("ar", "IT")
    assert arabic == _written("ar", "")
    assert arabic["locale"] == "ar"
    assert arabic["day"] == "21 نوفمبر 2026"  # the month named, as in every language
    assert arabic["clock"] == "2:30 م"
    assert arabic["short_moment"] == "السبت، 21 نوفمبر، 2:30 م"
    assert arabic["hours"] == "154 س 54 د"


def test_a_region_lasts_its_block_and_nothing_is_written_for_an_empty_value():
    with translation.override("fr"):
        with localise.in_region("fr"):
            assert localise.current_locale() == "fr_FR"
            with localise.in_region("BE"):
                assert localise.current_locale() == "fr_BE"
            assert localise.current_region() == "FR"
        assert localise.current_region() == ""
        assert [
            f(None) for f in (localise.moment, localise.clock, localise.short_day, localise.month)
        ] == ["", "", "", ""]


@pytest.mark.django_db
def test_a_page_writes_in_its_cooperatives_region_and_the_next_request_starts_with_none(client):
    """Worked example: a French cooperative's page read in English writes today the way the
    English of France does ("6 Dec 2026", CLDR ``en_FR``), not the American way ("Dec 6,
    2026"); the region ends with the request."""
    coop = factories.CooperativeFactory(country="FR")
    factories.log_in(client, factories.user_with_role(coop, Role.COORDINATOR))
    page = client.get(reverse("billing:receivables", args=[coop.slug])).content.decode()
    assert localise.current_region() == ""
    with translation.override("en"):
        american = localise.day(timezone.localdate())
        with localise.in_region("FR"):
            french = localise.day(timezone.localdate())
    assert french != american
    assert f"What each payer owes on {french}" in page


def test_a_notice_is_written_in_the_region_it_was_made_in():
    """A notice made on a page of an Italian cooperative is written later, after the commit,
    still the Italian way; a notice made outside any cooperative, the language's way."""
    addressee = notify.Addressee(email="ana@example.org", language="en")
    context = {"visit": _Visit(datetime(2026, 11, 21, 8, 0, tzinfo=UTC)), "names": ["Ben"]}
    with localise.in_region("IT"):
        italian = notify.Notice(addressee, "Who is coming", "rostering/mail_cover.txt", context)
    elsewhere = notify.Notice(addressee, "Who is coming", "rostering/mail_cover.txt", context)
    with timezone.override(ZoneInfo("Europe/Rome")):
        assert "on Sat, 21 Nov at 09:00" in italian.write().body
        assert "on Sat, Nov 21 at 9:00\u202fAM" in elsewhere.write().body


class _Visit:
    """What the cover notice reads of a visit."""

    def __init__(self, starts_at):
        self.starts_at = starts_at


TEMPLATES = Path(coopcare.__file__).parent / "templates"
# Formats a program reads: element ids, ``datetime`` attributes, links' queries, inputs' values.
MACHINE_FORMATS = {"U", "c", "Y-m", "Y-m-d"}
# Hours and days shown as they are on purpose.
SHOWN_AS_THEY_ARE = {
    ("billing/_version.html", "version.minimum_minutes"): "a tariff's terms, in minutes",
    ("billing/_version.html", "version.rounding_minutes"): "a tariff's terms, in minutes",
    ("billing/person.html", "agreement.late_cancellation_hours"): "a notice period's hours",
    ("medication/medicine.html", "v.min_gap_minutes"): "a medicine's gap, in minutes",
    ("medication/person.html", "v.min_gap_minutes"): "a medicine's gap, in minutes",
    ("medication/visit.html", "v.min_gap_minutes"): "a medicine's gap, in minutes",
    ("work/pay_runs.html", "in_force.waiting_max_minutes"): "a pay rule's limit, in minutes",
    ("medication/chart.html", "d.day"): "the day of the month heading a column, a number",
    ("governance/assembly.html", "assembly.minutes"): "an assembly's minutes, its written record",
}
# A value in a tag that shows it: ``{{ x.y|filter }}`` or ``{% blocktranslate with a=x.y %}``.
OUTPUT_TAG = re.compile(r"\{\{.*?\}\}|\{%\s*blocktranslate\b.*?%\}", re.S)
VALUE = re.compile(r"\b([a-z_]\w*(?:\.\w+)+)((?:\|\w+(?::(?:\"[^\"]*\"|'[^']*'|[\w.]+))?)*)")
DJANGO_FORMAT = re.compile(r"\|(?:date|time)(?::(?:\"([^\"]*)\"|'([^']*)'))?")
HOURS_OR_MONEY = re.compile(r"hours|minutes|amount|pay\b|price|capital|paid|_rate\b")


def _field_names() -> tuple[set[str], set[str]]:
    """The names of coopcare's fields that hold a day, a moment or a time, and of those that
    hold hours or minutes as a number."""
    dated, timed = set(), set()
    for model in apps.get_models():
        if not model.__module__.startswith("coopcare."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField | models.TimeField):
                dated.add(field.name)
            elif isinstance(field, models.DecimalField | models.IntegerField) and (
                field.name.endswith(("hours", "minutes"))
            ):
                timed.add(field.name)
    return dated, timed


def unformatted(name: str, text: str, dated: set[str], timed: set[str]) -> list[str]:
    """What template ``name`` shows of days, times, hours and money without the ``localise``
    filters: Django's ``date`` and ``time`` filters with a format people read, ``floatformat``
    on hours or money, and a field holding a day, a moment or hours shown with no filter."""
    problems = []
    for found in DJANGO_FORMAT.finditer(text):
        if (found.group(1) or found.group(2)) not in MACHINE_FORMATS:
            problems.append(f"{name}: {found.group(0)}")
    for tag in OUTPUT_TAG.findall(text):
        for path, filters in VALUE.findall(tag):
            if (name, path) in SHOWN_AS_THEY_ARE:
                continue
            field = path.rsplit(".", 1)[1]
            if "floatformat" in filters and HOURS_OR_MONEY.search(path):
                problems.append(f"{name}: {path}{filters}")
            elif not filters and (field in dated or field in timed):
                problems.append(f"{name}: {path}")
    return problems


def test_every_template_shows_days_times_hours_and_money_through_the_filters():
    """No template shows a day, a time or hours its own way: the filters of ``localise`` write
    them all (a value shown bare or through Django's ``date`` would follow neither the
    reader's language nor the cooperative's country)."""
    dated, timed = _field_names()
    problems = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt"):
            name = path.relative_to(TEMPLATES).as_posix()
            problems += unformatted(name, path.read_text(), dated, timed)
    assert problems == []


def test_the_scan_finds_a_bare_day_a_django_format_and_decimal_hours():
    text = (
        '{{ invoice.due_on }} {{ visit.starts_at|date:"D j M" }} {{ row.hours|floatformat:2 }}'
        "{% blocktranslate with on=invoice.due_on %}{{ on }}{% endblocktranslate %}"
        "<input value=\"{{ invoice.due_on|date:'Y-m-d' }}\"> {{ invoice.due_on|day }}"
        "{{ slip.paid_minutes|duration }}"
    )
    assert unformatted("t.html", text, {"due_on", "starts_at"}, {"paid_minutes"}) == [
        't.html: |date:"D j M"',
        "t.html: invoice.due_on",
        "t.html: row.hours|floatformat:2",
        "t.html: invoice.due_on",
    ]
