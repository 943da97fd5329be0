"""Payments' actions: recording money received against an issued invoice, and withdrawing a
payment recorded by mistake. What is owed counts the invoice's total less its credit notes and
the payments not withdrawn (``queries.balances``). One transaction each; the invoice's row is
locked, so two payments recorded at once never pay more than it asks."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.billing import queries
from coopcare.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentWithdrawal,
)
from coopcare.visits.zones import on_cooperative_clock


def _owed(invoice: Invoice, on: date) -> Decimal:
    """What the issued ``invoice`` still asks on day ``on`` (or on its day of issue, if later),
    every credit note and payment counted."""
    (balance,) = queries.balances(
        invoice.cooperative, max(on, invoice.issued_on or on), invoice_id=invoice.pk
    )
    return balance.owed


@transaction.atomic
def record_payment(invoice: Invoice, fields: dict, *, by) -> Payment:
    """Record a payment of ``fields["amount"]`` received on ``fields["received_on"]`` against
    the issued ``invoice``: not before it was issued, not in the future, and never more than it
    still asks."""
    invoice = (
        Invoice.objects.select_for_update()
        .select_related("cooperative", "payer")
        .get(pk=invoice.pk)
    )
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        raise ValidationError(
            _("A payment is recorded against an issued invoice."), code="invoice_not_payable"
        )
    payment = Payment(
        cooperative=invoice.cooperative,
        invoice=invoice,
        recorded_by=by,
        method=fields.get("method") or PaymentMethod.BANK_TRANSFER,
        **{name: fields[name] for name in ("received_on", "amount", "reference") if name in fields},
    )
    payment.full_clean(exclude=["cooperative", "invoice", "recorded_by"])
    today = on_cooperative_clock(timezone.now(), invoice.cooperative).date()
    problems = []
    if payment.received_on > today:
        problems.append(
            ValidationError(
                _("A payment is recorded once it is received, not before."),
                code="payment_in_future",
            )
        )
    if invoice.issued_on and payment.received_on < invoice.issued_on:
        problems.append(
            ValidationError(
                _("The invoice was issued on %(day)s: it was not paid before.")
                % {"day": invoice.issued_on.isoformat()},
                code="paid_before_issue",
            )
        )
    owed = _owed(invoice, today)
    if payment.amount > owed:
        problems.append(
            ValidationError(
                _("This invoice asks %(owed)s more; the payment is more than that.")
                % {"owed": owed},
                code="payment_more_than_owed",
            )
        )
    if problems:
        raise ValidationError(problems)
    payment.save()
    return payment


@transaction.atomic
def withdraw_payment(payment: Payment, reason: str, *, by) -> PaymentWithdrawal:
    """Withdraw a payment recorded by mistake, saying why: it stays in the ledger and no longer
    counts against its invoice."""
    # The invoice's row is locked, as recording a payment against it does.
    Invoice.objects.select_for_update().filter(pk=payment.invoice_id).first()
    if PaymentWithdrawal.objects.filter(payment=payment).exists():
        raise ValidationError(
            _("This payment is already withdrawn."), code="payment_already_withdrawn"
        )
    if not reason.strip():
        raise ValidationError(_("Say why the payment is withdrawn."), code="reason_missing")
    return PaymentWithdrawal.objects.create(payment=payment, reason=reason.strip(), withdrawn_by=by)
