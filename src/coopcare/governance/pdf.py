"""Printed papers of an assembly, as PDFs laid out with fpdf2: the attendance list to sign,
the minutes, the notice letters for members reached by post and the proxy form.

On the shared paper of ``coopcare.pdf`` (DejaVu Sans, HarfBuzz shaping so that Arabic letters
join and run right to left); tables run right to left too."""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.governance.models import Assembly, AssemblyNotice
from coopcare.governance.services.proxies import live_proxies
from coopcare.members.models import Member
from coopcare.pdf import INK, MUTED, Paper


class _Document(Paper):
    def __init__(self, assembly: Assembly, title: str):
        super().__init__(title, assembly.cooperative.name)
        self.assembly = assembly

    def footer(self):
        self.set_y(-12)
        self.set_font("body", size=8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            6,
            _("%(cooperative)s · %(assembly)s · page %(page)s")
            % {
                "cooperative": self.assembly.cooperative.name,
                "assembly": self.assembly.title,
                "page": self.page_no(),
            },
            align="C",
        )

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]):
        """A table with a heading row and borders; columns run right to left in Arabic."""
        self.set_font("body", size=9)
        self.set_text_color(*INK)

        def order(cells):
            return list(cells)[::-1] if self.rtl else list(cells)

        with self.table(
            col_widths=order(widths),
            text_align="RIGHT" if self.rtl else "LEFT",
            line_height=8,
        ) as table:
            table.row(order(header))
            for row in rows:
                table.row(order(row))
        self.ln(2)

    def about(self):
        """The assembly's title, kind, date and place, at the top of each paper."""
        assembly = self.assembly
        self.paragraph(assembly.cooperative.name, size=12)
        self.heading(assembly.title)
        self.paragraph(
            f"{assembly.get_kind_display()} · {_moment(assembly)}"
            + (f" · {assembly.place}" if assembly.place else ""),
            color=MUTED,
        )


def _moment(assembly: Assembly) -> str:
    return localise.moment(assembly.starts_at)


def attendance_list(assembly: Assembly) -> bytes:
    """The attendance list: each member present in person or online, and each represented by
    a proxy, with their stakeholder class and a column for their signature (a represented
    member's proxy holder signs)."""
    pdf = _Document(assembly, _("Attendance list"))
    pdf.add_page()
    pdf.about()
    pdf.heading(_("Attendance list"), size=13)
    rows = [
        (a.member.full_name, a.member.stakeholder_class.name, a.get_mode_display(), "")
        for a in assembly.attendance.select_related("member__stakeholder_class").order_by(
            "member__full_name"
        )
    ]
    rows += [
        (
            p.giver.full_name,
            p.giver.stakeholder_class.name,
            _("by proxy: %(holder)s") % {"holder": p.holder.full_name},
            "",
        )
        for p in live_proxies(assembly)
        .select_related("giver__stakeholder_class", "holder")
        .order_by("giver__full_name")
    ]
    pdf.grid(
        (_("Member"), _("Stakeholder class"), _("Present"), _("Signature")), rows, (5, 3, 4, 4)
    )
    pdf.paragraph(
        _("%(present)s present, %(proxies)s represented by proxy.")
        % {
            "present": assembly.attendance.count(),
            "proxies": len(rows) - assembly.attendance.count(),
        },
        color=MUTED,
    )
    return bytes(pdf.output())


def minutes(assembly: Assembly) -> bytes:
    """The minutes of the assembly as they stand (a draft until they are published)."""
    pdf = _Document(assembly, _("Minutes"))
    pdf.add_page()
    pdf.about()
    pdf.heading(_("Minutes") if assembly.minutes_published_at else _("Minutes (draft)"), size=13)
    if assembly.minutes_published_at:
        pdf.paragraph(
            _("Published on %(on)s.")
            % {"on": localise.day(timezone.localdate(assembly.minutes_published_at))},
            color=MUTED,
        )
    pdf.paragraph(assembly.minutes)
    return bytes(pdf.output())


def _proxy_page(pdf: _Document, member: Member | None) -> None:
    assembly = pdf.assembly
    pdf.add_page()
    pdf.about()
    pdf.heading(_("Proxy form"), size=13)
    giver = member.full_name if member else "…" * 12
    pdf.paragraph(
        _(
            "I, %(giver)s, member of %(cooperative)s, give my proxy to the member named below "
            "to represent me and vote in my name at %(assembly)s on %(when)s."
        )
        % {
            "giver": giver,
            "cooperative": assembly.cooperative.name,
            "assembly": assembly.title,
            "when": _moment(assembly),
        }
    )
    pdf.ln(4)
    for label in (_("Member who holds my proxy"), _("Date"), _("Signature")):
        pdf.paragraph(f"{label}: " + "…" * 20)
        pdf.ln(3)
    pdf.paragraph(
        _(
            "Hand this form to the member who holds your proxy; they give it to the board at "
            "the assembly. Your proxy lapses if you come yourself."
        ),
        size=9,
        color=MUTED,
    )


def proxy_form(assembly: Assembly, member: Member | None = None) -> bytes:
    """A proxy form to print and sign, with the giver's name when it is known."""
    pdf = _Document(assembly, _("Proxy form"))
    _proxy_page(pdf, member)
    return bytes(pdf.output())


def letters(assembly: Assembly, notices: Sequence[AssemblyNotice]) -> bytes:
    """The notice letters for members reached by post: for each, the letter with the agenda it
    was sent with, and a proxy form in their name."""
    pdf = _Document(assembly, _("Notice of the assembly"))
    for notice in notices:
        member = notice.member
        pdf.add_page()
        pdf.paragraph(member.full_name, size=11)
        if member.address:
            pdf.paragraph(member.address, size=11)
        pdf.ln(6)
        pdf.about()
        pdf.heading(
            _("Amended notice of the assembly")
            if notice.amendment
            else _("Notice of the assembly"),
            size=13,
        )
        pdf.paragraph(
            _("Dear %(name)s, you are called to this assembly, with the agenda below.")
            % {"name": member.full_name}
        )
        if assembly.join_link:
            pdf.paragraph(_("To join online: %(link)s") % {"link": assembly.join_link})
        pdf.heading(_("Agenda"), size=12)
        pdf.paragraph(notice.agenda or _("No items yet."))
        pdf.paragraph(
            _(
                "If you cannot come, you may give your proxy to another member, who will vote "
                "for you: sign the form that follows and hand it to them."
            )
        )
        pdf.paragraph(
            _("Sent on %(on)s.") % {"on": localise.day(notice.sent_on)}, size=9, color=MUTED
        )
        _proxy_page(pdf, member)
    return bytes(pdf.output())
