"""Visits late to start: nobody checked in a quarter of an hour after the planned start, the
visit not over yet; the rule, the query, the coordinators' page and the API."""

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits import queries, rules, services
from coopcare.visits.models import Visit
from tests import factories


def test_the_rule_gives_a_quarter_of_an_hour():
    # Source: coopcare's own rule, visits/rules.py: "a quarter of an hour, the same grace as
    # a late upload". Worked example: a visit planned at 09:00 is late at 09:16 (the cutoff,
    # 09:01, is after its start) but not at 09:14 (cutoff 08:59).
    nine = datetime(2026, 11, 16, 9, 0)
    assert rules.late_start_cutoff(nine + timedelta(minutes=16)) == datetime(2026, 11, 16, 9, 1)
    assert nine < rules.late_start_cutoff(nine + timedelta(minutes=16))
    assert not nine < rules.late_start_cutoff(nine + timedelta(minutes=14))


@pytest.fixture
def planned(coop):
    """A visit on 20 November 2026 from 09:00 to 09:45, Giulia's."""
    carer = factories.user_with_role(coop, Role.CARER, first_name="Giulia")
    person = factories.person_cared_for(coop, full_name="Teresa Neri", phone="051 123456")
    return factories.visit(person, [carer])


def test_a_visit_is_late_from_a_quarter_past_until_its_end(coop, planned):
    start = planned.starts_at
    assert list(queries.late_to_start(coop, start + timedelta(minutes=20))) == [planned]
    assert not queries.late_to_start(coop, start + timedelta(minutes=10)).exists()
    assert not queries.late_to_start(coop, planned.ends_at + timedelta(minutes=1)).exists()
    assert not queries.late_to_start(
        factories.CooperativeFactory(), start + timedelta(minutes=20)
    ).exists()


def test_a_visit_checked_in_is_not_late(coop, planned):
    at = planned.starts_at + timedelta(minutes=20)
    services.check_in(planned, planned.carers.get(), client_id=uuid4(), at=at, now=at)
    assert not queries.late_to_start(coop, at).exists()


@pytest.fixture
def late_now(planned):
    """The visit moved to have started half an hour ago, for an hour."""
    now = timezone.now()
    Visit.objects.filter(pk=planned.pk).update(
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=30)
    )
    return planned


def test_the_coordinator_sees_who_to_call_and_the_read_is_logged(client, coop, late_now):
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    factories.log_in(client, coordinator)
    page = client.get(f"/c/{coop.slug}/visits/late/").content.decode()
    assert "Teresa Neri" in page and "051 123456" in page and "Giulia" in page
    assert CareRecordRead.objects.filter(user=coordinator, person=late_now.person).exists()


def test_carers_may_not_see_the_late_visits(client, coop, late_now):
    factories.log_in(client, late_now.carers.get())
    assert client.get(f"/c/{coop.slug}/visits/late/").status_code == 403


def test_the_api_lists_the_late_visits_to_coordinators(client, coop, late_now):
    _token, raw = ApiToken.issue(factories.user_with_role(coop, Role.COORDINATOR), "test")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/late-visits", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status_code == 200
    assert [v["id"] for v in answer.json()] == [late_now.pk]
    _token, raw = ApiToken.issue(late_now.carers.get(), "test")
    refused = client.get(
        f"/api/cooperatives/{coop.slug}/late-visits", headers={"Authorization": f"Bearer {raw}"}
    )
    assert refused.status_code == 403 and refused.json()["code"]
