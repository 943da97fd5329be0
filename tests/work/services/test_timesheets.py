from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.rostering.models import Absence, AbsenceKind
from coopcare.work import pay, services, surplus, timesheets
from coopcare.work.models import (
    CarerHome,
    Contract,
    ContractKind,
    PayRun,
    Payslip,
    SurplusAllocation,
    Timesheet,
    TimesheetStatus,
)
from tests import factories
from tests.work.conftest import contract, home, local, planned, worked

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
    with pytest.raises(ValidationError, match="overlaps the permanent contract") as refused:
        contract(coop, carer, starts_on=date(2026, 6, 1), weekly_hours=Decimal(36))
    assert refused.value.code == "contract_overlaps"
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


def test_a_contract_ends_on_a_day_from_its_start_and_not_after_it_ended(coop, carer):
    current = contract(coop, carer, starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.end_contract(current, date(2025, 12, 31))
    assert refused.value.code == "contract_ends_before_start"
    services.end_contract(current, date(2026, 6, 30))
    current.refresh_from_db()
    assert current.ends_on == date(2026, 6, 30)
    with pytest.raises(ValidationError) as refused:
        services.end_contract(current, date(2026, 7, 31))
    assert refused.value.code == "contract_already_ended"
    # Ending it earlier than it ended is a correction, and allowed.
    services.end_contract(current, date(2026, 5, 31))
    current.refresh_from_db()
    assert current.ends_on == date(2026, 5, 31)


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


# -- the nights the clocks change ------------------------------------------------------------
# Directive 2000/84/EC art. 2 and 3: summer time ends at 1:00 UTC on the last Sunday of
# October and begins at 1:00 UTC on the last Sunday of March. In Rome a night from 22:00 to
# 06:00 lasts 9 hours on 24-25 October 2026 and 7 hours on 28-29 March 2026.


def night_paid(coop, carer, coordinator, people, evening: date) -> Payslip:
    contract(coop, carer, hourly_rate=Decimal("10.00"))
    worked(carer, people[0], evening, 22, 30)  # 22:00 to 06:00 the next morning
    timesheets.build_timesheets(coop, evening, evening)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    return pay.run_pay(coop, evening, evening, coordinator).payslips.get()


def test_the_night_the_clocks_go_back_is_paid_nine_hours(coop, carer, coordinator, people):
    # Working time is "any period during which the worker is working" (Directive 2003/88/EC
    # art. 2(1)): 9 hours at 10.00, and 15 % (Saturday night, unsocial hours) on all of them.
    slip = night_paid(coop, carer, coordinator, people, date(2026, 10, 24))
    assert slip.visit_minutes == 9 * 60 and slip.premium_minutes == 9 * 60
    assert slip.basic_pay == Decimal("90.00") and slip.premium_pay == Decimal("13.50")


def test_the_night_the_clocks_go_forward_is_paid_seven_hours(coop, carer, coordinator, people):
    slip = night_paid(coop, carer, coordinator, people, date(2026, 3, 28))
    assert slip.visit_minutes == 7 * 60
    assert slip.basic_pay == Decimal("70.00") and slip.premium_pay == Decimal("10.50")


def test_night_work_is_checked_in_real_hours_on_change_nights(coop, carer, people):
    # Art. 8(a): a night worker works at most 8 hours in 24. The autumn night of 22:00-06:00
    # is 9 hours; the spring night of 22:00-07:00 is 8 hours, whatever the clock says.
    worked(carer, people[0], date(2026, 10, 24), 22, 30)
    worked(carer, people[0], date(2026, 3, 28), 22, 31)
    timesheets.build_timesheets(coop, date(2026, 3, 28), date(2026, 10, 24))
    autumn = timesheets.breaches(coop, date(2026, 10, 19), date(2026, 10, 25))[carer]
    assert "night" in [b.rule for b in autumn]
    spring = timesheets.breaches(coop, date(2026, 3, 23), date(2026, 3, 29)).get(carer, [])
    assert "night" not in [b.rule for b in spring]


def test_planned_night_visits_are_checked_in_real_hours(coop, carer, people):
    planned(carer, people[0], date(2026, 10, 24), 22, 30)
    found = timesheets.breaches(coop, date(2026, 10, 19), date(2026, 10, 25))[carer]
    assert "night" in [b.rule for b in found]


# -- average week: leave and sickness are neutral ---------------------------------------------


def busy_fortnight(carer, person, first: date, third: date):
    """Six ten-hour days (60 h) in the week of ``first``, five (50 h) in that of ``third``."""
    for day, count in ((first, 6), (third, 5)):
        for n in range(count):
            planned(carer, person, day + timedelta(days=n), 8, 13)
            planned(carer, person, day + timedelta(days=n), 14, 19)


@pytest.mark.parametrize("kind", [AbsenceKind.LEAVE, AbsenceKind.SICKNESS])
def test_leave_and_sickness_are_neutral_in_the_average_week(coop, carer, people, kind):
    # Art. 16(b): "periods of paid annual leave ... and periods of sick leave shall not be
    # included or shall be neutral in the calculation of the average". 60 h, a week away,
    # 50 h: the third week averages 55 h over the two weeks worked.
    busy_fortnight(carer, people[0], date(2026, 11, 2), date(2026, 11, 16))
    Absence.objects.create(
        cooperative=coop,
        carer=carer,
        kind=kind,
        first_day=date(2026, 11, 9),
        last_day=date(2026, 11, 15),
    )
    found = timesheets.breaches(coop, date(2026, 11, 16), date(2026, 11, 22))[carer]
    average = [b for b in found if b.rule == "average_week"]
    assert len(average) == 1 and "55.0 h" in average[0].detail


def test_other_days_away_count_as_days_without_work(coop, carer, people):
    # Training is not among the periods art. 16(b) makes neutral: (60 + 0 + 50) / 3 = 36.7 h.
    busy_fortnight(carer, people[0], date(2026, 11, 2), date(2026, 11, 16))
    Absence.objects.create(
        cooperative=coop,
        carer=carer,
        kind=AbsenceKind.TRAINING,
        first_day=date(2026, 11, 9),
        last_day=date(2026, 11, 15),
    )
    found = timesheets.breaches(coop, date(2026, 11, 16), date(2026, 11, 22)).get(carer, [])
    assert "average_week" not in [b.rule for b in found]


# -- weekly rest ----------------------------------------------------------------------------


def test_the_cooperatives_rules_take_the_countrys_weekly_rest_period(coop, carer, people):
    # D.Lgs. 66/2003 art. 9(1): in Italy the weekly rest is averaged over 14 days. Twelve
    # mornings from Monday 2 November, then Saturday and Sunday off: lawful in Italy.
    assert services.work_rules_of(coop).weekly_rest_reference_days == 14
    for n in range(12):
        planned(carer, people[0], date(2026, 11, 2) + timedelta(days=n), 8, 13)
    planned(carer, people[0], date(2026, 11, 16), 8, 13)
    assert timesheets.breaches(coop, date(2026, 11, 2), date(2026, 11, 22)) == {}
    # Where the board keeps the Directive's 7 days, the week of 2-8 November had no rest.
    rules = services.work_rules_of(coop)
    rules.weekly_rest_reference_days = 7
    rules.save()
    found = timesheets.breaches(coop, date(2026, 11, 2), date(2026, 11, 22))[carer]
    assert [b.rule for b in found] == ["weekly_rest"]


# -- travel from and to home (CJEU C-266/14 Tyco) -------------------------------------------


def test_journeys_from_home_and_back_are_working_time_and_paid(coop, carer, coordinator, people):
    # C-266/14 Tyco, ruling: for workers with no fixed or habitual place of work, "the time
    # spent by those workers travelling each day between their homes and the premises of the
    # first and last customers designated by their employer constitutes 'working time'".
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("12.00"))
    home(coop, carer)
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, far, TUESDAY, 9.5, 10.5)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    entries = list(Timesheet.objects.get(carer=carer).entries.all())
    assert [e.kind for e in entries] == ["travel", "visit", "travel", "waiting", "visit", "travel"]
    to_first, back = entries[0], entries[-1]
    # Estimated as travel between homes is: straight line x 1.3 at 25 km/h by car.
    assert to_first.ends_at == local(TUESDAY, 8) and 1 <= to_first.minutes <= 6
    assert back.starts_at == local(TUESDAY, 10.5) and back.minutes > to_first.minutes
    assert to_first.km > 0 and back.km > to_first.km
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    slip = pay.run_pay(coop, TUESDAY, TUESDAY, coordinator).payslips.get()
    travel = sum(e.minutes for e in entries if e.kind == "travel")
    assert slip.travel_minutes == travel
    paid = slip.visit_minutes + slip.travel_minutes + slip.waiting_minutes
    assert slip.basic_pay == (Decimal(paid) / 60 * Decimal("12.00")).quantize(Decimal("0.01"))
    assert slip.km == sum(e.km for e in entries)
    # The journeys count as working time in the checks too.
    intervals = timesheets.worked_intervals(coop, carer, TUESDAY, TUESDAY)
    assert min(a for a, _b in intervals) == to_first.starts_at


