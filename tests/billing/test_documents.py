"""An issued invoice's PDF in its payer's language, and the journal CSV of a period."""

import csv
import io
from datetime import date
from decimal import Decimal

from coopcare.billing import invoicing, journal, pdf, services
from coopcare.visits.services import generate_visits
from tests import factories
from tests.billing.conftest import MONDAY, done, week_of_visits

ISSUED = date(2026, 12, 1)


def _issued(billing):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    by = billing["coordinator"]
    comune = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by, today=ISSUED)
    family = invoicing.issue(run.invoices.get(payer=billing["family"]), by=by, today=ISSUED)
    return comune, family


def test_an_invoice_prints_in_its_payers_language_arabic_included(billing):
    services.change_payer(
        billing["family"],
        {"kind": "family", "name": "=HYPERLINK(1)", "language": "ar", "shows_carer": True},
    )
    comune, family = _issued(billing)
    for invoice in (comune, family):
        printed = pdf.document(invoice)
        assert printed.startswith(b"%PDF")
    note = invoicing.credit(comune, by=billing["coordinator"], reason="Errore", today=ISSUED)
    assert pdf.document(note).startswith(b"%PDF")


def test_the_journal_balances_each_document_and_keeps_names_inert(billing):
    services.change_payer(billing["family"], {"kind": "family", "name": "=HYPERLINK(1)"})
    comune, _family = _issued(billing)
    invoicing.credit(comune, by=billing["coordinator"], reason="Errore", today=ISSUED)
    text = journal.csv_text(billing["coop"], ISSUED, ISSUED)
    read = list(csv.DictReader(io.StringIO(text)))
    assert [(r["number"], r["account"], r["debit"], r["credit"]) for r in read] == [
        ("2026/1", "1200", "17.60", "0.00"),
        ("2026/1", "4000", "0.00", "17.60"),
        ("2026/2", "1200", "4.40", "0.00"),
        ("2026/2", "4000", "0.00", "4.40"),
        # The credit note: the receivable credited, the revenue debited back.
        ("2026/3", "1200", "0.00", "17.60"),
        ("2026/3", "4000", "17.60", "0.00"),
    ]
    assert {r["payer"] for r in read if r["number"] == "2026/2"} == {"'=HYPERLINK(1)"}
    debit = sum(Decimal(r["debit"]) for r in read)
    assert debit == sum(Decimal(r["credit"]) for r in read)


def test_vat_is_added_per_rate_and_posted_to_its_account(billing):
    """DPR 633/1972 art. 21 c. 2 (l): the invoice shows the tax per rate. A social
    cooperative's home care at 5 % (Tabella A, parte II-bis, n. 1): 22.00 net, 1.10 VAT."""
    coop, by = billing["coop"], billing["coordinator"]
    taxed = services.add_tariff(
        coop,
        {"name": "Care at 5 %", "service_type": "personal_care", "unit": "hour", "vat_rate": 5},
        {"valid_from": date(2026, 1, 1), "weekday_rate": Decimal("22.00"), "minimum_minutes": 60},
        by=by,
    )
    person = billing["person"]
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(person, billing["family"], {"valid_from": MONDAY}, tariffs=[taxed], by=by)
    generate_visits(person, MONDAY, MONDAY)
    done(billing, person.visits.get())
    run = invoicing.run_invoices(coop, MONDAY, MONDAY, by=by)
    invoice = invoicing.issue(run.invoices.get(), by=by, today=ISSUED)
    totals = invoice.totals()
    assert (totals.net, totals.vat, totals.total) == (
        Decimal("22.00"),
        {Decimal("5.00"): Decimal("1.10")},
        Decimal("23.10"),
    )
    read = list(csv.DictReader(io.StringIO(journal.csv_text(coop, ISSUED, ISSUED))))
    assert [(r["account"], r["debit"], r["credit"]) for r in read] == [
        ("1200", "23.10", "0.00"),
        ("4000", "0.00", "22.00"),
        ("2400", "0.00", "1.10"),
    ]
