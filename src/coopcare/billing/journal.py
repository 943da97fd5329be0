"""The journal of a period's issued invoices and credit notes, as CSV for accounting
software: per document, the receivable debited with its total, the revenue credited with its
net amount (the travel and the childcare fees billed each on a row of its own) and the VAT
payable with its tax per rate (a credit note the other way round). The accounts are the
cooperative's invoicing details, or 1200, 4000 and 2400 when none are recorded. Every text
cell is made inert (a payer's name cannot run as a formula)."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from coopcare.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoicingDetails,
    LineKind,
)
from coopcare.cooperatives.models import Cooperative
from coopcare.shared.cells import inert

COLUMNS = ("date", "number", "kind", "account", "debit", "credit", "payer", "description")
ACCOUNTS = {"receivable": "1200", "revenue": "4000", "vat": "2400"}


def issued(cooperative: Cooperative, first: date, last: date) -> QuerySet[Invoice]:
    """The cooperative's invoices and credit notes issued from ``first`` to ``last``."""
    return (
        Invoice.objects.filter(
            cooperative=cooperative,
            status=InvoiceStatus.ISSUED,
            issued_on__gte=first,
            issued_on__lte=last,
        )
        .prefetch_related("lines")
        .order_by("issued_on", "year", "number")
    )


def _accounts(cooperative: Cooperative) -> dict[str, str]:
    details = InvoicingDetails.objects.filter(cooperative=cooperative).first()
    if details is None:
        return ACCOUNTS
    return {
        "receivable": details.receivable_account,
        "revenue": details.revenue_account,
        "vat": details.vat_account,
    }


def rows(cooperative: Cooperative, first: date, last: date) -> list[tuple]:
    """The journal lines of the period, debits and credits balancing per document."""
    accounts = _accounts(cooperative)
    found: list[tuple] = []
    zero = Decimal("0.00")
    for invoice in issued(cooperative, first, last):
        totals = invoice.totals()
        credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
        travel = sum(
            (line.amount for line in invoice.lines.all() if line.kind == LineKind.TRAVEL),
            zero,
        )
        fees = sum((line.amount for line in invoice.lines.all() if line.kind == LineKind.FEE), zero)
        care = totals.net - travel - fees
        postings = [("receivable", totals.total, "total")]
        # Travel and fees are revenue too, each on a row of its own so that the books can tell
        # them apart.
        if care or not (travel or fees):
            postings.append(("revenue", -care, "net"))
        if travel:
            postings.append(("revenue", -travel, "travel"))
        if fees:
            postings.append(("revenue", -fees, "fees"))
        postings += [("vat", -tax, f"VAT {rate} %") for rate, tax in totals.vat.items() if tax]
        for account, amount, what in postings:
            amount = -amount if credit_note else amount
            found.append(
                (
                    invoice.issued_on.isoformat() if invoice.issued_on else "",
                    invoice.reference,
                    invoice.kind,
                    accounts[account],
                    amount if amount > 0 else zero,
                    -amount if amount < 0 else zero,
                    invoice.payer_name,
                    f"{invoice.reference} {what}",
                )
            )
    return found


def csv_text(cooperative: Cooperative, first: date, last: date) -> str:
    """The journal of the period as CSV text, a header row first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(cooperative, first, last):
        writer.writerow([inert(value) for value in row])
    return out.getvalue()
