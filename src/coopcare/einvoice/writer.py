"""The FatturaPA XML of a document, element by element in the schema's order.

Only the root element is in the FatturaPA namespace (the schema's elements are unqualified).
Blocks are numbered as in the specification's table of the format (1.1 DatiTrasmissione...).
"""

import io
from decimal import Decimal
from xml.etree import ElementTree as ET

from coopcare.einvoice.model import (
    Address,
    Customer,
    Document,
    Line,
    Payment,
    PublicContract,
    Summary,
    Supplier,
)
from coopcare.einvoice.rules import format_amount, transmission_format, transmitter_id

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
ROOT = f"{{{NAMESPACE}}}FatturaElettronica"
# The prefix the specifications' examples use; it names the namespace once, on the root.
ET.register_namespace("p", NAMESPACE)


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _add_if(parent: ET.Element, tag: str, text: str) -> None:
    if text:
        _add(parent, tag, text)


def render(
    document: Document, summaries: tuple[Summary, ...], stamp_duty: Decimal, total: Decimal
) -> bytes:
    """The document as UTF-8 XML with its declaration, not yet checked against the schema."""
    root = ET.Element(ROOT, {"versione": transmission_format(document)})
    header = _add(root, "FatturaElettronicaHeader")
    _transmission(header, document)
    _supplier(_add(header, "CedentePrestatore"), document.supplier)
    _customer(_add(header, "CessionarioCommittente"), document.customer)
    body = _add(root, "FatturaElettronicaBody")
    _general(_add(body, "DatiGenerali"), document, stamp_duty, total)
    goods = _add(body, "DatiBeniServizi")
    for number, line in enumerate(document.lines, start=1):
        _line(_add(goods, "DettaglioLinee"), number, line)
    for summary in summaries:
        _summary(_add(goods, "DatiRiepilogo"), summary)
    if document.payments:
        payment = _add(body, "DatiPagamento")
        # TP01 is payment in instalments, TP02 payment in full.
        _add(payment, "CondizioniPagamento", "TP01" if len(document.payments) > 1 else "TP02")
        for due in document.payments:
            _payment(_add(payment, "DettaglioPagamento"), due)
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue()


def _transmission(header: ET.Element, document: Document) -> None:
    """1.1 DatiTrasmissione: the supplier transmits its own invoices."""
    block = _add(header, "DatiTrasmissione")
    sender = _add(block, "IdTrasmittente")
    _add(sender, "IdPaese", document.supplier.country)
    _add(sender, "IdCodice", transmitter_id(document))
    _add(block, "ProgressivoInvio", document.progressive)
    _add(block, "FormatoTrasmissione", transmission_format(document))
    _add(block, "CodiceDestinatario", document.customer.recipient_code)
    _add_if(block, "PECDestinatario", document.customer.pec)


def _address(block: ET.Element, address: Address) -> None:
    _add(block, "Indirizzo", address.street)
    _add_if(block, "NumeroCivico", address.number)
    _add(block, "CAP", address.postcode)
    _add(block, "Comune", address.town)
    _add_if(block, "Provincia", address.province)
    _add(block, "Nazione", address.country)


def _supplier(block: ET.Element, supplier: Supplier) -> None:
    """1.2 CedentePrestatore."""
    registry = _add(block, "DatiAnagrafici")
    vat = _add(registry, "IdFiscaleIVA")
    _add(vat, "IdPaese", supplier.country)
    _add(vat, "IdCodice", supplier.vat_number)
    _add_if(registry, "CodiceFiscale", supplier.fiscal_code)
    _add(_add(registry, "Anagrafica"), "Denominazione", supplier.name)
    _add(registry, "RegimeFiscale", supplier.tax_regime)
    _address(_add(block, "Sede"), supplier.address)
    if supplier.registration is not None:
        rea = _add(block, "IscrizioneREA")
        _add(rea, "Ufficio", supplier.registration.office)
        _add(rea, "NumeroREA", supplier.registration.number)
        _add(rea, "StatoLiquidazione", "LS" if supplier.registration.in_liquidation else "LN")


