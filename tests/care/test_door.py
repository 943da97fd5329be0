"""What a carer must know at the door: conditions, advance decisions and access, kept with the
record's history; who sees them (the key safe code never to the circle), the read log, the
coordinators' page and API, and the person's data export."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from coopcare.accounts.models import ApiToken
from coopcare.care import export, services
from coopcare.care.models import (
    AdvanceDecision,
    CareRecordEdit,
    CareRecordRead,
    Condition,
    PersonChange,
)
from coopcare.cooperatives.models import Role
from coopcare.medication import services as medication
from tests import factories
from tests.care.test_access import daughter_sees, visit_for


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Teresa Govoni")


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def test_door_facts_are_kept_with_the_records_history(person, coordinator):
    changes = factories.door_facts(person, coordinator)
    assert {c.field for c in changes} == {
        "conditions",
        "advance_decisions",
        "key_safe_code",
        "entry",
    }
    code = next(c for c in changes if c.field == "key_safe_code")
    # The history says the code changed, never what it is.
    assert (code.old, code.new) == ("", "****")
    assert "1234" not in "".join(c.old + c.new for c in PersonChange.objects.all())
    assert Condition.objects.get().name == "Type 2 diabetes"
    assert AdvanceDecision.objects.get().kept_where == "Form on the fridge"
    assert CareRecordEdit.objects.get().record == "door"
    # The same facts again change nothing and write nothing.
    assert factories.door_facts(person, coordinator) == []
    assert CareRecordEdit.objects.count() == 1
    [changed] = factories.door_facts(person, coordinator, key_safe_code="9876")
    assert (changed.field, changed.old, changed.new) == ("key_safe_code", "****", "****")
    assert person.door.key_safe_code == "9876"


def test_door_facts_need_names_and_places_and_write_nothing_otherwise(person, coordinator):
    tomorrow = date.today() + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.set_door_facts(
            person,
            coordinator,
            conditions=[{"name": " ", "notes": ""}],
            decisions=[{"kind": "refusal", "made_on": tomorrow, "kept_where": ""}],
            access={"key_safe_code": "1234"},
        )
    assert sorted(codes(refused.value)) == [
        "condition_name_missing",
        "decision_in_future",
        "decision_place_missing",
    ]
    assert not Condition.objects.exists()
    assert not CareRecordEdit.objects.exists()
    assert not hasattr(person, "door")


def test_the_record_page_shows_the_door_to_coordinators_and_carers_in_their_window(
    client, coop, person, coordinator, carer
):
    factories.door_facts(person, coordinator)
    medication.add_allergy(person, substance="Penicillin", reaction="Rash", by=coordinator)
    url = f"/c/{coop.slug}/people/{person.pk}/"
    factories.log_in(client, coordinator)
    page = client.get(url).content.decode()
    assert "1234" in page and "Penicillin" in page and "Form on the fridge" in page
    visit_for(person, carer, days_from_now=0)
    factories.log_in(client, carer)
    page = client.get(url).content.decode()
    assert "1234" in page
    assert page.index("Penicillin") < page.index("Form on the fridge") < page.index("diabetes")
    reads = CareRecordRead.objects.filter(person=person, user=carer, record="door")
    assert reads.count() == 1


def test_the_circle_sees_conditions_and_decisions_with_the_care_plan_never_the_code(
    client, coop, person, coordinator
):
    factories.door_facts(person, coordinator)
    relative = factories.user_with_role(coop, Role.CIRCLE)
    grant = daughter_sees(person, relative, may_see_visits=True)
    factories.log_in(client, relative)
    url = f"/c/{coop.slug}/circle/{person.pk}/"
    page = client.get(url).content.decode()
    assert "diabetes" not in page and "1234" not in page
    services.revoke_from_circle(grant, date.today())
    daughter_sees(person, relative, may_see_care_plan=True)
    page = client.get(url).content.decode()
    assert "Type 2 diabetes" in page and "Form on the fridge" in page
    assert "1234" not in page and "Key safe left of the door" not in page
    assert CareRecordRead.objects.filter(user=relative, record="door").count() == 1


def test_a_coordinator_changes_the_door_on_its_page(client, coop, person, coordinator, carer):
    url = f"/c/{coop.slug}/people/{person.pk}/door/"
    form = {
        "conditions-TOTAL_FORMS": "2",
        "conditions-INITIAL_FORMS": "0",
        "conditions-0-name": "COPD",
        "conditions-0-notes": "Oxygen at night; no open flames",
        "conditions-1-name": "",
        "conditions-1-notes": "",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-kind": "dnacpr",
        "decisions-0-made_on": "2025-06-01",
        "decisions-0-kept_where": "",
        "decisions-0-current": "on",
        "key_safe_code": "4321",
        "entry": "Ring twice",
        "parking": "",
        "hazards": "Dog, friendly",
        "emergency_contacts": "Daughter Anna 333 1234567",
    }
    factories.log_in(client, carer)
    assert client.get(url).status_code == 403
    factories.log_in(client, coordinator)
    assert client.get(url).status_code == 200
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "kept_where" in refused.context["decisions"].errors[0]
    assert not Condition.objects.exists()
    saved = client.post(url, form | {"decisions-0-kept_where": "On the fridge"})
    assert saved.status_code == 302
    assert [c.name for c in person.conditions.all()] == ["COPD"]
    assert person.advance_decisions.get().kept_where == "On the fridge"
    assert person.door.key_safe_code == "4321"
    # The page shows the saved facts, and deleting a row takes it off.
    again = client.get(url)
    assert again.context["conditions"].initial == [
        {"name": "COPD", "notes": "Oxygen at night; no open flames"}
    ]
    removed = form | {
        "conditions-INITIAL_FORMS": "1",
        "conditions-0-DELETE": "on",
        "decisions-0-kept_where": "On the fridge",
    }
    assert client.post(url, removed).status_code == 302
    assert not person.conditions.exists()


def call(client, user, path, body=None):
    _token, raw = ApiToken.issue(user, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is None:
        return client.get(path, **auth)
    return client.put(path, body, content_type="application/json", **auth)


def test_the_coordinators_read_and_replace_the_door_through_the_api(
    client, coop, person, coordinator, carer
):
    url = f"/api/cooperatives/{coop.slug}/people/{person.pk}/door"
    body = {
        "conditions": [{"name": "Parkinson's disease", "notes": "Slow to stand"}],
        "advance_decisions": [
            {"kind": "health_attorney", "made_on": "2024-02-01", "kept_where": "Son Marco"}
        ],
        "access": {"key_safe_code": "2468", "parking": "Courtyard"},
    }
    visit_for(person, carer, days_from_now=0)
    assert call(client, carer, url).status_code == 403
    assert call(client, carer, url, body).status_code == 403
    saved = call(client, coordinator, url, body)
    assert saved.status_code == 200
    assert saved.json()["access"]["key_safe_code"] == "2468"
    assert saved.json()["advance_decisions"][0]["current"] is True
    future = body | {
        "advance_decisions": [
            {
                "kind": "dnacpr",
                "made_on": str(date.today() + timedelta(days=30)),
                "kept_where": "Fridge",
            }
        ]
    }
    refused = call(client, coordinator, url, future)
    assert refused.status_code == 400
    assert refused.json()["code"] == "decision_in_future"
    read = call(client, coordinator, url).json()
    assert read["conditions"] == [{"name": "Parkinson's disease", "notes": "Slow to stand"}]
    assert CareRecordRead.objects.filter(record="door", via="api").count() == 1
    other = factories.CooperativeFactory(slug="altra")
    assert (
        call(
            client, coordinator, f"/api/cooperatives/{other.slug}/people/{person.pk}/door"
        ).status_code
        == 404
    )


def test_the_export_holds_the_door_without_the_key_safe_code(person, coordinator):
    factories.door_facts(person, coordinator)
    data = export.person_data(person)
    door = data["at_the_door"]
    assert door["conditions"] == [
        {"name": "Type 2 diabetes", "notes": "Hypos: sweets in the kitchen"}
    ]
    assert door["advance_decisions"][0]["kept_where"] == "Form on the fridge"
    assert door["access"]["key_safe"] is True
    assert "1234" not in str(data)
