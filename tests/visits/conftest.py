"""A visit just after midnight in Rome: its moment in UTC falls on the day before; a person
with visits to come and her daughter in her circle, who asks about them."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from coopcare.visits.models import VisitRecord
from coopcare.visits.services import generate_visits
from tests import factories


@pytest.fixture
def rome():
    """The cooperative's time zone is Europe/Rome (the install's, as the cooperative records
    none of its own), whatever the environment sets."""
    with override_settings(TIME_ZONE="Europe/Rome"):
        yield


@pytest.fixture
def after_midnight(coop, rome):
    """Make a visit on ``day`` at 00:30 Rome time, checked in at 00:30 and out at 01:10, and
    return its record as read back from the database (where moments are kept in UTC)."""

    def make(day: date) -> VisitRecord:
        carer = factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")
        person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
        visit = factories.visit(person, [carer], day=day, start_time=time(0, 30))
        record = factories.recorded_visit(visit, carer)
        return VisitRecord.objects.select_related("person", "carer").get(pk=record.pk)

    return make


@pytest.fixture
def lucia(coop):
    """Lucia, with a care plan of a daily 45-minute visit at 9:00 (personal care) and the
    visits of the coming days."""
    person = factories.person_cared_for(
        coop, full_name="Lucia Neri", latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    factories.care_plan(person, valid_from=date(2026, 1, 1), skills="personal")
    today = timezone.localdate()
    generate_visits(person, today, today + timedelta(days=8))
    return person


@pytest.fixture
def daughter(coop, lucia):
    """Lucia's daughter, with a login, granted Lucia's visits."""
    user = factories.user_with_role(
        coop, Role.CIRCLE, username="giulia", first_name="Giulia", last_name="Neri"
    )
    care_services.add_to_circle(
        lucia,
        user=user,
        full_name="Giulia Neri",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        granted_by="Lucia Neri",
        granted_on=date(2026, 1, 1),
    )
    return user
