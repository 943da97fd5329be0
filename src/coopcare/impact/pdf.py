"""The social report as a PDF, on the shared paper of ``coopcare.pdf`` (fonts, shaping, right
to left in Arabic)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from coopcare import localise
from coopcare.impact.report import SocialReport, shown
from coopcare.pdf import ACCENT, INK, MUTED, Paper


class _Document(Paper):
    heading_space = 3

    def __init__(self, report: SocialReport):
        super().__init__(
            _("Social report %(year)s") % {"year": report.year}, report.cooperative.name
        )
        self.report = report

    def footer(self):
        self.set_y(-12)
        self.set_font("body", size=8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            6,
            _("%(cooperative)s · social report %(year)s · page %(page)s")
            % {
                "cooperative": self.report.cooperative.name,
                "year": self.report.year,
                "page": self.page_no(),
            },
            align="C",
        )

    def rows(self, rows: list[tuple[str, str]], widths=(2, 1)):
        """A two-column table; columns run right to left in Arabic."""
        self.set_font("body", size=9)
        self.set_text_color(*INK)
        order = (lambda pair: pair[::-1]) if self.rtl else (lambda pair: pair)
        with self.table(
            col_widths=order(widths),
            text_align=order(("RIGHT", "LEFT") if self.rtl else ("LEFT", "RIGHT")),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            line_height=5.5,
        ) as table:
            for label, value in rows:
                table.row(order((label, value)))
        self.ln(2)

    def chart(self, title: str, png: bytes):
        """A chart under its title, both moved to the next page if they do not fit."""
        width = self.epw * 0.7
        with Image.open(io.BytesIO(png)) as image:
            height = width * image.height / image.width
        if self.will_page_break(height + 8):
            self.add_page()
        self.paragraph(title, size=10, color=MUTED)
        self.image(io.BytesIO(png), x=self.l_margin + (self.epw - width) / 2, w=width)
        self.ln(3)


def render(report: SocialReport) -> bytes:
    """The report as PDF bytes, in the active language."""
    cooperative = report.cooperative
    pdf = _Document(report)
    pdf.add_page()
    pdf.set_font("body", "B", 22)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(
        0,
        11,
        _("Social report %(year)s") % {"year": report.year},
        align=pdf.align,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.paragraph(cooperative.name, size=14)
    pdf.paragraph(
        _("From %(start)s to %(end)s.") % {"start": _day(report.start), "end": _day(report.end)},
        color=MUTED,
    )

    pdf.heading(_("Who we are"))
    pdf.paragraph(_who_we_are(report))
    if report.classes:
        pdf.rows(
            [
                (c.name, _("vote weight %(weight)s") % {"weight": c.vote_weight})
                for c in report.classes
            ]
        )

    for section in report.sections:
        pdf.heading(section.title)
        rows = []
        for indicator, figure in section.rows:
            rows.append(
                (str(indicator.title), shown(indicator, figure.value, cooperative.currency))
            )
            rows += [(f"    {label}", localise.number(value)) for label, value in figure.parts]
        pdf.rows(rows)
        for chart in section.charts:
            pdf.chart(chart.title, chart.png())

    pdf.add_page()
    pdf.heading(_("How the figures are made"))
    for indicator in [i for section in report.sections for i, _figure in section.rows]:
        pdf.paragraph(str(indicator.title), size=9)
        pdf.paragraph(f"{indicator.formula} {indicator.source}", size=8, color=MUTED)
    return bytes(pdf.output())


def _who_we_are(report: SocialReport) -> str:
    cooperative = report.cooperative
    text = _("%(name)s is a care cooperative in %(city)s.") % {
        "name": cooperative.name,
        "city": cooperative.city,
    }
    if cooperative.federation_id and cooperative.federation is not None:
        text += " " + _("It belongs to the federation %(federation)s.") % {
            "federation": cooperative.federation.name
        }
    if report.classes:
        text += " " + ngettext(
            "Its members belong to %(count)s stakeholder class, with its weight in votes:",
            "Its members belong to %(count)s stakeholder classes, each with its weight in votes:",
            len(report.classes),
        ) % {"count": len(report.classes)}
    return text


def _day(day) -> str:
    return localise.day(day)
