"""Invoice runs: verified, approved visits priced by the agreement of their day, shared
between payer and co-payer, one draft per payer (per person for a family); a run that cannot
bill a visit is refused with the reasons and writes nothing; a visit is billed once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, services
from coopcare.billing.models import Invoice, InvoiceLine, InvoiceRun
from coopcare.visits.services import cancel_visit, generate_visits
from tests import factories
from tests.billing.conftest import MONDAY, done, week_of_visits


def test_a_run_bills_the_municipality_and_the_family_their_shares_of_a_verified_visit(billing):
    monday, tuesday = week_of_visits(billing)
    done(billing, monday)
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
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
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
    monday, _tuesday = week_of_visits(billing, co_payment="0")
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    invoicing.delete_draft(run.invoices.get())
    again = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert again.invoices.get().lines.get().amount == Decimal("22.00")


def test_a_run_is_refused_with_every_reason_and_writes_nothing(billing):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday, approved=False)
    other = factories.person_cared_for(billing["coop"], full_name="Bruno Verdi")
    factories.care_plan(other, valid_from=MONDAY)
    generate_visits(other, MONDAY, MONDAY)
    done(billing, other.visits.get())
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
    done(billing, person.visits.get())
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    [problem] = refused.value.error_list
    assert problem.code == "visit_without_agreement"
    assert "domestic help" in problem.message
    assert not InvoiceRun.objects.exists()
