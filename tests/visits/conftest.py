"""A visit just after midnight in Rome: its moment in UTC falls on the day before."""

from datetime import date, time

import pytest
from django.test import override_settings

from coopcare.cooperatives.models import Role
from coopcare.visits.models import VisitRecord
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
