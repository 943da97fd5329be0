"""Payments against issued invoices: what is still owed after credit notes and payments, and
the refusals that keep a payer from being recorded as paying more than asked."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, payments, queries
from coopcare.billing.models import Payment
from coopcare.kept import Refused
from tests.billing.conftest import MONDAY, done, week_of_visits

ISSUED = date(2026, 12, 1)


@pytest.fixture
def issued(billing):
    """The municipality's issued invoice for Monday 2 November 2026: 80 % of 22.00."""
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    comune = run.invoices.get(payer=billing["comune"])
    return invoicing.issue(comune, by=billing["coordinator"], today=ISSUED)


def _owed(billing, on):
    (balance,) = queries.balances(billing["coop"], on, payer=billing["comune"])
    return balance


def test_what_is_owed_is_the_total_less_payments_and_credit_notes(billing, issued):
    by = billing["coordinator"]
    total = issued.totals().total
    payments.record_payment(
        issued, {"received_on": date(2026, 12, 2), "amount": Decimal("10.00")}, by=by
    )
    balance = _owed(billing, date(2026, 12, 3))
    assert (balance.total, balance.paid, balance.owed) == (total, Decimal("10.00"), total - 10)
    # On the day before the payment came in, it was all still owed.
    assert _owed(billing, date(2026, 12, 1)).owed == total
    invoicing.credit(issued, by=by, reason="Visit not due", today=date(2026, 12, 3))
    assert _owed(billing, date(2026, 12, 4)).owed == Decimal("-10.00")


def test_an_invoice_is_overdue_when_still_owed_after_its_due_date(billing, issued):
    balance = _owed(billing, issued.due_on)
    assert not balance.overdue(issued.due_on)
    assert balance.overdue(issued.due_on + timedelta(days=1))


def test_a_payment_more_than_owed_before_issue_or_to_come_is_refused(billing, issued):
    by = billing["coordinator"]
    total = issued.totals().total
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(
            issued, {"received_on": date(2026, 11, 30), "amount": total + 1}, by=by
        )
    assert {e.code for e in refused.value.error_list} == {
        "paid_before_issue",
        "payment_more_than_owed",
    }
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(issued, {"received_on": date(2999, 1, 1), "amount": total}, by=by)
    assert [e.code for e in refused.value.error_list] == ["payment_in_future"]
    assert not Payment.objects.exists()


def test_a_withdrawn_payment_no_longer_counts_and_stays_in_the_ledger(billing, issued):
    by = billing["coordinator"]
    total = issued.totals().total
    payment = payments.record_payment(
        issued, {"received_on": date(2026, 12, 2), "amount": total}, by=by
    )
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(
            issued, {"received_on": date(2026, 12, 2), "amount": Decimal("0.01")}, by=by
        )
    assert refused.value.error_list[0].code == "payment_more_than_owed"
    payments.withdraw_payment(payment, "Bounced", by=by)
    assert _owed(billing, date(2026, 12, 3)).owed == total
    with pytest.raises(ValidationError) as refused:
        payments.withdraw_payment(payment, "Again", by=by)
    assert refused.value.code == "payment_already_withdrawn"
    with pytest.raises(Refused):
        payment.delete()


def test_a_draft_is_not_paid(billing):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(
            run.invoices.first(),
            {"received_on": date(2026, 12, 2), "amount": Decimal(1)},
            by=billing["coordinator"],
        )
    assert refused.value.code == "invoice_not_payable"
