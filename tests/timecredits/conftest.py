import pytest

from tests import factories


@pytest.fixture
def coop(coop):
    """Cura Insieme, exchanging time credits."""
    coop.runs_time_credits = True
    coop.save(update_fields=["runs_time_credits"])
    return coop


@pytest.fixture
def anna(supporter_class):
    """A supporter member with a login, who gives lifts."""
    user = factories.UserFactory(username="anna")
    return factories.admitted_member(supporter_class, user=user, full_name="Anna Bianchi")


@pytest.fixture
def bruno(supporter_class):
    """A supporter member with a login, who needs lifts."""
    user = factories.UserFactory(username="bruno")
    return factories.admitted_member(supporter_class, user=user, full_name="Bruno Verdi")
