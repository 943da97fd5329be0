from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work import pay, services, surplus, timesheets
from coopcare.work.models import (
    Contract,
    ContractKind,
    PayRun,
    SurplusAllocation,
    Timesheet,
    TimesheetStatus,
)
from tests import factories
from tests.work.conftest import contract, local, planned, worked

TUESDAY = date(2026, 11, 3)


# -- contracts ------------------------------------------------------------------------------


def test_zero_hours_contracts_are_refused_unless_the_cooperative_allows_them(coop, carer):
    with pytest.raises(ValidationError, match="Zero-hours contracts are not allowed"):
        contract(coop, carer, kind=ContractKind.ZERO_HOURS, weekly_hours=Decimal(0))
    rules = services.work_rules_of(coop)
    rules.allows_zero_hours = True
    rules.save()
    made = contract(coop, carer, kind=ContractKind.ZERO_HOURS, weekly_hours=Decimal(0))
    assert made.kind == ContractKind.ZERO_HOURS


def test_a_fixed_term_contract_needs_an_end_and_hours(coop, carer):
    with pytest.raises(ValidationError) as refused:
        contract(coop, carer, kind=ContractKind.FIXED_TERM, weekly_hours=Decimal(0))
    assert len(refused.value.messages) == 2
    assert not Contract.objects.exists()


def test_overlapping_contracts_are_refused_and_a_change_keeps_the_history(coop, carer):
    first = contract(coop, carer, starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="overlaps the permanent contract"):
        contract(coop, carer, starts_on=date(2026, 6, 1), weekly_hours=Decimal(36))
    second = services.start_contract(
        coop,
        carer,
        {
            "kind": ContractKind.PERMANENT,
            "weekly_hours": Decimal(36),
            "starts_on": date(2026, 6, 1),
        },
        replace_current=True,
    )
    first.refresh_from_db()
    assert first.ends_on == date(2026, 5, 31)
    assert services.contract_on(coop, carer, date(2026, 5, 31)) == first
    assert services.contract_on(coop, carer, date(2026, 6, 1)) == second
    with pytest.raises(ValidationError, match="overlaps"):
        contract(
            coop,
            carer,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
            kind=ContractKind.FIXED_TERM,
        )


def test_only_the_cooperatives_workers_get_contracts(coop):
    outsider = factories.UserFactory()
    with pytest.raises(ValidationError, match="does not work for this cooperative"):
        contract(coop, outsider)


# -- qualifications -------------------------------------------------------------------------


def test_skills_come_from_valid_qualifications(coop, carer):
    services.add_qualification(
        coop,
        carer,
        {
            "name": "Moving and handling",
            "skills": "hoist, personal",
            "obtained_on": date(2025, 1, 1),
            "expires_on": date(2026, 12, 1),
        },
    )
    assert services.skills_on(coop, date(2026, 11, 30))[carer.pk] == {"hoist", "personal"}
    assert carer.pk not in services.skills_on(coop, date(2026, 12, 1))
    assert services.qualified_for(coop, ["hoist"], date(2026, 11, 30)) == [carer.pk]
    assert services.qualified_for(coop, ["hoist", "meds"], date(2026, 11, 30)) == []


def test_expiring_soon_unless_renewed(coop, carer):
    fields = {"name": "First aid", "skills": "first_aid", "obtained_on": date(2024, 1, 1)}
    services.add_qualification(coop, carer, fields | {"expires_on": date(2026, 12, 20)})
    assert [q.name for q in services.expiring(coop, date(2026, 11, 22))] == ["First aid"]
    services.add_qualification(
        coop, carer, fields | {"obtained_on": date(2026, 11, 10), "expires_on": date(2029, 11, 10)}
    )
    assert services.expiring(coop, date(2026, 11, 22)) == []


def test_a_qualification_with_no_skill_is_refused(coop, carer):
    with pytest.raises(ValidationError, match="at least one skill"):
        services.add_qualification(
            coop, carer, {"name": "Course", "skills": " , ", "obtained_on": date(2026, 1, 1)}
        )


# -- timesheets -----------------------------------------------------------------------------


