from datetime import timedelta

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from coopcare.voice import services
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


@pytest.fixture
def board(coop):
    return factories.user_with_role(coop, Role.BOARD, username="board")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Giuseppe Zanetti")


@pytest.fixture
def yesterday_visit(person, carer):
    """Yesterday's visit to ``person`` by ``carer``, checked in and out."""
    visit = factories.visit(person, [carer], day=timezone.localdate() - timedelta(days=1))
    factories.recorded_visit(visit, carer)
    visit.refresh_from_db()
    return visit


def relative(person, may_see_visits=True, username="family"):
    """A relative of ``person`` with a login, in their circle."""
    user = factories.user_with_role(person.cooperative, Role.CIRCLE, username=username)
    care_services.add_to_circle(
        person,
        user=user,
        full_name=f"Daughter of {person.full_name}",
        relationship="family",
        may_see_visits=may_see_visits,
        granted_by=person.full_name,
        granted_on=timezone.localdate() - timedelta(days=30),
    )
    return user


@pytest.fixture
def family(person):
    return relative(person)


def complaint(person, by, **fields):
    """A complaint about the person's care, filed by a coordinator on the daughter's behalf."""
    return services.file_complaint(
        person,
        by=by,
        **{
            "about": "care",
            "description": "The shower was skipped three weeks running.",
            "complainant_name": "Anna Zanetti",
        }
        | fields,
    )


@pytest.fixture
def as_user():
    """API headers with a token of the given user."""

    def auth(user) -> dict:
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return auth
