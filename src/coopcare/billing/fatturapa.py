"""The adapter between an invoice and ``coopcare.einvoice``: an issued invoice or credit note
to an Italian public payer (one with an office code) becomes a FatturaPA ``Document``, built
and validated there; its refusals become coded ``ValidationError``s.

The schema takes Latin-1 text only, so names and descriptions are transliterated by
text-unidecode (Łukasz: Lukasz; Arabic and Greek letters by their Latin spelling; what has none
becomes "?"). A line is one visit, the travel to one or a late cancellation: quantity 1 at
its amount, so that quantity times price is its total to the cent (SDI check 00423). A line
without VAT is exempt home care (N4, with the tariff's legal note).
"""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from text_unidecode import unidecode

from coopcare import einvoice
from coopcare.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoicingDetails, LineKind
from coopcare.einvoice import model
from coopcare.einvoice import rules as sdi

# "Piazza Maggiore 6, 40124 Bologna BO": the last part is the postcode, the town and,
# optionally, the province's two letters.
PLACE = re.compile(r"(?P<postcode>\d{5})\s+(?P<town>.+?)(?:\s+\(?(?P<province>[A-Z]{2})\)?)?")
STREET = re.compile(r"(?P<street>.+?)(?:\s+(?P<number>\d+\w*))?")
DEFAULT_EXEMPTION = "Art. 10 c. 1 n. 27-ter DPR 633/1972"


def latin1(text: str) -> str:
    """``text`` as the schema takes it: Latin-1 characters only."""
    kept = []
    for character in text:
        if ord(character) < 256:
            kept.append(character)
            continue
        plain = "".join(c for c in unidecode(character) if " " <= c < "\x7f")
        kept.append(plain or "?")
    return "".join(kept)


def _address(text: str) -> model.Address | None:
    """A free-text address read as street, number, postcode, town and province."""
    parts = [part.strip() for part in re.split(r"[,\n]", text) if part.strip()]
    if len(parts) < 2:
        return None
    place = PLACE.fullmatch(parts[-1])
    street = STREET.fullmatch(latin1(", ".join(parts[:-1])))
    if place is None or street is None:
        return None
    return model.Address(
        street=street["street"],
        number=street["number"] or "",
        postcode=place["postcode"],
        town=latin1(place["town"]),
        province=place["province"] or "",
    )


def _details(invoice: Invoice) -> InvoicingDetails:
    details = InvoicingDetails.objects.filter(cooperative=invoice.cooperative).first()
    if details is None:
        raise ValidationError(
            _("Record the cooperative's VAT number and address for invoices first."),
            code="invoicing_details_missing",
        )
    return details


def _description(line: InvoiceLine) -> str:
    """A line's description: its day, person, service and minutes; a line other than a visit
    (travel, a late cancellation) says what it bills; a line that bills no visit (a fee), its
    day and its own description."""
    if line.kind == LineKind.FEE:
        return f"{line.day:%d/%m/%Y} {line.description}"
    what = str(line.get_service_type_display())
    if line.kind != LineKind.VISIT:
        what += f", {line.get_kind_display()}"
    return f"{line.day:%d/%m/%Y} {line.subject}: {what}, {line.minutes} min"


def document(invoice: Invoice, progressive: str, issued: date, due: date) -> model.Document:
    """The FatturaPA document of an invoice being issued on ``issued`` (its number set),
    due on ``due``."""
    details = _details(invoice)
    customer_address = _address(invoice.payer_address)
    if customer_address is None:
        raise ValidationError(
            _(
                "The address of %(payer)s is not readable for the electronic invoice: write it "
                "as street and number, then postcode, town and province (Piazza Maggiore 6, "
                "40124 Bologna BO)."
            )
            % {"payer": invoice.payer_name},
            code="payer_address_unreadable",
        )
    supplier = model.Supplier(
        name=latin1(invoice.cooperative.name),
        vat_number=details.vat_number,
        fiscal_code=details.fiscal_code,
        address=model.Address(
            street=latin1(details.street),
            number=details.street_number,
            postcode=details.postcode,
            town=latin1(details.town),
            province=details.province,
        ),
        stamp_duty_exempt=details.stamp_duty_exempt,
    )
    customer = model.Customer(
        name=latin1(invoice.payer_name),
        address=customer_address,
        vat_number=invoice.payer_vat_number,
        fiscal_code=invoice.payer_fiscal_code,
        public_administration=True,
        recipient_code=invoice.payer_office_code,
    )
    # A visit's travel follows it: lines of a day in the order they were written.
    ordered = invoice.lines.select_related("person").order_by("person__full_name", "day", "pk")
    lines = tuple(
        model.Line(
            description=latin1(_description(line)),
            quantity=Decimal("1.00"),
            unit_price=line.amount,
            total=line.amount,
            rate=line.vat_rate,
            nature=None if line.vat_rate else model.Nature.EXEMPT,
            legal_reference="" if line.vat_rate else latin1(line.vat_note or DEFAULT_EXEMPTION),
        )
        for line in ordered
    )
    credited = invoice.credits
    partial = model.Document(
        kind=model.DocumentType.CREDIT_NOTE
        if invoice.kind == InvoiceKind.CREDIT_NOTE
        else model.DocumentType.INVOICE,
        number=invoice.reference,
        issued=issued,
        supplier=supplier,
        customer=customer,
        lines=lines,
        progressive=progressive,
        credits=model.InvoiceReference(
            number=credited.reference, issued=credited.issued_on or issued
        )
        if credited is not None
        else None,
        reason=latin1(invoice.reason)[:200],
    )
    if not details.iban:
        return partial
    amount = sdi.amount_due(partial, sdi.summaries(partial))
    payment = model.Payment(amount=amount, due=due, iban=details.iban)
    return model.Document(**{**partial.__dict__, "payments": (payment,)})


def progressive(invoice: Invoice) -> str:
    """The file's progressive: the invoice's id in base 36 (unique, 1 to 5 characters)."""
    digits, number, found = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", invoice.pk, ""
    while True:
        number, rest = divmod(number, 36)
        found = digits[rest] + found
        if not number:
            return found


def build(invoice: Invoice, issued: date, due: date) -> einvoice.EInvoice:
    """The electronic invoice of ``invoice`` issued on ``issued`` and due on ``due``,
    validated; refused with the reasons, each coded."""
    try:
        return einvoice.build(document(invoice, progressive(invoice), issued, due))
    except einvoice.EInvoiceRefused as refused:
        problems = [
            ValidationError(
                _("The electronic invoice would be refused (check %(check)s at %(where)s).")
                % {"check": problem.code, "where": problem.where},
                code="einvoice_refused",
                params={"check": problem.code, "detail": problem.detail},
            )
            for problem in refused.problems
        ]
        raise ValidationError(problems) from refused