def test_a_timesheet_holds_visits_travel_between_them_and_waiting(coop, carer, people):
    near, far = people
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, far, TUESDAY, 9.5, 10.5)
    worked(carer, near, TUESDAY, 14, 15)  # after a long gap: a break, the carer's own time
    built = timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    assert built.built == 1
    sheet = Timesheet.objects.get(carer=carer, day=TUESDAY)
    kinds = [entry.kind for entry in sheet.entries.all()]
    assert kinds == ["visit", "travel", "waiting", "visit", "travel", "break", "visit"]
    travel, waiting = sheet.entries.all()[1], sheet.entries.all()[2]
    assert 4 <= travel.minutes <= 8 and travel.km > Decimal("2")
    assert travel.minutes + waiting.minutes == 30
    figures = timesheets.summary(sheet.entries.all())
    assert figures["minutes"]["visit"] == 180
    assert figures["span"] == 7 * 60


def test_rebuilding_keeps_approved_and_corrected_timesheets(coop, carer, coordinator, people):
    near = people[0]
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, near, TUESDAY + timedelta(days=1), 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY + timedelta(days=1))
    first, second = Timesheet.objects.order_by("day")
    entry = first.entries.get()
    timesheets.correct_entry(
        entry,
        local(TUESDAY, 7.75),
        local(TUESDAY, 9),
        "Started early: the person had a fall",
        coordinator,
    )
    timesheets.approve(coop, [second], coordinator)
    assert timesheets.build_timesheets(coop, TUESDAY, TUESDAY + timedelta(days=1)).kept == 2
    entry.refresh_from_db()
    assert entry.minutes == 75 and entry.original_starts_at == local(TUESDAY, 8)
    assert entry.corrected_by == coordinator


def test_an_approved_timesheet_cannot_be_corrected(coop, carer, coordinator, people):
    worked(carer, people[0], TUESDAY, 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    sheet = Timesheet.objects.get()
    entry = sheet.entries.get()
    with pytest.raises(ValidationError, match="Say why"):
        timesheets.correct_entry(entry, local(TUESDAY, 8), local(TUESDAY, 10), " ", coordinator)
    timesheets.approve(coop, [sheet], coordinator)
    with pytest.raises(ValidationError, match="approved"):
        timesheets.correct_entry(
            entry, local(TUESDAY, 8), local(TUESDAY, 10), "Longer", coordinator
        )
    entry.refresh_from_db()
    assert entry.minutes == 60 and not entry.corrected


def test_planned_visits_are_checked_against_working_time(coop, carer, people):
    near, _far = people
    # Twelve hours of visits with five minutes between them: no break after six hours (the
    # cooperative is in Italy, where ten minutes would do: D.Lgs. 66/2003 art. 8).
    for hour in range(7, 19):
        planned(carer, near, date(2026, 11, 30), hour, hour + 55 / 60)
    found = timesheets.breaches(coop, date(2026, 11, 23), date(2026, 12, 6))
    assert [b.rule for b in found[carer]] == ["break"]


# -- pay ------------------------------------------------------------------------------------


@pytest.fixture
def month(coop, carer, coordinator, people):
    """Carla's November: three days of two visits each, built and approved."""
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("12.00"), weekly_hours=Decimal(20))
    for day in (TUESDAY, TUESDAY + timedelta(days=1), date(2026, 11, 8)):  # the 8th is a Sunday
        worked(carer, near, day, 8, 9)
        worked(carer, far, day, 9.5, 10.5)
    timesheets.build_timesheets(coop, date(2026, 11, 1), date(2026, 11, 30))
    return Timesheet.objects.filter(carer=carer)


def test_a_pay_run_is_refused_over_unapproved_time_and_writes_nothing(coop, coordinator, month):
    with pytest.raises(ValidationError, match="3 timesheets in the period are not approved"):
        pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    assert not PayRun.objects.exists()


