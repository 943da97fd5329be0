"""Whatever gives visits carers or moves them (a published roster, a move in time, a visit
given to other carers, a one-off visit added with its carers), every carer's row
carries its visit's start (``VisitCarer.starts_at``), which the carer's pages find their
visits by, and its person and whether the person knew the carer: the copies never drift
from the visit."""

from datetime import time

import pytest

from coopcare.rostering.services import runs
from coopcare.rostering.services.publishing import publish
from coopcare.rostering.services.visit_changes import add, move
from coopcare.visits.models import VisitCarer, VisitStatus
from coopcare.visits.services import local_moment
from tests.rostering.conftest import carer_with
from tests.visits.rows import drifted, misknown


@pytest.fixture
def published(coop, coordinator, ana, ben, people, day):
    run = runs.start_run(coop, day, day, coordinator, seconds=1)
    roster = run.rosters.get()
    publish(roster, coordinator, notify=False)
    return roster


def test_no_service_that_moves_or_gives_visits_leaves_a_row_behind(
    coop, coordinator, published, people, day
):
    rows = VisitCarer.objects.filter(visit__cooperative=coop)
    assert rows.exists() and not drifted().exists()
    visit = people[0].visits.get(starts_at__date=day)
    moved = move(
        visit,
        coordinator,
        starts_at=local_moment(day, time(14, 0)),
        reason="Physiotherapy in the morning",
        override_reason="Agreed with her",
    )
    assert moved.status == VisitStatus.PLANNED and moved.carer_rows.exists()
    assert not drifted().exists() and not misknown()
    carla = carer_with(coop, "carla")
    move(moved, coordinator, starts_at=moved.starts_at, carers=[carla], override_reason="Cover")
    assert [r.carer for r in moved.carer_rows.all()] == [carla]
    assert not drifted().exists() and not misknown()
    added = add(
        people[1],
        people[1].plans.get().tasks.get(),
        local_moment(day, time(17, 0)),
        30,
        coordinator,
        carers=[carla],
        override_reason="Asked for",
    )
    assert added.carer_rows.get().starts_at == added.starts_at
    assert not drifted().exists() and not misknown()
