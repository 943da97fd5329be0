"""A year's surplus is shared out: reserve, mutual fund and patronage refunds by hours."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work.models import (
    SurplusAllocation,
    Timesheet,
    TimesheetStatus,
)
from coopcare.work.services import surplus, timesheets
from tests import factories
from tests.work.conftest import worked

TUESDAY = date(2026, 11, 3)


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
