"""Charts for the social report, drawn with matplotlib: SVG for the web page (its text stays
text, so the browser shapes Arabic and screen readers can read it) and PNG for the PDF.

Matplotlib neither joins Arabic letters nor orders right-to-left text, so the PNG's labels
are shaped with arabic-reshaper and ordered with python-bidi; right-to-left charts are also
mirrored (bars grow from the right, labels on the right), as Arabic readers expect."""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import arabic_reshaper
from babel.dates import format_date
from bidi import get_display
from django.utils.translation import get_language
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import RcKeyType

from coopcare import localise

BAR = "#2f6f5e"
INK = "#1f2a28"
WIDTH_INCHES = 6.4
# SVG text stays <text> (matplotlib draws glyphs as paths by default).
STYLE: dict[RcKeyType, Any] = {"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"}


@dataclass
class Chart:
    """A chart of (label, value) pairs; ``alt`` describes it in one sentence for screen
    readers (the same figures are in the table beside it)."""

    key: str
    title: str
    parts: Sequence[tuple[str, Decimal | int]]
    by_month: bool = False
    rtl: bool = False
    _svg: str | None = field(default=None, repr=False)

    @property
    def alt(self) -> str:
        return f"{self.title}: " + "; ".join(
            f"{label} {localise.number(value)}" for label, value in self.parts
        )

    def svg(self) -> str:
        if self._svg is None:
            self._svg = _svg(tuple(self.parts), self.by_month, self.rtl, get_language())
        return self._svg

    def data_uri(self) -> str:
        """The SVG for an <img> tag (an image cannot run scripts, whatever its labels say)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()

    def png(self) -> bytes:
        buffer = io.BytesIO()
        with rc_context(STYLE):
            self._draw(shape=self.rtl).savefig(buffer, format="png", dpi=150)
        return buffer.getvalue()

    def _draw(self, shape: bool) -> Figure:
        def text(label: str) -> str:
            return get_display(arabic_reshaper.reshape(label)) if shape else label

        labels = [text(str(label)) for label, _value in self.parts]
        values = [float(value) for _label, value in self.parts]
        height = 3.2 if self.by_month else 0.5 + 0.42 * max(len(labels), 3)
        figure = Figure(figsize=(WIDTH_INCHES, height))
        axes = figure.add_subplot()
        positions = range(len(values))
        if self.by_month:
            axes.bar(positions, values, color=BAR)
            axes.set_xticks(list(positions), labels, fontsize=8)
            axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: localise.number(v)))
            if self.rtl:
                axes.invert_xaxis()
                axes.yaxis.tick_right()
        else:
            bars = axes.barh(positions, values, color=BAR)
            axes.set_yticks(list(positions), labels, fontsize=9)
            axes.invert_yaxis()  # first part at the top, as in the table
            axes.bar_label(
                bars, [localise.number(v) for v in values], padding=3, fontsize=8, color=INK
            )
            axes.set_xticks([])
            axes.margins(x=0.15)
            if self.rtl:
                axes.invert_xaxis()
                axes.yaxis.tick_right()
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.tick_params(colors=INK, length=0)
        figure.tight_layout()
        return figure


# Drawing a chart takes tens of milliseconds and the report page shows up to nine: the same
# figures in the same language (a past year's report, this year's until its figures change)
# give the same SVG, so it is drawn once. The language is in the key for the numbers' format.
@lru_cache(maxsize=128)
def _svg(parts: tuple, by_month: bool, rtl: bool, language: str | None) -> str:
    buffer = io.StringIO()
    with rc_context(STYLE):
        Chart("", "", parts, by_month, rtl)._draw(shape=False).savefig(
            buffer, format="svg", metadata={"Date": None}
        )
    return buffer.getvalue()


def month_labels(months: list[date]) -> list[str]:
    """Short month names in the reader's language (Jan, janv., gen, ene., يناير)."""
    return [format_date(month, "MMM", locale=localise.current_locale()) for month in months]
