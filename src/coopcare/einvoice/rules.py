"""The checks the exchange system (SDI) makes that a schema cannot, and the sums of an invoice.

Sources:

* *Specifiche tecniche relative al Sistema di Interscambio*, Allegato A to the Provvedimento
  of the Agenzia delle Entrate of 30 April 2018 as updated (version 1.9, schema 1.2.3, in force
  from 1 April 2025), and its *Elenco controlli*: each check here carries the five-digit code of
  the rejection the SDI would send (``00423``...).
* The content of an invoice: art. 21 DPR 633/1972; split payment: art. 17-ter DPR 633/1972.
* Stamp duty: art. 13 c. 1 and note 2(a) of the Tariffa, parte I, annexed to DPR 642/1972;
  amount of EUR 2.00 from D.L. 43/2013 art. 7-bis c. 3; paid virtually on electronic invoices,
  DM 17 June 2014 art. 6.

Checks never stop at the first problem: ``problems`` lists them all, so the office fixes an
agreement once rather than one refusal at a time.
"""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from coopcare.einvoice.model import (
    Chargeability,
    Document,
    DocumentType,
    Line,
    Nature,
    Problem,
    Summary,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Check 00423: PrezzoTotale may differ from PrezzoUnitario x Quantita by one cent at most.
LINE_TOLERANCE = CENT
# Stamp duty on an invoice whose amounts not subject to VAT exceed EUR 77.47 (Tariffa parte I,
# art. 13, note 2(a), DPR 642/1972), EUR 2.00 (D.L. 43/2013 art. 7-bis c. 3).
STAMP_DUTY_THRESHOLD = Decimal("77.47")
STAMP_DUTY = Decimal("2.00")
# Operations outside VAT for stamp duty: excluded (N1), not subject (N2.x), not taxable
# (N3.x) and exempt (N4). A margin scheme, a reverse charge or VAT paid in another State
# (N5, N6.x, N7) is a VAT operation, on which no stamp duty is due.
OUTSIDE_VAT = ("N1", "N2", "N3", "N4")

# Section 2.2 of the specifications: the recipient code of a public office has 6 characters
# (FPA12); of anyone else, 7 (FPR12); 0000000 when the invoice goes by PEC or to a consumer.
PUBLIC_OFFICE_CODE_LENGTH = 6
PRIVATE_CODE_LENGTH = 7
NO_RECIPIENT_CODE = "0000000"

# The file name: country, transmitter's fiscal id (11 to 16 characters in Italy, 2 to 28
# abroad), "_", a progressive of 1 to 5 letters or digits.
PROGRESSIVE = re.compile(r"[A-Za-z0-9]{1,5}")
ITALIAN_TAX_ID = re.compile(r"[A-Za-z0-9]{11,16}")
FOREIGN_TAX_ID = re.compile(r"[A-Za-z0-9]{2,28}")
# A customer abroad has no recipient code: seven X (check 00313).
ABROAD_RECIPIENT_CODE = "XXXXXXX"


def cents(amount: Decimal) -> Decimal:
    """An amount rounded half up to the cent, as the specifications' examples round VAT."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal, most: int = 2) -> str:
    """An amount as the schema writes it: a dot, two decimals at least, ``most`` at most."""
    exponent = amount.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    places = min(max(2, decimals), most)
    return f"{amount.quantize(Decimal(1).scaleb(-places)):f}"


def transmission_format(document: Document) -> str:
    """1.1.3 ``FormatoTrasmissione``: FPA12 for a public administration, FPR12 for others."""
    return "FPA12" if document.customer.public_administration else "FPR12"


def transmitter_id(document: Document) -> str:
    """1.1.1.2 ``IdCodice`` of the transmitter, the supplier itself: for a subject established
    in Italy its fiscal code (codice fiscale), which for a company is usually its VAT number;
    the VAT number when no fiscal code is given."""
    return document.supplier.fiscal_code or document.supplier.vat_number


def filename(document: Document) -> str:
    """The file's name: country + the transmitter's fiscal id + ``_`` + progressive + ``.xml``
    (Specifiche tecniche, naming of files; a wrong name is rejection 00001)."""
    return f"{document.supplier.country}{transmitter_id(document)}_{document.progressive}.xml"


def summaries(document: Document) -> tuple[Summary, ...]:
    """2.2.2 ``DatiRiepilogo``: one per rate, nature and legal reference, in the lines' order.

    Made from the lines, the summaries cannot miss a rate the lines use (check 00419) nor a
    nature at rate zero (00429, 00430). The taxable amount is the exact sum of the lines'
    totals (check 00422); the tax is that amount times the rate, rounded once to the cent
    (check 00421). Under split payment the VAT is chargeable ``S``; lines with a nature carry
    no chargeability.
    """
    groups: dict[tuple[Decimal, Nature | None, str], Decimal] = {}
    for line in document.lines:
        key = (line.rate, line.nature, line.legal_reference if line.nature else "")
        groups[key] = groups.get(key, ZERO) + line.total
    result = []
    for (rate, nature, reference), taxable in groups.items():
        chargeability = None
        if rate:
            chargeability = (
                Chargeability.SPLIT_PAYMENT
                if document.customer.split_payment
                else document.chargeability
            )
        result.append(
            Summary(
                rate=rate,
                nature=nature,
                taxable=taxable,
                tax=cents(taxable * rate / 100),
                legal_reference=reference,
                chargeability=chargeability,
            )
        )
    return tuple(result)


def total(summaries: Iterable[Summary]) -> Decimal:
    """2.1.1.9 ``ImportoTotaleDocumento``: taxable amounts and VAT, added up."""
    return sum((s.taxable + s.tax for s in summaries), ZERO)


def amount_due(document: Document, summaries: Iterable[Summary]) -> Decimal:
    """What the customer pays the supplier: the total, less the VAT a public body pays the
    State itself under split payment (art. 17-ter DPR 633/1972)."""
    summaries = tuple(summaries)
    withheld = sum(
        (s.tax for s in summaries if s.chargeability == Chargeability.SPLIT_PAYMENT), ZERO
    )
    return total(summaries) - withheld


def stamp_duty(document: Document) -> Decimal:
    """The stamp duty the invoice bears: EUR 2.00 when its amounts outside VAT exceed
    EUR 77.47 (Tariffa parte I art. 13 note 2(a), DPR 642/1972), none when the supplier is
    exempt from stamp duty (``Supplier.stamp_duty_exempt``)."""
    if document.supplier.stamp_duty_exempt:
        return ZERO
    outside = sum(
        (
            line.total
            for line in document.lines
            if line.nature is not None and line.nature.value.startswith(OUTSIDE_VAT)
        ),
        ZERO,
    )
    return STAMP_DUTY if abs(outside) > STAMP_DUTY_THRESHOLD else ZERO


def problems(document: Document) -> list[Problem]:
    """Every reason the SDI would refuse the document (or the law would not accept it), in the
    order of the file; an empty list when there is none."""
    found: list[Problem] = []
    found += _file_problems(document)
    found += _party_problems(document)
    found += _general_problems(document)
    for number, line in enumerate(document.lines, start=1):
        found += _line_problems(number, line)
    found += _payment_problems(document)
    return found


def _file_problems(document: Document) -> list[Problem]:
    found = []
    if not PROGRESSIVE.fullmatch(document.progressive):
        found.append(
            Problem(
                "00001",
                "filename",
                f"the file's progressive {document.progressive!r} is not 1 to 5 letters or digits",
            )
        )
    tax_id = ITALIAN_TAX_ID if document.supplier.country == "IT" else FOREIGN_TAX_ID
    if not tax_id.fullmatch(transmitter_id(document)):
        found.append(
            Problem(
                "00001",
                "filename",
                f"the transmitter's fiscal id {transmitter_id(document)!r}, which names the "
                "file, is not 11 to 16 letters or digits (2 to 28 abroad)",
            )
        )
    return found


def _party_problems(document: Document) -> list[Problem]:
    customer = document.customer
    code = customer.recipient_code
    found = []
    if not customer.vat_number and not customer.fiscal_code:
        found.append(
            Problem(
                "00417",
                "CessionarioCommittente",
                "the customer has neither a VAT number nor a fiscal code",
            )
        )
    if customer.country != "IT" and code != ABROAD_RECIPIENT_CODE:
        found.append(
            Problem(
                "00313",
                "CodiceDestinatario",
                f"a customer abroad has the recipient code XXXXXXX, not {code!r}",
            )
        )
    if customer.public_administration and len(code) != PUBLIC_OFFICE_CODE_LENGTH:
        found.append(
            Problem(
                "00427",
                "CodiceDestinatario",
                f"a public administration (FPA12) is reached by its 6-character Codice "
                f"Univoco Ufficio, not {code!r}",
            )
        )
    if not customer.public_administration and len(code) != PRIVATE_CODE_LENGTH:
        found.append(
            Problem(
                "00427",
                "CodiceDestinatario",
                f"a private customer (FPR12) is reached by a 7-character code, not {code!r}",
            )
        )
    if customer.pec and code != NO_RECIPIENT_CODE:
        found.append(
            Problem(
                "00426",
                "PECDestinatario",
                "a PEC address is given only with the recipient code 0000000",
            )
        )
    return found


def _general_problems(document: Document) -> list[Problem]:
    found = []
    if not any(character.isdigit() for character in document.number):
        found.append(Problem("00425", "Numero", f"the number {document.number!r} has no digit"))
    if not document.lines:
        found.append(Problem("schema", "DettaglioLinee", "the document has no line"))
    credited = document.credits
    if document.kind == DocumentType.CREDIT_NOTE and credited is None:
        # Not an SDI check: coopcare never edits an issued invoice, it credits it, so a
        # credit note always names the invoice it credits (art. 26 DPR 633/1972).
        found.append(
            Problem(
                "credited_invoice_missing",
                "DatiFattureCollegate",
                "a credit note names the invoice it credits",
            )
        )
    if credited is not None and document.issued < credited.issued:
        found.append(
            Problem(
                "00418",
                "Data",
                "the document is dated before the invoice it refers to",
            )
        )
    if document.customer.split_payment and any(
        line.nature is not None and line.nature.value.startswith("N6") for line in document.lines
    ):
        found.append(
            Problem(
                "00420",
                "Natura",
                "a reverse charge (N6.x) cannot be under split payment",
            )
        )
    return found


def _line_problems(number: int, line: Line) -> list[Problem]:
    where = f"DettaglioLinee[{number}]"
    found = []
    if line.rate == 0 and line.nature is None:
        found.append(Problem("00400", where, "a line with VAT rate zero needs its nature (Natura)"))
    if line.rate != 0 and line.nature is not None:
        found.append(
            Problem("00401", where, "a line with a VAT rate other than zero takes no nature")
        )
    if 0 < line.rate < 1:
        found.append(
            Problem(
                "00424",
                where,
                f"the VAT rate {line.rate} is not a percentage (write 5.00 for 5 %)",
            )
        )
    if line.nature is not None and not line.legal_reference:
        # Art. 21 c. 6 DPR 633/1972: an invoice without VAT names the law that exempts it.
        found.append(
            Problem(
                "legal_reference_missing",
                where,
                f"a line of nature {line.nature.value} names the law it rests on",
            )
        )
    if abs(line.quantity * line.unit_price - line.total) > LINE_TOLERANCE:
        found.append(
            Problem(
                "00423",
                where,
                f"the total {line.total} is not quantity {line.quantity} times unit price "
                f"{line.unit_price} within a cent",
            )
        )
    if line.total != cents(line.total):
        found.append(Problem("00423", where, f"the total {line.total} is not rounded to the cent"))
    return found


def _payment_problems(document: Document) -> list[Problem]:
    if not document.payments:
        return []
    due = amount_due(document, summaries(document))
    paid = sum((payment.amount for payment in document.payments), ZERO)
    if paid != due:
        # Not an SDI check: a payment schedule that does not add up to what is due would
        # leave the payer and the ledger disagreeing.
        return [
            Problem(
                "payments_not_amount_due",
                "DatiPagamento",
                f"the payments add up to {paid}, the amount due is {due}",
            )
        ]
    return []
