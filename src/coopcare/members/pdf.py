"""A member's share certificate as a PDF, on the shared paper (``coopcare.pdf``): in the
reader's language, Arabic shaped and right to left."""

from datetime import date

from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.localise import money
from coopcare.members.models import Member
from coopcare.members.rules import ShareBalance
from coopcare.pdf import ACCENT, INK, MUTED, Paper


def certificate(member: Member, balance: ShareBalance, on: date) -> bytes:
    """The certificate of ``member``'s shares as the ledger stood on ``on``, as PDF bytes in
    the active language."""
    cooperative = member.cooperative
    title = _("Share certificate")
    paper = Paper(title, cooperative.name)
    paper.add_page()
    paper.set_margins(20, 20, 20)
    paper.set_y(25)
    paper.heading(cooperative.name, size=18)
    if cooperative.city:
        paper.paragraph(_("Registered in %(city)s") % {"city": cooperative.city}, color=MUTED)
    paper.ln(6)
    paper.heading(title, size=16)
    paper.paragraph(
        _(
            "This certifies that %(name)s, member number %(number)s of the %(class)s class, "
            "holds on %(date)s the shares of the cooperative written below."
        )
        % {
            "name": member.full_name,
            "number": member.number or "—",
            "class": member.stakeholder_class.name,
            "date": localise.day(on),
        },
        size=11,
    )
    paper.ln(3)
    currency = cooperative.currency
    rows = [
        (_("Member"), member.full_name),
        (_("Register number"), str(member.number or "—")),
        (_("Stakeholder class"), member.stakeholder_class.name),
        (_("Admitted on"), localise.day(member.admitted_on) if member.admitted_on else "—"),
        (_("Shares held"), str(balance.shares)),
        (_("Value of one share"), money(member.stakeholder_class.share_value, currency)),
        (_("Capital subscribed"), money(balance.capital, currency)),
        (_("Capital paid up"), money(balance.paid, currency)),
        (_("Still owed"), money(balance.unpaid, currency)),
    ]
    paper.set_font("body", size=11)
    paper.set_text_color(*INK)
    with paper.table(
        col_widths=(1, 1),
        text_align=("RIGHT", "RIGHT") if paper.rtl else ("LEFT", "LEFT"),
        first_row_as_headings=False,
        line_height=7,
    ) as table:
        for label, value in rows:
            table.row((value, label) if paper.rtl else (label, value))
    paper.ln(20)
    paper.set_text_color(*ACCENT)
    width = (paper.epw - 20) / 2
    signers = [_("The president"), _("The secretary")]
    for signer in signers[::-1] if paper.rtl else signers:
        x = paper.get_x()
        paper.line(x, paper.get_y(), x + width, paper.get_y())
        paper.cell(width, 8, signer, align="C")
        paper.set_x(x + width + 20)
    paper.ln(12)
    paper.paragraph(
        _("Issued on %(date)s from the share ledger kept by coopcare.")
        % {"date": localise.day(on)},
        size=8,
        color=MUTED,
    )
    return bytes(paper.output())
