"""Carers offer visits for swap, take open visits and contest assignments; coordinators decide
under the same rules as their own edits."""

import pytest
from django.core.exceptions import ValidationError

from coopcare.rostering import queries
from coopcare.rostering.models import RequestStatus
from coopcare.rostering.services import requests, runs
from coopcare.rostering.services.publishing import publish
from coopcare.rostering.wording import say
from tests import factories
from tests.rostering.conftest import carer_with, visits_on


@pytest.fixture
def published(coop, coordinator, ana, ben, people, day):
    roster = runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()
    publish(roster, coordinator)
    roster.refresh_from_db()
    return roster


def holder(visit):
    return visit.carers.get()


def test_a_swap_taken_by_a_colleague_and_accepted_moves_the_visit(
    coop, coordinator, published, ana, ben, people, day
):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    taker = ben if giver == ana else ana
    offer = requests.ask(coop, visit, giver, "swap", "Dentist that morning")
    assert visit in queries.open_visits(coop, taker)
    taken = requests.ask(coop, visit, taker, "take")
    assert taken == offer and taken.taker == taker
    requests.decide(offer, coordinator, accept=True, override_reason="they agreed between them")
    assert holder(visit) == taker
    assert offer.status == RequestStatus.ACCEPTED
    assert published.assignments.get(visit=visit).carer == taker


def test_a_swap_to_an_unqualified_colleague_is_refused(coop, coordinator, published, people, day):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    nurse = carer_with(coop, "nurse", skills="meds")
    offer = requests.ask(coop, visit, giver, "swap", "")
    requests.ask(coop, visit, nurse, "take")
    with pytest.raises(ValidationError, match="no valid qualification"):
        requests.decide(offer, coordinator, accept=True, override_reason="x")
    offer.refresh_from_db()
    assert offer.status == RequestStatus.OPEN and holder(visit) == giver


def test_a_contest_needs_a_reason_and_accepting_it_opens_the_visit(
    coop, coordinator, published, people, day
):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    with pytest.raises(ValidationError, match="Say why"):
        requests.ask(coop, visit, giver, "contest", " ")
    contest = requests.ask(coop, visit, giver, "contest", "I told you I can't do Tuesdays")
    requests.decide(contest, coordinator, accept=True)
    assert not visit.carers.exists()
    assert published.unplaced.filter(visit=visit).exists()


def test_an_open_visit_can_be_asked_for_and_given(
    coop, coordinator, published, ana, ben, people, day
):
    lia = factories.person_cared_for(coop, full_name="Lia")
    factories.care_plan(lia, skills="personal")
    visit = visits_on(lia, day)
    published.unplaced.create(visit=visit, reasons=[["none", {}]])
    # Lia's visit is at 9:00, when whichever carer the roster gave Rosa's visit is with her.
    free = ben if holder(visits_on(people[0], day)) == ana else ana
    asked = requests.ask(coop, visit, free, "take")
    requests.decide(asked, coordinator, accept=True, override_reason="new person")
    assert holder(visit) == free


def test_a_carer_cannot_give_away_or_contest_a_visit_that_is_not_theirs(
    coop, published, people, day
):
    visit = visits_on(people[0], day)
    stranger = carer_with(coop, "zed")
    with pytest.raises(ValidationError, match="not yours"):
        requests.ask(coop, visit, stranger, "swap", "")


def test_declined_requests_change_nothing_and_cannot_be_answered_twice(
    coop, coordinator, published, people, day
):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    contest = requests.ask(coop, visit, giver, "contest", "too far")
    requests.decide(contest, coordinator, accept=False, note="Nobody else is free")
    assert holder(visit) == giver and contest.decision_note == "Nobody else is free"
    with pytest.raises(ValidationError, match="already answered"):
        requests.decide(contest, coordinator, accept=True)


def test_asking_twice_is_refused_and_withdrawing_works(coop, published, people, day):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    offer = requests.ask(coop, visit, giver, "swap", "")
    with pytest.raises(ValidationError, match="already asked"):
        requests.ask(coop, visit, giver, "swap", "")
    requests.withdraw(offer, giver)
    assert offer.status == RequestStatus.WITHDRAWN


def test_why_me_comes_from_the_published_roster(coop, published, people, day):
    visit = visits_on(people[0], day)
    giver = holder(visit)
    why = queries.published_assignments(coop, giver, [visit]).get()
    assert "one of 2 carers who could do it" in say(why.reasons)


def test_a_swap_offered_and_then_done_by_its_carer_is_closed(
    coop, coordinator, published, people, day
):
    from datetime import timedelta
    from uuid import uuid4

    from coopcare.visits import services as visits

    visit = visits_on(people[0], day)
    giver = holder(visit)
    offer = requests.ask(coop, visit, giver, "swap", "Dentist that morning")
    other = requests.ask(coop, visits_on(people[1], day), holder(visits_on(people[1], day)), "swap")
    during = visit.starts_at + timedelta(minutes=1)
    visits.check_in(visit, giver, client_id=uuid4(), at=visit.starts_at, now=during)
    steps = [{"step": step, "done": True} for step in visit.task.step_list]
    visits.check_out(
        visit,
        giver,
        client_id=uuid4(),
        at=visit.ends_at,
        steps=steps,
        tapped=True,
        now=visit.ends_at,
    )
    offer.refresh_from_db()
    other.refresh_from_db()
    assert offer.status == RequestStatus.DONE and offer.decided_at == visit.ends_at
    assert offer.decided_by is None
    # Only the visit that was done: the other offer still waits for a coordinator.
    assert other.status == RequestStatus.OPEN
