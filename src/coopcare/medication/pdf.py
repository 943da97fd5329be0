"""The month's medication chart (MAR) as a PDF, with fpdf2: the font and the text shaping of
the shared paper (``coopcare.pdf``), so that Arabic joins and runs right to left, and the
grid's columns run right to left with it."""

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.medication.models import Outcome
from coopcare.medication.queries import CODES, UNRECORDED, Chart
from coopcare.pdf import ACCENT, INK, MUTED, Paper


def key() -> list[tuple[str, str]]:
    """The chart's codes and what each means, in the reader's language."""
    return [(code, str(Outcome(outcome).label)) for outcome, code in CODES.items()] + [
        (UNRECORDED, _("no outcome recorded")),
        ("1, 2…", _("as-needed doses taken that day")),
    ]


class _Chart(Paper):
    def __init__(self, cooperative, title: str):
        super().__init__(title, cooperative.name, orientation="L", bottom=14)
        self.cooperative = cooperative
        self.set_margins(10, 10, 10)
        self.title_text = title

    def footer(self):
        self.set_y(-10)
        self.set_font("body", size=7)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            5,
            _("%(title)s · page %(page)s") % {"title": self.title_text, "page": self.page_no()},
            align="C",
        )

    def line_of_text(self, text: str, size: float = 9, bold: bool = False, color=INK):
        self.set_font("body", "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")


def _order(cells: list) -> list:
    return cells[::-1] if get_language_bidi() else cells


def render(cooperative, chart: Chart) -> bytes:
    """The chart as PDF bytes, in the active language."""
    month = localise.month(chart.days[0])
    title = _("Medication chart of %(name)s, %(month)s") % {
        "name": chart.person.full_name,  # type: ignore[attr-defined]
        "month": month,
    }
    pdf = _Chart(cooperative, title)
    pdf.add_page()
    pdf.line_of_text(title, size=14, bold=True, color=ACCENT)
    pdf.line_of_text(cooperative.name, size=9, color=MUTED)
    pdf.ln(2)
    label_width = 62
    day_width = (pdf.epw - label_width) / len(chart.days)
    widths = _order([label_width] + [day_width] * len(chart.days))
    pdf.set_font("body", size=6.5)
    pdf.set_text_color(*INK)
    if chart.rows:
        with pdf.table(
            col_widths=widths,
            text_align="CENTER",
            line_height=4.2,
            first_row_as_headings=True,
        ) as table:
            table.row(_order([_("Medicine, dose, time")] + [str(d.day) for d in chart.days]))
            for row in chart.rows:
                version = row.version
                label = f"{version} · {version.dose} · {row.time or _('as needed')}"
                table.row(_order([label, *row.cells]))
    else:
        pdf.line_of_text(_("No medicines this month."))
    pdf.ln(3)
    pdf.line_of_text(_("Key"), size=9, bold=True)
    pdf.line_of_text("   ".join(f"{code} = {meaning}" for code, meaning in key()), size=8)
    if chart.not_taken:
        pdf.ln(2)
        pdf.line_of_text(_("Doses not taken"), size=9, bold=True)
        for record in chart.not_taken:
            pdf.line_of_text(
                _("%(when)s · %(medicine)s · %(outcome)s: %(reason)s")
                % {
                    "when": localise.moment(record.at),
                    "medicine": record.version,
                    "outcome": record.get_outcome_display(),
                    "reason": record.reason,
                },
                size=8,
            )
    return bytes(pdf.output())
