"""The pain.008 file of a collection, made by sepaxml: SEPA Direct Debit Core in
pain.008.001.02, the version banks in the SEPA area most widely accept, checked against the
schema sepaxml ships before it is kept."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from sepaxml import SepaDD
from sepaxml.validation import ValidationError as SchemaError

from coopcare.members.models import Debit, SepaCreditor

SCHEMA = "pain.008.001.02"


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def pain008(
    creditor: SepaCreditor, collection_date: date, debits: Iterable[Debit]
) -> tuple[str, str]:
    """The message id and the XML of one collection of ``debits`` (not saved yet: each has
    its instalment, mandate, amount, sequence type and end-to-end id)."""
    document = SepaDD(
        {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "BIC": creditor.bic,
            "batch": True,
            "creditor_id": creditor.identifier,
            "currency": "EUR",
        },
        schema=SCHEMA,
    )
    for debit in debits:
        mandate, member = debit.mandate, debit.instalment.member
        payment = {
            "name": mandate.debtor_name,
            "IBAN": mandate.iban,
            "amount": _cents(debit.amount),
            "type": debit.sequence,
            "collection_date": collection_date,
            "mandate_id": mandate.reference,
            "mandate_date": mandate.signed_on,
            # The statement line the member reads: whose shares, which instalment.
            "description": f"{creditor.name} {member.full_name} {debit.instalment.due_on}",
            "endtoend_id": debit.end_to_end_id,
        }
        if mandate.bic:
            payment["BIC"] = mandate.bic
        lines = [line.strip()[:70] for line in member.address.splitlines() if line.strip()]
        if lines:
            # Required for a debtor outside the EEA; two lines are all the scheme takes.
            payment["address"] = {"country": mandate.iban[:2], "lines": lines[:2]}
        document.add_payment(payment)
    try:
        xml = document.export(validate=True)
    except SchemaError as error:
        raise ValidationError(
            _("The bank's file would not be valid; check the names and the references."),
            code="collection_file_invalid",
        ) from error
    return document.msg_id, xml.decode()
