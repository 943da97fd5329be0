"""A person, Lucia, and the people around her: the office, her daughter in her circle, Ana who
comes tomorrow, and Piero who last came two months ago and no longer does."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from tests import factories


@pytest.fixture
def lucia(coop):
    person = factories.person_cared_for(coop, full_name="Lucia Bianchi")
    factories.care_plan(person, valid_from=timezone.localdate() - timedelta(days=90))
    return person


@pytest.fixture
def ana(coop, lucia):
    carer = factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")
    factories.visit(lucia, [carer], day=timezone.localdate() + timedelta(days=1))
    return carer


@pytest.fixture
def piero(coop, lucia):
    carer = factories.user_with_role(coop, Role.CARER, first_name="Piero", last_name="Neri")
    factories.visit(lucia, [carer], day=timezone.localdate() - timedelta(weeks=8))
    return carer


@pytest.fixture
def daughter(coop, lucia):
    user = factories.user_with_role(
        coop, Role.CIRCLE, first_name="Marta", last_name="Bianchi", email="marta@example.org"
    )
    care_services.add_to_circle(
        lucia,
        user=user,
        full_name="Marta Bianchi",
        relationship=Relationship.FAMILY,
        granted_by="Lucia Bianchi",
        granted_on=date(2026, 1, 1),
    )
    return user


@pytest.fixture
def other_coop_user(db):
    other = factories.CooperativeFactory(slug="altra")
    return factories.user_with_role(
        other, Role.COORDINATOR, Role.CARER, Role.CIRCLE, username="elsewhere"
    )
