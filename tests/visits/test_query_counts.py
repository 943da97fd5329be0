"""The carer's pages and the check-in API ask the database a fixed number of times, however
many visits the carer has that day or the person has had (no query per visit: the "today" page
and check-in are the busiest requests, DESIGN.md performance targets).

Each test measures a small day and a larger one, and both take exactly the queries counted
here: one more is one more for each of 50 phones at once (issue 27), so a change that adds
one changes the count here, on purpose, or fails.
"""

from datetime import date, time, timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care
from coopcare.care.models import ConsentKind, Verification
from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.zones import on_cooperative_clock
from tests import factories

TODAY_PAGE_QUERIES = 18  # for 2 visits and for 10, each with a handover note shown
CHECK_IN_QUERIES = 17  # for 2 visits and for 10
# A resend of the same client id (a phone whose answer was lost): the record is found and
# answered with the visit, person and carer already read.
CHECK_IN_AGAIN_QUERIES = 11


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")


def carers_day(coop, carer, day: date, visits: int):
    """``visits`` visits of ``carer`` on ``day``, each to another person, the way a day is by
    the afternoon: the first half checked in and out (through the check-in service), one
    checked in, the rest to come; each person had a visit the day before by another carer,
    who left a handover note, and every other person chose location verification (with
    consent)."""
    planned = []
    before_them = factories.user_with_role(coop, Role.CARER)
    for n in range(visits):
        person = factories.person_cared_for(coop, full_name=f"Person {n}")
        if n % 2:
            care.give_consent(person, ConsentKind.LOCATION, "the person", date(2026, 1, 1))
            care.choose_verification(person, Verification.LOCATION)
        at = time(7 + n, 0)
        factories.care_plan(
            person, valid_from=day - timedelta(days=1), start_time=at, steps="Wash\nDress"
        )
        before = factories.visit(person, [before_them], day=day - timedelta(days=1))
        factories.recorded_visit(before, before_them, handover=f"Note for {person.full_name}")
        planned.append(factories.visit(person, [carer], day=day))
    for visit in planned[: visits // 2]:
        factories.recorded_visit(visit, carer)
    in_progress = planned[visits // 2]
    services.check_in(
        in_progress,
        carer,
        client_id=uuid4(),
        at=in_progress.starts_at,
        now=in_progress.starts_at + timedelta(minutes=1),
    )
    return planned


def count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 201), response.content[:500]
    return len(queries)


def test_the_today_page_takes_the_same_queries_for_2_visits_as_for_10(
    client, coop, carer, django_assert_num_queries
):
    # Days gone by: every visit can be checked in and out, and the handover notes of the day
    # before fall within the week the page looks back. Both days are over 24 hours ago at any
    # time of day, so that neither shows what a carer must know at the door (only shown within
    # 24 hours of a visit) and the two pages read the same things.
    today = on_cooperative_clock(timezone.now(), coop).date()
    small, large = today - timedelta(days=5), today - timedelta(days=2)
    carers_day(coop, carer, small, 2)
    carers_day(coop, carer, large, 10)
    factories.log_in(client, carer)

    def page(day):
        return client.get(f"/c/{coop.slug}/today/?day={day}")

    page(small)  # the first request of a session does a little more
    on_small = count(lambda: page(small))
    assert on_small == TODAY_PAGE_QUERIES
    with django_assert_num_queries(TODAY_PAGE_QUERIES):
        response = page(large)
    assert response.content.decode().count("Note for Person") == 10


def api_check_in(client, raw: str, visit, client_id=None):
    return client.post(
        f"/api/cooperatives/{visit.cooperative.slug}/visits/{visit.pk}/check-in",
        {"client_id": str(client_id or uuid4()), "at": timezone.now().isoformat()},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def day_with_history(coop, carer, visits: int, days_before: int):
    """``visits`` visits of ``carer`` today, each to another person; the first began half an
    hour ago. Each person had a visit on each of the ``days_before`` days before, done by the
    same carer (recorded through the check-in service). Returns the first visit."""
    # On the cooperative's clock, as the today page reads it (the server's may be a day off).
    began = on_cooperative_clock(timezone.now(), coop) - timedelta(minutes=30)
    day = began.date()
    first = None
    for n in range(visits):
        person = factories.person_cared_for(coop)
        at = began.time().replace(second=0, microsecond=0) if n == 0 else time(6 + n, 15)
        factories.care_plan(person, valid_from=day - timedelta(days=days_before), start_time=at)
        for back in range(1, days_before + 1):
            earlier = factories.visit(person, [carer], day=day - timedelta(days=back))
            factories.recorded_visit(earlier, carer, notes="All well")
        today = factories.visit(person, [carer], day=day)
        first = first or today
    return first


def test_a_check_in_through_the_api_takes_the_same_queries_for_2_visits_as_for_10(
    client, coop, carer, django_assert_num_queries
):
    """A check-in on a day of 2 visits, each person visited once before, and on a day of 10
    visits, each person visited on the 5 days before: the same queries."""
    other = factories.user_with_role(coop, Role.CARER, first_name="Ben", last_name="Ross")
    small = day_with_history(coop, carer, 2, 1)
    large = day_with_history(coop, other, 10, 5)
    _token, raw_small = ApiToken.issue(carer, "phone")
    _token, raw_large = ApiToken.issue(other, "phone")
    on_small = count(lambda: api_check_in(client, raw_small, small))
    assert on_small == CHECK_IN_QUERIES
    with django_assert_num_queries(CHECK_IN_QUERIES):
        response = api_check_in(client, raw_large, large)
    assert response.status_code == 201


def test_a_check_in_sent_again_reads_neither_its_person_nor_its_carer_again(
    client, coop, carer, django_assert_num_queries
):
    """The offline-tolerant resend of the same client id answers 200 with the record made
    first, in a fixed number of queries."""
    visit = day_with_history(coop, carer, 2, 1)
    _token, raw = ApiToken.issue(carer, "phone")
    client_id = uuid4()
    assert api_check_in(client, raw, visit, client_id).status_code == 201
    with django_assert_num_queries(CHECK_IN_AGAIN_QUERIES) as queries:
        response = api_check_in(client, raw, visit, client_id)
    assert response.status_code == 200
    assert response.json()["record"]["evv"]["person_providing"] == "Ana Pop"
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "care_personcaredfor"' not in read
    assert 'FROM "auth_user"' not in read


def test_the_day_s_visits_are_found_by_a_range_of_start_times(client, coop, carer):
    """The today page and the API's visits of a day select the day as a range of moments,
    which the index on the start finds. ``starts_at__date`` had the database work out the
    local date of every visit of the cooperative (SQLite calls Django's
    ``django_datetime_cast_date`` once a row): 0.4 s a request on the demo cooperative."""
    day = on_cooperative_clock(timezone.now(), coop).date() - timedelta(days=2)
    carers_day(coop, carer, day, 2)
    factories.log_in(client, carer)
    _token, raw = ApiToken.issue(carer, "phone")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{coop.slug}/today/?day={day}")
        api = client.get(
            f"/api/cooperatives/{coop.slug}/visits?day={day}", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
    assert page.status_code == api.status_code == 200
    assert page.content.decode().count("Person ") >= 2
    assert len(api.json()) == 2
    assert not [q["sql"] for q in queries if "django_datetime_cast_date" in q["sql"]]


def test_a_session_s_later_pages_read_neither_the_language_nor_the_cooperatives_again(
    client, coop, carer
):
    """The language the carer chose and whether they have another cooperative to switch to
    are remembered in the session (``pages.remembered``): only the first page reads them."""
    day = on_cooperative_clock(timezone.now(), coop).date() - timedelta(days=2)
    carers_day(coop, carer, day, 2)
    factories.log_in(client, carer)
    read = ("accounts_profile", "cooperatives_federationanalyst")

    def tables_read():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/c/{coop.slug}/today/?day={day}").status_code == 200
        return {table for table in read for q in queries if f'FROM "{table}"' in q["sql"]}

    assert tables_read() == set(read)
    assert tables_read() == set()


def test_a_token_s_last_use_is_written_once_a_minute_at_most(client, coop, carer):
    token, raw = ApiToken.issue(carer, "phone")

    def writes():
        with CaptureQueriesContext(connection) as queries:
            day = client.get(
                f"/api/cooperatives/{coop.slug}/visits", HTTP_AUTHORIZATION=f"Bearer {raw}"
            )
            assert day.status_code == 200
        return [q for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]

    assert len(writes()) == 1
    assert writes() == []
    token.refresh_from_db()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    assert len(writes()) == 1
