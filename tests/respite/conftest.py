from datetime import date

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.respite import services
from tests import factories


@pytest.fixture
def coop(coop):
    """Cura Insieme, supporting family caregivers in their own right."""
    coop.runs_respite = True
    coop.save(update_fields=["runs_respite"])
    return coop


def caregiver(coop, person=None, since=date(2026, 1, 5), **fields):
    """A family caregiver registered through the service, supported from ``since``."""
    defaults = dict(
        full_name="Lucia Bianchi",
        cares_for_whom="Her mother, who has dementia",
        hours_caring_a_week=40,
        consent_given_on=since,
        since=since,
        asks_respite=True,
    )
    return services.register_caregiver(coop, cares_for=person, **(defaults | fields))


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Anna Bianchi")


@pytest.fixture
def as_user():
    """API headers with a token of the given user."""

    def auth(user) -> dict:
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return auth
