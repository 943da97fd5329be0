"""Reads of billing that are part of a person's care record, logged in the care record read
log: who pays for their care, how many hours they are authorised, the visits billed on their
invoices (GDPR art. 9 and 30). Coordinators and the board see billing; a family that pays sees
its own invoices; carers and the circle see none of it."""

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor

RECORD = "billing"


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's agreements."""
    care_access.log_read(user, person, RECORD, via=via)


def log_budgets(user, rows, via: str = "web") -> None:
    """Record that ``user`` read, in the list of hours budgets, each listed person's."""
    people = {row.agreement.person.pk: row.agreement.person for row in rows}
    care_access.log_reads(user, people.values(), "hours budgets", via=via)


def log_invoice(user, invoice, via: str = "web") -> None:
    """Record that ``user`` read, on an invoice or credit note (its page or its printed
    document), the visits billed to each person on its lines (a line that bills no visit
    names no person cared for)."""
    people = {
        line.person.pk: line.person
        for line in invoice.lines.select_related("person")
        if line.person is not None
    }
    if invoice.person is not None:
        people[invoice.person.pk] = invoice.person
    care_access.log_reads(user, people.values(), "invoice", via=via)


def log_invoices(user, invoices, via: str = "web") -> None:
    """Record that ``user`` read invoices that name a person cared for (a family's invoice is
    for one person, and its lines are that person's visits and services)."""
    people = {i.person.pk: i.person for i in invoices if i.person is not None}
    care_access.log_reads(user, people.values(), "invoices", via=via)
