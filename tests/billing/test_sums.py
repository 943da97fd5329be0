"""What the database adds up gives what Python gave adding up every row: the hours budgets
count each visit's minutes from the longest verified record's stored duration as they did from
each record's own minutes (the reckoning they replaced, written out here from the model
instances), and an issued invoice keeps the total its lines give."""

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from coopcare.billing import invoicing, payments, queries
from coopcare.billing.queries import _visit_minutes
from coopcare.cooperatives.models import Role
from coopcare.visits import services as visit_services
from coopcare.visits.models import Visit, VisitRecord, VisitStatus
from coopcare.visits.services import add_carer
from tests import factories
from tests.billing.paid import DUE, ISSUED, issued_invoices
from tests.work.conftest import planned, worked

DAY = date(2026, 3, 2)


def one_by_one(coop, first: date, last: date) -> dict:
    """Per person and service, by day: (local day, minutes, done) of every visit that counts,
    from each visit's verified records' own minutes (none of 0 minutes), else its planned
    length, as the budgets reckoned them before."""
    found = defaultdict(list)
    for visit in Visit.objects.filter(cooperative=coop).select_related("task"):
        day = timezone.localdate(visit.starts_at)
        if not first <= day <= last:
            continue
        minutes = [r.minutes for r in visit.records.all() if r.verified_at and r.minutes]
        to_do = visit.status in (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS)
        if not (minutes or to_do or visit.records.filter(verified_at__isnull=False).exists()):
            continue
        found[(visit.person_id, visit.task.service_type)].append(
            (day, max(minutes), True) if minutes else (day, visit.minutes, False)
        )
    return {key: sorted(visits) for key, visits in found.items()}


def _verified(record: VisitRecord, length: timedelta) -> None:
    """``record`` checked out ``length`` after its check-in, and verified."""
    record.checked_out_at = record.checked_in_at + length
    record.verified_at = record.checked_out_at
    record.save()


def test_visits_count_the_same_minutes_as_when_each_record_was_read(coop):
    near, far = factories.person_cared_for(coop), factories.person_cared_for(coop)
    for person in (near, far):
        factories.care_plan(person, valid_from=date(2026, 1, 1))
    carer, other = (factories.user_with_role(coop, Role.CARER) for _ in range(2))
    # Two carers' records of one visit: the longer counts (50 minutes, not 40).
    together = planned(carer, near, DAY, 9, 10)
    add_carer(together, other)
    at = together.starts_at
    for who in (carer, other):
        visit_services.check_in(together, who, client_id=uuid.uuid4(), at=at, now=at)
    for who, length in ((carer, timedelta(minutes=40)), (other, timedelta(minutes=50, seconds=29))):
        steps = [{"step": step, "done": True} for step in together.task.step_list]
        done = visit_services.check_out(
            together, who, client_id=uuid.uuid4(), at=at + length, steps=steps, now=at + length
        )
        _verified(done.record, length)
    # 30 seconds round to no minute, so the visit counts its planned hour, still to do; 31
    # seconds round to one.
    _verified(worked(carer, near, DAY, 11, 12), timedelta(seconds=30))
    _verified(worked(carer, far, DAY, 13, 14), timedelta(seconds=31))
    # Done but not verified: it does not count; planned and under way: their planned length.
    worked(carer, far, DAY, 15, 16)
    planned(carer, far, DAY + timedelta(days=1), 9, 9.75)
    planned(carer, near, DAY + timedelta(days=1), 10, 11, status=VisitStatus.IN_PROGRESS)
    planned(carer, near, DAY + timedelta(days=2), 10, 11, status=VisitStatus.CANCELLED)
    expected = one_by_one(coop, DAY, DAY + timedelta(days=2))
    assert dict(_visit_minutes(coop, DAY, DAY + timedelta(days=2), None)) == expected
    # Read for the minutes done alone (the impact indicators), the visits still to do are not.
    done_alone = _visit_minutes(coop, DAY, DAY + timedelta(days=2), None, to_do=False)
    assert {key: visits for key, visits in done_alone.items() if visits} == {
        key: [visit for visit in visits if visit[2]]
        for key, visits in expected.items()
        if any(visit[2] for visit in visits)
    }
    assert expected[(near.pk, together.task.service_type)][:2] == [
        (DAY, 50, True),
        (DAY, 60, False),
    ]


def test_an_issued_invoice_keeps_the_total_its_lines_give_and_balances_add_those_up(billing):
    """Issuing keeps each invoice's total (its lines' net per VAT rate, the VAT rounded once
    per rate): the balances read it, and what is owed on a day, added up by the database, is
    the sum of the balances, credit notes and payments (a withdrawn one not) counted."""
    comune, family = issued_invoices(billing)
    by = billing["coordinator"]
    for invoice in (comune, family):
        invoice.refresh_from_db()
        # Compared as written, so that a sum SQLite made in floating point shows.
        assert str(invoice.total) == str(invoice.totals().total)
    assert str(comune.total) == "17.60"  # 80 % of 22.00, exempt from VAT
    note = invoicing.credit(family, by=by, reason="Visit shorter than billed", today=ISSUED)
    assert note.total == family.total
    paid = payments.record_payment(
        comune, {"received_on": ISSUED, "amount": Decimal("10.00")}, by=by
    )
    withdrawn = payments.record_payment(
        comune, {"received_on": ISSUED, "amount": Decimal("5.00")}, by=by
    )
    payments.withdraw_payment(withdrawn, "Entered twice", by=by)
    found = queries.balances(billing["coop"], DUE)
    assert [(b.invoice, b.total, b.credited, b.paid) for b in found] == [
        (comune, comune.total, 0, paid.amount),
        (family, family.total, family.total, 0),
    ]
    owed = queries.owed_on(billing["coop"], DUE)
    assert owed == sum(b.owed for b in found) == comune.total - paid.amount
    # The day before they were issued, nothing was owed.
    assert queries.owed_on(billing["coop"], ISSUED - timedelta(days=1)) == 0
