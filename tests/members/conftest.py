from datetime import date
from decimal import Decimal

import pytest

from coopcare.members import services
from tests import factories

# Valid IBANs from the national examples the banks' standards give (ISO 13616 registry).
IBAN_IT = "IT60X0542811101000000123456"
IBAN_ES = "ES9121000418450200051332"


@pytest.fixture
def creditor(coop):
    """Cura Insieme as a SEPA creditor: the EPC's sample Italian creditor identifier."""
    return services.set_creditor(
        coop, name="Cura Insieme", identifier="IT66ZZZA1B2C3D4E5F6G7H8", iban=IBAN_IT
    )


@pytest.fixture
def paying_member(supporter_class):
    """A supporter with 4 shares of 50 subscribed, 50 paid, the 150 left in three monthly
    instalments from 1 December 2026, and a mandate on a Spanish account."""
    member = factories.admitted_member(supporter_class, paid=Decimal(50), shares=4)
    services.plan_instalments(member, 3, date(2026, 12, 1))
    services.sign_mandate(
        member, debtor_name=member.full_name, iban=IBAN_ES, signed_on=date(2026, 11, 2)
    )
    return member
