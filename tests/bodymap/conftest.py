from datetime import date

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.bodymap import services
from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Giuseppe Zanetti")


@pytest.fixture
def today_visit(person, carer):
    """A visit to ``person`` by ``carer`` today, so the carer may see and add to the map now."""
    return factories.visit(person, [carer], day=timezone.localdate())


@pytest.fixture
def as_user():
    """API headers with a token of the given user."""

    def auth(user) -> dict:
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return auth


def heel_ulcer(person, by, **fields):
    """A category 1 pressure ulcer on the person's left heel, placed at the region's middle."""
    mark = {
        "side": "back",
        "region": "left_heel",
        "kind": "pressure_ulcer",
        "category": "1",
        "description": "Red patch that does not blanch, skin intact.",
    }
    return services.add_mark(person, by=by, **(mark | fields))


def circle_member(person, user, **grants):
    """Someone in the person's circle, with a login."""
    return care_services.add_to_circle(
        person,
        user=user,
        full_name="Anna Zanetti",
        relationship="family",
        granted_by="Giuseppe Zanetti",
        granted_on=date(2026, 1, 1),
        **grants,
    )
