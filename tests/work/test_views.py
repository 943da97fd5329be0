from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coopcare import localise
from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work import forms, queries
from coopcare.work.models import (
    CarerHome,
    Contract,
    PayRun,
    SurplusAllocation,
    Timesheet,
    TimesheetStatus,
)
from coopcare.work.services import contracts, pay, timesheets
from tests import factories
from tests.work.conftest import contract, home, worked


@pytest.fixture
def last_month(coop, carer, people):
    """Two days of Carla's work last month, with a contract."""
    start, end = queries.last_pay_period(timezone.localdate())
    contract(coop, carer, starts_on=start - timedelta(days=30))
    for day in (start + timedelta(days=1), start + timedelta(days=2)):
        worked(carer, people[0], day, 8, 9)
        worked(carer, people[1], day, 9.5, 10.5)
    return start, end


def in_italy(amount) -> str:
    """An amount as an Italian cooperative's pages show it to an English reader."""
    with translation.override("en"), localise.in_region("IT"):
        return localise.money(amount, "EUR")


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
    assert "Carla Rossi" in page and in_italy(run.payslips.get().gross_pay) in page
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
    assert in_italy(run.payslips.get().true_hourly_pay) in page
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


def test_a_coordinator_ends_a_contract_on_a_date_from_the_worker_page(
    client, coop, coordinator, carer
):
    today = timezone.localdate()
    current = contract(coop, carer, starts_on=today - timedelta(days=60))
    page = url("worker", coop, carer.pk)
    end = url("end_contract", coop, carer.pk, current.pk)
    prefix = f"end-{current.pk}"
    factories.log_in(client, coordinator)
    assert "End the contract" in client.get(page).content.decode()
    assert client.get(end).status_code == 405
    refused = client.post(end, {f"{prefix}-ends_on": current.starts_on - timedelta(days=1)})
    assert refused.status_code == 400
    assert "The contract cannot end before it starts." in refused.content.decode()
    current.refresh_from_db()
    assert current.ends_on is None

    done = client.post(end, {f"{prefix}-ends_on": today - timedelta(days=1)}, follow=True)
    assert "Contract ended." in done.content.decode()
    current.refresh_from_db()
    assert current.ends_on == today - timedelta(days=1)
    # Ended, it is offered no more.
    assert "End the contract" not in client.get(page).content.decode()


def test_a_contract_that_already_ended_cannot_be_ended_later_from_the_page(
    client, coop, coordinator, carer
):
    today = timezone.localdate()
    current = contract(coop, carer, starts_on=today - timedelta(days=60))
    contracts.end_contract(current, today + timedelta(days=10))
    end = url("end_contract", coop, carer.pk, current.pk)
    factories.log_in(client, coordinator)
    refused = client.post(end, {f"end-{current.pk}-ends_on": today + timedelta(days=20)})
    assert refused.status_code == 400
    assert "The contract already ended on" in refused.content.decode()
    current.refresh_from_db()
    assert current.ends_on == today + timedelta(days=10)


def test_only_a_coordinator_of_the_cooperative_ends_a_contract(client, coop, carer):
    current = contract(coop, carer)
    body = {f"end-{current.pk}-ends_on": "2026-06-30"}
    factories.log_in(client, carer)
    assert "End the contract" not in client.get(url("mine", coop)).content.decode()
    assert client.post(url("end_contract", coop, carer.pk, current.pk), body).status_code == 403
    other = factories.CooperativeFactory(slug="other")
    factories.log_in(client, factories.user_with_role(other, Role.COORDINATOR))
    path = url("end_contract", other, carer.pk, current.pk)
    assert client.post(path, body).status_code == 404
    current.refresh_from_db()
    assert current.ends_on is None


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
    assert "your refund is 670,00\xa0€" in statement
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


