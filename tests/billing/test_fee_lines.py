"""Lines that bill no visit (a childcare centre's monthly fees and their subsidies): written by
``invoicing.bill_charges`` as draft invoices, one per payer, and read as every other line is,
on the invoice's page, its PDF, the API, the family's own statement, credit notes, the
journal, the revenue indicators and the FatturaPA file of a public payer."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coopcare.accounts.models import ApiToken
from coopcare.billing import invoicing, journal, pdf, services
from coopcare.billing.models import Invoice, InvoiceLine, InvoiceRun, LineKind
from coopcare.cooperatives.models import Role
from coopcare.einvoice.schema import schema_problems
from coopcare.impact.indicators import compute
from tests import factories
from tests.billing.conftest import billing  # noqa: F401 - the fixture

OCTOBER = date(2026, 10, 1), date(2026, 10, 31)
ISSUED = date(2026, 11, 2)
# Italian childcare by a social cooperative, exempt: DPR 633/1972 art. 10 c. 1 n. 20.
EXEMPT = "Esente art. 10 c. 1 n. 20 DPR 633/1972"


def _charges(billing):  # noqa: F811
    family, comune = billing["family"], billing["comune"]
    return [
        invoicing.Charge(
            payer=family,
            day=OCTOBER[0],
            description="Fee for October 2026, Amira Rossi, full time, band 2",
            amount=Decimal("310.00"),
            vat_rate=Decimal(0),
            vat_note=EXEMPT,
            service_type="childcare",
        ),
        invoicing.Charge(
            payer=comune,
            day=OCTOBER[0],
            description="Posti convenzionati, October 2026, Amira Rossi",
            amount=Decimal("150.00"),
            vat_rate=Decimal(0),
            vat_note=EXEMPT,
            service_type="childcare",
        ),
        invoicing.Charge(
            payer=family,
            day=OCTOBER[0],
            description="Fee for October 2026, Luca Rossi, part time, band 2",
            amount=Decimal("186.00"),
            vat_rate=Decimal(0),
            vat_note=EXEMPT,
            service_type="childcare",
        ),
    ]


def _billed(billing):  # noqa: F811
    return invoicing.bill_charges(
        billing["coop"], _charges(billing), *OCTOBER, by=billing["coordinator"]
    )


def test_charges_are_drafts_one_per_payer_with_a_line_per_charge(billing):  # noqa: F811
    billed = _billed(billing)
    assert [i.payer for i in billed.invoices] == [billing["family"], billing["comune"]]
    assert all(i.status == "draft" and i.run == billed.run for i in billed.invoices)
    # The lines in the order of the charges, so the caller can link each to its own record.
    assert [line.description for line in billed.lines] == [c.description for c in _charges(billing)]
    assert [line.invoice for line in billed.lines] == [
        billed.invoices[0],
        billed.invoices[1],
        billed.invoices[0],
    ]
    line = InvoiceLine.objects.get(pk=billed.lines[0].pk)
    assert line.kind == LineKind.FEE
    assert (line.visit, line.person, line.agreement, line.tariff_version) == (None,) * 4
    assert (line.amount, line.vat_note) == (Decimal("310.00"), EXEMPT)
    assert billed.invoices[0].totals().total == Decimal("496.00")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"day": date(2026, 11, 1)}, "charge_outside_period"),
        ({"description": "  "}, "charge_undescribed"),
        ({"amount": Decimal("-1.00")}, "charge_below_zero"),
    ],
)
def test_a_charge_that_cannot_be_billed_refuses_them_all(billing, change, code):  # noqa: F811
    charges = _charges(billing)
    charges[2] = invoicing.Charge(**{**charges[2].__dict__, **change})
    with pytest.raises(ValidationError) as refused:
        invoicing.bill_charges(billing["coop"], charges, *OCTOBER, by=billing["coordinator"])
    assert [e.code for e in refused.value.error_list] == [code]
    assert not Invoice.objects.exists() and not InvoiceRun.objects.exists()


def test_nothing_to_bill_and_another_cooperatives_payer_are_refused(billing):  # noqa: F811
    coop, by = billing["coop"], billing["coordinator"]
    with pytest.raises(ValidationError) as refused:
        invoicing.bill_charges(coop, [], *OCTOBER, by=by)
    assert refused.value.code == "nothing_to_invoice"
    elsewhere = services.add_payer(factories.CooperativeFactory(), {"kind": "family", "name": "X"})
    charge = invoicing.Charge(**{**_charges(billing)[0].__dict__, "payer": elsewhere})
    with pytest.raises(ValidationError) as refused:
        invoicing.bill_charges(coop, [charge], *OCTOBER, by=by)
    assert [e.code for e in refused.value.error_list] == ["payer_elsewhere"]
    assert not Invoice.objects.exists()


def test_a_fee_line_cannot_name_a_visit_nor_a_visit_line_lack_one(billing):  # noqa: F811
    """The database holds the shape: a fee says what it bills; any other line is a visit's."""
    line = _billed(billing).lines[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(description="")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(kind=LineKind.VISIT)


def test_a_fee_invoice_to_a_public_payer_is_a_valid_fatturapa(billing):  # noqa: F811
    """FatturaPA 1.2.3: each fee is a DettaglioLinee with its description; the exempt line
    carries Natura N4 and the schedule's legal note (DPR 633/1972 art. 10 c. 1 n. 20)."""
    billed = _billed(billing)
    comune = invoicing.issue(billed.invoices[1], by=billing["coordinator"], today=ISSUED)
    xml = bytes(Invoice.objects.get(pk=comune.pk).einvoice_xml)
    assert schema_problems(xml) == []
    assert b"<Descrizione>01/10/2026 Posti convenzionati, October 2026, Amira Rossi<" in xml
    assert b"<Natura>N4<" in xml and EXEMPT.encode() in xml


def test_a_fee_at_five_percent_is_taxed_on_the_fatturapa(billing):  # noqa: F811
    """Tabella A parte II-bis n. 1 DPR 633/1972: a social cooperative's childcare at 5 %;
    150.00 net, 7.50 VAT."""
    charge = invoicing.Charge(
        **{
            **_charges(billing)[1].__dict__,
            "vat_rate": Decimal(5),
            "vat_note": "IVA 5% Tabella A parte II-bis n. 1 DPR 633/1972",
        }
    )
    billed = invoicing.bill_charges(billing["coop"], [charge], *OCTOBER, by=billing["coordinator"])
    comune = invoicing.issue(billed.invoices[0], by=billing["coordinator"], today=ISSUED)
    assert comune.totals().vat == {Decimal("5.00"): Decimal("7.50")}
    xml = bytes(comune.einvoice_xml)
    assert schema_problems(xml) == []
    assert b"<AliquotaIVA>5.00<" in xml and b"<Natura>" not in xml


def test_pages_pdf_and_api_show_what_a_fee_bills(client, billing):  # noqa: F811
    billed = _billed(billing)
    family = invoicing.issue(billed.invoices[0], by=billing["coordinator"], today=ISSUED)
    client.force_login(billing["coordinator"])
    page = client.get(f"/c/cura/billing/invoices/{family.pk}/")
    assert page.status_code == 200
    assert "Fee for October 2026, Luca Rossi, part time, band 2" in page.content.decode()
    assert pdf.document(family).startswith(b"%PDF")
    assert client.get(f"/c/cura/billing/invoices/{family.pk}/invoice.pdf").status_code == 200
    _token, raw = ApiToken.issue(billing["coordinator"], "test")
    answer = client.get(
        f"/api/cooperatives/cura/invoices/{family.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 200, answer.content
    lines = answer.json()["lines"]
    assert [(line["kind"], line["person_id"], line["visit_id"]) for line in lines] == [
        ("fee", None, None)
    ] * 2
    assert lines[0]["description"].startswith("Fee for October 2026")


def test_the_family_reads_its_fee_invoice_as_its_own(client, billing):  # noqa: F811
    parent = factories.user_with_role(billing["coop"], Role.CIRCLE, username="marco")
    services.change_payer(billing["family"], {"user": parent})
    family = invoicing.issue(_billed(billing).invoices[0], by=billing["coordinator"], today=ISSUED)
    factories.log_in(client, parent)
    page = client.get("/c/cura/billing/mine/")
    assert page.status_code == 200
    (balance,) = page.context["statement"].balances
    assert balance.invoice == family and balance.owed == Decimal("496.00")
    assert client.get(f"/c/cura/billing/mine/{family.pk}/pdf/").status_code == 200


def test_a_fee_line_is_credited_and_may_be_billed_again(billing):  # noqa: F811
    by = billing["coordinator"]
    family = invoicing.issue(_billed(billing).invoices[0], by=by, today=ISSUED)
    luca = family.lines.get(description__contains="Luca")
    note = invoicing.credit(
        family, by=by, reason="Left in September", lines=[luca], bill_again=True, today=ISSUED
    )
    [credited] = note.lines.all()
    assert (credited.kind, credited.description, credited.credits) == (
        LineKind.FEE,
        luca.description,
        luca,
    )
    assert credited.bill_again and note.totals().total == Decimal("186.00")
    assert pdf.document(note).startswith(b"%PDF")


def test_the_journal_posts_fees_on_a_row_of_their_own(billing):  # noqa: F811
    family = invoicing.issue(_billed(billing).invoices[0], by=billing["coordinator"], today=ISSUED)
    text = journal.csv_text(billing["coop"], ISSUED, ISSUED)
    read = list(csv.DictReader(io.StringIO(text)))
    assert [
        (r["number"], r["account"], r["debit"], r["credit"], r["description"]) for r in read
    ] == [
        (family.reference, "1200", "496.00", "0.00", f"{family.reference} total"),
        (family.reference, "4000", "0.00", "496.00", f"{family.reference} fees"),
    ]


def test_fees_are_revenue_from_childcare_by_service_and_by_payer(billing):  # noqa: F811
    billed = _billed(billing)
    for invoice in billed.invoices:
        invoicing.issue(invoice, by=billing["coordinator"], today=ISSUED)
    figures = {i.key: f for i, f in compute(billing["coop"], *OCTOBER)}
    by_service = figures["revenue_by_service"]
    assert by_service.value == Decimal("646.00")
    assert [(str(label), value) for label, value in by_service.parts] == [
        ("childcare", Decimal("646.00"))
    ]
    by_payer = dict((str(label), value) for label, value in figures["revenue_by_payer"].parts)
    assert by_payer["Comune di Bologna"] == Decimal("150.00")
