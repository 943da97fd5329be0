"""Invoice runs: verified, approved visits priced by the agreement of their day, shared
between payer and co-payer, one draft per payer (per person for a family); a run that cannot
bill a visit is refused with the reasons and writes nothing; a visit is billed once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, services
from coopcare.billing.models import Invoice, InvoiceLine, InvoiceRun
from coopcare.cooperatives.models import Role
from coopcare.visits.services import cancel_visit, confirm_by_phone, generate_visits
from coopcare.work.models import Timesheet
from coopcare.work.services.timesheets import approve, build_timesheets
from tests import factories

MONDAY = date(2026, 11, 2)


def _week(billing, co_payment="20"):
    """Anna's daily 09:00 visits from Monday 2 November 2026, paid by the municipality with
    the family paying 20 %."""
    person = billing["person"]
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(
        person,
        billing["comune"],
        {
            "valid_from": date(2026, 11, 1),
            "co_payment_percent": Decimal(co_payment),
            "late_cancellation_hours": 24,
            "late_cancellation_percent": Decimal(50),
        },
        tariffs=[billing["tariff"]],
        co_payer=billing["family"],
        by=billing["coordinator"],
    )
    generate_visits(person, MONDAY, MONDAY + timedelta(days=1))
    return list(person.visits.order_by("starts_at"))


def _done(billing, visit, *, approved=True):
    """The visit recorded (40 minutes), confirmed by phone and, unless told, its timesheet
    approved."""
    carer = factories.user_with_role(
        billing["coop"], Role.CARER, first_name="Lucia", last_name="Bianchi"
    )
    visit.carers.set([carer])
    record = factories.recorded_visit(visit, carer)
    confirm_by_phone(record, billing["coordinator"], now=visit.ends_at + timedelta(hours=1))
    day = visit.starts_at.date()
    build_timesheets(billing["coop"], day, day)
    if approved:
        approve(billing["coop"], Timesheet.objects.filter(carer=carer), billing["coordinator"])
    return record


def test_a_run_bills_the_municipality_and_the_family_their_shares_of_a_verified_visit(billing):
    monday, tuesday = _week(billing)
    _done(billing, monday)
    cancel_visit(
        tuesday,
        "person",
        "At the doctor's",
        billing["coordinator"],
        now=tuesday.starts_at - timedelta(hours=3),
    )
    run = invoicing.run_invoices(
        billing["coop"], MONDAY, MONDAY + timedelta(days=1), by=billing["coordinator"]
    )
    comune, family = (run.invoices.get(payer=billing[p]) for p in ("comune", "family"))
    # A public payer's invoice has lines per person; a family's is for one person.
    assert comune.person is None and family.person == billing["person"]
    visit_line = comune.lines.get(kind="visit")
    # 40 minutes on a weekday, billed at the 60-minute minimum: 22.00, 80 % of it 17.60.
    assert (visit_line.minutes, visit_line.price, visit_line.amount) == (
        60,
        Decimal("22.00"),
        Decimal("17.60"),
    )
    assert visit_line.stretches == [{"kind": "weekday", "minutes": 60, "rate": "22.00"}]
    assert visit_line.carers == "Lucia Bianchi"
    assert family.lines.get(kind="visit").amount == Decimal("4.40")
    # Cancelled by the person 3 hours before, under "less than 24 hours: 50 %": 11.00 shared.
    late = comune.lines.get(kind="late_cancellation")
    assert (late.price, late.amount) == (Decimal("11.00"), Decimal("8.80"))
    assert family.lines.get(kind="late_cancellation").amount == Decimal("2.20")


def test_a_visit_is_billed_once_and_a_run_for_one_payer_bills_only_that_payer(billing):
    monday, _tuesday = _week(billing)
    _done(billing, monday)
    run = invoicing.run_invoices(
        billing["coop"], MONDAY, MONDAY, by=billing["coordinator"], payer=billing["family"]
    )
    assert [i.payer for i in run.invoices.all()] == [billing["family"]]
    again = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert [i.payer for i in again.invoices.all()] == [billing["comune"]]
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert [e.code for e in refused.value.error_list] == ["nothing_to_invoice"]
    assert InvoiceLine.objects.filter(visit=monday).count() == 2


def test_a_deleted_draft_bills_its_visits_again(billing):
    monday, _tuesday = _week(billing, co_payment="0")
    _done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    invoicing.delete_draft(run.invoices.get())
    again = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert again.invoices.get().lines.get().amount == Decimal("22.00")


def test_a_run_is_refused_with_every_reason_and_writes_nothing(billing):
    monday, _tuesday = _week(billing)
    _done(billing, monday, approved=False)
    other = factories.person_cared_for(billing["coop"], full_name="Bruno Verdi")
    factories.care_plan(other, valid_from=MONDAY)
    generate_visits(other, MONDAY, MONDAY)
    _done(billing, other.visits.get())
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    problems = refused.value.error_list
    assert [(e.code, e.params["person"]) for e in problems] == [
        ("visit_not_verified", billing["person"].pk),
        ("visit_without_agreement", other.pk),
    ]
    assert "Anna Rossi" in problems[0].message % problems[0].params
    assert not InvoiceRun.objects.exists() and not Invoice.objects.exists()


def test_a_service_no_agreement_pays_for_refuses_the_run(billing):
    person = billing["person"]
    factories.care_plan(person, valid_from=MONDAY, service_type="domestic_help")
    services.agree(
        person,
        billing["comune"],
        {"valid_from": date(2026, 11, 1)},
        tariffs=[billing["tariff"]],
        by=billing["coordinator"],
    )
    generate_visits(person, MONDAY, MONDAY)
    _done(billing, person.visits.get())
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    [problem] = refused.value.error_list
    assert problem.code == "visit_without_agreement"
    assert "domestic help" in problem.message
    assert not InvoiceRun.objects.exists()
