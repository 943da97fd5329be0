from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.medication import services
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer", first_name="Ana")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Rosa Bianchi")


@pytest.fixture
def visit(person, carer):
    """A visit by ``carer`` that began 30 minutes ago (so the carer may see Rosa now)."""
    began = timezone.localtime() - timedelta(minutes=30)
    return factories.visit(
        person,
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps="Wash",
    )


def prescription(**fields) -> dict:
    """A medicine at fixed times, as a coordinator fills it in (``fields`` change it)."""
    return {
        "name": "Ramipril",
        "ingredients": "ramipril",
        "strength": "5 mg",
        "form": "tablet",
        "dose_amount": Decimal(1),
        "dose_unit": "tablet",
        "route": "mouth",
        "schedule": "fixed",
        "times": ["08:00"],
        "max_per_day": None,
        "min_gap_minutes": None,
        "starts_on": date(2026, 1, 1),
        "ends_on": None,
        "prescriber": "Dr Conti",
        "support": "administer",
        "instructions": "With water.",
    } | fields


def as_needed(**fields) -> dict:
    """Paracetamol as needed: at most 4 in 24 hours, 4 hours apart."""
    return (
        prescription(
            name="Paracetamol",
            ingredients="paracetamol",
            strength="500 mg",
            dose_amount=Decimal(2),
            schedule="as_needed",
            times=[],
            max_per_day=4,
            min_gap_minutes=240,
        )
        | fields
    )


@pytest.fixture
def due_now(visit, coordinator):
    """Ramipril due at the visit's start (the start time on the cooperative's clock)."""
    at = timezone.localtime(visit.starts_at).strftime("%H:%M")
    return services.add_medicine(visit.person, by=coordinator, **prescription(times=[at]))


@pytest.fixture
def checked_in(visit, carer):
    from uuid import uuid4

    from coopcare.visits import services as visit_services

    visit_services.check_in(visit, carer, client_id=uuid4(), at=timezone.now())
    return visit
