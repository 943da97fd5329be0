"""The circle's choice of carers, made on their page (``care.services.choose_carer``), is the
one the planner reads at the next roster run: a refused carer gets none of the person's
visits, a preferred one is weighed and said to be why."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.care import services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from coopcare.rostering.services import runs
from tests import factories
from tests.rostering.conftest import carer_with, next_weekday


@pytest.fixture
def rosa(coop):
    """Rosa, with a daily 45-minute visit at 9:00; Ana and Ben, both qualified and free,
    came to her last week; her son may choose her carers."""
    person = factories.person_cared_for(coop, full_name="Rosa")
    factories.care_plan(person, valid_from=date(2026, 1, 1), skills="personal")
    ana, ben = carer_with(coop, "ana"), carer_with(coop, "ben")
    for days_ago, carer in ((6, ana), (5, ben)):
        came = factories.visit(
            person, carers=[carer], day=timezone.localdate() - timedelta(days_ago)
        )
        factories.recorded_visit(came, carer)
    son = factories.user_with_role(coop, Role.CIRCLE, username="son")
    grant = services.add_to_circle(
        person,
        user=son,
        full_name="Son",
        relationship=Relationship.FAMILY,
        may_choose_carers=True,
        granted_by="Rosa",
        granted_on=date(2026, 1, 1),
    )
    return {"person": person, "ana": ana, "ben": ben, "grant": grant}


def rostered_to(coop, coordinator, person, day) -> list:
    run = runs.start_run(coop, day, day, coordinator, seconds=1)
    roster = run.rosters.get()
    return list(roster.assignments.filter(visit__person=person).select_related("carer"))


@pytest.mark.parametrize("refused", ["ana", "ben"])
def test_a_refusal_on_the_page_keeps_the_carer_off_the_next_roster(
    coop, coordinator, rosa, refused
):
    services.choose_carer(rosa["grant"], rosa[refused].pk, "refused")
    day = next_weekday(1)
    [given] = rostered_to(coop, coordinator, rosa["person"], day)
    kept = "ben" if refused == "ana" else "ana"
    assert given.carer == rosa[kept]


@pytest.mark.parametrize("preferred", ["ana", "ben"])
def test_a_preference_on_the_page_is_weighed_and_said(coop, coordinator, rosa, preferred):
    services.choose_carer(rosa["grant"], rosa[preferred].pk, "preferred")
    [given] = rostered_to(coop, coordinator, rosa["person"], next_weekday(1))
    assert given.carer == rosa[preferred]
    assert "preferred" in [code for code, _values in given.reasons]
