"""A childcare centre in England (the EYFS ratios) with two rooms, a coordinator, two workers,
and a baby, Amira, enrolled with her mother Hana (who has a login) and her grandfather Omar
authorised to collect her; a second child, Leo, with his own father."""

from dataclasses import dataclass
from datetime import date

import pytest

from coopcare.childcare import services
from coopcare.childcare.models import AuthorisedAdult, Child, Guardian, Room
from coopcare.cooperatives.models import Role
from tests import factories


@dataclass
class Centre:
    coop: object
    coordinator: object
    worker: object
    other_worker: object
    babies: Room
    twos: Room
    amira: Child
    hana: Guardian
    hana_user: object
    omar: AuthorisedAdult
    leo: Child
    leo_father: Guardian


@pytest.fixture
def centre(db) -> Centre:
    coop = factories.CooperativeFactory(
        country="GB", runs_childcare=True, runs_home_care=False, slug="sangini"
    )
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    worker = factories.user_with_role(coop, Role.CARER)
    other_worker = factories.user_with_role(coop, Role.CARER)
    babies = services.add_room(coop, name="Babies", from_months=0, to_months=24, capacity=9)
    twos = services.add_room(coop, name="Twos", from_months=24, to_months=36, capacity=15)
    amira = services.enrol(
        coop,
        full_name="Amira Patel",
        born_on=date(2025, 6, 1),
        enrolled_on=date(2026, 1, 5),
        room=babies,
        allergies="Peanuts",
        health_notes="Eczema: cream after lunch",
    )
    hana_user = factories.UserFactory(username="hana")
    hana = services.add_guardian(
        amira, full_name="Hana Patel", phone="+44 7700 900123", user=hana_user, by=coordinator
    )
    omar = services.authorise_adult(
        amira,
        full_name="Omar Patel",
        relation="grandfather",
        identity_note="grey beard, blue car",
        by=coordinator,
    )
    leo = services.enrol(
        coop,
        full_name="Leo Brown",
        born_on=date(2024, 3, 10),
        enrolled_on=date(2026, 1, 5),
        room=twos,
    )
    leo_father = services.add_guardian(leo, full_name="Sam Brown", by=coordinator)
    return Centre(
        coop,
        coordinator,
        worker,
        other_worker,
        babies,
        twos,
        amira,
        hana,
        hana_user,
        omar,
        leo,
        leo_father,
    )
