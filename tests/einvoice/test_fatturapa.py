"""The FatturaPA of invoices and credit notes, validated against the official schema 1.2.3.

Sources quoted below: the *Specifiche tecniche* of the SDI (version 1.9) and their *Elenco
controlli*, DPR 633/1972 (VAT) and DPR 642/1972 (stamp duty).
"""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import xmlschema

from coopcare.einvoice import build, rules
from coopcare.einvoice.model import (
    Address,
    Customer,
    Document,
    DocumentType,
    EInvoice,
    EInvoiceRefused,
    InvoiceReference,
    Line,
    Nature,
    Payment,
    PublicContract,
    Registration,
    Supplier,
)
from coopcare.einvoice.schema import fatturapa, schema_problems

EXEMPT_CARE = "Art. 10 c. 1 n. 27-ter DPR 633/1972"
IBAN = "IT60X0542811101000000123456"

COOPERATIVE = Supplier(
    name="Cooperativa Cura Insieme",
    vat_number="01234567890",
    fiscal_code="01234567890",
    address=Address(
        street="Via dell'Indipendenza",
        number="12",
        postcode="40121",
        town="Bologna",
        province="BO",
    ),
    registration=Registration(office="BO", number="512345"),
)
MUNICIPALITY = Customer(
    name="Comune di Bologna",
    vat_number="01232710374",
    fiscal_code="01232710374",
    address=Address(
        street="Piazza Maggiore", number="6", postcode="40124", town="Bologna", province="BO"
    ),
    public_administration=True,
    recipient_code="UF3LT2",
)
FAMILY = Customer(
    name="Giulia Rossi",
    fiscal_code="RSSGLI50A41A944K",
    address=Address(
        street="Via Saragozza", number="80", postcode="40123", town="Bologna", province="BO"
    ),
)


def hours(quantity: str, price: str, total: str, **kwargs: Any) -> Line:
    """A line of home care hours, exempt (N4) unless a rate is given."""
    if "rate" not in kwargs:
        kwargs.setdefault("nature", Nature.EXEMPT)
        kwargs.setdefault("legal_reference", EXEMPT_CARE)
    return Line(
        description="Assistenza domiciliare, novembre 2026",
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        total=Decimal(total),
        unit="ore",
        **kwargs,
    )


def invoice(**changes: Any) -> Document:
    """November's invoice to the municipality: 20 authorised hours at EUR 22.50, exempt."""
    document = Document(
        kind=DocumentType.INVOICE,
        number="2026/17",
        issued=date(2026, 11, 30),
        supplier=COOPERATIVE,
        customer=MUNICIPALITY,
        lines=(hours("20.00", "22.50", "450.00"),),
        progressive="00017",
        payments=(Payment(Decimal("450.00"), date(2026, 12, 30), IBAN),),
        contracts=(PublicContract("SAD 12/2026", date(2026, 1, 1), cig="B1A2C3D4E5"),),
    )
    return replace(document, **changes)


def read(einvoice: EInvoice) -> Any:
    """The XML decoded by the schema itself (which validates it once more)."""
    return fatturapa().to_dict(xmlschema.XMLResource(io.BytesIO(einvoice.xml), allow="none"))


def codes(document: Document) -> list[str]:
    with pytest.raises(EInvoiceRefused) as refused:
        build(document)
    return [problem.code for problem in refused.value.problems]


