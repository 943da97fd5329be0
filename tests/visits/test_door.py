"""What a carer must know at the door, on the visit card of their day and in the API's day of
visits (the phone's offline copy): shown only within 24 hours of the visit, allergies first,
each person's read logged once per page, in the same queries for 2 visits as for 10."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.medication import services as medication
from tests import factories


def visits_today(coop, carer, coordinator, count: int):
    """``count`` visits of ``carer`` today, each to a person with door facts, from 06:00."""
    day = timezone.localdate()
    visits = []
    for n in range(count):
        person = factories.person_cared_for(coop, full_name=f"Person {n}")
        factories.door_facts(person, coordinator, key_safe_code=f"{n:04d}")
        medication.add_allergy(person, substance="Penicillin", by=coordinator)
        factories.care_plan(
            person,
            valid_from=day,
            start_time=(timezone.localtime().replace(hour=6, minute=n)).time(),
        )
        visits.append(factories.visit(person, [carer], day=day))
    return visits


def test_the_visit_card_shows_the_door_within_the_carers_window(client, coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER)
    [visit] = visits_today(coop, carer, coordinator, 1)
    later = timezone.localdate() + timedelta(days=3)
    factories.visit(visit.person, [carer], day=later)
    factories.log_in(client, carer)
    page = client.get(f"/c/{coop.slug}/today/").content.decode()
    assert "At the door" in page
    assert page.index("Penicillin") < page.index("do not attempt cardiopulmonary")
    assert "0000" in page and "Form on the fridge" in page and "Type 2 diabetes" in page
    assert CareRecordRead.objects.filter(user=carer, record="door").count() == 1
    # Three days ahead the carer is outside their window: the card has no door facts.
    ahead = client.get(f"/c/{coop.slug}/today/?day={later}").content.decode()
    assert "At the door" not in ahead and "0000" not in ahead
    assert CareRecordRead.objects.filter(user=carer, record="door").count() == 1


def test_the_today_page_looks_up_the_door_in_the_same_queries_for_2_visits_as_10(
    client, coop, coordinator
):
    few, many = (factories.user_with_role(coop, Role.CARER) for _ in range(2))
    visits_today(coop, few, coordinator, 2)
    visits_today(coop, many, coordinator, 10)

    def queries(carer) -> int:
        factories.log_in(client, carer)
        client.get(f"/c/{coop.slug}/today/")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/c/{coop.slug}/today/")
        assert page.content.decode().count("At the door") == (2 if carer == few else 10)
        return len(captured)

    assert queries(many) <= queries(few) + 2
    assert CareRecordRead.objects.filter(user=many, record="door").count() == 20


def test_the_api_day_carries_the_door_for_the_carers_own_visits_in_their_window(
    client, coop, coordinator
):
    carer = factories.user_with_role(coop, Role.CARER)
    [visit] = visits_today(coop, carer, coordinator, 1)
    later = timezone.localdate() + timedelta(days=3)
    factories.visit(visit.person, [carer], day=later)
    _token, raw = ApiToken.issue(carer, "phone")
    url = f"/api/cooperatives/{coop.slug}/visits"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    [today] = client.get(url, **auth).json()
    door = today["door"]
    assert door["allergies"] == [{"substance": "Penicillin", "reaction": ""}]
    assert door["advance_decisions"][0]["kept_where"] == "Form on the fridge"
    assert door["access"]["key_safe_code"] == "0000"
    assert CareRecordRead.objects.filter(user=carer, record="door", via="api").count() == 1
    [ahead] = client.get(url, {"day": str(later)}, **auth).json()
    assert ahead["door"] is None
