"""A coordinator edits a person's record after admission: each change is kept in its history
(who, when, which field, before and after), the edit is logged as reads are, an edit that
changes nothing records nothing, and carers chosen or refused are the cooperative's own."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.accounts.models import ApiToken
from coopcare.care import services
from coopcare.care.models import CareRecordEdit, CareRecordRead, PersonCaredFor, PersonChange
from coopcare.cooperatives.models import Role
from coopcare.rostering.planning import travel_minutes
from tests import factories


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Rosa Bianchi", phone="051 111")


def test_each_change_is_kept_with_who_when_and_the_values(person, coordinator):
    changes = services.edit_person(
        person,
        coordinator,
        phone="051 222",
        address="Via del Pratello 40",
        latitude="44.4939",
        full_name="Rosa Bianchi",  # as it was: not a change
    )

    assert {(c.field, c.old, c.new) for c in changes} == {
        ("phone", "051 111", "051 222"),
        ("address", "Via Zamboni 33", "Via del Pratello 40"),
        ("latitude", "44.496000", "44.493900"),
    }
    saved = PersonCaredFor.objects.get(pk=person.pk)
    assert (saved.phone, saved.address, saved.latitude) == (
        "051 222",
        "Via del Pratello 40",
        Decimal("44.493900"),
    )
    edit = CareRecordEdit.objects.get(person=person)
    assert (edit.user, edit.record, edit.via) == (coordinator, "record", "web")
    assert set(edit.changed.split(", ")) == {"phone", "address", "latitude"}
    assert all(c.edit == edit for c in PersonChange.objects.filter(person=person))


def test_an_edit_that_changes_nothing_records_nothing(person, coordinator):
    changes = services.edit_person(
        person,
        coordinator,
        phone="051 111",
        latitude="44.496",
        longitude=Decimal("11.352000"),
        smoking_home=False,
        date_of_birth=None,
        preferred_carers=[],
    )

    assert changes == []
    assert not CareRecordEdit.objects.exists()
    assert not PersonChange.objects.exists()


def test_chosen_and_refused_carers_are_kept_by_name(coop, person, coordinator):
    anna = factories.user_with_role(coop, Role.CARER, first_name="Anna", last_name="Neri")
    ugo = factories.user_with_role(coop, Role.CARER, first_name="Ugo", last_name="Rossi")

    services.edit_person(person, coordinator, preferred_carers=[anna], refused_carers=[ugo.pk])
    services.edit_person(person, coordinator, preferred_carers=[anna, ugo], refused_carers=[])

    assert set(person.preferred_carers.all()) == {anna, ugo}
    assert not person.refused_carers.exists()
    history = [(c.field, c.old, c.new) for c in PersonChange.objects.order_by("pk")]
    assert history == [
        ("preferred_carers", "", "Anna Neri"),
        ("refused_carers", "", "Ugo Rossi"),
        ("preferred_carers", "Anna Neri", "Anna Neri, Ugo Rossi"),
        ("refused_carers", "Ugo Rossi", ""),
    ]


def test_only_the_cooperatives_carers_can_be_chosen_and_nothing_is_saved(coop, person, coordinator):
    elsewhere = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)
    not_a_carer = factories.user_with_role(coop, Role.BOARD)

    for stranger in (elsewhere, not_a_carer):
        with pytest.raises(ValidationError) as refused:
            services.edit_person(person, coordinator, phone="000", refused_carers=[stranger])
        assert refused.value.error_list[0].code == "carer_not_in_cooperative"

    assert PersonCaredFor.objects.get(pk=person.pk).phone == "051 111"
    assert not PersonChange.objects.exists()
    assert not CareRecordEdit.objects.exists()


def test_a_carer_cannot_be_both_chosen_and_refused(coop, person, coordinator):
    carer = factories.user_with_role(coop, Role.CARER)
    services.edit_person(person, coordinator, preferred_carers=[carer])

    with pytest.raises(ValidationError) as refused:
        services.edit_person(person, coordinator, refused_carers=[carer])

    assert refused.value.error_list[0].code == "carer_preferred_and_refused"
    assert not person.refused_carers.exists()


def test_admission_takes_the_carers_in_its_one_transaction(coop):
    carer = factories.user_with_role(coop, Role.CARER)
    elsewhere = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)

    with pytest.raises(ValidationError):
        factories.person_cared_for(coop, preferred_carers=[carer], refused_carers=[elsewhere])
    assert not PersonCaredFor.objects.exists()

    person = factories.person_cared_for(coop, preferred_carers=[carer.pk])
    assert list(person.preferred_carers.all()) == [carer]


def test_the_history_is_append_only(person, coordinator):
    (change,) = services.edit_person(person, coordinator, phone="051 999")
    change = PersonChange.objects.get(pk=change.pk)

    change.new = "something else"
    for attempt in (
        change.save,
        change.delete,
        PersonChange.objects.all().delete,
        lambda: PersonChange.objects.update(new="x"),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "kept_as_written"
    assert PersonChange.objects.get().new == "051 999"


def test_travel_follows_the_new_home(coop, person, coordinator):
    neighbour = factories.person_cared_for(coop)  # the same address
    assert travel_minutes(person, neighbour) == 0

    services.edit_person(person, coordinator, latitude="44.5200", longitude="11.4000")

    moved = PersonCaredFor.objects.get(pk=person.pk)
    assert travel_minutes(moved, neighbour) > 5
    visit = factories.visit(moved, day=date(2026, 11, 20))
    assert visit.person.latitude == Decimal("44.520000")


def test_a_home_not_placed_is_placed_through_the_edit_with_its_history(coop, coordinator):
    lia = factories.person_cared_for(coop, full_name="Lia", latitude=None, longitude=None)
    neighbour = factories.person_cared_for(coop)
    assert not lia.placed and travel_minutes(lia, neighbour) is None

    changes = services.edit_person(lia, coordinator, latitude="44.4960", longitude="11.3520")

    placed = PersonCaredFor.objects.get(pk=lia.pk)
    assert placed.point == (44.496, 11.352) and travel_minutes(placed, neighbour) == 0
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("latitude", "", "44.496000"),
        ("longitude", "", "11.352000"),
    ]


def test_a_home_takes_both_coordinates_or_neither(coop, person, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.edit_person(person, coordinator, latitude=None)
    assert refused.value.error_list[0].code == "coordinates_incomplete"
    assert PersonCaredFor.objects.get(pk=person.pk).placed
    with pytest.raises(ValidationError):
        factories.person_cared_for(coop, longitude=None)


def test_the_page_edits_and_shows_the_history(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    page = f"/c/{coop.slug}/people/{person.pk}/edit/"

    shown = client.get(page)
    assert shown.status_code == 200
    assert 'value="051 111"' in shown.content.decode()
    form = {
        "full_name": "Rosa Bianchi",
        "phone": "051 333",
        "address": "Via Zamboni 33",
        "city": "Bologna",
        "latitude": "44.496",
        "longitude": "11.352",
        "carer_gender": "woman",
        "funding": "public_body",
    }
    response = client.post(page, form)

    assert response.status_code == 302
    saved = PersonCaredFor.objects.get(pk=person.pk)
    assert (saved.phone, saved.carer_gender) == ("051 333", "woman")
    record = client.get(f"/c/{coop.slug}/people/{person.pk}/").content.decode()
    assert "051 111 → 051 333" in record
    assert "no preference → a woman" in record
    assert CareRecordEdit.objects.get().via == "web"
    assert CareRecordRead.objects.filter(person=person, user=coordinator).exists()


def test_the_page_refuses_bad_input_and_saves_nothing(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    elsewhere = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)

    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/edit/",
        {
            "full_name": "",
            "address": "Via Zamboni 33",
            "latitude": "144.5",
            "longitude": "11.352",
            "carer_gender": "any",
            "funding": "public_body",
            "refused_carers": [elsewhere.pk],
        },
    )

    assert response.status_code == 400
    assert PersonCaredFor.objects.get(pk=person.pk).full_name == "Rosa Bianchi"
    assert not PersonChange.objects.exists()


def test_only_the_cooperatives_coordinators_edit(client, coop, person):
    carer = factories.user_with_role(coop, Role.CARER)
    other = factories.CooperativeFactory(slug="altra")
    stranger = factories.user_with_role(other, Role.COORDINATOR)

    factories.log_in(client, carer)
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/edit/").status_code == 403
    factories.log_in(client, stranger)
    assert client.get(f"/c/{other.slug}/people/{person.pk}/edit/").status_code == 404
    assert client.post(f"/c/{coop.slug}/people/{person.pk}/edit/").status_code == 404


def _api(client, user):
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_edits_and_lists_the_history(client, coop, person, coordinator):
    auth = _api(client, coordinator)
    carer = factories.user_with_role(coop, Role.CARER)
    url = f"/api/cooperatives/{coop.slug}/people/{person.pk}"

    response = client.patch(
        url,
        {"city": "Casalecchio", "refused_carers": [carer.pk], "date_of_birth": "1941-05-02"},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 200, response.json()
    assert response.json()["city"] == "Casalecchio"
    assert response.json()["refused_carer_ids"] == [carer.pk]
    assert CareRecordEdit.objects.get().via == "api"
    history = client.get(f"{url}/changes", **auth).json()
    assert {(c["field"], c["old"], c["new"]) for c in history} == {
        ("city", "Bologna", "Casalecchio"),
        ("refused_carers", "", carer.get_full_name()),
        ("date_of_birth", "", "1941-05-02"),
    }
    assert {c["by_id"] for c in history} == {coordinator.pk}

    same = client.patch(url, {"city": "Casalecchio"}, content_type="application/json", **auth)
    assert same.status_code == 200
    assert CareRecordEdit.objects.count() == 1


def test_the_api_refuses_with_the_rules_code(client, coop, person, coordinator):
    auth = _api(client, coordinator)
    elsewhere = factories.user_with_role(factories.CooperativeFactory(), Role.CARER)
    url = f"/api/cooperatives/{coop.slug}/people/{person.pk}"

    response = client.patch(
        url,
        {"phone": "000", "preferred_carers": [elsewhere.pk]},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "carer_not_in_cooperative"
    assert PersonCaredFor.objects.get(pk=person.pk).phone == "051 111"
    carer_auth = _api(client, factories.user_with_role(coop, Role.CARER))
    refused = client.patch(url, {"phone": "1"}, content_type="application/json", **carer_auth)
    assert refused.status_code == 403
    assert not PersonChange.objects.exists()
