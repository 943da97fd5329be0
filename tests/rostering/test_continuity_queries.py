"""The continuity page asks the database a bounded number of times, however many people and
visits the four weeks hold (no query per person or per visit): the visits, their carers, the
carers new to each person and the people are each read once.

The page of 2 people and that of 10, each visited by two carers on two days, take as many
queries, under a ceiling a little above what was measured when the test was written.
"""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.cooperatives.models import Role
from tests import factories
from tests.work.conftest import planned

# Measured: 13 for 2 people as for 10.
PAGE_MAX = 15


def with_people(coop, people: int) -> None:
    """``people`` people of ``coop``, each visited yesterday and a week before by two carers
    of their own."""
    yesterday = timezone.localdate() - timedelta(days=1)
    for n in range(people):
        person = factories.person_cared_for(coop, full_name=f"Person{n}")
        factories.care_plan(person, valid_from=yesterday - timedelta(weeks=10))
        for m in range(2):
            carer = factories.user_with_role(coop, Role.CARER, username=f"{coop.slug}-{n}-{m}")
            planned(carer, person, yesterday - timedelta(weeks=1), 8 + 2 * m, 9 + 2 * m)
            planned(carer, person, yesterday, 8 + 2 * m, 9 + 2 * m)


def page_queries(client, coop) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/{coop.slug}/roster/continuity/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_continuity_page_takes_the_same_queries_for_2_people_as_for_10(
    client, coop, large_coop, coordinator
):
    with_people(coop, 2)
    with_people(large_coop, 10)
    factories.log_in(client, coordinator)
    # The first request of a session does a little more, and so does the first look at
    # another cooperative: both pages are seen once before they are counted.
    page_queries(client, coop)
    page_queries(client, large_coop)
    on_small, small_page = page_queries(client, coop)
    on_large, large_page = page_queries(client, large_coop)
    assert all(f"Person{n}" in small_page for n in range(2))
    assert all(f"Person{n}" in large_page for n in range(10))
    print(f"continuity page: {on_small} queries for 2 people, {on_large} for 10")
    assert on_large == on_small <= PAGE_MAX
