"""The FatturaPA file of an invoice to an Italian public payer: built on issue through
coopcare.einvoice, validated against the schema, kept with the invoice; a file that would be
refused refuses the issue, with the reasons, and leaves no gap in the numbers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import fatturapa, invoicing, services
from coopcare.billing.models import Invoice
from coopcare.einvoice.schema import schema_problems
from tests.billing.conftest import MONDAY, done, week_of_visits

ISSUED = date(2026, 12, 1)


def _drafts(billing):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    return run.invoices.get(payer=billing["comune"]), run.invoices.get(payer=billing["family"])


def test_an_invoice_to_a_public_payer_keeps_its_validated_fatturapa_file(billing):
    """FatturaPA 1.2.3: a public administration gets the FPA12 format at its Codice Univoco
    Ufficio; an exempt line carries Natura N4 with its legal note (DPR 633/1972 art. 10)."""
    comune, family = _drafts(billing)
    issued = invoicing.issue(comune, by=billing["coordinator"], today=ISSUED)
    xml = bytes(Invoice.objects.get(pk=issued.pk).einvoice_xml)
    assert issued.einvoice_name == f"IT07654320378_{fatturapa.progressive(issued)}.xml"
    assert schema_problems(xml) == []
    for part in (
        b'versione="FPA12"',
        b"<CodiceDestinatario>UF1234<",
        b"<Natura>N4<",
        b"<Numero>2026/1<",
        b"<TipoDocumento>TD01<",
        b"<ImportoPagamento>",
    ):
        assert part in xml
    # A family payer gets no electronic invoice from coopcare (a PDF).
    assert invoicing.issue(family, by=billing["coordinator"], today=ISSUED).einvoice_xml == b""


def test_a_credit_note_to_a_public_payer_is_a_td04_naming_the_invoice(billing):
    comune, _family = _drafts(billing)
    by = billing["coordinator"]
    invoicing.issue(comune, by=by, today=ISSUED)
    note = invoicing.credit(comune, by=by, reason="Visita contestata", today=ISSUED)
    xml = bytes(note.einvoice_xml)
    assert b"<TipoDocumento>TD04<" in xml and b"<IdDocumento>2026/1<" in xml


def test_names_outside_latin1_are_transliterated():
    """The FatturaPA schema's strings are Latin-1 (BasicLatin and Latin-1 Supplement): what
    is outside is spelt in Latin letters, what is inside stays (ó)."""
    assert fatturapa.latin1("Łukasz Żółć — Niccolò") == "Lukasz Zólc -- Niccolò"
    arabic = fatturapa.latin1("محمد")
    assert arabic and arabic.encode("latin-1")


def test_a_file_that_would_be_refused_refuses_the_issue_and_leaves_no_gap(billing):
    comune, family = _drafts(billing)
    by = billing["coordinator"]
    services.change_payer(
        billing["comune"],
        {
            "kind": "public_body",
            "name": "Comune di Bologna",
            "office_code": "UF1234",
            "address": "Piazza Maggiore 6, 40124 Bologna BO",
            "fiscal_code": "",
            "vat_number": "",
        },
    )
    with pytest.raises(ValidationError) as refused:
        invoicing.issue(comune, by=by, today=ISSUED)
    [problem] = refused.value.error_list
    # SDI check 00417: the customer has neither a VAT number nor a fiscal code.
    assert (problem.code, problem.params["check"]) == ("einvoice_refused", "00417")
    assert Invoice.objects.get(pk=comune.pk).status == "draft"
    assert invoicing.issue(family, by=by, today=ISSUED).number == 1


def test_an_address_without_postcode_refuses_the_issue(billing):
    comune, _family = _drafts(billing)
    services.change_payer(
        billing["comune"],
        {
            "kind": "public_body",
            "name": "Comune di Bologna",
            "office_code": "UF1234",
            "fiscal_code": "01232710374",
            "address": "Piazza Maggiore 6, Bologna",
        },
    )
    with pytest.raises(ValidationError) as refused:
        invoicing.issue(comune, by=billing["coordinator"], today=ISSUED)
    assert refused.value.code == "payer_address_unreadable"
