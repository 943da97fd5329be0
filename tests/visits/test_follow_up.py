"""The coordinator's list of visits to verify: filtered, paged, and confirmed by phone several
at a time."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import VisitRecord
from tests import factories

PAGE = "/c/cura/visits/follow-up/"
MANY = "/c/cura/records/confirm/"


@pytest.fixture
def carers(coop):
    return [
        factories.user_with_role(coop, Role.CARER, first_name=name, last_name="Test")
        for name in ("Ana", "Ben")
    ]


def records(coop, carer, count, days_ago=2):
    """``count`` visits of ``carer`` done ``days_ago``, each to its own person, hourly from
    7:00, none verified yet (the people chose a phone call)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    done = []
    for n in range(count):
        person = factories.person_cared_for(coop, full_name=f"{carer.first_name} person {n}")
        planned = factories.visit(person, [carer], day=day, start_time=time(7 + n % 15, 0))
        done.append(factories.recorded_visit(planned, carer))
    return done


@pytest.fixture
def coordinator_client(client, coordinator):
    return factories.log_in(client, coordinator)


def test_ticked_visits_are_verified_by_phone_together(coop, carers, coordinator_client):
    first, second, left = records(coop, carers[0], 3)
    response = coordinator_client.post(MANY, {"records": [first.pk, second.pk]}, follow=True)
    assert "2 visits verified by phone." in response.content.decode()
    verified = VisitRecord.objects.filter(verified_how="phone")
    assert set(verified) == {first, second}
    assert list(response.context["unverified"]) == [left]


def test_one_visit_that_cannot_be_confirmed_stops_them_all_and_is_named(
    coop, carers, coordinator, coordinator_client
):
    first, second = records(coop, carers[0], 2)
    services.confirm_by_phone(second, coordinator)
    response = coordinator_client.post(MANY, {"records": [first.pk, second.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{second.person.full_name}: This visit is already verified." in body
    assert first.person.full_name + ":" not in body
    first.refresh_from_db()
    assert first.verified_how == ""  # nothing saved
    # The choice stays ticked, to untick the one named and confirm the rest.
    assert f'value="{first.pk}" id="record-{first.pk}" checked' in body


def test_confirming_none_or_another_cooperatives_visit_is_refused(coop, carers, coordinator_client):
    assert coordinator_client.post(MANY, {}).status_code == 400
    other = factories.CooperativeFactory(slug="other")
    theirs = records(other, factories.user_with_role(other, Role.CARER, first_name="Zed"), 1)[0]
    refused = coordinator_client.post(MANY, {"records": [theirs.pk]})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    theirs.refresh_from_db()
    assert theirs.verified_how == ""


def test_the_list_is_filtered_by_carer_and_day(coop, carers, coordinator_client):
    ana, ben = carers
    anas = records(coop, ana, 2)
    bens = records(coop, ben, 1)
    earlier = records(coop, ben, 1, days_ago=4)
    page = coordinator_client.get(PAGE, {"carer": ana.pk})
    assert list(page.context["unverified"]) == anas
    day = timezone.localdate() - timedelta(days=4)
    page = coordinator_client.get(PAGE, {"carer": ben.pk, "day": day.isoformat()})
    assert list(page.context["unverified"]) == earlier
    page = coordinator_client.get(PAGE, {"carer": ben.pk})
    assert list(page.context["unverified"]) == earlier + bens
    # A bad filter is shown on its form and narrows nothing.
    page = coordinator_client.get(PAGE, {"day": "9999-99-99"})
    assert page.status_code == 200 and page.context["verify_filters"].errors
    assert len(page.context["unverified"]) == 4


def test_the_list_is_paged_in_the_same_number_of_queries_however_long(
    coop, carers, coordinator_client
):
    records(coop, carers[0], 3)

    def queries_of(address):
        with CaptureQueriesContext(connection) as done:
            assert coordinator_client.get(address).status_code == 200
        return len(done)

    queries_of(PAGE)  # the session's first page also reads what the session then remembers
    few = queries_of(PAGE)
    records(coop, carers[1], 30, days_ago=3)
    assert queries_of(PAGE) == few
    first = coordinator_client.get(PAGE)
    assert len(first.context["unverified"]) == 25
    assert first.context["unverified_page"].paginator.count == 33
    body = first.content.decode()
    assert body.count('name="records"') == 25 and "page=2" in body
    second = coordinator_client.get(PAGE, {"page": 2, "carer": carers[1].pk})
    assert len(second.context["unverified"]) == 5
    assert f"carer={carers[1].pk}&amp;page=1" in second.content.decode()


def test_every_other_list_of_the_page_is_paged_on_its_own(coop, carers, coordinator_client):
    """A busy fortnight: 27 past visits nobody recorded fill two pages of their list, whose
    links keep the page of the visits to verify."""
    day = timezone.localdate() - timedelta(days=2)
    for n in range(27):
        person = factories.person_cared_for(coop, full_name=f"Unrecorded {n}")
        factories.visit(person, [carers[0]], day=day, start_time=time(7 + n % 15, 0))
    first = coordinator_client.get(PAGE)
    assert len(first.context["unrecorded"]) == 25
    assert first.context["unrecorded_page"].paginator.count == 27
    assert 'href="?unrecorded_page=2#unrecorded"' in first.content.decode()
    second = coordinator_client.get(PAGE, {"unrecorded_page": 2, "page": 1})
    assert len(second.context["unrecorded"]) == 2
    assert 'href="?page=1&amp;unrecorded_page=1#unrecorded"' in second.content.decode()
    # The lists with a single page show no page links.
    assert "incidents_page=" not in second.content.decode()
