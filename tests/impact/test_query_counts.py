"""The social report page asks the database a bounded number of times, however many people,
visits and visit records the year holds (no query per person, visit or record); what two
indicators both read (the care invoiced, the hours budgets' periods) is read once.

The report of 2 people and that of 10, each visited and visited again this year, take as
many queries, under a ceiling a little above what was measured when the test was written.
"""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.cooperatives.models import Role
from tests import factories
from tests.work.conftest import contract, planned, worked

# Measured: 42 for 2 people as for 10.
PAGE_MAX = 45


def with_people(coop, people: int) -> None:
    """``people`` people of ``coop``, each with a visit done and one still planned this year
    by a carer of their own under contract."""
    today = timezone.localdate()
    day = max(today.replace(month=1, day=1), today - timedelta(days=1))
    for n in range(people):
        person = factories.person_cared_for(coop, full_name=f"Person{n}")
        factories.care_plan(person, valid_from=day - timedelta(days=30))
        carer = factories.user_with_role(coop, Role.CARER, username=f"{coop.slug}-{n}")
        contract(coop, carer, starts_on=day - timedelta(days=30))
        worked(carer, person, day, 8, 9)
        planned(carer, person, day, 18, 19)


def page_queries(client, coop) -> tuple[int, int]:
    """The queries of the report page, and the people cared for it counts."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/{coop.slug}/impact/report/")
    assert response.status_code == 200
    [counted] = [
        figure.value
        for section in response.context["report"].sections
        for indicator, figure in section.rows
        if indicator.key == "people_cared_for"
    ]
    return len(queries), counted


def test_the_report_takes_the_same_queries_for_2_people_as_for_10(
    client, coop, large_coop, coordinator
):
    with_people(coop, 2)
    with_people(large_coop, 10)
    factories.log_in(client, coordinator)
    # The first request of a session does a little more, and so does the first look at
    # another cooperative: both reports are seen once before they are counted.
    page_queries(client, coop)
    page_queries(client, large_coop)
    on_small, small_count = page_queries(client, coop)
    on_large, large_count = page_queries(client, large_coop)
    assert (small_count, large_count) == (2, 10)
    print(f"report page: {on_small} queries for 2 people, {on_large} for 10")
    assert on_large == on_small <= PAGE_MAX
