import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.visits import services as visit_services
from coopcare.visits.models import Visit, VisitRecord, VisitStatus
from coopcare.visits.services import add_carer
from coopcare.work.models import ContractKind
from coopcare.work.services import contracts, homes
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(
        coop, Role.CARER, username="carla", first_name="Carla", last_name="Rossi"
    )


@pytest.fixture
def people(coop):
    """Two people cared for about 2.2 km apart in Bologna (8 minutes by car in town)."""
    near = factories.person_cared_for(
        coop, latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    far = factories.person_cared_for(
        coop, latitude=Decimal("44.5060"), longitude=Decimal("11.3600")
    )
    for person in (near, far):
        factories.care_plan(person, valid_from=date(2026, 1, 1))
    return near, far


def local(day: date, hour: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hour)


def planned(carer, person, day: date, start: float, end: float, status=VisitStatus.PLANNED):
    """A visit of ``person`` on ``day`` from ``start`` to ``end`` (hours), given to ``carer``."""
    visit = Visit.objects.create(
        cooperative=person.cooperative,
        person=person,
        plan=person.plans.get(),
        task=person.plans.get().tasks.get(),
        starts_at=local(day, start),
        ends_at=local(day, end),
        status=status,
    )
    add_carer(visit, carer)
    return visit


def worked(
    carer, person, day: date, start: float, end: float, late_minutes: float = 0
) -> VisitRecord:
    """A visit of ``person`` on ``day`` from ``start`` to ``end`` (hours), done by ``carer``:
    checked in at the start (``late_minutes`` after it if told) and out at the end, each sent
    as it happened, through the check-in service as the carer's phone does."""
    visit = planned(carer, person, day, start, end)
    arrived = visit.starts_at + timedelta(minutes=late_minutes)
    visit_services.check_in(visit, carer, client_id=uuid.uuid4(), at=arrived, now=arrived)
    steps = [{"step": step, "done": True} for step in visit.task.step_list]
    return visit_services.check_out(
        visit, carer, client_id=uuid.uuid4(), at=visit.ends_at, steps=steps, now=visit.ends_at
    ).record


def contract(coop, carer, starts_on=date(2026, 1, 1), **fields):
    fields = {
        "kind": ContractKind.PERMANENT,
        "weekly_hours": Decimal(30),
        "starts_on": starts_on,
    } | fields
    return contracts.start_contract(coop, carer, fields)


def home(coop, carer, latitude="44.4990", longitude="11.3300", address=""):
    """The carer's home place, about 1.3 km west of the first person's home in Bologna."""
    return homes.set_home(
        coop,
        carer,
        {"latitude": Decimal(latitude), "longitude": Decimal(longitude), "address": address},
    )