def test_a_municipality_is_billed_exempt_home_care_with_stamp_duty():
    """Worked example: 20 hours at EUR 22.50 = EUR 450.00, exempt under art. 10 c. 1 n. 27-ter
    DPR 633/1972 (nature N4, "operazioni esenti"). The amount outside VAT exceeds EUR 77.47, so
    the invoice bears the EUR 2.00 stamp duty, paid virtually (Tariffa parte I art. 13 note
    2(a), DPR 642/1972; DM 17 June 2014 art. 6): DatiBollo, BolloVirtuale SI."""
    einvoice = build(invoice())

    assert einvoice.filename == "IT01234567890_00017.xml"
    assert schema_problems(einvoice.xml) == []
    assert einvoice.stamp_duty == Decimal("2.00")
    data = read(einvoice)
    assert data["@versione"] == "FPA12"
    header = data["FatturaElettronicaHeader"]
    assert header["DatiTrasmissione"]["FormatoTrasmissione"] == "FPA12"
    assert header["DatiTrasmissione"]["CodiceDestinatario"] == "UF3LT2"
    assert header["CedentePrestatore"]["DatiAnagrafici"]["RegimeFiscale"] == "RF01"
    body = data["FatturaElettronicaBody"][0]
    general = body["DatiGenerali"]
    assert general["DatiGeneraliDocumento"]["DatiBollo"] == {
        "BolloVirtuale": "SI",
        "ImportoBollo": Decimal("2.00"),
    }
    assert general["DatiGeneraliDocumento"]["ImportoTotaleDocumento"] == Decimal("450.00")
    assert general["DatiContratto"][0]["CodiceCIG"] == "B1A2C3D4E5"
    summary = body["DatiBeniServizi"]["DatiRiepilogo"][0]
    assert summary["Natura"] == "N4"
    assert summary["ImponibileImporto"] == Decimal("450.00")
    assert summary["Imposta"] == Decimal("0.00")
    assert summary["RiferimentoNormativo"] == EXEMPT_CARE
    payment = body["DatiPagamento"][0]
    assert payment["CondizioniPagamento"] == "TP02"
    assert payment["DettaglioPagamento"][0]["ModalitaPagamento"] == "MP05"
    assert payment["DettaglioPagamento"][0]["IBAN"] == IBAN


def test_a_social_cooperative_bills_five_percent_under_split_payment():
    """Social and health services of a social cooperative bear VAT at 5 % (Tabella A, parte
    II-bis, n. 1, DPR 633/1972); a municipality pays that VAT to the State itself (art. 17-ter
    DPR 633/1972), so EsigibilitaIVA is S and the cooperative is paid the taxable amount.
    Worked example: 12.5 h x 21.00 = 262.50 and 3 visits x 18.333 = 55.00 (rounded once, on
    the line: 54.999); ImponibileImporto 317.50; Imposta 317.50 x 5 % = 15.875, rounded to
    15.88 (check 00421). No stamp duty on an invoice subject to VAT."""
    document = invoice(
        customer=replace(MUNICIPALITY, split_payment=True),
        lines=(
            hours("12.50", "21.00", "262.50", rate=Decimal("5.00")),
            hours("3.00", "18.333", "55.00", rate=Decimal("5.00")),
        ),
        payments=(Payment(Decimal("317.50"), date(2026, 12, 30), IBAN),),
    )

    einvoice = build(document)

    assert einvoice.stamp_duty == Decimal("0.00")
    (summary,) = einvoice.summaries
    assert (summary.taxable, summary.tax) == (Decimal("317.50"), Decimal("15.88"))
    body = read(einvoice)["FatturaElettronicaBody"][0]
    assert "DatiBollo" not in body["DatiGenerali"]["DatiGeneraliDocumento"]
    assert body["DatiBeniServizi"]["DettaglioLinee"][1]["PrezzoUnitario"] == Decimal("18.333")
    assert body["DatiBeniServizi"]["DatiRiepilogo"][0]["EsigibilitaIVA"] == "S"
    assert body["DatiGenerali"]["DatiGeneraliDocumento"]["ImportoTotaleDocumento"] == (
        Decimal("333.38")
    )


def test_a_credit_note_names_the_invoice_it_credits():
    """A credit note is TD04 and refers to the invoice it credits in DatiFattureCollegate
    (2.1.6); coopcare never edits an issued invoice (art. 26 DPR 633/1972)."""
    note = invoice(
        kind=DocumentType.CREDIT_NOTE,
        number="2026/NC1",
        issued=date(2026, 12, 5),
        progressive="00018",
        lines=(hours("2.00", "22.50", "45.00"),),
        payments=(),
        credits=InvoiceReference("2026/17", date(2026, 11, 30)),
    )

    einvoice = build(note)

    assert einvoice.filename == "IT01234567890_00018.xml"
    general = read(einvoice)["FatturaElettronicaBody"][0]["DatiGenerali"]
    assert general["DatiGeneraliDocumento"]["TipoDocumento"] == "TD04"
    assert general["DatiFattureCollegate"][0]["IdDocumento"] == "2026/17"
    assert general["DatiFattureCollegate"][0]["Data"] == "2026-11-30"
    # EUR 45.00 outside VAT is under the EUR 77.47 threshold: no stamp duty.
    assert einvoice.stamp_duty == Decimal("0.00")


