"""A person's assessment scores and goal ratings over time, drawn as SVG with matplotlib as
the social report's charts are (``impact.charts``): text stays text, so the browser shapes
Arabic, dates are written in the reader's language, and right-to-left charts run from the
right."""

import base64
import io
from datetime import date

from babel.dates import format_date
from matplotlib import rc_context
from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from coopcare import localise
from coopcare.impact.charts import INK, STYLE, WIDTH_INCHES

COLOURS = ["#2f6f5e", "#b5523b", "#3b5bb5", "#8a6d1f", "#6d3b8a", "#1f2a28"]


def lines_svg(series: dict[str, list[tuple[date, int]]], *, rtl: bool = False) -> str:
    """A line per named series of (date, value), as a ``data:`` URI for an ``<img>`` (an
    image runs no scripts whatever its labels say). Empty when there is nothing to draw."""
    if not any(series.values()):
        return ""
    language = localise.current_locale()
    buffer = io.StringIO()
    with rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, 2.8))
        axes = figure.add_subplot()
        for index, (name, points) in enumerate(series.items()):
            axes.plot(
                [date2num(day) for day, _value in points],
                [value for _day, value in points],
                marker="o",
                color=COLOURS[index % len(COLOURS)],
                label=name,
            )
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _p: format_date(num2date(v), "MMM yy", locale=language))
        )
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        axes.legend(loc="best", fontsize=8)
        axes.tick_params(colors=INK)
        for side in ("top", "left" if rtl else "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()
