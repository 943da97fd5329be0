from datetime import date

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from coopcare.risks import services
from tests import factories

FALLS_LOW = {
    "fallen": "no",
    "walking_aid": "no",
    "unsteady": "no",
    "holds_furniture": "no",
    "worried": "no",
    "pushes_to_stand": "no",
    "curb": "no",
    "rushes_to_toilet": "no",
    "feet_feeling": "no",
    "dizzying_medicine": "no",
    "sleep_mood_medicine": "no",
    "sad": "no",
}
HANDLING = {"task": "yes", "individual": "no", "load": "yes", "environment": "no"}


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Giuseppe Zanetti")


@pytest.fixture
def served(person, carer):
    """``person`` has a visit by ``carer`` today, so the carer may see their records now."""
    factories.visit(person, [carer], day=timezone.localdate())
    return person


@pytest.fixture
def as_user():
    """API headers with a token of the given user."""

    def auth(user) -> dict:
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return auth


def falls(person, by, on: date, **answers):
    """A STEADI falls assessment of ``person`` on ``on``, every answer "no" unless given."""
    return services.assess(
        person,
        kind="falls",
        scale="steadi_frq",
        answers=FALLS_LOW | answers,
        assessed_on=on,
        by=by,
        today=on,
    )


def handling(person, by, on: date, carers_needed: int = 2):
    """A moving and handling assessment of ``person`` saying how many carers transfers need."""
    return services.assess(
        person,
        kind="moving_handling",
        scale="handling_tile",
        answers=HANDLING,
        carers_needed=carers_needed,
        equipment="hoist, slide sheet",
        assessed_on=on,
        by=by,
        today=on,
    )


def circle_member(person, user=None, **grants):
    """Someone in the person's circle, with a login if ``user`` is given."""
    return care_services.add_to_circle(
        person,
        user=user,
        full_name="Anna Zanetti",
        relationship="family",
        granted_by="Giuseppe Zanetti",
        granted_on=date(2026, 1, 1),
        **grants,
    )
