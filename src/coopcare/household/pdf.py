"""A household's payslip as a PDF, on the shared paper (``coopcare.pdf``): the household as
employer, the cooperative as intermediary, in the reader's language, Arabic right to left."""

from decimal import Decimal

from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.accounts.names import display_name
from coopcare.household.models import HouseholdPayslip
from coopcare.household.wording import line_label
from coopcare.pdf import INK, MUTED, Paper


def _table(paper: Paper, rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    paper.set_font("body", size=9)
    paper.set_text_color(*INK)
    align = "RIGHT" if paper.rtl else "LEFT"
    with paper.table(
        col_widths=widths[::-1] if paper.rtl else widths,
        text_align=align,
        first_row_as_headings=False,
        line_height=6,
    ) as table:
        for row in rows:
            table.row(row[::-1] if paper.rtl else row)


def payslip(slip: HouseholdPayslip) -> bytes:
    """The payslip of ``slip``'s month as PDF bytes, in the active language."""
    contract = slip.contract
    employer = contract.employer
    cooperative = contract.cooperative
    currency = cooperative.currency
    title = _("Payslip")
    paper = Paper(title, employer.name)
    paper.add_page()
    paper.heading(f"{title} · {localise.month(slip.month)}")
    _table(
        paper,
        [
            (_("Employer"), employer.name),
            (_("tax id (NIF or NIE)"), employer.tax_id),
            (_("Social Security employer account"), employer.social_security_account),
            (_("address"), employer.address),
            (_("Carer"), display_name(contract.carer)),
            (_("Intermediary"), cooperative.name),
        ],
        (1, 2),
    )
    paper.heading(_("Pay"), size=12)
    _table(
        paper,
        [
            (_("hours"), localise.hours(slip.hours)),
            (_("hourly rate"), localise.money(contract.hourly_rate, currency)),
            (_("salary"), localise.money(slip.salary, currency)),
            (_("extra payments"), localise.money(slip.extras, currency)),
            (_("gross pay"), localise.money(slip.gross, currency)),
            (_("worker's contributions"), localise.money(slip.worker_total, currency)),
            (_("net pay"), localise.money(slip.net, currency)),
        ],
        (2, 1),
    )
    paper.heading(_("Contributions"), size=12)
    paper.paragraph(
        _("Contribution base %(base)s (bracket %(bracket)s).")
        % {"base": localise.money(slip.base, currency), "bracket": slip.bracket},
        size=9,
        color=MUTED,
    )
    _table(
        paper,
        [
            (
                line_label(line),
                f"{localise.number(Decimal(line['rate']), 2)} %",
                localise.money(Decimal(line["amount"]), currency),
            )
            for line in slip.lines
        ],
        (3, 1, 1),
    )
    _table(
        paper,
        [(_("employer's contributions"), localise.money(slip.employer_total, currency))],
        (2, 1),
    )
    return bytes(paper.output())
