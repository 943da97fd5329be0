"""A federation's indicators: its cooperatives' figures put together, and each cooperative
beside the federation's median, with small counts held back so no person can be singled out.

Suppression follows the usual rule of official statistics: a count of 1 to 4 people is not
shown (``SMALL_COUNT``), nor a rate or median computed over fewer than 5 people; when a row
would hide a single cooperative's count, the next smallest is hidden too, so that it cannot
be found by subtracting the others from the federation's total (secondary suppression)."""

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative, Federation
from coopcare.impact.indicators import INDICATORS, Across, Figure, Indicator, compute
from coopcare.impact.report import Table

SMALL_COUNT = 5


def too_small(count) -> bool:
    """Whether a count of people could single someone out (zero cannot)."""
    return count is not None and 0 < count < SMALL_COUNT


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
        """Each row with ``cooperative``'s own value, to read against the median."""
        column = self.cooperatives.index(cooperative)
        return [(row, row.by_cooperative[column]) for row in self.rows]


def figures(federation: Federation, start: date, end: date) -> FederationFigures:
    """The federation's indicators for the period, every small count held back."""
    cooperatives = list(federation.cooperatives.order_by("name"))
    computed = [dict((i.key, f) for i, f in compute(c, start, end)) for c in cooperatives]
    rows = []
    for indicator in INDICATORS:
        per_cooperative = [c[indicator.key] for c in computed]
        rows.append(_value_row(indicator, per_cooperative))
        if indicator.counts and indicator.across == Across.SUM:
            labels = dict.fromkeys(label for f in per_cooperative for label, _v in f.parts)
            for label in labels:
                values = [dict(f.parts).get(label, 0) for f in per_cooperative]
                rows.append(_count_row(indicator, label, values, is_part=True))
    return FederationFigures(federation, cooperatives, start, end, rows)


def _value_row(indicator: Indicator, per_cooperative: list[Figure]) -> Row:
    values = [f.value for f in per_cooperative]
    if indicator.across == Across.SUM:
        if indicator.counts:
            return _count_row(indicator, str(indicator.title), values, is_part=False)
        total = sum(v for v in values if v is not None)
        return Row(indicator, str(indicator.title), False, total, values, _median(values))
    # A rate or median is shown only when enough people are behind it.
    shown = [
        None if f.value is None or (f.base is not None and f.base < SMALL_COUNT) else f.value
        for f in per_cooperative
    ]
    return Row(indicator, str(indicator.title), False, None, shown, _median(shown))


def _count_row(indicator: Indicator, label: str, counts: list[int], is_part: bool) -> Row:
    hidden = [too_small(n) for n in counts]
    if sum(hidden) == 1 and len(counts) > 1:
        # Secondary suppression: hide the smallest other count too.
        others = [(n, i) for i, n in enumerate(counts) if not hidden[i] and n]
        if others:
            hidden[min(others)[1]] = True
    shown = [None if hide else n for n, hide in zip(counts, hidden, strict=True)]
    total = sum(counts)
    return Row(
        indicator, label, is_part, None if too_small(total) else total, shown, _median(shown)
    )


def _median(values) -> Decimal | None:
    known = [Decimal(v) for v in values if v is not None]
    if not known:
        return None
    return Decimal(statistics.median(known)).quantize(Decimal("0.1"))
