"""Issued invoices to pay, for the payment tests: Anna Rossi's Monday visit of 2 November 2026
billed to the municipality (80 % of 22.00: 17.60) and to her family (20 %: 4.40), both issued
on 1 December 2026 and so due on 31 December, made through the services."""

from datetime import date

from coopcare.billing import invoicing
from tests.billing.conftest import MONDAY, done, week_of_visits

ISSUED = date(2026, 12, 1)
DUE = date(2026, 12, 31)


def issued_invoices(billing, today=ISSUED):
    """The municipality's and the family's invoices for Monday, issued on ``today``."""
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    by = billing["coordinator"]
    comune = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by, today=today)
    family = invoicing.issue(run.invoices.get(payer=billing["family"]), by=by, today=today)
    return comune, family