def test_a_pay_run_is_refused_for_days_with_no_contract(coop, carer, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    Contract.objects.update(starts_on=date(2026, 11, 5))
    with pytest.raises(ValidationError, match="No contract covers"):
        pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    assert not PayRun.objects.exists()


def test_pay_counts_visits_travel_waiting_and_the_sunday_premium(coop, carer, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    run = pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    slip = run.payslips.get()
    # Each day: 8:00-10:30 all paid (visits, travel, waiting at 100 %): 2.5 h at 12.00 = 30.00.
    assert slip.days == 3
    assert slip.paid_minutes == 3 * 150 and slip.span_minutes == 3 * 150
    assert slip.basic_pay == Decimal("90.00")
    # Sunday the 8th: the weekend premium (15 %) on 2.5 h: 4.50.
    assert slip.premium_minutes == 150 and slip.premium_pay == Decimal("4.50")
    assert slip.gross_pay == Decimal("94.50")
    assert slip.true_hourly_pay == Decimal("12.60")  # 94.50 over 7.5 h from first to last visit
    assert not slip.below_minimum
    assert slip.contracted_hours == Decimal("42.86")  # 20 h a week over 15 days
    assert slip.mileage == (slip.km * Decimal("0.3")).quantize(Decimal("0.01"))

    rows = pay.payroll_csv(run).splitlines()
    assert rows[0].split(",")[:3] == ["username", "name", "period_start"]
    assert rows[1].startswith("carla,Carla Rossi,2026-11-01,2026-11-15,3,6.00,")
    with pytest.raises(ValidationError, match="already run"):
        pay.run_pay(coop, date(2026, 11, 10), date(2026, 11, 20), coordinator)


def test_true_hourly_pay_below_the_minimum_is_flagged(coop, carer, coordinator, people):
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("9.50"))
    worked(carer, near, TUESDAY, 7, 8)
    worked(carer, far, TUESDAY, 12, 13)  # five hours from first to last, two of them paid
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    slip = pay.run_pay(coop, TUESDAY, TUESDAY, coordinator).payslips.get()
    assert slip.true_hourly_pay < slip.minimum_wage and slip.below_minimum


def test_new_pay_rules_cannot_change_a_period_already_paid(coop, coordinator, month):
    timesheets.approve(coop, month, coordinator)
    pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator)
    with pytest.raises(ValidationError, match="already run"):
        pay.adopt_pay_rules(coop, {"effective_from": date(2026, 11, 10)}, coordinator)
    adopted = pay.adopt_pay_rules(
        coop, {"effective_from": date(2026, 11, 16), "base_rate": Decimal("11.00")}, coordinator
    )
    assert services.pay_rules_on(coop, date(2026, 11, 20)) == adopted
    assert services.pay_rules_on(coop, date(2026, 11, 15)).pk is None  # the defaults


# -- surplus --------------------------------------------------------------------------------


def year(**fields):
    return {
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "surplus": Decimal("10000.00"),
        "reserve_percent": Decimal(30),
        "mutual_fund_percent": Decimal(3),
        "refund_percent": Decimal(100),
    } | fields


@pytest.fixture
def worker_members(coop, carer, coordinator, people):
    workers = factories.StakeholderClassFactory(cooperative=coop, kind=StakeholderKind.WORKER)
    other = factories.user_with_role(coop, Role.CARER, username="other")
    factories.admitted_member(workers, user=carer, on=date(2026, 1, 10))
    # Joined on the 4th: their hours of the 3rd are not a member's hours.
    factories.admitted_member(workers, user=other, on=date(2026, 11, 4))
    for who, hour in ((carer, 8), (other, 11)):
        worked(who, people[0], TUESDAY, hour, hour + 2)
        worked(who, people[1], TUESDAY + timedelta(days=1), hour, hour + 1)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY + timedelta(days=1))
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    return carer, other


def test_a_loss_is_not_distributed(coop, coordinator, worker_members):
    with pytest.raises(ValidationError, match="Only a surplus is shared out"):
        surplus.allocate_surplus(coop, year(surplus=Decimal("-500.00")), coordinator)
    assert not SurplusAllocation.objects.exists()


def test_refunds_follow_member_hours_and_reconcile_to_the_cent(coop, coordinator, worker_members):
    carer, other = worker_members
    allocation = surplus.allocate_surplus(coop, year(surplus=Decimal("1000.01")), coordinator)
    assert allocation.reserve == Decimal("300.00") and allocation.mutual_fund == Decimal("30.00")
    assert allocation.refunds == Decimal("670.01")
    refunds = {r.member.user: r for r in allocation.refunds_to.all()}
    assert refunds[carer].hours == Decimal("3.00") and refunds[other].hours == Decimal("1.00")
    assert refunds[carer].amount == Decimal("502.51") and refunds[other].amount == Decimal("167.50")
    assert sum(r.amount for r in refunds.values()) == allocation.refunds
    total = (
        allocation.reserve + allocation.mutual_fund + allocation.refunds + allocation.other_reserves
    )
    assert total == allocation.surplus
    with pytest.raises(ValidationError, match="already shared out"):
        surplus.allocate_surplus(coop, year(), coordinator)


def test_unapproved_hours_do_not_count(coop, coordinator, worker_members):
    Timesheet.objects.update(status=TimesheetStatus.DRAFT)
    with pytest.raises(ValidationError, match="No worker member has approved hours"):
        surplus.allocate_surplus(coop, year(), coordinator)
