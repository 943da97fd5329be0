from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from coopcare import localise
from coopcare.cooperatives.models import Role
from coopcare.members.models import StakeholderKind
from tests import factories


@pytest.fixture
def coop(db):
    return factories.CooperativeFactory(name="Cura Insieme", slug="cura")


@pytest.fixture
def worker_class(coop):
    """Worker members: a 500 share paid in instalments, after 180 days of probation."""
    return factories.StakeholderClassFactory(
        cooperative=coop,
        name="Workers",
        kind=StakeholderKind.WORKER,
        share_value=Decimal("500.00"),
        probation_days=180,
    )


@pytest.fixture
def supporter_class(coop):
    return factories.StakeholderClassFactory(
        cooperative=coop, name="Supporters", share_value=Decimal("50.00")
    )


@pytest.fixture
def board_user(coop):
    return factories.user_with_role(coop, Role.BOARD, username="board")


@pytest.fixture
def coordinator(coop):
    return factories.user_with_role(coop, Role.COORDINATOR, username="coord")


@pytest.fixture
def large_coop(coordinator):
    """A second cooperative with the same coordinator: a larger page or report beside
    ``coop``'s, for tests that its queries do not grow with the records."""
    large = factories.CooperativeFactory(name="Cura Grande", slug="grande")
    factories.RoleFactory(user=coordinator, cooperative=large, role=Role.COORDINATOR)
    return large


@pytest.fixture
def board_client(client, board_user):
    return factories.log_in(client, board_user)


@pytest.fixture
def today():
    return date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English: a request in another language leaves it active in the
    thread, and code called directly by the next test would speak it."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def no_region_outlives_a_test():
    """A cooperative's region (``localise.set_region``) lasts its request or command only: one
    left behind would write the next test's days and money in another country's style."""
    yield
    assert localise.current_region() == "", "a region was left set after this test"
