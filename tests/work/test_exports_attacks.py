"""The payroll CSV runs no formula hidden in a carer's name."""

from datetime import date
from decimal import Decimal

from coopcare.work.models import PayRun
from tests import factories


def test_a_carers_name_cannot_run_as_a_formula(client, coop, carer, coordinator):
    carer.first_name, carer.last_name = "=1+1", "@SUM(A1)"
    carer.save()
    # The pay run as it is recorded; how it is computed does not matter to its export.
    run = PayRun.objects.create(
        cooperative=coop, starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 15), made_by=carer
    )
    zero = Decimal(0)
    run.payslips.create(
        carer=carer,
        **dict.fromkeys(
            ("days", "visit_minutes", "travel_minutes", "waiting_minutes", "break_minutes"), 0
        ),
        span_minutes=0,
        premium_minutes=0,
        **dict.fromkeys(
            ("km", "contracted_hours", "basic_pay", "premium_pay", "gross_pay", "mileage"), zero
        ),
        true_hourly_pay=zero,
        minimum_wage=zero,
    )
    factories.log_in(client, coordinator)
    response = client.get(f"/c/{coop.slug}/work/pay/{run.pk}/payroll.csv")
    row = response.content.decode().splitlines()[1]
    assert row.startswith(f"{carer.username},'=1+1 @SUM(A1),2026-11-01")
