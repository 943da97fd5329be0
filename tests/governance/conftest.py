from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopcare.governance.models import AssemblyKind
from coopcare.governance.services.assemblies import call_assembly, open_session, record_attendance
from coopcare.members.models import StakeholderKind
from tests import factories


@pytest.fixture
def classes(coop):
    """Three weighted classes (SCIC style): workers 50 %, people cared for 30 %, supporters 20 %."""
    return {
        name: factories.StakeholderClassFactory(
            cooperative=coop, name=name, kind=kind, vote_weight=Decimal(weight)
        )
        for name, kind, weight in [
            ("Workers", StakeholderKind.WORKER, "50"),
            ("People cared for", StakeholderKind.PERSON_CARED_FOR, "30"),
            ("Supporters", StakeholderKind.SUPPORTER, "20"),
        ]
    }


@pytest.fixture
def members(classes):
    """Paid-up members with logins: 4 workers, 3 people cared for, 3 supporters."""
    out = {}
    for name, count in (("Workers", 4), ("People cared for", 3), ("Supporters", 3)):
        out[name] = [
            factories.admitted_member(
                classes[name],
                full_name=f"{name} {i}",
                user=factories.UserFactory(),
                on=date(2025, 1, 10),
            )
            for i in range(count)
        ]
    return out


def at(day: int, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime(2026, 4, day, hour))


@pytest.fixture
def assembly(coop, members):
    """An ordinary assembly called with 15 days' notice, now in session."""
    called = call_assembly(
        coop,
        kind=AssemblyKind.ORDINARY,
        title="Annual general assembly",
        starts_at=at(20),
        called_on=date(2026, 4, 1),
        place="Sala civica",
        agenda=["Accounts 2025", "Roster policy"],
    )
    return open_session(called, at(20))


def attend(assembly, *members, mode="in_person"):
    for member in members:
        record_attendance(assembly, member, mode, at=assembly.opened_at)


def online_window(now=None):
    now = now or timezone.now()
    return now - timedelta(days=1), now + timedelta(days=6)
