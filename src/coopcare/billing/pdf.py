"""An invoice or credit note as a PDF, on the shared paper (``coopcare.pdf``): in the payer's
language (Arabic shaped and right to left), with the cooperative's and the payer's details as
issued, a line per visit (the carer named only where the payer wants it), and the totals with
the VAT per rate and its legal note. Travel billed to a visit is a line of its own, after
the visit's; a line that bills no visit (a childcare fee) prints its description."""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.billing.models import Invoice, InvoiceKind, InvoicingDetails, LineKind, RateKind
from coopcare.localise import money
from coopcare.pdf import MUTED, Paper


def _day(day: date | None) -> str:
    """A date as the reader writes it; a draft's dates to come show as a dash."""
    return localise.day(day) if day else "—"


def _why(line) -> str:
    """Each stretch's rate and why: "60 min weekday 22.00", travel "20 min travel 18.00" at
    the tariff version's travel rate; two carers say so."""
    if line.kind == LineKind.TRAVEL:
        parts = [f"{line.minutes} min {LineKind.TRAVEL.label} {line.tariff_version.travel_rate}"]
    else:
        parts = [
            f"{s['minutes']} min {RateKind(s['kind']).label} {s['rate']}" for s in line.stretches
        ]
    if line.double_handed:
        parts.append(str(_("two carers")))
    return "; ".join(parts)


def _what(line) -> str:
    """What a line other than a visit bills, after its service: " (cancelled late)",
    " (travel)"."""
    if line.kind == LineKind.LATE_CANCELLATION:
        return " (" + str(_("cancelled late")) + ")"
    if line.kind == LineKind.TRAVEL:
        return " (" + str(LineKind.TRAVEL.label) + ")"
    return ""


def _row(line) -> list[str]:
    """A line's date, whom or what it bills, its service and billed time: a line that bills no
    visit (a fee) has its description, its kind and no time."""
    if line.kind == LineKind.FEE:
        return [localise.day(line.day), line.description, str(line.get_kind_display()), "—"]
    return [
        localise.day(line.day),
        line.person.full_name,
        str(line.get_service_type_display()) + _what(line),
        localise.duration(line.minutes),
    ]


def document(invoice: Invoice) -> bytes:
    """``invoice`` (or a credit note) as PDF bytes, in its payer's language (a draft's, whose
    details of issue are still to come, in the payer's language of today)."""
    with translation.override(invoice.language or invoice.payer.language):
        return _document(invoice)


def _document(invoice: Invoice) -> bytes:
    cooperative = invoice.cooperative
    currency = cooperative.currency
    details = InvoicingDetails.objects.filter(cooperative=cooperative).first()
    title = (
        _("Credit note %(number)s")
        if invoice.kind == InvoiceKind.CREDIT_NOTE
        else _("Invoice %(number)s")
    ) % {"number": invoice.reference}
    paper = Paper(title, cooperative.name, orientation="L")
    paper.add_page()
    paper.heading(cooperative.name, size=16)
    if details is not None:
        paper.paragraph(
            f"{details.street} {details.street_number}, {details.postcode} {details.town} "
            f"{details.province}",
            color=MUTED,
        )
        paper.paragraph(_("VAT number: %(number)s") % {"number": details.vat_number}, color=MUTED)
    paper.ln(3)
    paper.heading(title, size=14)
    paper.paragraph(
        _("Issued on %(issued)s, due on %(due)s; care from %(first)s to %(last)s.")
        % {
            "issued": _day(invoice.issued_on),
            "due": _day(invoice.due_on),
            "first": localise.day(invoice.first_day),
            "last": localise.day(invoice.last_day),
        }
    )
    if invoice.credits is not None:
        paper.paragraph(
            _("Credits invoice %(number)s of %(date)s: %(why)s")
            % {
                "number": invoice.credits.reference,
                "date": _day(invoice.credits.issued_on),
                "why": invoice.reason,
            }
        )
    paper.ln(2)
    paper.paragraph(_("To:") + " " + (invoice.payer_name or invoice.payer.name), size=11)
    for text in (
        invoice.payer_address,
        invoice.payer_vat_number
        and _("VAT number: %(number)s") % {"number": invoice.payer_vat_number},
        invoice.payer_fiscal_code
        and _("Fiscal code: %(code)s") % {"code": invoice.payer_fiscal_code},
    ):
        if text:
            paper.paragraph(text, color=MUTED)
    paper.ln(3)
    headings = [_("Date"), _("Person"), _("Service"), _("Billed time")]
    widths = [14, 24, 20, 12]
    if invoice.shows_carer:
        headings.append(_("Carer"))
        widths.append(22)
    headings += [_("Rate and why"), _("Amount")]
    widths += [40, 14]
    rows = []
    lines = invoice.lines.select_related("person", "tariff_version")
    for line in lines.order_by("person__full_name", "day", "pk"):
        row = _row(line)
        if invoice.shows_carer:
            row.append(line.carers)
        row += [_why(line), money(line.amount, currency)]
        rows.append(row)
    order = slice(None, None, -1) if paper.rtl else slice(None)
    paper.set_font("body", size=8)
    with paper.table(
        col_widths=tuple(widths[order]),
        text_align="RIGHT" if paper.rtl else "LEFT",
        line_height=5,
    ) as table:
        table.row([str(h) for h in headings][order])
        for row in rows:
            table.row(row[order])
    paper.ln(4)
    totals = invoice.totals()
    paper.paragraph(_("Net amount: %(amount)s") % {"amount": money(totals.net, currency)}, size=11)
    notes = {line.vat_rate: line.vat_note for line in invoice.lines.all()}
    for rate, vat in totals.vat.items():
        paper.paragraph(
            _("VAT at %(rate)s %%: %(amount)s") % {"rate": rate, "amount": money(vat, currency)}
            + (f" — {notes[rate]}" if notes.get(rate) else ""),
            size=10,
        )
    paper.heading(_("Total: %(amount)s") % {"amount": money(totals.total, currency)}, size=13)
    if details is not None and details.iban and invoice.kind == InvoiceKind.INVOICE:
        paper.paragraph(_("Pay by bank transfer to %(iban)s.") % {"iban": details.iban})
    return bytes(paper.output())
