from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.rostering.models import AbsenceKind, Assignment, Roster, RosterStatus
from coopcare.rostering.services.availability import add_absence
from coopcare.rostering.services.publishing import publish
from coopcare.visits.services import generate_visits
from coopcare.work.services import qualifications
from tests import factories
from tests.work.conftest import contract


def next_weekday(weekday: int) -> date:
    """The next such weekday after today (so rosters are always for days to come)."""
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


@pytest.fixture
def day():
    """A Tuesday to come: far enough that no visit of it has begun."""
    return next_weekday(1)


def carer_with(coop, username, skills="personal", **contract_fields):
    user = factories.user_with_role(
        coop,
        Role.CARER,
        username=username,
        first_name=username.title(),
        last_name="Test",
        email=f"{username}@example.org",
    )
    contract(coop, user, **contract_fields)
    qualifications.add_qualification(
        coop,
        user,
        {
            "name": "OSS",
            "skills": skills,
            "obtained_on": date(2025, 1, 1),
            "expires_on": None,
            "issued_by": "Regione",
        },
    )
    return user


@pytest.fixture
def ana(coop):
    return carer_with(coop, "ana", skills="personal, hoist")


@pytest.fixture
def ben(coop):
    return carer_with(coop, "ben")


@pytest.fixture
def people(coop, day):
    """Two people about 2 km apart, each with a daily 45-minute visit at 9:00 (Rosa) and
    10:00 (Marco)."""
    rosa = factories.person_cared_for(
        coop, full_name="Rosa", latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    marco = factories.person_cared_for(
        coop, full_name="Marco", latitude=Decimal("44.5060"), longitude=Decimal("11.3600")
    )
    factories.care_plan(rosa, valid_from=date(2026, 1, 1), skills="personal")
    factories.care_plan(marco, valid_from=date(2026, 1, 1), start_time=time(10, 0))
    return rosa, marco


def visits_on(person, day):
    generate_visits(person, day, day)
    return person.visits.get(starts_at__date=day)


def published_with(coop, coordinator, day, given: dict) -> Roster:
    """A published roster of ``day`` giving each visit to its carers, as a coordinator who
    edited a draft would have it."""
    roster = Roster.objects.create(cooperative=coop, first_day=day, last_day=day)
    Assignment.objects.bulk_create(
        Assignment(roster=roster, visit=visit, carer=carer)
        for visit, carers in given.items()
        for carer in carers
    )
    publish(roster, coordinator, notify=False)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    return roster


def away(coop, carer, day, kind=AbsenceKind.SICKNESS):
    absence, _clashing = add_absence(
        coop, carer, {"kind": kind, "first_day": day, "last_day": day, "note": ""}
    )
    return absence
