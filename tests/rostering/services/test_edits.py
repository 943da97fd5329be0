"""Manual edits are checked against the hard rules, and soft rules need a recorded reason."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.rostering import queries
from coopcare.rostering.models import Absence, AbsenceKind, Assignment
from coopcare.rostering.services import edits, runs
from coopcare.rostering.services.availability import add_absence, add_slot
from coopcare.rostering.services.publishing import publish
from coopcare.rostering.wording import name_of
from coopcare.visits.services import add_carer
from coopcare.work import queries as work_queries
from coopcare.work.services.homes import set_home
from tests import factories
from tests.rostering.conftest import carer_with, visits_on


@pytest.fixture
def draft(coop, coordinator, ana, ben, people, day):
    return runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()


def rosa_visit(people, day):
    return visits_on(people[0], day)


def test_a_carer_without_the_skill_is_refused(coop, coordinator, draft, people, day):
    carla = carer_with(coop, "carla", skills="meds")
    with pytest.raises(ValidationError, match="no valid qualification that day for: personal"):
        edits.give(draft, rosa_visit(people, day), [carla], coordinator)


def test_a_refused_carer_is_refused(coordinator, draft, ana, people, day):
    people[0].refused_carers.add(ana)
    with pytest.raises(ValidationError, match="has refused Ana Test"):
        edits.give(draft, rosa_visit(people, day), [ana], coordinator, "she asked")


def test_a_carer_away_or_outside_their_hours_is_refused(
    coop, coordinator, draft, ana, ben, people, day
):
    add_absence(coop, ana, {"kind": "leave", "first_day": day, "last_day": day, "note": ""})
    with pytest.raises(ValidationError, match=r"Ana Test is not available then \(away \(leave\)\)"):
        edits.give(draft, rosa_visit(people, day), [ana], coordinator, "needed")
    add_slot(coop, ben, day.weekday(), time(14), time(18))
    with pytest.raises(ValidationError, match="Ben Test is not available then"):
        edits.give(draft, rosa_visit(people, day), [ben], coordinator, "needed")


def test_a_double_handed_visit_needs_two_different_carers(coop, coordinator, ana, ben, day):
    person = factories.person_cared_for(coop, full_name="Lia")
    factories.care_plan(person, double_handed=True, skills="personal")
    roster = runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()
    visit = visits_on(person, day)
    with pytest.raises(ValidationError, match="double-handed visit: it needs two different"):
        edits.give(roster, visit, [ana], coordinator, "x")
    with pytest.raises(ValidationError, match="The same carer is chosen twice"):
        edits.give(roster, visit, [ana, ana], coordinator, "x")
    edits.give(roster, visit, [ana, ben], coordinator, "a new person: nobody knows her yet")
    assert set(roster.assignments.filter(visit=visit).values_list("carer", flat=True)) == {
        ana.pk,
        ben.pk,
    }


def test_a_carer_cannot_be_in_two_places(coop, coordinator, draft, ana, ben, people, day):
    rosa = factories.person_cared_for(coop, full_name="Other")
    factories.care_plan(rosa, skills="personal")  # also at 9:00
    other = visits_on(rosa, day)
    edits.take_off(draft, rosa_visit(people, day), coordinator)
    draft.unplaced.get_or_create(visit=other, defaults={"reasons": []})
    Assignment.objects.filter(roster=draft).delete()
    edits.give(draft, rosa_visit(people, day), [ana], coordinator, "test")
    with pytest.raises(ValidationError, match="Ana Test is with Rosa then"):
        edits.give(draft, other, [ana], coordinator, "test")


def test_working_time_law_is_a_hard_rule(coop, coordinator, draft, ana, people, day):
    """Directive 2003/88/EC art. 3: 11 consecutive hours of rest in 24, so a working day may
    span at most 13 h: 6:00 to 20:15 is too long (the gaps are shorter than the rest)."""
    late = factories.person_cared_for(coop, full_name="Nina")
    factories.care_plan(late, start_time=time(19, 30), skills="personal")
    early = factories.person_cared_for(coop, full_name="Ugo")
    factories.care_plan(early, start_time=time(6, 0), skills="personal")
    late_visit, early_visit = visits_on(late, day), visits_on(early, day)
    for visit in (late_visit, early_visit):
        draft.unplaced.create(visit=visit, reasons=[])
    edits.give(draft, early_visit, [ana], coordinator, "test")
    with pytest.raises(ValidationError, match=r"Directive 2003/88/EC art\. 3"):
        edits.give(draft, late_visit, [ana], coordinator, "test")


def working_time_breaches(check: edits.Check) -> list[str]:
    return [str(e.message) for e in check.hard if e.code == "working_time_breach"]


def test_a_roster_edit_counts_the_journeys_from_home_as_the_working_time_page_does(
    coop, coordinator, draft, ana, day
):
    """CJEU C-266/14 *Tyco*: the journeys from home to the first visit and from the last one
    home are working time. Visits from 7:00 to 19:45 leave 11 h 15 of rest; with half an
    hour's journey each way from a home 10 km off, they leave less than the 11 h of Directive
    2003/88/EC art. 3. The edit is refused with the breach the working-time page shows for the
    same visits."""
    at_rosa = {"latitude": Decimal("44.4940"), "longitude": Decimal("11.3430")}
    visits = []
    for hour in (7, 13, 19):
        person = factories.person_cared_for(coop, full_name=f"At {hour}", **at_rosa)
        factories.care_plan(person, start_time=time(hour, 0), skills="personal")
        visits.append(visits_on(person, day))
        draft.unplaced.create(visit=visits[-1], reasons=[])
    *given, last = visits
    for visit in given:
        edits.give(draft, visit, [ana], coordinator, "test")
    assert working_time_breaches(edits.check(draft, last, [ana])) == []

    set_home(coop, ana, {"latitude": Decimal("44.5840"), "longitude": Decimal("11.3430")})
    refused = working_time_breaches(edits.check(draft, last, [ana]))
    for assignment in draft.assignments.filter(carer=ana).select_related("visit"):
        add_carer(assignment.visit, ana)
    add_carer(last, ana)
    on_the_page = work_queries.working_time_breaches(coop, day, day, carers=[ana])[ana]
    assert refused and refused == [str(b.detail) for b in on_the_page]
    with pytest.raises(ValidationError, match=r"Directive 2003/88/EC art\. 3"):
        edits.give(draft, last, [ana], coordinator, "test")


def test_a_roster_edit_holds_days_of_leave_and_sickness_neutral(coop, draft, ana, ben, day):
    """Directive 2003/88/EC art. 16(b): the edit's check of the average week has the carer's
    days of sick leave (and annual leave) before it, as the working-time page has; other days
    away are not neutral."""
    week_before = day - timedelta(days=7)
    for carer, kind in ((ana, AbsenceKind.SICKNESS), (ben, AbsenceKind.TRAINING)):
        Absence.objects.create(
            cooperative=coop, carer=carer, kind=kind, first_day=week_before, last_day=day
        )
    working = queries.working_times(draft, [ana.pk, ben.pk], day)
    assert working[ana.pk].facts.days_away == {week_before + timedelta(days=n) for n in range(8)}
    assert working[ben.pk].facts.days_away == set()


def test_a_soft_rule_needs_a_reason_which_is_kept(coop, coordinator, draft, people, day):
    carla = carer_with(coop, "carla")  # qualified and free, but Rosa does not know her
    visit = rosa_visit(people, day)
    with pytest.raises(ValidationError) as refused:
        edits.give(draft, visit, [carla], coordinator)
    assert "Rosa does not know Carla Test yet (continuity of care)." in refused.value.messages
    assert "Give a reason" in refused.value.messages[-1]
    edits.give(draft, visit, [carla], coordinator, "Ana is on a course that morning")
    given = draft.assignments.get(visit=visit)
    assert given.carer == carla and given.changed_by == coordinator
    assert given.override_reason == "Ana is on a course that morning"
    assert ["override", {"reason": "Ana is on a course that morning"}] in given.reasons


def test_a_published_roster_is_not_edited_in_place(coordinator, draft, ana, people, day):
    publish(draft, coordinator)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        edits.give(draft, rosa_visit(people, day), [ana], coordinator, "x")


def test_taking_a_visit_off_leaves_it_unplaced_with_who_did_it(coordinator, draft, people, day):
    visit = rosa_visit(people, day)
    edits.take_off(draft, visit, coordinator)
    assert not draft.assignments.filter(visit=visit).exists()
    assert draft.unplaced.get(visit=visit).reasons == [
        ["taken_off", {"name": name_of(coordinator)}]
    ]


def test_a_draft_is_checked_in_full_for_working_time(coop, coordinator, draft, ana, day):
    """Directive 2003/88/EC art. 3, as above: a draft (here written by hand, as the planner
    does not model every rule) lists each carer's breaches before it is published."""
    assert queries.roster_breaches(draft) == []
    for hour in (6, 19):
        person = factories.person_cared_for(coop, full_name=f"At {hour}")
        factories.care_plan(person, start_time=time(hour, 30), skills="personal")
        Assignment.objects.create(roster=draft, visit=visits_on(person, day), carer=ana)
    [(carer, details)] = queries.roster_breaches(draft)
    assert carer == ana and "art. 3" in details[0]
