"""Who sees a person cared for, and the log of every read (GDPR art. 9)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.care import services
from coopcare.care.models import CareRecordRead, Relationship
from coopcare.cooperatives.models import Role
from coopcare.visits.services import add_carer, generate_visits
from tests import factories


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Teresa Govoni")


def daughter_sees(person, relative, **may_see):
    """Teresa grants her daughter Anna (logged in as ``relative``) what ``may_see`` says."""
    return services.add_to_circle(
        person,
        user=relative,
        full_name="Anna Govoni",
        relationship=Relationship.FAMILY,
        granted_by="Teresa Govoni",
        granted_on=date(2026, 1, 1),
        **may_see,
    )


def visit_for(person, carer, days_from_now: int):
    day = timezone.localdate() + timedelta(days=days_from_now)
    if not person.plans.exists():
        factories.care_plan(person, valid_from=day - timedelta(days=30))
    generate_visits(person, day, day)
    visit = person.visits.get(starts_at__date=day)
    add_carer(visit, carer)
    return visit


def test_carer_sees_a_person_only_around_their_visits(client, coop, person):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    url = f"/c/{coop.slug}/people/{person.pk}/"
    assert client.get(url).status_code == 404
    visit_for(person, carer, days_from_now=5)
    assert client.get(url).status_code == 404  # too far ahead
    visit_for(person, carer, days_from_now=0)
    assert client.get(url).status_code == 200
    assert [p.full_name for p in client.get(f"/c/{coop.slug}/people/").context["page"]] == [
        "Teresa Govoni"
    ]


def test_another_carers_visit_gives_no_access(client, coop, person):
    visit_for(person, factories.user_with_role(coop, Role.CARER), days_from_now=0)
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/").status_code == 404


def test_every_read_is_logged(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    client.get(f"/c/{coop.slug}/people/{person.pk}/")
    client.get(f"/c/{coop.slug}/people/{person.pk}/export.json")
    reads = CareRecordRead.objects.filter(person=person, user=coordinator)
    assert sorted(reads.values_list("record", flat=True)) == ["export", "record"]


def test_members_and_board_do_not_see_care_records(client, coop, person, board_user):
    factories.log_in(client, board_user)
    assert client.get(f"/c/{coop.slug}/people/").status_code == 403
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/").status_code == 403


def test_circle_member_sees_only_what_was_granted(client, coop, person):
    relative = factories.user_with_role(coop, Role.CIRCLE)
    factories.care_plan(person, valid_from=timezone.localdate())
    generate_visits(person, timezone.localdate(), timezone.localdate() + timedelta(days=2))
    grant = daughter_sees(person, relative, may_see_visits=True)
    factories.log_in(client, relative)
    page = client.get(f"/c/{coop.slug}/circle/{person.pk}/")
    assert page.status_code == 200
    assert "upcoming" in page.context and "plan" not in page.context
    assert b"Stay safely at home" not in page.content  # the care plan's goals
    # The full record and the export stay closed to the circle.
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/").status_code == 403
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/export.json").status_code == 403
    assert CareRecordRead.objects.filter(user=relative, record="circle view").count() == 1
    services.revoke_from_circle(grant, date(2026, 2, 1))
    assert client.get(f"/c/{coop.slug}/circle/{person.pk}/").status_code == 404


def test_circle_grant_for_one_person_gives_nothing_on_another(client, coop, person):
    other = factories.person_cared_for(coop)
    relative = factories.user_with_role(coop, Role.CIRCLE)
    services.add_to_circle(
        person,
        user=relative,
        full_name="A",
        relationship=Relationship.FRIEND,
        granted_by="Teresa",
        granted_on=date(2026, 1, 1),
        may_see_visits=True,
    )
    factories.log_in(client, relative)
    assert client.get(f"/c/{coop.slug}/circle/{other.pk}/").status_code == 404


def test_circle_sees_visit_notes_only_when_granted(client, coop, person):
    carer = factories.user_with_role(coop, Role.CARER)
    visit = visit_for(person, carer, days_from_now=-1)
    factories.recorded_visit(
        visit, carer, steps=[{"step": "Morning care", "done": True}], notes="Cheerful, ate well"
    )
    relative = factories.user_with_role(coop, Role.CIRCLE)
    grant = daughter_sees(person, relative, may_see_visits=True)
    factories.log_in(client, relative)
    url = f"/c/{coop.slug}/circle/{person.pk}/"
    page = client.get(url).content.decode()
    assert "Morning care" in page and "Cheerful, ate well" not in page
    grant.may_see_notes = True
    grant.save()
    assert "Cheerful, ate well" in client.get(url).content.decode()
