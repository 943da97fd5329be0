"""Time credits are never paid work: a carer who is also a member giving time credits keeps
the same timesheets, pay, working-time figures and hours worked as a member."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work import queries
from coopcare.work.models import Timesheet, TimesheetEntry
from coopcare.work.services import pay, timesheets
from tests import factories
from tests.work.conftest import contract, worked

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 11, 3)


@pytest.fixture
def carer_member(coop):
    """Carla, a carer and a worker member, with two days of visits in November."""
    workers = factories.StakeholderClassFactory(
        cooperative=coop, kind=StakeholderKind.WORKER, probation_days=0
    )
    carla = factories.user_with_role(coop, Role.CARER, username="carla")
    member = factories.admitted_member(
        workers, user=carla, full_name="Carla Rossi", on=date(2026, 1, 10)
    )
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    contract(coop, carla, hourly_rate=Decimal("12.00"))
    for day in (TUESDAY, TUESDAY + timedelta(days=1)):
        worked(carla, person, day, 8, 9)
    return member


def work_figures(coop, carla, coordinator) -> dict:
    """Everything paid work reads for November, with the timesheets built and approved."""
    november = (date(2026, 11, 1), date(2026, 11, 30))
    timesheets.build_timesheets(coop, *november)
    timesheets.approve(coop, Timesheet.objects.filter(cooperative=coop), coordinator)
    return {
        "entries": sorted(
            TimesheetEntry.objects.filter(timesheet__carer=carla).values_list(
                "timesheet__day", "kind", "starts_at", "ends_at"
            )
        ),
        "breaches": queries.working_time_breaches(coop, *november),
        "member_hours": {m.pk: h for m, h in queries.member_hours(coop, *november).items()},
    }


def test_giving_time_credits_changes_no_paid_work(coop, coordinator, carer_member, anna):
    carla = carer_member.user
    before = work_figures(coop, carla, coordinator)
    assert before["member_hours"] == {carer_member.pk: Decimal("2.00")}
    # Carla drives Anna to the clinic on a day she worked and on one she did not.
    factories.time_exchange(carer_member, anna, hours=Decimal(2), done_on=TUESDAY)
    factories.time_exchange(carer_member, anna, hours=Decimal(3), done_on=date(2026, 11, 7))
    after = work_figures(coop, carla, coordinator)
    assert after == before
    slip = pay.run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator).payslips.get()
    assert slip.paid_minutes == 2 * 60 and slip.days == 2
