from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.rostering import runs
from coopcare.rostering.models import Roster, RosterRun, RosterStatus, RunStatus
from coopcare.rostering.publishing import publish
from tests import factories
from tests.rostering.conftest import visits_on


def run(coop, coordinator, day, **kwargs):
    return runs.start_run(coop, day, day, coordinator, seconds=1, **kwargs)


def test_a_run_makes_a_draft_with_every_visit_given_and_explained(
    coop, coordinator, ana, ben, people, day
):
    started = run(coop, coordinator, day)
    started.refresh_from_db()
    assert started.status == RunStatus.DONE and started.progress == 100
    roster = started.rosters.get()
    assert roster.status == RosterStatus.DRAFT
    given = {
        a.visit.person.full_name: a for a in roster.assignments.select_related("visit__person")
    }
    assert set(given) == {"Rosa", "Marco"}
    assert not roster.unplaced.exists()
    # The 9:00 visit needs "personal", which both have; each assignment says why.
    codes = [code for code, _values in given["Rosa"].reasons]
    assert "skills" in codes and "choice" in codes
    assert roster.costs["total"] >= 0


def test_a_visit_no_carer_is_qualified_for_is_left_out_with_the_reason(coop, coordinator, ben, day):
    person = factories.person_cared_for(coop, full_name="Gina")
    factories.care_plan(person, skills="hoist", double_handed=False)
    started = run(coop, coordinator, day)
    unplaced = started.rosters.get().unplaced.get()
    assert unplaced.reasons == [["no_skills", {"skills": "hoist"}]]


def test_the_persons_refusal_is_respected(coop, coordinator, ana, ben, people, day):
    rosa, _marco = people
    rosa.refused_carers.add(ana)
    roster = run(coop, coordinator, day).rosters.get()
    assert list(roster.assignments.filter(visit__person=rosa).values_list("carer", flat=True)) == [
        ben.pk
    ]


def test_a_carer_away_gets_no_visit(coop, coordinator, ana, ben, people, day):
    from coopcare.rostering.availability import add_absence

    add_absence(coop, ana, {"kind": "sickness", "first_day": day, "last_day": day, "note": ""})
    roster = run(coop, coordinator, day).rosters.get()
    assert set(roster.assignments.values_list("carer", flat=True)) == {ben.pk}


def test_usual_hours_bound_the_carers_day(coop, coordinator, ana, people, day):
    from coopcare.rostering.availability import add_slot

    add_slot(coop, ana, day.weekday(), time(9, 30), time(13, 0))
    roster = run(coop, coordinator, day).rosters.get()
    # Rosa's 9:00 visit falls outside Ana's hours; Marco's 10:00 visit is inside.
    assert [a.visit.person.full_name for a in roster.assignments.all()] == ["Marco"]
    assert roster.unplaced.get().visit.person.full_name == "Rosa"


@pytest.mark.parametrize(
    "offset, message",
    [(-1, "This period is over"), (-7, "This period is over")],
)
def test_a_period_in_the_past_is_refused(coop, coordinator, ana, people, offset, message):
    past = timezone.localdate() + timedelta(days=offset)
    with pytest.raises(ValidationError, match=message):
        runs.start_run(coop, past, past, coordinator)
    assert not RosterRun.objects.exists()


def test_a_period_with_no_carer_is_refused(coop, coordinator, people, day):
    with pytest.raises(ValidationError, match="No carer has a contract"):
        run(coop, coordinator, day)


def test_a_period_with_no_visits_is_refused(coop, coordinator, ana, day):
    with pytest.raises(ValidationError, match="no visits to plan"):
        run(coop, coordinator, day)


def test_a_failed_run_leaves_the_rosters_as_they_were(
    coop, coordinator, ana, ben, people, day, monkeypatch
):
    published = run(coop, coordinator, day).rosters.get()
    publish(published, coordinator)
    rosa_visit = visits_on(people[0], day)
    carers_before = set(rosa_visit.carers.all())
    draft = run(coop, coordinator, day).rosters.get()

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(runs, "plan_day", broken)
    failed = run(coop, coordinator, day)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert "solver crashed" in failed.message and "nothing was changed" in failed.message
    assert not failed.rosters.exists()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == RosterStatus.DRAFT
    assert published.status == RosterStatus.PUBLISHED
    assert set(rosa_visit.carers.all()) == carers_before


def test_a_new_draft_replaces_the_drafts_it_overlaps(coop, coordinator, ana, people, day):
    first = run(coop, coordinator, day).rosters.get()
    second = run(coop, coordinator, day).rosters.get()
    first.refresh_from_db()
    assert first.status == RosterStatus.DISCARDED
    assert second.status == RosterStatus.DRAFT


def test_a_queued_run_can_be_cancelled_before_it_starts(coop, coordinator, ana, people, day):
    queued = RosterRun.objects.create(
        cooperative=coop, first_day=day, last_day=day, seconds_per_day=1, requested_by=coordinator
    )
    runs.cancel(queued)
    assert queued.status == RunStatus.CANCELLED
    assert runs.plan_roster.call(queued.pk) is None  # the worker then skips it
    assert not Roster.objects.exists()


def test_a_run_cancelled_while_running_writes_no_roster(
    coop, coordinator, ana, people, day, monkeypatch
):
    real = runs.plan_day

    def cancel_during(period, *args, **kwargs):
        RosterRun.objects.update(cancel_requested=True)
        return real(period, *args, **kwargs)

    monkeypatch.setattr(runs, "plan_day", cancel_during)
    cancelled = runs.start_run(coop, day, day + timedelta(days=1), coordinator, seconds=1)
    cancelled.refresh_from_db()
    assert cancelled.status == RunStatus.CANCELLED
    assert not Roster.objects.exists()


def test_only_one_run_at_a_time(coop, coordinator, ana, people, day):
    RosterRun.objects.create(
        cooperative=coop, first_day=day, last_day=day, seconds_per_day=1, status="running"
    )
    with pytest.raises(ValidationError, match="already under way"):
        run(coop, coordinator, day)


def test_the_search_time_is_bounded(coop, coordinator, ana, people, day):
    with pytest.raises(ValidationError, match="from 1 to 120 seconds"):
        runs.start_run(coop, day, day, coordinator, seconds=0)
