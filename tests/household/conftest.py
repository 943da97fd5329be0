from datetime import date
from decimal import Decimal

import pytest

from coopcare.cooperatives.models import Role
from coopcare.household import services
from tests import factories
from tests.work.conftest import worked

# A DNI with its check letter (12345678 mod 23 = 14: Z) and a Social Security employer account
# of Madrid (28), number 1234567, check digits 281234567 mod 97 = 42.
TAX_ID = "12345678Z"
ACCOUNT = "28 1234567 42"


@pytest.fixture
def madrid(coop):
    """The cooperative, in Madrid, supporting households that employ a carer."""
    coop.country, coop.city, coop.runs_household_employment = "ES", "Madrid", True
    coop.save()
    return coop


@pytest.fixture
def carer(madrid):
    return factories.user_with_role(
        madrid, Role.CARER, username="lucia", first_name="Lucía", last_name="Gómez"
    )


@pytest.fixture
def person(madrid):
    person = factories.person_cared_for(madrid, full_name="Carmen Ruiz", city="Madrid")
    factories.care_plan(person, valid_from=date(2025, 1, 1))
    return person


def employer(cooperative, person, **fields):
    """The household of ``person`` as employer, recorded through the service."""
    return services.add_employer(
        cooperative,
        person,
        {
            "name": "Javier Ruiz",
            "tax_id": TAX_ID,
            "social_security_account": ACCOUNT,
            "address": "Calle de Toledo 12, Madrid",
        }
        | fields,
    )


def contract(household, carer, **fields):
    """A permanent contract from January 2025 at 9 € an hour, extras prorated."""
    return services.start_contract(
        household,
        carer,
        {"starts_on": date(2025, 1, 1), "hourly_rate": Decimal("9.00")} | fields,
    )


def visits_in_march(carer, person):
    """Three visits in March 2025: 2 hours, 2 hours and 1.5 hours."""
    worked(carer, person, date(2025, 3, 3), 9, 11)
    worked(carer, person, date(2025, 3, 4), 9, 11)
    worked(carer, person, date(2025, 3, 31), 16, 17.5)