def _customer(block: ET.Element, customer: Customer) -> None:
    """1.4 CessionarioCommittente."""
    registry = _add(block, "DatiAnagrafici")
    if customer.vat_number:
        vat = _add(registry, "IdFiscaleIVA")
        _add(vat, "IdPaese", customer.country)
        _add(vat, "IdCodice", customer.vat_number)
    _add_if(registry, "CodiceFiscale", customer.fiscal_code)
    _add(_add(registry, "Anagrafica"), "Denominazione", customer.name)
    _address(_add(block, "Sede"), customer.address)


def _general(block: ET.Element, document: Document, stamp_duty: Decimal, total: Decimal) -> None:
    """2.1 DatiGenerali: the document, the public contract, the invoice credited."""
    general = _add(block, "DatiGeneraliDocumento")
    _add(general, "TipoDocumento", document.kind.value)
    _add(general, "Divisa", document.currency)
    _add(general, "Data", document.issued.isoformat())
    _add(general, "Numero", document.number)
    if stamp_duty:
        stamp = _add(general, "DatiBollo")
        _add(stamp, "BolloVirtuale", "SI")
        _add(stamp, "ImportoBollo", format_amount(stamp_duty))
    _add(general, "ImportoTotaleDocumento", format_amount(total))
    _add_if(general, "Causale", document.reason)
    for tag, is_order in (("DatiOrdineAcquisto", True), ("DatiContratto", False)):
        for contract in document.contracts:
            if contract.is_order == is_order:
                _contract(_add(block, tag), contract)
    if document.credits is not None:
        credited = _add(block, "DatiFattureCollegate")
        _add(credited, "IdDocumento", document.credits.number)
        _add(credited, "Data", document.credits.issued.isoformat())


def _contract(block: ET.Element, contract: PublicContract) -> None:
    _add(block, "IdDocumento", contract.document_id)
    if contract.document_date is not None:
        _add(block, "Data", contract.document_date.isoformat())
    _add_if(block, "CodiceCUP", contract.cup)
    _add_if(block, "CodiceCIG", contract.cig)


def _line(block: ET.Element, number: int, line: Line) -> None:
    """2.2.1 DettaglioLinee: the unit price keeps up to 8 decimals, the total two."""
    _add(block, "NumeroLinea", str(number))
    _add(block, "Descrizione", line.description)
    _add(block, "Quantita", format_amount(line.quantity, most=8))
    _add_if(block, "UnitaMisura", line.unit)
    if line.period_start is not None:
        _add(block, "DataInizioPeriodo", line.period_start.isoformat())
    if line.period_end is not None:
        _add(block, "DataFinePeriodo", line.period_end.isoformat())
    _add(block, "PrezzoUnitario", format_amount(line.unit_price, most=8))
    _add(block, "PrezzoTotale", format_amount(line.total))
    _add(block, "AliquotaIVA", format_amount(line.rate))
    if line.nature is not None:
        _add(block, "Natura", line.nature.value)


def _summary(block: ET.Element, summary: Summary) -> None:
    """2.2.2 DatiRiepilogo."""
    _add(block, "AliquotaIVA", format_amount(summary.rate))
    if summary.nature is not None:
        _add(block, "Natura", summary.nature.value)
    _add(block, "ImponibileImporto", format_amount(summary.taxable))
    _add(block, "Imposta", format_amount(summary.tax))
    if summary.chargeability is not None:
        _add(block, "EsigibilitaIVA", summary.chargeability.value)
    _add_if(block, "RiferimentoNormativo", summary.legal_reference)


def _payment(block: ET.Element, payment: Payment) -> None:
    """2.4.2 DettaglioPagamento."""
    _add(block, "ModalitaPagamento", payment.method)
    _add(block, "DataScadenzaPagamento", payment.due.isoformat())
    _add(block, "ImportoPagamento", format_amount(payment.amount))
    _add_if(block, "IstitutoFinanziario", payment.bank)
    _add_if(block, "IBAN", payment.iban)
