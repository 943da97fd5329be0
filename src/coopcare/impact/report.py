"""The annual social report (in the shape of an Italian *bilancio sociale* and CECOP's
reports): who the cooperative is, then its care, its work and its democracy in figures and
charts, each figure defined once in ``indicators``. Also its tables, for CSV and XLSX."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.cooperatives.models import Cooperative
from coopcare.impact.charts import Chart, month_labels
from coopcare.impact.indicators import (
    CARE,
    COOPERATIVE,
    INFORMAL,
    MONEY,
    UNIT_LABELS,
    WORK,
    Figure,
    Indicator,
    Unit,
    care_hours_by_month,
    compute,
    sharing,
)
from coopcare.members.models import StakeholderClass

# Indicators whose breakdown is drawn, in the order of the report.
CHARTED = [
    "people_cared_for",
    "people_by_funding",
    "people_by_need",
    "visits",
    "workforce",
    "workforce_by_gender",
    "members",
    "revenue_by_service",
]


@dataclass
class Table:
    """One table of the report, as exported: a title, column names and rows of values."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]


@dataclass
class Section:
    title: str
    rows: list[tuple[Indicator, Figure]]
    charts: list[Chart]


@dataclass
class SocialReport:
    cooperative: Cooperative
    year: int
    start: date
    end: date
    classes: list[StakeholderClass]
    sections: list[Section]
    by_month: list[tuple[date, Decimal]]

    def tables(self) -> list[Table]:
        """Every table in the report: the indicators, each breakdown, the hours by month."""
        figures = [row for section in self.sections for row in section.rows]
        tables = [
            Table(
                "indicators",
                _("Indicators"),
                [_("Area"), _("Indicator"), _("Value"), _("Unit")],
                [
                    [str(i.area), str(i.title), f.value, unit_label(i, self.cooperative)]
                    for i, f in figures
                ],
            ),
            Table(
                "care_hours_by_month",
                _("Hours of care delivered, by month"),
                [_("Month"), _("Hours")],
                [[month.strftime("%Y-%m"), hours] for month, hours in self.by_month],
            ),
        ]
        tables += [
            Table(
                i.key, str(i.title), [_("Part"), _("Value")], [[label, v] for label, v in f.parts]
            )
            for i, f in figures
            if f.parts
        ]
        return tables

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables() if t.key == key), None)


def unit_label(indicator: Indicator, cooperative: Cooperative) -> str:
    """The unit as the reader says it: "hours", "%", "EUR", "EUR per hour"."""
    if indicator.unit == Unit.PERCENT:
        return "%"
    if indicator.unit == Unit.RATIO:
        return "×"
    if indicator.unit == Unit.MONEY:
        return cooperative.currency
    if indicator.unit == Unit.MONEY_PER_HOUR:
        return _("%(currency)s per hour") % {"currency": cooperative.currency}
    return str(UNIT_LABELS[indicator.unit])


def shown(indicator: Indicator, value, currency: str) -> str:
    """A value written with its unit in the reader's language: "25,3 %", "12 personnes", hours
    as hours and minutes like every page ("1 234 h 30 min")."""
    if value is None:
        return "—"
    if indicator.unit == Unit.PERCENT:
        return localise.percent(value)
    if indicator.unit in (Unit.MONEY, Unit.MONEY_PER_HOUR):
        money = localise.money(value, currency)
        return money if indicator.unit == Unit.MONEY else _("%(money)s per hour") % {"money": money}
    if indicator.unit == Unit.RATIO:
        return f"{localise.number(value, 2)} ×"
    if indicator.unit == Unit.HOURS:
        return localise.hours(value)
    return f"{localise.number(value)} {UNIT_LABELS[indicator.unit]}"


def build(
    cooperative: Cooperative, year: int, today: date, *, billing: bool = False
) -> SocialReport:
    """The report for ``year``; a year not over yet runs to ``today``. With ``billing`` (a
    reader who sees billing), its money in too: revenue, hours budgets and days sales
    outstanding."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    # The hours by month are the hours of care's own months: read once for both.
    with sharing():
        rows = compute(cooperative, start, end, billing=billing)
        by_month = care_hours_by_month(cooperative, start, end)
    rtl = get_language_bidi()
    month_chart = Chart(
        "care_hours_by_month",
        _("Hours of care delivered, by month"),
        list(zip(month_labels([m for m, _h in by_month]), [h for _m, h in by_month], strict=True)),
        by_month=True,
        rtl=rtl,
    )
    sections = []
    for area in (CARE, INFORMAL, WORK, COOPERATIVE, MONEY):
        in_area = [(i, f) for i, f in rows if i.area == area]
        if not in_area:
            continue
        charts = [
            Chart(i.key, str(i.title), f.parts, rtl=rtl)
            for key in CHARTED
            for i, f in in_area
            if i.key == key and f.parts
        ]
        if area == CARE:
            charts.insert(0, month_chart)
        sections.append(Section(str(area), in_area, charts))
    classes = list(StakeholderClass.objects.filter(cooperative=cooperative).order_by("name"))
    return SocialReport(cooperative, year, start, end, classes, sections, by_month)