def test_a_carer_gives_their_home_place_and_only_they_see_it(client, coop, coordinator, carer):
    # The place is the carer's own: used for journeys from and to home (CJEU C-266/14 Tyco)
    # and the planner; a coordinator sees only whether it is given.
    factories.log_in(client, carer)
    page = client.get(url("mine", coop)).content.decode()
    assert "used only for this" in page and "Not given" in page
    refused = client.post(
        url("mine", coop),
        {"form": "home", "home-address": "Via X 1", "home-latitude": "91", "home-longitude": "11"},
    )
    assert refused.status_code == 200 and not CarerHome.objects.exists()
    client.post(
        url("mine", coop),
        {
            "form": "home",
            "home-address": "Via dei Mille 12",
            "home-latitude": "44.499000",
            "home-longitude": "11.330000",
        },
    )
    home = CarerHome.objects.get(carer=carer, cooperative=coop)
    assert home.latitude == Decimal("44.499000") and home.address == "Via dei Mille 12"
    assert "Via dei Mille 12" in client.get(url("mine", coop)).content.decode()
    # The carer posts nothing else on their own page.
    assert client.post(url("mine", coop), {"form": "contract"}).status_code == 403

    factories.log_in(client, coordinator)
    page = client.get(url("worker", coop, carer.pk)).content.decode()
    assert "Given by the carer" in page
    assert "Via dei Mille" not in page and "44.499" not in page
    # Nor can a coordinator set or change it.
    assert client.post(url("worker", coop, carer.pk), {"form": "home"}).status_code == 403

    factories.log_in(client, carer)
    client.post(url("mine", coop), {"form": "forget_home"})
    assert not CarerHome.objects.exists()


def test_the_home_place_is_not_in_the_payroll_export(client, coop, coordinator, carer, last_month):
    start, end = last_month
    home(coop, carer, address="Via dei Mille 12")
    timesheets.build_timesheets(coop, start, end)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    run = pay.run_pay(coop, start, end, coordinator)
    export = queries.payroll_csv(run)
    assert "Via dei Mille" not in export and "44.49" not in export
    # The journeys from home are paid; the place they start from is not shown.
    assert all(sheet.entries.first().kind == "travel" for sheet in Timesheet.objects.all())


def test_the_board_sets_the_weekly_rest_reference_period(client, coop, board_user):
    factories.log_in(client, board_user)
    page = client.get(url("working_time", coop)).content.decode()
    assert "reference period of the weekly rest (days)" in page.lower()
    # Italy's default is 14 days (D.Lgs. 66/2003 art. 9); the board may keep to 7.
    assert queries.work_rules_of(coop).weekly_rest_reference_days == 14
    form = forms.WorkRulesForm(instance=queries.work_rules_of(coop))
    fields = {name: form[name].value() for name in form.fields}
    fields = {name: value for name, value in fields.items() if value not in (None, False)}
    client.post(url("working_time", coop), fields | {"weekly_rest_reference_days": "7"})
    assert queries.work_rules_of(coop).weekly_rest_reference_days == 7


def test_the_pay_run_and_the_carers_own_page_write_hours_days_and_pay_alike(
    client, coop, coordinator, carer, last_month
):
    """The same payslip on the coordinator's pay run and on the carer's own page: its days,
    hours and pay written once, the way the reader's language and the cooperative's country
    write them (an Italian cooperative read in English: "2 hrs", "1 Nov 2026", "50,00 €"),
    never the decimals kept ("2.00", "50.00")."""
    start, end = last_month
    timesheets.build_timesheets(coop, start, end)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    run = pay.run_pay(coop, start, end, coordinator)
    slip = run.payslips.get()
    with translation.override("en"), localise.in_region(coop.country):
        gross = localise.money(slip.gross_pay, coop.currency)
        contracted = localise.hours(slip.contracted_hours)
        visits = localise.duration(slip.visit_minutes)
        first_day = localise.day(start)
    factories.log_in(client, coordinator)
    run_page = client.get(url("pay_run", coop, run.pk)).content.decode()
    factories.log_in(client, carer)
    own_page = client.get(url("mine", coop)).content.decode()
    for page in (run_page, own_page):
        assert gross in page and contracted in page and first_day in page
        assert f">{slip.gross_pay}<" not in page and f">{slip.contracted_hours}<" not in page
    assert visits in run_page


def test_working_time_breaches_write_hours_as_every_page_does(
    client, coop, coordinator, carer, people
):
    """Fourteen visits of 58 minutes with 2-minute gaps: 812 minutes of work with no break,
    written "13 hrs 32 mins" (an Italian cooperative read in English) on the working-time
    page and on the carer's page alike, never "13.5 h"."""
    day = timezone.localdate() - timedelta(days=3)
    for hour in range(6, 20):
        worked(carer, people[0], day, hour, hour + 58 / 60)
    timesheets.build_timesheets(coop, day, day)
    with translation.override("en"), localise.in_region(coop.country):
        worked_time = localise.duration(812)
    assert worked_time == "13 hrs 32 mins"
    factories.log_in(client, coordinator)
    for page in (url("working_time", coop), url("worker", coop, carer.pk)):
        shown = client.get(page).content.decode()
        assert f"{worked_time} of work with no break of 10 minutes" in shown
