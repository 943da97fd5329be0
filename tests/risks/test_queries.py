"""The reviews due and overdue, and goal progress between reviews."""

from datetime import date, timedelta

from coopcare.care import services as care_services
from coopcare.impact import indicators
from coopcare.risks import queries, services
from tests import factories
from tests.risks.conftest import falls

TODAY = date(2026, 11, 22)


def test_due_and_overdue_reviews(coop, person, coordinator):
    # A plan from March 2025 never reviewed: due a year later, overdue now.
    factories.care_plan(person, valid_from=date(2025, 3, 2))
    falls(person, coordinator, date(2026, 3, 1))  # next review 1 March 2027: not yet due
    soon = factories.person_cared_for(coop, full_name="Ada Soon")
    factories.care_plan(soon, valid_from=date(2026, 3, 2))
    services.record_review(
        soon,
        held_on=date(2026, 6, 1),
        changes="None.",
        next_review_on=TODAY + timedelta(days=10),
        by=coordinator,
        today=date(2026, 6, 1),
    )
    rows = queries.people_due(coop, TODAY)
    assert [(r.person, r.kind, r.due_on, r.overdue) for r in rows] == [
        (person, "", date(2026, 3, 2), True),
        (soon, "", TODAY + timedelta(days=10), False),
    ]
    assert rows[0].subject == "care plan"


def test_an_assessment_due_is_listed_by_its_kind(coop, person, coordinator):
    assessment = services.assess(
        person,
        kind="skin",
        scale="braden",
        total=15,
        band="medium",
        assessed_on=date(2026, 9, 1),
        next_review_on=date(2026, 11, 1),
        by=coordinator,
        today=date(2026, 9, 1),
    )
    rows = queries.people_due(coop, TODAY)
    assert [(r.kind, r.due_on, r.overdue) for r in rows] == [
        ("skin", assessment.next_review_on, True)
    ]
    assert rows[0].subject == "skin and pressure"


def test_care_resumed_after_a_pause_brings_the_review_forward(coop, person, coordinator):
    """NICE QS123, statement 5: reviews "in response to any changes in circumstances such as a
    hospital admission". Back from hospital on 20 September 2026, the plan of 2 March is due
    for review that day, not on 2 March 2027."""
    factories.care_plan(person, valid_from=date(2026, 3, 2))
    care_services.change_status(person, "paused", date(2026, 9, 1), reason="Hospital")
    care_services.change_status(person, "active", date(2026, 9, 20))
    person.refresh_from_db()
    [row] = queries.people_due(coop, TODAY)
    assert (row.due_on, row.after_pause, row.overdue) == (date(2026, 9, 20), True, True)


def test_people_whose_goal_ratings_improved(coop, person, coordinator):
    other = factories.person_cared_for(coop)
    ratings = {person: (-2, -1), other: (0, 0)}
    for who, (first, second) in ratings.items():
        goal = services.set_goal(
            who, words="Cook lunch", set_on=date(2026, 1, 5), by=coordinator, today=TODAY
        )
        for held, rating in ((date(2026, 3, 1), first), (date(2026, 9, 1), second)):
            services.record_review(
                who,
                held_on=held,
                changes="None.",
                ratings={goal.pk: rating},
                by=coordinator,
                today=held,
            )
    assert queries.goal_progress(coop, date(2026, 7, 1), date(2026, 12, 31)) == (1, 2)
    # Only reviews in the period count: in the first half, no goal had an earlier rating.
    assert queries.goal_progress(coop, date(2026, 1, 1), date(2026, 6, 30)) == (0, 0)
    figure = indicators.goals_improved(coop, date(2026, 1, 1), date(2026, 12, 31))
    assert (figure.value, figure.base) == (1, 2)
    assert figure.parts == [("improved", 1), ("not improved", 1)]
