"""The coordinator's roster page asks the database a bounded number of times, however many
carers and visits the roster holds (no query per carer or per visit).

A draft of 2 carers and one of 10 are each made by a real roster run; the larger page may
take at most ``SLACK`` more queries than the small one (an N+1 would add one or more per
carer or visit), and both stay under a ceiling a little above what was measured when the
test was written.
"""

from datetime import date, time
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coopcare.rostering.services import runs
from tests import factories
from tests.rostering.conftest import carer_with

SLACK = 2  # more queries the larger roster may take than the small one
# Measured: 21, the same for 2 carers as for 10 and for 2 visits as for 10 (it was 29 with
# 2 carers and 85 with 10, when the working-time checks read each carer's records apart).
ROSTER_PAGE_MAX = 24


def draft_with(coop, coordinator, day, carers: int, visits: int):
    """A draft for ``day`` made by a roster run: ``carers`` carers and ``visits`` people, one
    visit each (as many at 8:00 as there are carers, as many again at 10:00, and so on), and
    one visit nobody is qualified for, left out with the reason."""
    for n in range(carers):
        carer_with(coop, f"{coop.slug}-carer-{n}")
    for n in range(visits):
        person = factories.person_cared_for(
            coop,
            full_name=f"Person {n}",
            latitude=Decimal("44.49") + Decimal(n % carers) / 1000,
            longitude=Decimal("11.34") + Decimal(n // carers) / 1000,
        )
        factories.care_plan(
            person, valid_from=date(2026, 1, 1), start_time=time(8 + 2 * (n // carers), 0)
        )
    nursing = factories.person_cared_for(coop, full_name="Needs a nurse")
    factories.care_plan(nursing, valid_from=date(2026, 1, 1), skills="nursing")
    roster = runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()
    assert roster.assignments.count() == visits
    assert roster.unplaced.count() == 1
    assert roster.assignments.values("carer").distinct().count() == carers
    return roster


def page_queries(client, roster, day) -> tuple[int, str]:
    url = f"/c/{roster.cooperative.slug}/roster/{roster.pk}/?day={day}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def measure(client, coordinator, small, large, day, django_assert_max_num_queries):
    factories.log_in(client, coordinator)
    # The first request of a session does a little more, and so does the first look at
    # another cooperative: both pages are seen once before they are counted.
    page_queries(client, small, day)
    page_queries(client, large, day)
    on_small, _page = page_queries(client, small, day)
    assert on_small <= ROSTER_PAGE_MAX
    with django_assert_max_num_queries(min(on_small + SLACK, ROSTER_PAGE_MAX)) as on_large:
        page = client.get(f"/c/{large.cooperative.slug}/roster/{large.pk}/?day={day}")
    assert "Needs a nurse" in page.content.decode()
    return on_small, len(on_large)


def test_the_roster_page_takes_the_same_queries_for_2_visits_as_for_10(
    client, coop, large_coop, coordinator, day, django_assert_max_num_queries
):
    small = draft_with(coop, coordinator, day, carers=2, visits=2)
    large = draft_with(large_coop, coordinator, day, carers=2, visits=10)
    counts = measure(client, coordinator, small, large, day, django_assert_max_num_queries)
    print("roster page: {} queries for 2 visits, {} for 10".format(*counts))


def test_the_roster_page_takes_the_same_queries_for_2_carers_as_for_10(
    client, coop, large_coop, coordinator, day, django_assert_max_num_queries
):
    small = draft_with(coop, coordinator, day, carers=2, visits=4)
    large = draft_with(large_coop, coordinator, day, carers=10, visits=20)
    counts = measure(client, coordinator, small, large, day, django_assert_max_num_queries)
    print("roster page: {} queries for 2 carers, {} for 10".format(*counts))
