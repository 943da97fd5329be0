"""A federation's indicators: its cooperatives' figures put together, and each cooperative
beside the federation's median, with small counts held back so no person can be singled out.

Suppression follows the usual rule of official statistics: a count of 1 to 4 people is not
shown (``SMALL_COUNT``), nor a rate or median computed over fewer than 5 people; when a row
would hide a single cooperative's count, the next smallest is hidden too, so that it cannot
be found by subtracting the others from the federation's total (secondary suppression).

Suppression alone can be undone by differencing: asked for two overlapping periods, a count
of 7 people aged 65–79 and then 6 tells that one of them turned 80 in the days between. Two
further measures, as statistics offices publish, close that door:

- analysts choose among fixed reporting periods only, whole calendar quarters and years that
  have ended (``reporting_periods``), never a period of their own making (Eurostat, *Handbook
  on Statistical Disclosure Control*, 2010, §5.4 on linked and overlapping tables);
- every count of people that is shown, totals included, is rounded to the nearest multiple
  of 5 (``ROUNDING_BASE``), each independently, so that differences between tables no longer
  add up to a person (HESA, *Rounding and suppression to anonymise statistics*: "all numbers
  are rounded to the nearest multiple of 5").

Money is put together as the books would be if the cooperatives were one: revenue adds up;
the share of hours budgets used and the days sales outstanding are pooled (the sums of every
cooperative's numerators over the sums of their denominators), which weighs each cooperative
by its size, where a median or a mean of the ratios would weigh a small cooperative as much
as a large one. Amounts are not counts of people: they are neither held back nor rounded; the
counts of people among them (people over a budget) are, and a pooled share of hours is held
back when fewer than 5 people's budgets are behind it.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative, Federation
from coopcare.impact.indicators import INDICATORS, Across, Figure, Indicator, Unit, compute
from coopcare.impact.report import Table

SMALL_COUNT = 5
ROUNDING_BASE = 5
# How far back analysts may look, in whole years before the current one.
YEARS_BACK = 5


def too_small(count) -> bool:
    """Whether a count of people could single someone out (zero cannot)."""
    return count is not None and 0 < count < SMALL_COUNT


def rounded(count: int) -> int:
    """A count of people rounded to the nearest multiple of ``ROUNDING_BASE`` (7 → 5, 8 → 10):
    HESA's rounding, which official statistics use so that tables cannot be differenced."""
    return (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


@dataclass(frozen=True)
class ReportingPeriod:
    """A whole calendar quarter or year: the only periods an analyst can ask for."""

    key: str  # "2026" or "2026-Q3"
    start: date
    end: date


def reporting_periods(today: date) -> list[ReportingPeriod]:
    """The quarters and years that have ended by ``today``, newest first: fixed periods, so
    that no two tables an analyst sees overlap in part (a quarter lies wholly in its year)."""
    periods = []
    for year in range(today.year, today.year - YEARS_BACK - 1, -1):
        if date(year, 12, 31) < today:
            periods.append(ReportingPeriod(str(year), date(year, 1, 1), date(year, 12, 31)))
        for quarter in (4, 3, 2, 1):
            start = date(year, 3 * quarter - 2, 1)
            next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            end = next_start - timedelta(days=1)
            if end < today:
                periods.append(ReportingPeriod(f"{year}-Q{quarter}", start, end))
    return periods


@dataclass
class Row:
    """One figure across the federation: the total (or the median) and each cooperative's
    value, None where held back; ``median`` of the cooperatives' shown values."""

    indicator: Indicator
    label: str  # the indicator's title, or a part of its breakdown
    is_part: bool
    total: Decimal | int | None
    by_cooperative: list[Decimal | int | None]
    median: Decimal | None
    # The total is held back (too few people behind it), rather than unknown.
    held_back: bool = False
    # Whether each cooperative runs the form of care the row measures (all, when empty).
    runs: list[bool] = field(default_factory=list)

    def cells(self) -> list[tuple[Decimal | int | None, bool]]:
        """Each cooperative's value, with whether it runs the row's form of care."""
        runs = self.runs or [True] * len(self.by_cooperative)
        return list(zip(self.by_cooperative, runs, strict=True))


@dataclass
class FederationFigures:
    federation: Federation
    cooperatives: list[Cooperative]
    start: date
    end: date
    rows: list[Row]

    def table(self) -> Table:
        return Table(
            "federation",
            self.federation.name,
            [_("Indicator"), _("Federation"), _("Median")] + [c.name for c in self.cooperatives],
            [
                [("    " if r.is_part else "") + r.label, r.total, r.median, *r.by_cooperative]
                for r in self.rows
            ],
        )

    def compared(self, cooperative: Cooperative) -> list[tuple[Row, Decimal | int | None]]:
        """Each row with ``cooperative``'s own value, to read against the median; none of a
        form of care it does not run."""
        column = self.cooperatives.index(cooperative)
        return [
            (row, row.by_cooperative[column])
            for row in self.rows
            if not row.runs or row.runs[column]
        ]


def figures(federation: Federation, start: date, end: date) -> FederationFigures:
    """The federation's indicators for the period, every small count held back."""
    cooperatives = list(federation.cooperatives.order_by("name"))
    computed = [dict((i.key, f) for i, f in compute(c, start, end)) for c in cooperatives]
    rows: list[Row] = []
    for indicator in INDICATORS:
        runs = [indicator.applies(c) for c in cooperatives]
        if not any(runs):
            continue  # a form of care none of the cooperatives runs
        # A cooperative that does not run the form adds nothing to a sum and is no part of a
        # median; its column reads "—".
        per_cooperative = [c.get(indicator.key, Figure(None)) for c in computed]
        added = [_value_row(indicator, per_cooperative, start, end)]
        if indicator.across == Across.SUM and indicator.parts_shared:
            added += _part_rows(indicator, per_cooperative)
        if not all(runs):
            for row in added:
                _leave_out(row, runs)
        rows += added
    return FederationFigures(federation, cooperatives, start, end, rows)


def _part_rows(indicator: Indicator, per_cooperative: list[Figure]) -> list[Row]:
    """A row for each part of a breakdown whose labels mean the same in every cooperative."""
    rows = []
    labels = dict.fromkeys(label for f in per_cooperative for label, _v in f.parts)
    for label in labels:
        values = [dict(f.parts).get(label, 0) for f in per_cooperative]
        if indicator.counts:
            rows.append(_count_row(indicator, label, _whole(values), is_part=True))
        elif indicator.unit == Unit.MONEY:
            # Amounts of a shared breakdown (revenue by service) add up as the total does.
            amounts: list[Decimal | int | None] = list(values)
            rows.append(Row(indicator, label, True, sum(values), amounts, _median(values)))
    return rows


def _leave_out(row: Row, runs: list[bool]) -> None:
    """The row without the cooperatives that do not run its form of care: no value of theirs,
    and the median of the others only."""
    row.runs = runs
    row.by_cooperative = [
        value if ran else None for value, ran in zip(row.by_cooperative, runs, strict=True)
    ]
    row.median = _median(row.by_cooperative)


def _value_row(indicator: Indicator, per_cooperative: list[Figure], start: date, end: date) -> Row:
    values = [f.value for f in per_cooperative]
    if indicator.across == Across.SUM:
        if indicator.counts:
            return _count_row(indicator, str(indicator.title), _whole(values), is_part=False)
        total = sum(v for v in values if v is not None)
        return Row(indicator, str(indicator.title), False, total, values, _median(values))
    if indicator.across == Across.POOLED:
        return _pooled_row(indicator, per_cooperative, start, end)
    # A rate or median is shown only when enough people are behind it.
    shown = _shown(per_cooperative)
    return Row(indicator, str(indicator.title), False, None, shown, _median(shown))


def _shown(per_cooperative: list[Figure]) -> list[Decimal | int | None]:
    """Each cooperative's rate or median, None where fewer than 5 people are behind it."""
    return [
        None if f.value is None or (f.base is not None and f.base < SMALL_COUNT) else f.value
        for f in per_cooperative
    ]


def _pooled_row(indicator: Indicator, per_cooperative: list[Figure], start: date, end: date) -> Row:
    """A ratio of the federation's sums; held back when the people behind all of it are 1
    to 4, as a cooperative's own is when they are fewer than 5."""
    ratios = [f.ratio for f in per_cooperative if f.ratio is not None]
    bases = [f.base for f in per_cooperative if f.base is not None]
    held_back = bool(bases) and too_small(sum(bases))
    total = None
    if ratios and not held_back and indicator.pool is not None:
        numerator = sum((n for n, _d in ratios), Decimal(0))
        denominator = sum((d for _n, d in ratios), Decimal(0))
        total = indicator.pool(numerator, denominator, start, end)
    shown = _shown(per_cooperative)
    return Row(
        indicator, str(indicator.title), False, total, shown, _median(shown), held_back=held_back
    )


def _whole(counts: list) -> list[int]:
    """A counting indicator's values (or parts) as the whole numbers of people they are; none
    where a cooperative does not run the form of care counted."""
    return [int(n or 0) for n in counts]


def _count_row(indicator: Indicator, label: str, counts: list[int], is_part: bool) -> Row:
    hidden = [too_small(n) for n in counts]
    if sum(hidden) == 1 and len(counts) > 1:
        # Secondary suppression: hide the smallest other count too.
        others = [(n, i) for i, n in enumerate(counts) if not hidden[i] and n]
        if others:
            hidden[min(others)[1]] = True
    shown: list[Decimal | int | None] = [
        None if hide else rounded(n) for n, hide in zip(counts, hidden, strict=True)
    ]
    total = sum(counts)
    return Row(
        indicator,
        label,
        is_part,
        None if too_small(total) else rounded(total),
        shown,
        _median(shown),
        held_back=too_small(total),
    )


def _median(values) -> Decimal | None:
    known = [Decimal(v) for v in values if v is not None]
    if not known:
        return None
    return Decimal(statistics.median(known)).quantize(Decimal("0.1"))
