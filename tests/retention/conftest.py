"""A cooperative in England (eight years for care records) with two people whose care ended
in March 2017, nine years before the test's day: one free to anonymise, one whose records an
open complaint holds. Each had a visit with notes, a closed incident and a message in 2016."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coopcare.care import access as care_access
from coopcare.care import services as care_services
from coopcare.care.models import CareRecordRead
from coopcare.conversations import services as conversations
from coopcare.conversations.models import Side
from coopcare.cooperatives.models import Role
from coopcare.visits import services as visits
from coopcare.voice import services as voice
from tests import factories

ROME = ZoneInfo("Europe/Rome")
TODAY = date(2026, 11, 22)


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


def _past_care(coop, coordinator, carer, name: str):
    person = factories.person_cared_for(
        coop, full_name=name, date_of_birth=date(1931, 4, 17), on=date(2015, 1, 1)
    )
    factories.door_facts(person, coordinator)
    planned = factories.visit(person, [carer], day=date(2016, 5, 10))
    factories.recorded_visit(planned, carer, notes=f"{name} was tired today.")
    incident = visits.report_incident(
        planned,
        carer,
        occurred_at=datetime(2016, 5, 10, 9, 20, tzinfo=ROME),
        kind="fall",
        severity="low",
        description=f"{name} slipped in the bathroom.",
    )
    visits.close_incident(incident, date(2016, 6, 1), "Grab rail fitted.")
    conversations.send_message(
        person,
        coordinator,
        Side.OFFICE,
        "The visit moves to 10:00.",
        now=datetime(2016, 5, 9, 12, 0, tzinfo=ROME),
    )
    care_access.log_read(coordinator, person, "care record")
    care_services.change_status(person, "ended", date(2017, 3, 1), "Moved to a care home.")
    return person


@pytest.fixture
def past(coop, coordinator, carer):
    """(free, held): two people whose care ended in 2017; the second has an open complaint."""
    coop.country = "GB"
    coop.save(update_fields=["country"])
    free = _past_care(coop, coordinator, carer, "Edith Clarke")
    held = _past_care(coop, coordinator, carer, "Walter Price")
    voice.file_complaint(
        held,
        by=coordinator,
        about="care",
        description="The family disputes the care given in 2016.",
        complainant_name="Ann Price",
    )
    # Reads are stamped when written; these two were in 2016.
    CareRecordRead.objects.filter(cooperative=coop).update(
        at=datetime(2016, 5, 11, 8, 0, tzinfo=ROME)
    )
    return free, held
