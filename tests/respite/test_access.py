from datetime import date, timedelta

from django.utils import timezone

from coopcare.care.models import ServiceType
from coopcare.cooperatives.models import Role
from coopcare.respite.models import CaregiverRead
from coopcare.visits.services import generate_visits, set_carers
from tests import factories
from tests.respite.conftest import caregiver


def test_a_carer_sees_a_caregiver_only_around_the_respite_visits_they_make(
    client, coop, person, carer
):
    found = caregiver(coop, person)
    factories.log_in(client, carer)
    url = f"/c/{coop.slug}/caregivers/{found.pk}/"
    assert client.get(url).status_code == 404
    # A visit of another kind to the same person opens nothing.
    today = timezone.localdate()
    factories.visit(person, [carer], day=today - timedelta(days=10))
    assert client.get(url).status_code == 404
    sitting = factories.care_plan(person, valid_from=today, service_type=ServiceType.SITTING)
    generate_visits(person, today, today)
    set_carers(person.visits.get(task__plan=sitting, starts_at__date=today), [carer])
    response = client.get(url)
    assert response.status_code == 200
    assert found.full_name in response.content.decode()
    assert CaregiverRead.objects.filter(caregiver=found, user=carer, via="web").count() == 1


def test_the_caregiver_sees_their_own_record_and_no_one_elses(client, coop, person):
    login = factories.user_with_role(coop, Role.CIRCLE)
    own = caregiver(coop, person, user=login)
    other = caregiver(coop, full_name="Marco Rossi", since=date(2026, 2, 1))
    factories.log_in(client, login)
    assert client.get(f"/c/{coop.slug}/caregivers/{own.pk}/").status_code == 200
    assert client.get(f"/c/{coop.slug}/caregivers/{other.pk}/").status_code == 404
    listed = client.get(f"/c/{coop.slug}/caregivers/").content.decode()
    assert own.full_name in listed and other.full_name not in listed
