"""The plain data of one electronic invoice: who bills whom, for what, and how to pay.

Everything here is an immutable value that the billing app fills from its records. Amounts are
``Decimal``: a line's total is given already rounded as the agreement says (the invoice is
never a place where money is rounded again), and the summary per VAT rate is computed from the
lines (``rules.summaries``). Field names follow the FatturaPA's own blocks, named in each
docstring with their number in the specification (for example 2.2.1 ``DettaglioLinee``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocumentType(StrEnum):
    """2.1.1.1 ``TipoDocumento``: the two kinds a care cooperative issues."""

    INVOICE = "TD01"
    CREDIT_NOTE = "TD04"


class Nature(StrEnum):
    """2.2.1.14 ``Natura``: why a line bears no VAT (its rate is then 0.00).

    The codes in force since 1 January 2021; the generic N2, N3 and N6 are refused by the
    exchange system (check 00445) and are not listed.
    """

    EXCLUDED_ART15 = "N1"  # excluded under art. 15 DPR 633/1972 (e.g. a stamp duty recharged)
    NOT_SUBJECT_ART7 = "N2.1"
    NOT_SUBJECT_OTHER = "N2.2"
    NOT_TAXABLE_EXPORT = "N3.1"
    NOT_TAXABLE_INTRA_EU = "N3.2"
    NOT_TAXABLE_SAN_MARINO = "N3.3"
    NOT_TAXABLE_TREATED_AS_EXPORT = "N3.4"
    NOT_TAXABLE_LETTER_OF_INTENT = "N3.5"
    NOT_TAXABLE_OTHER = "N3.6"
    EXEMPT = "N4"  # exempt operations, art. 10 DPR 633/1972 (home care: art. 10 c. 1 n. 27-ter)
    MARGIN_SCHEME = "N5"
    REVERSE_CHARGE_SCRAP = "N6.1"
    REVERSE_CHARGE_GOLD = "N6.2"
    REVERSE_CHARGE_BUILDING_SUBCONTRACT = "N6.3"
    REVERSE_CHARGE_BUILDINGS = "N6.4"
    REVERSE_CHARGE_PHONES = "N6.5"
    REVERSE_CHARGE_ELECTRONICS = "N6.6"
    REVERSE_CHARGE_BUILDING_SERVICES = "N6.7"
    REVERSE_CHARGE_ENERGY = "N6.8"
    REVERSE_CHARGE_OTHER = "N6.9"
    VAT_PAID_IN_OTHER_EU_STATE = "N7"


class Chargeability(StrEnum):
    """2.2.2.7 ``EsigibilitaIVA``: when the VAT is due."""

    IMMEDIATE = "I"
    DEFERRED = "D"
    # Split payment: the public body pays the VAT to the State itself (art. 17-ter DPR 633/1972).
    SPLIT_PAYMENT = "S"


@dataclass(frozen=True)
class Address:
    """1.2.2 ``Sede`` (and 1.4.2 for the customer): a street address in Italy or abroad."""

    street: str
    postcode: str  # CAP: five digits in Italy, 00000 abroad
    town: str
    number: str = ""
    province: str = ""  # two letters, Italian addresses only
    country: str = "IT"


@dataclass(frozen=True)
class Registration:
    """1.2.4 ``IscrizioneREA``: the company's entry in the register of the chamber of commerce."""

    office: str  # the province of the chamber, two letters
    number: str
    in_liquidation: bool = False


@dataclass(frozen=True)
class Supplier:
    """1.2 ``CedentePrestatore``: the cooperative that bills.

    ``tax_regime`` is 1.2.1.8 ``RegimeFiscale``: a cooperative, social or not, is in the
    ordinary regime, RF01. ``stamp_duty_exempt`` is for a supplier exempt from stamp duty on
    its documents (a third-sector entity under art. 82 c. 5 D.Lgs. 117/2017 may be): no
    ``DatiBollo`` is then written whatever the invoice's amount.
    """

    name: str
    vat_number: str  # partita IVA, 11 digits for an Italian supplier
    address: Address
    fiscal_code: str = ""
    country: str = "IT"
    tax_regime: str = "RF01"
    registration: Registration | None = None
    stamp_duty_exempt: bool = False


