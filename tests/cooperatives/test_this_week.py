"""The coordinators' week at a glance, first on their dashboard and at
``GET .../this-week``: visits short of carers, carers away today, visits late to start, open
incidents, reviews due and qualifications expiring, each counted by its own app's query and
linked to the page that lists them."""

from datetime import datetime, time, timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.cooperatives.queries import this_week
from coopcare.risks import services as risks
from coopcare.rostering.services.availability import add_absence
from coopcare.visits import services as visits
from coopcare.visits.models import Visit
from coopcare.visits.services import set_carers
from coopcare.work.services.qualifications import add_qualification
from tests import factories
from tests.risks.conftest import HANDLING


def _week(coop, day):
    """From ``day`` (a day to come): a person visited daily at 09:00 for 45 minutes from
    ``day`` on, one of the eight visits given a carer; that carer away on ``day`` and the
    next; a past visit's incident still open; a risk review due 3 days after ``day``; a
    certificate expiring 10 days after it. Returns the visits and the carer."""
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    carer = factories.user_with_role(coop, Role.CARER, first_name="Giulia")
    person = factories.person_cared_for(coop, full_name="Teresa Neri")
    factories.care_plan(person, valid_from=day)
    visits.generate_visits(person, day, day + timedelta(days=7))
    planned = list(person.visits.order_by("starts_at"))
    set_carers(planned[2], [carer])
    add_absence(coop, carer, {"kind": "leave", "first_day": day, "last_day": day + timedelta(1)})
    earlier = factories.visit(factories.person_cared_for(coop), [carer])
    visits.report_incident(
        earlier,
        carer,
        occurred_at=earlier.starts_at,
        kind="fall",
        severity="low",
        description="Slipped, unhurt",
    )
    risks.assess(
        person,
        kind="moving_handling",
        scale="handling_tile",
        answers=HANDLING,
        carers_needed=1,
        assessed_on=timezone.localdate(),
        by=coordinator,
        next_review_on=day + timedelta(days=3),
    )
    add_qualification(
        coop,
        carer,
        {
            "name": "First aid",
            "skills": "first aid",
            "obtained_on": timezone.localdate() - timedelta(days=700),
            "expires_on": day + timedelta(days=10),
        },
    )
    return planned, carer, coordinator


def test_a_monday_morning_at_twenty_past_nine(coop):
    # The first visit (09:00) has nobody checked in 20 minutes on: late. Of the next seven
    # days' visits (the 2nd to the 8th), one has its carer: six are short.
    monday = timezone.localdate() + timedelta(days=7)
    planned, carer, _coordinator = _week(coop, monday)
    now = timezone.make_aware(datetime.combine(monday, time(9, 20)))
    week = this_week(coop, now)
    assert week.late_to_start == 1
    assert week.short_of_carers == 6 and week.short_of_carers_days == 7
    assert week.carers_away == 1
    assert week.open_incidents == 1
    assert week.reviews_due == 1
    assert week.qualifications_expiring == 1
    # At ten past nine the first visit is within its quarter of an hour, and still to come
    # for nobody: neither late nor short.
    early = this_week(coop, now - timedelta(minutes=10))
    assert early.late_to_start == 0 and early.short_of_carers == 6
    # Checked in, it is no longer late.
    set_carers(planned[0], [carer])
    visits.check_in(planned[0], carer, client_id=uuid4(), at=now, now=now)
    assert this_week(coop, now).late_to_start == 0


def test_another_cooperatives_week_counts_nothing_here(coop):
    monday = timezone.localdate() + timedelta(days=7)
    _week(factories.CooperativeFactory(), monday)
    week = this_week(coop, timezone.make_aware(datetime.combine(monday, time(9, 20))))
    assert (
        week.late_to_start,
        week.short_of_carers,
        week.carers_away,
        week.open_incidents,
        week.reviews_due,
        week.qualifications_expiring,
    ) == (0, 0, 0, 0, 0, 0)


@pytest.fixture
def today_week(coop):
    """The week from today, its first visit moved to have started half an hour ago."""
    planned, carer, coordinator = _week(coop, timezone.localdate())
    now = timezone.now()
    Visit.objects.filter(pk=planned[0].pk).update(
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=30)
    )
    return planned, carer, coordinator


def test_the_coordinator_sees_the_week_first_each_count_linked_to_its_list(
    client, coop, today_week
):
    _planned, _carer, coordinator = today_week
    factories.log_in(client, coordinator)
    response = client.get(f"/c/{coop.slug}/")
    page = response.content.decode()
    week = response.context["this_week"]
    assert (week.late_to_start, week.carers_away, week.open_incidents) == (1, 1, 1)
    assert (week.reviews_due, week.qualifications_expiring) == (1, 1)
    # Today's 09:00 visit was moved to now; of the seven days after today, one has a carer
    # and the last may fall beyond the seven days' end by a few minutes, hence 5 or 6.
    assert week.short_of_carers in (5, 6)
    assert page.index("To handle this week") < page.index("The cooperative")
    for name in (
        "rostering:board",
        "rostering:availability",
        "visits:late",
        "visits:follow_up",
        "risks:due",
        "work:overview",
    ):
        assert f'href="{reverse(name, args=[coop.slug])}"' in page
    assert "Teresa Neri" not in page  # counts only: the names are on the linked pages
    # Each list has what its count counted.
    assert len(client.get(reverse("risks:due", args=[coop.slug])).context["rows"]) == 1
    overview = client.get(reverse("work:overview", args=[coop.slug]))
    assert len(overview.context["expiring"]) == 1
    late = client.get(reverse("visits:late", args=[coop.slug]))
    assert [v.person.full_name for v in late.context["visits"]] == ["Teresa Neri"]


def test_others_do_not_get_the_week(client, coop, today_week):
    _planned, carer, _coordinator = today_week
    factories.log_in(client, carer)
    assert "this_week" not in client.get(f"/c/{coop.slug}/").context
    board = factories.user_with_role(coop, Role.BOARD)
    factories.log_in(client, board)
    assert "To handle this week" not in client.get(f"/c/{coop.slug}/").content.decode()


def test_the_dashboard_asks_the_same_number_of_queries_however_much_there_is(
    client, coop, django_assert_num_queries
):
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    factories.log_in(client, coordinator)
    _week(coop, timezone.localdate() + timedelta(days=1))
    client.get(f"/c/{coop.slug}/")  # the session and caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(f"/c/{coop.slug}/")
    for _ in range(3):
        _week(coop, timezone.localdate() + timedelta(days=1))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/c/{coop.slug}/")


def test_the_api_gives_the_week_to_coordinators_only(client, coop, today_week):
    _planned, carer, coordinator = today_week
    _token, raw = ApiToken.issue(coordinator, "test")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/this-week", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["late_to_start"] == 1 and body["open_incidents"] == 1
    assert body["carers_away"] == 1 and body["short_of_carers_days"] == 7
    _token, raw = ApiToken.issue(carer, "test")
    refused = client.get(
        f"/api/cooperatives/{coop.slug}/this-week", headers={"Authorization": f"Bearer {raw}"}
    )
    assert refused.status_code == 403 and "code" in refused.json()
