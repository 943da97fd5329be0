"""Issuing invoices with numbers without gaps, kept as issued, and credit notes."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, services
from coopcare.billing.models import Invoice, InvoiceLine
from tests.billing.conftest import MONDAY, done, week_of_visits

ISSUED = date(2026, 12, 1)


def _drafts(billing):
    """The municipality's and the family's drafts for Monday 2 November 2026."""
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    return run.invoices.get(payer=billing["comune"]), run.invoices.get(payer=billing["family"])


def test_issued_invoices_get_consecutive_numbers_dates_and_the_payers_details(billing):
    """DPR 633/1972 art. 21: an invoice is dated and has "a progressive number that identifies
    it uniquely". Two issues in sequence get 1 and 2 of 2026; the due date is the payer's 30
    payment days later."""
    comune, family = _drafts(billing)
    by = billing["coordinator"]
    first = invoicing.issue(comune, by=by, today=ISSUED)
    second = invoicing.issue(family, by=by, today=ISSUED)
    assert (first.year, first.number, second.number) == (2026, 1, 2)
    assert (first.issued_on, first.due_on) == (ISSUED, date(2026, 12, 31))
    assert (first.payer_name, first.payer_office_code) == ("Comune di Bologna", "UF1234")
    # The payer's details changing later leaves the issued invoice as it was.
    services.change_payer(billing["comune"], {"kind": "public_body", "name": "Comune di BO"})
    assert Invoice.objects.get(pk=first.pk).payer_name == "Comune di Bologna"


def test_a_failed_issue_leaves_no_gap(billing):
    comune, family = _drafts(billing)
    by = billing["coordinator"]
    invoicing.issue(comune, by=by, today=ISSUED)
    with pytest.raises(ValidationError) as refused:
        invoicing.issue(comune, by=by, today=ISSUED)
    assert refused.value.code == "invoice_issued"
    assert invoicing.issue(family, by=by, today=ISSUED).number == 2


def test_the_numbers_start_again_each_year(billing):
    comune, family = _drafts(billing)
    by = billing["coordinator"]
    invoicing.issue(comune, by=by, today=date(2026, 12, 31))
    assert invoicing.issue(family, by=by, today=date(2027, 1, 2)).reference == "2027/1"


def test_an_issued_invoice_and_its_lines_are_never_changed_nor_deleted(billing):
    comune, family = _drafts(billing)
    issued = invoicing.issue(comune, by=billing["coordinator"], today=ISSUED)
    again = Invoice.objects.get(pk=issued.pk)
    again.payer_name = "Someone else"
    for attempt in (again.save, again.delete, issued.lines.get().delete):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "invoice_issued"
    with pytest.raises(ValidationError):
        invoicing.delete_draft(issued)
    line = issued.lines.get()
    line.amount = Decimal("1.00")
    with pytest.raises(ValidationError):
        line.save()
    # Nor in bulk, which would bypass each row's own guard.
    bulk = (
        partial(Invoice.objects.filter(pk=issued.pk).update, payer_name="Someone else"),
        Invoice.objects.filter(pk=issued.pk).delete,
        partial(issued.lines.update, amount=Decimal("1.00")),
        issued.lines.all().delete,
    )
    for attempt in bulk:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "invoice_issued"
    # A draft still changes in bulk.
    assert Invoice.objects.filter(pk=family.pk).update(payer_name="Marco Rossi") == 1


def test_the_totals_add_vat_per_rate_rounded_once(billing):
    comune, _family = _drafts(billing)
    totals = comune.totals()
    # One line of 17.60 at the tariff's 0 % VAT.
    assert (totals.net, totals.vat, totals.total) == (
        Decimal("17.60"),
        {Decimal("0.00"): Decimal("0.00")},
        Decimal("17.60"),
    )


def test_a_credit_note_has_the_next_number_and_may_let_a_run_bill_the_visit_again(billing):
    """DPR 633/1972 art. 26: an issued invoice is corrected by a credit note (nota di
    variazione); in FatturaPA a TD04 document, here numbered in the same sequence."""
    comune, family = _drafts(billing)
    by = billing["coordinator"]
    invoicing.issue(comune, by=by, today=ISSUED)
    invoicing.issue(family, by=by, today=ISSUED)
    note = invoicing.credit(comune, by=by, reason="Wrong tariff", bill_again=True, today=ISSUED)
    assert (note.kind, note.number, note.credits) == ("credit_note", 3, comune)
    assert note.lines.get().amount == Decimal("17.60")
    with pytest.raises(ValidationError) as refused:
        invoicing.credit(comune, by=by, reason="Twice", today=ISSUED)
    assert refused.value.code == "line_already_credited"
    with pytest.raises(ValidationError) as refused:
        invoicing.credit(note, by=by, reason="A credit of a credit", today=ISSUED)
    assert refused.value.code == "invoice_not_creditable"
    # Credited to be billed again: the next run bills the municipality's share once more,
    # never the family's, which was not credited.
    rerun = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by)
    assert [i.payer for i in rerun.invoices.all()] == [billing["comune"]]
    assert InvoiceLine.objects.filter(invoice__run=rerun).get().amount == Decimal("17.60")


def test_a_credit_note_without_bill_again_leaves_the_visit_billed(billing):
    comune, _family = _drafts(billing)
    by = billing["coordinator"]
    invoicing.issue(comune, by=by, today=ISSUED)
    with pytest.raises(ValidationError) as refused:
        invoicing.credit(comune, by=by, reason="  ", today=ISSUED)
    assert refused.value.code == "reason_missing"
    invoicing.credit(comune, by=by, reason="Visit disputed", today=ISSUED)
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by, payer=billing["comune"])
    assert refused.value.error_list[0].code == "nothing_to_invoice"
