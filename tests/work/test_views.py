from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work import pay, timesheets
from coopcare.work.models import Contract, PayRun, SurplusAllocation, Timesheet, TimesheetStatus
from tests import factories
from tests.work.conftest import contract, worked


@pytest.fixture
def last_month(coop, carer, people):
    """Two days of Carla's work last month, with a contract."""
    start, end = pay.last_pay_period(timezone.localdate())
    contract(coop, carer, starts_on=start - timedelta(days=30))
    for day in (start + timedelta(days=1), start + timedelta(days=2)):
        worked(carer, people[0], day, 8, 9)
        worked(carer, people[1], day, 9.5, 10.5)
    return start, end


def url(name, coop, *args):
    return reverse(f"work:{name}", args=[coop.slug, *args])


def test_a_coordinator_goes_from_visit_records_to_an_exported_pay_run(
    client, coop, coordinator, carer, last_month
):
    start, end = last_month
    factories.log_in(client, coordinator)
    period = f"?starts_on={start}&ends_on={end}"
    response = client.post(url("timesheets", coop) + period, {"action": "build"}, follow=True)
    assert "2 timesheets built" in response.content.decode()
    sheets = Timesheet.objects.filter(carer=carer)
    # Running pay before approval is refused on the form.
    response = client.post(
        url("pay_runs", coop), {"form": "run", "run-starts_on": start, "run-ends_on": end}
    )
    assert response.status_code == 200
    assert "2 timesheets in the period are not approved yet" in response.content.decode()
    assert not PayRun.objects.exists()

    client.post(
        url("timesheets", coop) + period,
        {"action": "approve", "timesheet": [s.pk for s in sheets]},
    )
    assert set(sheets.values_list("status", flat=True)) == {TimesheetStatus.APPROVED}
    response = client.post(
        url("pay_runs", coop), {"form": "run", "run-starts_on": start, "run-ends_on": end}
    )
    run = PayRun.objects.get()
    assert response.status_code == 302 and response.url == url("pay_run", coop, run.pk)
    page = client.get(response.url).content.decode()
    assert "Carla Rossi" in page and str(run.payslips.get().gross_pay) in page
    export = client.get(url("pay_run_csv", coop, run.pk))
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().splitlines()[1].startswith("carla,Carla Rossi,")


def test_a_correction_keeps_the_recorded_times(client, coop, coordinator, carer, last_month):
    start, _end = last_month
    timesheets.build_timesheets(coop, start, start + timedelta(days=1))
    sheet = Timesheet.objects.get()
    entry = sheet.entries.first()
    factories.log_in(client, coordinator)
    prefix = f"e{entry.pk}"
    bad = client.post(
        url("timesheet", coop, sheet.pk),
        {
            "entry": entry.pk,
            f"{prefix}-starts_at": "07:45",
            f"{prefix}-ends_at": "09:00",
            f"{prefix}-reason": "",
        },
    )
    assert "This field is required" in bad.content.decode()
    client.post(
        url("timesheet", coop, sheet.pk),
        {
            "entry": entry.pk,
            f"{prefix}-starts_at": "07:45",
            f"{prefix}-ends_at": "09:00",
            f"{prefix}-reason": "Arrived early for a fall",
        },
    )
    entry.refresh_from_db()
    assert entry.minutes == 75 and entry.corrected
    page = client.get(url("timesheet", coop, sheet.pk)).content.decode()
    assert "Recorded 08:00\N{EN DASH}09:00" in page


def test_a_carer_sees_their_own_hours_and_pay_and_nothing_of_others(
    client, coop, coordinator, carer, last_month
):
    start, end = last_month
    timesheets.build_timesheets(coop, start, end)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    run = pay.run_pay(coop, start, end, coordinator)
    factories.log_in(client, carer)
    page = client.get(url("mine", coop)).content.decode()
    assert str(run.payslips.get().true_hourly_pay) in page
    assert "True hourly pay" in page
    for name, args in [
        ("overview", ()),
        ("worker", (coordinator.pk,)),
        ("pay_run", (run.pk,)),
        ("pay_run_csv", (run.pk,)),
        ("timesheets", ()),
    ]:
        assert client.get(url(name, coop, *args)).status_code == 403


def test_another_cooperatives_coordinator_finds_nothing(client, coop, carer, last_month):
    other = factories.CooperativeFactory(slug="other")
    stranger = factories.user_with_role(other, Role.COORDINATOR)
    factories.log_in(client, stranger)
    assert client.get(url("worker", other, carer.pk)).status_code == 404
    assert client.get(url("overview", coop)).status_code == 404


def test_overlapping_contract_is_refused_on_the_form(client, coop, coordinator, carer, last_month):
    factories.log_in(client, coordinator)
    response = client.post(
        url("worker", coop, carer.pk),
        {
            "form": "contract",
            "contract-kind": "permanent",
            "contract-weekly_hours": "25",
            "contract-starts_on": date(2026, 1, 1),
        },
    )
    assert "overlaps" in response.content.decode()
    assert Contract.objects.count() == 1


def test_the_board_shares_out_the_surplus_and_members_read_their_statement(
    client, coop, coordinator, board_user, carer, last_month
):
    start, end = last_month
    workers = factories.StakeholderClassFactory(cooperative=coop, kind=StakeholderKind.WORKER)
    factories.admitted_member(workers, user=carer, on=start - timedelta(days=60))
    timesheets.build_timesheets(coop, start, end)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    factories.log_in(client, board_user)
    year = {
        "surplus-starts_on": date(start.year, 1, 1),
        "surplus-ends_on": date(start.year, 12, 31),
        "surplus-reserve_percent": "30",
        "surplus-mutual_fund_percent": "3",
        "surplus-refund_percent": "100",
    }
    refused = client.post(url("surplus_list", coop), year | {"surplus-surplus": "-100"})
    assert "Only a surplus is shared out" in refused.content.decode()
    assert not SurplusAllocation.objects.exists()
    client.post(url("surplus_list", coop), year | {"surplus-surplus": "1000.00"})
    allocation = SurplusAllocation.objects.get()
    assert allocation.refunds == Decimal("670.00")
    factories.log_in(client, carer)
    statement = client.get(url("surplus", coop, allocation.pk)).content.decode()
    assert "your refund is 670.00 EUR" in statement
    assert "<h2>Refunds</h2>" not in statement  # members see their own line only
    assert (
        client.post(url("surplus_list", coop), year | {"surplus-surplus": "5"}).status_code == 403
    )


def test_working_time_page_lists_breaches(client, coop, coordinator, carer, people):
    day = timezone.localdate() - timedelta(days=3)
    for hour in range(6, 20):
        worked(carer, people[0], day, hour, hour + 58 / 60)
    timesheets.build_timesheets(coop, day, day)
    factories.log_in(client, coordinator)
    page = client.get(url("working_time", coop)).content.decode()
    assert "Carla Rossi" in page and "no break of 10 minutes" in page