def test_a_credit_note_is_refused_without_its_invoice_or_dated_before_it():
    """Check 00418: "Data Fattura (2.1.1.3) precedente alla data della fattura collegata
    (2.1.6.3)"."""
    note = invoice(kind=DocumentType.CREDIT_NOTE, payments=())

    assert codes(note) == ["credited_invoice_missing"]
    assert codes(replace(note, credits=InvoiceReference("2026/17", date(2026, 12, 1)))) == ["00418"]


def test_a_family_is_billed_in_fpr12_by_fiscal_code():
    """A private customer gets FPR12; a consumer has no recipient code, 0000000, and is named
    by their fiscal code (1.4.1.2). 3 hours x 22.00 = 66.00 outside VAT is not over EUR 77.47:
    no stamp duty (Tariffa parte I art. 13 note 2(a), DPR 642/1972)."""
    document = invoice(
        customer=FAMILY,
        number="2026/18",
        lines=(hours("3.00", "22.00", "66.00"),),
        payments=(Payment(Decimal("66.00"), date(2026, 12, 30), IBAN),),
        contracts=(),
    )

    einvoice = build(document)

    data = read(einvoice)
    assert data["@versione"] == "FPR12"
    transmission = data["FatturaElettronicaHeader"]["DatiTrasmissione"]
    assert transmission["CodiceDestinatario"] == "0000000"
    customer = data["FatturaElettronicaHeader"]["CessionarioCommittente"]["DatiAnagrafici"]
    assert customer["CodiceFiscale"] == "RSSGLI50A41A944K"
    assert "IdFiscaleIVA" not in customer
    assert einvoice.stamp_duty == Decimal("0.00")


@pytest.mark.parametrize(
    ("total", "duty"), [("77.47", "0.00"), ("77.48", "2.00"), ("-80.00", "2.00")]
)
def test_stamp_duty_is_due_over_77_47_outside_vat(total, duty):
    """EUR 2.00 when the amounts outside VAT are over EUR 77.47, not at EUR 77.47."""
    line = hours("1.00", total, total)

    assert rules.stamp_duty(invoice(lines=(line,))) == Decimal(duty)


def test_a_supplier_exempt_from_stamp_duty_writes_no_bollo():
    """A third-sector entity exempt from stamp duty (art. 82 c. 5 D.Lgs. 117/2017)."""
    einvoice = build(invoice(supplier=replace(COOPERATIVE, stamp_duty_exempt=True)))

    assert einvoice.stamp_duty == Decimal("0.00")
    general = read(einvoice)["FatturaElettronicaBody"][0]["DatiGenerali"]
    assert "DatiBollo" not in general["DatiGeneraliDocumento"]


def test_a_line_total_that_is_not_quantity_times_price_is_refused():
    """Check 00423: "2.2.1.11 <PrezzoTotale> non calcolato secondo le regole definite nelle
    specifiche tecniche": 20 x 22.50 is 450.00, so 451.00 is refused, and 450.005 (not rounded
    to the cent) too."""
    assert codes(invoice(lines=(hours("20.00", "22.50", "451.00"),), payments=())) == ["00423"]
    assert codes(invoice(lines=(hours("20.00", "22.50", "450.005"),), payments=())) == ["00423"]


def test_a_line_without_vat_needs_its_nature_and_a_taxed_line_has_none():
    """Check 00400: "2.2.1.14 <Natura> non presente a fronte di 2.2.1.12 <AliquotaIVA> pari a
    zero"; check 00401: "2.2.1.14 <Natura> presente a fronte di 2.2.1.12 <AliquotaIVA> diversa
    da zero"; check 00424: the rate is a percentage (5.00, not 0.05)."""
    no_nature = hours("1.00", "22.50", "22.50", rate=Decimal("0.00"))
    both = hours(
        "1.00",
        "22.50",
        "22.50",
        rate=Decimal("5.00"),
        nature=Nature.EXEMPT,
        legal_reference=EXEMPT_CARE,
    )
    fraction = hours("1.00", "22.50", "22.50", rate=Decimal("0.05"))

    assert codes(invoice(lines=(no_nature,), payments=())) == ["00400"]
    assert codes(invoice(lines=(both,), payments=())) == ["00401"]
    assert codes(invoice(lines=(fraction,), payments=())) == ["00424"]


def test_an_exempt_line_names_the_law():
    """Art. 21 c. 6 DPR 633/1972: an invoice of an exempt operation states the law it rests on."""
    line = hours("1.00", "22.50", "22.50", legal_reference="")

    assert codes(invoice(lines=(line,), payments=())) == ["legal_reference_missing"]


