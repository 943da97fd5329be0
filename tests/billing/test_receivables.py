"""What payers owe: each invoice's age past its due date, and per payer what is owed, overdue
and in credit, built on the invoices' balances."""

from datetime import date, timedelta
from decimal import Decimal

from coopcare.billing import invoicing, payments, queries
from tests.billing.paid import DUE, ISSUED, issued_invoices


def _band(billing, on):
    (balance, _family) = queries.balances(billing["coop"], on)
    return queries.age_band(balance, on)


def test_an_invoice_ages_by_the_days_past_its_due_date(billing):
    """Receivables are aged in the usual bands of days past due: not yet due, 1–30, 31–60,
    61–90, over 90. Worked example: due on 31 December 2026, on 1 March 2027 it is 60 days
    past due (31 of January, 28 of February, 1 of March), on 2 March 61."""
    issued_invoices(billing)
    assert _band(billing, DUE) == "not_due"
    assert _band(billing, DUE + timedelta(days=1)) == "days_1_30"
    assert _band(billing, date(2027, 1, 30)) == "days_1_30"
    assert _band(billing, date(2027, 1, 31)) == "days_31_60"
    assert _band(billing, date(2027, 3, 1)) == "days_31_60"
    assert _band(billing, date(2027, 3, 2)) == "days_61_90"
    assert _band(billing, date(2027, 3, 31)) == "days_61_90"
    assert _band(billing, date(2027, 4, 1)) == "over_90"


def test_each_payer_owes_what_its_invoices_still_ask_aged_and_overdue(billing):
    _comune, family = issued_invoices(billing)
    by = billing["coordinator"]
    payments.record_payment(family, {"received_on": ISSUED, "amount": Decimal("1.40")}, by=by)
    on = date(2027, 2, 15)  # 46 days past due
    rows = {row.payer.name: row for row in queries.receivables(billing["coop"], on)}
    assert list(rows) == ["Comune di Bologna", "Marco Rossi"]
    town, rossi = rows["Comune di Bologna"], rows["Marco Rossi"]
    assert (town.owed, town.overdue, town.invoices_open) == (Decimal("17.60"), Decimal("17.60"), 1)
    assert town.ageing["days_31_60"] == Decimal("17.60")
    assert sum(town.ageing.values()) == town.owed
    assert (rossi.owed, rossi.overdue) == (Decimal("3.00"), Decimal("3.00"))
    # Before the due date nothing is overdue.
    early = {row.payer.name: row for row in queries.receivables(billing["coop"], DUE)}
    assert early["Comune di Bologna"].overdue == 0
    assert early["Comune di Bologna"].ageing["not_due"] == Decimal("17.60")


def test_a_paid_invoice_then_credited_leaves_the_payer_in_credit(billing):
    _comune, family = issued_invoices(billing)
    by = billing["coordinator"]
    payments.record_payment(family, {"received_on": ISSUED, "amount": Decimal("4.40")}, by=by)
    invoicing.credit(family, by=by, reason="Visit not due", today=ISSUED)
    rows = {row.payer.name: row for row in queries.receivables(billing["coop"], ISSUED)}
    assert rows["Marco Rossi"].owed == 0
    assert rows["Marco Rossi"].in_credit == Decimal("4.40")
    account = queries.account(billing["family"], ISSUED)
    assert (account.total, account.credited, account.paid, account.owed) == (
        Decimal("4.40"),
        Decimal("4.40"),
        Decimal("4.40"),
        Decimal("-4.40"),
    )


def test_a_payer_that_owes_nothing_is_not_listed(billing):
    comune, _family = issued_invoices(billing)
    payments.record_payment(
        comune,
        {"received_on": ISSUED, "amount": comune.totals().total},
        by=billing["coordinator"],
    )
    rows = queries.receivables(billing["coop"], ISSUED)
    assert [row.payer.name for row in rows] == ["Marco Rossi"]
