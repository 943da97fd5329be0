import pytest

from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from tests import factories


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Giulia Neri")


@pytest.fixture
def family(coop, person, today):
    """A daughter in the person's circle, granted the care plan."""
    user = factories.user_with_role(coop, Role.CIRCLE, first_name="Anna", last_name="Neri")
    care_services.add_to_circle(
        person,
        user=user,
        full_name="Anna Neri",
        relationship="family",
        may_see_care_plan=True,
        granted_by="Giulia Neri",
        granted_on=today,
    )
    return user


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Marta", last_name="Bianchi")