@pytest.mark.parametrize(
    ("customer", "code"),
    [
        # A public office's Codice Univoco Ufficio has 6 characters (FPA12)...
        (replace(MUNICIPALITY, recipient_code="UF3LT22"), "00427"),
        # ... anyone else's recipient code 7 (FPR12).
        (replace(FAMILY, recipient_code="ABC123"), "00427"),
        # A PEC address goes with the code 0000000 only.
        (replace(FAMILY, recipient_code="KRRH6B9", pec="rossi@pec.it"), "00426"),
        # Check 00417: the customer has a VAT number or a fiscal code.
        (replace(FAMILY, fiscal_code=""), "00417"),
        # A customer abroad is reached by the code XXXXXXX (check 00313).
        (replace(FAMILY, country="FR", address=replace(FAMILY.address, country="FR")), "00313"),
    ],
)
def test_a_customer_the_sdi_cannot_reach_is_refused(customer, code):
    """Checks 00427 ("1.1.4 <CodiceDestinatario> di 7 caratteri a fronte di 1.1.3
    <FormatoTrasmissione> con valore FPA12" and the converse), 00426 and 00417."""
    assert codes(invoice(customer=customer)) == [code]


def test_the_file_is_named_by_the_transmitters_fiscal_code():
    """File name: country + the transmitter's fiscal id + "_" + progressive (Specifiche
    tecniche, naming of files): the fiscal code when the supplier has one distinct from its
    VAT number, as an association may, else the VAT number; IdTrasmittente says the same."""
    association = replace(COOPERATIVE, fiscal_code="91234560375")

    einvoice = build(invoice(supplier=association))
    without = build(invoice(supplier=replace(COOPERATIVE, fiscal_code="")))

    assert einvoice.filename == "IT91234560375_00017.xml"
    sender = read(einvoice)["FatturaElettronicaHeader"]["DatiTrasmissione"]["IdTrasmittente"]
    assert sender == {"IdPaese": "IT", "IdCodice": "91234560375"}
    assert without.filename == "IT01234567890_00017.xml"


def test_a_recipient_code_the_schema_does_not_allow_is_refused_with_its_path():
    """The schema allows capital letters and digits only in CodiceDestinatario (error 00200,
    file not conforming to the format)."""
    with pytest.raises(EInvoiceRefused) as refused:
        build(invoice(customer=replace(MUNICIPALITY, recipient_code="uf3lt2")))

    (problem,) = refused.value.problems
    assert problem.code == "schema"
    assert problem.where.endswith("/CodiceDestinatario")


def test_text_outside_latin_is_refused_by_the_schema():
    """Names are Latin-1 text in the schema (String80LatinType): a name in Arabic script is
    refused, with the element named, before anything leaves."""
    family = replace(FAMILY, name="\u0645\u0631\u064a\u0645")

    with pytest.raises(EInvoiceRefused) as refused:
        build(invoice(customer=family))

    assert [p.code for p in refused.value.problems] == ["schema"]
    assert "Denominazione" in refused.value.problems[0].where


def test_every_problem_is_listed_at_once():
    """The office sees every reason at once: check 00425 (a number without digits), 00001
    (the file's progressive), 00400 and payments that do not add up to the amount due."""
    document = invoice(
        number="NOVEMBRE",
        progressive="000017",
        lines=(hours("1.00", "22.50", "22.50", rate=Decimal("0.00")),),
    )

    assert codes(document) == ["00001", "00425", "00400", "payments_not_amount_due"]


def test_amounts_keep_two_decimals_and_unit_prices_up_to_eight():
    """Amount2DecimalType has two decimals; PrezzoUnitario (Amount8DecimalType) two to eight."""
    assert rules.format_amount(Decimal("450")) == "450.00"
    assert rules.format_amount(Decimal("18.333"), most=8) == "18.333"
    assert rules.format_amount(Decimal("1.123456789"), most=8) == "1.12345679"


def test_the_schema_is_read_and_applied_without_the_network(monkeypatch):
    """The schema imports the W3C signature schema by its web address; the local copy is read
    instead, so building and validating work with no network at all."""

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the e-invoice tried to reach the network")

    fatturapa.cache_clear()
    monkeypatch.setattr("socket.socket.connect", no_network)
    monkeypatch.setattr("socket.create_connection", no_network)
    try:
        einvoice = build(invoice())
    finally:
        fatturapa.cache_clear()

    assert schema_problems(einvoice.xml) == []