@dataclass(frozen=True)
class Customer:
    """1.4 ``CessionarioCommittente``, and where the exchange system delivers the invoice.

    A public administration is reached by its Codice Univoco Ufficio (6 characters, from the
    IPA index) and gets the FPA12 format. Anyone else gets FPR12: a business by its 7-character
    codice destinatario or its PEC address, a person or family by ``0000000`` (they find the
    invoice in their tax area online) with their fiscal code; a customer abroad by
    ``XXXXXXX``.
    """

    name: str
    address: Address
    vat_number: str = ""
    fiscal_code: str = ""
    country: str = "IT"
    public_administration: bool = False
    recipient_code: str = "0000000"
    pec: str = ""
    # The public body pays the VAT itself (split payment, art. 17-ter DPR 633/1972).
    split_payment: bool = False


@dataclass(frozen=True)
class Line:
    """2.2.1 ``DettaglioLinee``: one line of the invoice.

    ``total`` is 2.2.1.11 ``PrezzoTotale``, given rounded to the cent; it must be quantity
    times unit price within a cent (check 00423). A line bears either a VAT ``rate`` (a
    percentage, 5.00 for the social and health services of a social cooperative) or a rate of
    zero and a ``nature`` with its ``legal_reference`` (N4 and art. 10 DPR 633/1972 for exempt
    care).
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    total: Decimal
    rate: Decimal = Decimal("0.00")
    nature: Nature | None = None
    legal_reference: str = ""
    unit: str = ""
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class PublicContract:
    """2.1.2 ``DatiOrdineAcquisto`` or 2.1.3 ``DatiContratto``: the public body's contract.

    CIG and CUP are the codes that trace public money (L. 136/2010 art. 3; L. 3/2003 art. 11):
    a public body cannot pay an invoice that lacks the CIG of its contract (D.L. 66/2014 art. 25).
    """

    document_id: str
    document_date: date | None = None
    cig: str = ""
    cup: str = ""
    is_order: bool = False  # an order (DatiOrdineAcquisto) rather than a contract


@dataclass(frozen=True)
class InvoiceReference:
    """2.1.6 ``DatiFattureCollegate``: the invoice a credit note credits."""

    number: str
    issued: date


@dataclass(frozen=True)
class Payment:
    """2.4.2 ``DettaglioPagamento``: one payment due, by bank transfer (MP05) unless said.

    One payment is payment in full (TP02); several are instalments (TP01).
    """

    amount: Decimal
    due: date
    iban: str
    method: str = "MP05"
    bank: str = ""


@dataclass(frozen=True)
class Document:
    """One invoice or credit note, its file's progressive and everything written in it.

    ``progressive`` is the file's own progressive (1 to 5 letters and digits), unique among the
    files the supplier sends: it makes the file name and 1.1.2 ``ProgressivoInvio``.
    """

    kind: DocumentType
    number: str
    issued: date
    supplier: Supplier
    customer: Customer
    lines: tuple[Line, ...]
    progressive: str
    payments: tuple[Payment, ...] = ()
    contracts: tuple[PublicContract, ...] = ()
    credits: InvoiceReference | None = None
    reason: str = ""  # 2.1.1.11 Causale
    currency: str = "EUR"
    chargeability: Chargeability = Chargeability.IMMEDIATE


@dataclass(frozen=True)
class Summary:
    """2.2.2 ``DatiRiepilogo``: the lines of one VAT rate (and nature) added up."""

    rate: Decimal
    nature: Nature | None
    taxable: Decimal
    tax: Decimal
    legal_reference: str = ""
    chargeability: Chargeability | None = None


@dataclass(frozen=True)
class Problem:
    """Something that makes the document unacceptable: the exchange system's check code
    (``00423``...) or ``schema`` / ``filename``, the element concerned, and a sentence for the
    developer's log. The app words the code for people, as it does for the planner's reasons."""

    code: str
    where: str
    detail: str


class EInvoiceRefused(ValueError):
    """The document would be refused by the exchange system; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.code} at {p.where}: {p.detail}" for p in problems))


@dataclass(frozen=True)
class EInvoice:
    """The result: the file's name and its XML, checked against the schema."""

    filename: str
    xml: bytes
    summaries: tuple[Summary, ...] = ()
    stamp_duty: Decimal = Decimal("0.00")
