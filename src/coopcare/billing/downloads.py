"""The files a reader downloads from billing: an invoice's PDF, its FatturaPA file and the
journal CSV, each named one way whether it is asked for on a page or through the API."""

from datetime import date

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from coopcare.billing import journal, pdf
from coopcare.billing.models import Invoice, InvoiceKind


def file_name(invoice: Invoice, extension: str) -> str:
    """``invoice-2026-17.pdf``, ``credit-note-2026-3.pdf``; a draft, which has no number yet,
    ``invoice-draft-42.pdf``."""
    kind = "credit-note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    number = invoice.reference.replace("/", "-") if invoice.number else f"draft-{invoice.pk}"
    return f"{kind}-{number}.{extension}"


def _attached(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def invoice_pdf(invoice: Invoice, *, inline: bool = False) -> HttpResponse:
    """The invoice or credit note printed, in its payer's language. ``inline`` for a family
    reading its own invoice in the browser; kept out of shared caches then."""
    response = _attached(
        HttpResponse(pdf.document(invoice), content_type="application/pdf"),
        file_name(invoice, "pdf"),
        inline=inline,
    )
    if inline:
        add_never_cache_headers(response)
    return response


def einvoice(invoice: Invoice) -> HttpResponse:
    """The FatturaPA file issued with an invoice, under the name the exchange system requires
    (404 when the invoice has none)."""
    if not invoice.einvoice_name:
        raise Http404
    return _attached(
        HttpResponse(bytes(invoice.einvoice_xml), content_type="application/xml"),
        invoice.einvoice_name,
    )


def journal_csv(cooperative, first: date, last: date) -> HttpResponse:
    """The journal of the documents issued from ``first`` to ``last``."""
    return _attached(
        HttpResponse(journal.csv_text(cooperative, first, last), content_type="text/csv"),
        f"journal-{first}-{last}.csv",
    )