def test_without_a_home_place_the_day_starts_at_the_first_visit(coop, carer, people):
    worked(carer, people[0], TUESDAY, 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    assert [e.kind for e in Timesheet.objects.get().entries.all()] == ["visit"]


def test_planned_days_count_the_journeys_from_and_to_home(coop, carer, people):
    home(coop, carer)
    visit = planned(carer, people[0], date(2026, 11, 30), 8, 9)
    intervals = timesheets.worked_intervals(coop, carer, date(2026, 11, 30), date(2026, 11, 30))
    assert len(intervals) == 3
    assert min(a for a, _b in intervals) < visit.starts_at
    assert max(b for _a, b in intervals) > visit.ends_at


def test_only_the_cooperatives_workers_give_a_home_place_and_they_can_take_it_back(coop, carer):
    with pytest.raises(ValidationError, match="does not work for this cooperative"):
        home(coop, factories.UserFactory())
    with pytest.raises(ValidationError):
        home(coop, carer, latitude="95")
    home(coop, carer)
    home(coop, carer, latitude="44.5000")  # a change, not a second place
    assert CarerHome.objects.get().latitude == Decimal("44.5000")
    assert services.forget_home(coop, carer)
    assert not CarerHome.objects.exists()


def test_a_gap_across_the_spring_change_is_as_long_as_it_really_was(coop, carer, people):
    # From 01:30 to 03:20 on 29 March 2026 is 50 minutes (02:00 CET became 03:00 CEST):
    # travel and then waiting (up to 60 minutes by default), not an unpaid break of 102.
    near, far = people
    night = date(2026, 3, 29)
    worked(carer, near, night, 0.5, 1.5)
    late = worked(carer, far, night, 3 + 1 / 3, 4)
    assert timezone.localtime(late.checked_in_at).strftime("%H:%M %Z") == "03:20 CEST"
    timesheets.build_timesheets(coop, night, night)
    entries = list(Timesheet.objects.get().entries.all())
    assert [e.kind for e in entries] == ["visit", "travel", "waiting", "visit"]
    assert entries[1].minutes + entries[2].minutes == 50
