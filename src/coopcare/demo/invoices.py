"""Demo invoices: last month billed (the part of it the five weeks of visit records reach) and
the money that came in since.

Once the visits, the timesheets and the agreements are seeded, the office makes last month
billable as a coordinator would: it phones the people whose visits are still unverified and
approves the month's remaining timesheets. Then it runs last month's invoices and issues them
on the first working day of this month: the municipality's with its FatturaPA file, the care
voucher scheme's, and one per person to the families. The families pay within their 15 days,
by transfer, card or cash, but one who paid part and one who has not paid; the public payers'
invoices, due in 30 and 60 days, are still open.

Everything goes through ``billing.invoicing``, ``billing.payments``, ``visits.services`` and
``work.services``, as the office's pages do."""

import random
from datetime import date, time, timedelta
from decimal import Decimal

import holidays
from django.utils import timezone

from coopcare.billing.invoicing import issue, run_invoices
from coopcare.billing.models import PayerKind, PaymentMethod
from coopcare.billing.payments import record_payment
from coopcare.visits.models import VisitRecord
from coopcare.visits.services import confirm_by_phone, local_moment
from coopcare.visits.zones import on_cooperative_clock
from coopcare.work.models import Timesheet, TimesheetStatus
from coopcare.work.services import timesheets

# How the families paid, and how often.
METHODS = [PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD, PaymentMethod.CASH]
METHOD_WEIGHTS = [70, 20, 10]


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the calendar month before ``today``'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


class InvoiceSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, coordinator):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self) -> dict[str, int]:
        """Bill last month, issue its invoices and record the payments received; returns the
        counts for the summary."""
        first, last = last_month(self.today)
        self.make_billable(first, last)
        run = run_invoices(self.cooperative, first, last, by=self.coordinator)
        issued_on = self.issue_day()
        # The public payers' invoices first, then the families' by name and person: the numbers
        # follow. Never by the invoices' own order, which the database may give differently.
        invoices = sorted(
            run.invoices.select_related("payer", "person"),
            key=lambda i: (
                i.payer.kind == PayerKind.FAMILY,
                i.payer.name,
                i.person.full_name if i.person else "",
                i.person_id or 0,
            ),
        )
        issued = [issue(invoice, by=self.coordinator, today=issued_on) for invoice in invoices]
        families = [i for i in issued if i.payer.kind == PayerKind.FAMILY]
        return {"invoices": len(issued), "payments": self.payments(families)}

    def make_billable(self, first: date, last: date) -> None:
        """Verify the month's visits nobody confirmed, by a call from the office the next
        morning (as coordinators do before invoicing), and approve the month's timesheets
        still in draft."""
        unverified = (
            VisitRecord.objects.filter(
                visit__cooperative=self.cooperative,
                visit__starts_at__date__range=(first, last),
                checked_out_at__isnull=False,
                verified_at__isnull=True,
            )
            .select_related("visit")
            .order_by("visit__starts_at", "pk")
        )
        for record in unverified:
            day = on_cooperative_clock(record.visit.starts_at, self.cooperative).date()
            called_at = local_moment(day + timedelta(days=1), time(9, 30))
            confirm_by_phone(record, self.coordinator, now=called_at)
        drafts = Timesheet.objects.filter(
            cooperative=self.cooperative, day__range=(first, last), status=TimesheetStatus.DRAFT
        )
        timesheets.approve(self.cooperative, drafts, self.coordinator)

    def issue_day(self) -> date:
        """The first working day of this month (not a weekend, not a public holiday), or
        today when that is still to come."""
        first = self.today.replace(day=1)
        closed = holidays.country_holidays(self.cooperative.country, years=first.year)
        day = first
        while day.weekday() >= 5 or day in closed:
            day += timedelta(days=1)
        return min(day, self.today)

    def payments(self, invoices) -> int:
        """The families' payments received by today (on the real clock too: a payment is
        never recorded before it comes in): each paid in full on a day before it fell due,
        but one paid in part and one not paid at all. Returns how many were recorded."""
        real_today = on_cooperative_clock(timezone.now(), self.cooperative).date()
        latest = min(self.today, real_today)
        # The first invoice drawn is the one not paid; the second, the one paid in part.
        paying = self.rng.sample(invoices, len(invoices))[1:]
        partly = paying[0]
        recorded = 0
        for invoice in paying:
            if invoice.issued_on > latest:
                continue
            total = invoice.totals().total
            amount = (total / 2).quantize(Decimal(1)) if invoice is partly else total
            days = (min(invoice.due_on, latest) - invoice.issued_on).days
            method = self.rng.choices(METHODS, METHOD_WEIGHTS)[0]
            record_payment(
                invoice,
                {
                    "received_on": invoice.issued_on + timedelta(days=self.rng.randint(0, days)),
                    "amount": amount,
                    "method": method,
                    "reference": self.reference(method),
                },
                by=self.coordinator,
            )
            recorded += 1
        return recorded

    def reference(self, method: str) -> str:
        """What the bank statement or the receipt says of a payment."""
        if method == PaymentMethod.BANK_TRANSFER:
            return f"CRO {self.rng.randrange(10**10, 10**11)}"
        if method == PaymentMethod.CARD:
            return f"POS {self.rng.randrange(10**6):06d}"
        return f"Ricevuta n. {self.rng.randrange(1, 500)}"
