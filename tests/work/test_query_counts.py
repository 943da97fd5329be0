"""The working-time page asks the database a bounded number of times, however many workers
the cooperative has (no query per carer): their contracts, work and days away are read once
for all of them.

Each carer has a contract and a day to come planned without a break, so each is listed with a
breach; the page of 10 carers takes as many queries as the page of 2, under a ceiling a little
above what was measured when the test was written.

The hours that share out a surplus are read the same way: one query for the timesheet entries
of all the worker members, however many they are.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from coopcare.work.models import Timesheet
from coopcare.work.queries import member_hours
from coopcare.work.services import timesheets
from tests import factories
from tests.work.conftest import contract, planned, worked

# Measured: 18 for 2 carers as for 10 (it was 25 and 49 when each carer's contract, timesheet
# entries and planned visits were read apart).
PAGE_MAX = 20

# A Tuesday of members' approved work, for the hours that share out a surplus.
MEMBERS_DAY = date(2026, 11, 3)


def with_carers(coop, carers: int) -> None:
    """``carers`` carers of ``coop``, each with a contract and a long day planned without a
    break the day after tomorrow."""
    day = timezone.localdate() + timedelta(days=2)
    for n in range(carers):
        person = factories.person_cared_for(coop)
        factories.care_plan(person, valid_from=date(2026, 1, 1))
        carer = factories.user_with_role(
            coop, Role.CARER, username=f"{coop.slug}-{n}", first_name=f"Carer{n}"
        )
        contract(coop, carer)
        for hour in range(7, 15):
            planned(carer, person, day, hour, hour + 1)


def page_queries(client, coop) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/{coop.slug}/work/working-time/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_working_time_page_takes_the_same_queries_for_2_carers_as_for_10(
    client, coop, large_coop, coordinator
):
    with_carers(coop, 2)
    with_carers(large_coop, 10)
    factories.log_in(client, coordinator)
    # The first request of a session does a little more, and so does the first look at
    # another cooperative: both pages are seen once before they are counted.
    page_queries(client, coop)
    page_queries(client, large_coop)
    on_small, small_page = page_queries(client, coop)
    on_large, large_page = page_queries(client, large_coop)
    assert all(f"Carer{n}" in small_page for n in range(2))
    assert all(f"Carer{n}" in large_page for n in range(10))
    print(f"working-time page: {on_small} queries for 2 carers, {on_large} for 10")
    assert on_large == on_small <= PAGE_MAX


def with_worker_members(coop, coordinator, members: int) -> None:
    """``members`` worker members of ``coop``, each with an approved day of two hours."""
    workers = factories.StakeholderClassFactory(cooperative=coop, kind=StakeholderKind.WORKER)
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    for n in range(members):
        carer = factories.user_with_role(coop, Role.CARER, username=f"{coop.slug}-member-{n}")
        factories.admitted_member(workers, user=carer, on=date(2026, 1, 10))
        worked(carer, person, MEMBERS_DAY, 8 + n, 8 + n + 2)
    timesheets.build_timesheets(coop, MEMBERS_DAY, MEMBERS_DAY)
    timesheets.approve(coop, Timesheet.objects.filter(cooperative=coop), coordinator)


def test_members_hours_take_the_same_queries_for_2_members_as_for_10(coop, large_coop, coordinator):
    with_worker_members(coop, coordinator, 2)
    with_worker_members(large_coop, coordinator, 10)
    counted = []
    for cooperative, members in ((coop, 2), (large_coop, 10)):
        with CaptureQueriesContext(connection) as queries:
            hours = member_hours(cooperative, date(2026, 1, 1), date(2026, 12, 31))
        assert sorted(hours.values()) == [Decimal("2.00")] * members
        counted.append(len(queries))
    assert counted[0] == counted[1]
