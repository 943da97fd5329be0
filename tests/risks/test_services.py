"""Risk assessments are versioned and signed, the double-handed link goes through a care plan
version, and reviews record who took part and rate the goals; bad input saves nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from coopcare.risks import services
from coopcare.risks.models import DoubleHanding, Goal, GoalRating, Review, RiskAssessment
from coopcare.visits.models import Visit
from tests import factories
from tests.risks.conftest import circle_member, falls, handling

TODAY = date(2026, 11, 22)


def test_a_new_version_instead_of_an_edit(person, coordinator):
    first = falls(person, coordinator, date(2026, 3, 1))
    second = falls(person, coordinator, TODAY, fallen="yes", worried="yes", unsteady="yes")
    assert (first.version, first.total, first.band) == (1, 0, "low")
    assert (second.version, second.total, second.band) == (2, 4, "high")
    # Signed: the assessor's account and the time.
    assert second.assessor == coordinator and second.signed_at is not None
    assert second.next_review_on == date(2027, 11, 22)  # a year later by default
    second.notes = "changed"
    for attempt in (second.save, second.delete, lambda: person.risk_assessments.update(total=0)):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "kept_as_written"
    assert person.risk_assessments.get(version=2).notes == ""


def test_bad_input_saves_nothing(person, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.assess(
            person,
            kind="skin",
            scale="braden",
            total=40,
            band="",
            assessed_on=TODAY,
            next_review_on=TODAY - timedelta(days=1),
            by=coordinator,
            today=TODAY,
        )
    assert {e.code for e in refused.value.error_list} == {
        "review_date_in_past",
        "risk_total_out_of_range",
        "risk_band_missing",
    }
    assert not RiskAssessment.objects.exists()


def test_two_carers_make_the_chosen_tasks_double_handed(person, coordinator):
    today = date(2026, 11, 20)
    plan = factories.care_plan(person, valid_from=date(2026, 3, 2), title="Hoist transfer")
    task = plan.tasks.get()
    assessment = handling(person, coordinator, today)
    new_plan = services.make_visits_double_handed(
        assessment, task_ids=[task.pk], valid_from=today, by=coordinator, today=today
    )
    assert new_plan.version == 2
    assert new_plan.tasks.get().double_handed
    visits = Visit.objects.filter(person=person, starts_at__date__gte=today)
    assert visits.exists() and all(v.double_handed for v in visits)
    assert DoubleHanding.objects.get(assessment=assessment).plan == new_plan
    # Asked again: those tasks already take two carers.
    with pytest.raises(ValidationError) as refused:
        services.make_visits_double_handed(
            assessment,
            task_ids=[new_plan.tasks.get().pk],
            valid_from=today,
            by=coordinator,
            today=today,
        )
    assert refused.value.code == "already_double_handed"


def test_an_assessment_never_changes_the_plan_by_itself(person, coordinator):
    plan = factories.care_plan(person, valid_from=date(2026, 3, 2))
    handling(person, coordinator, TODAY)
    assert person.plans.count() == 1 and not plan.tasks.get().double_handed


def test_double_handed_needs_the_latest_assessment_for_two(person, coordinator):
    plan = factories.care_plan(person, valid_from=date(2026, 3, 2))
    task = plan.tasks.get()
    two = handling(person, coordinator, date(2026, 10, 1))
    one = handling(person, coordinator, TODAY, carers_needed=1)
    for assessment, code in ((one, "not_two_carers"), (two, "assessment_replaced")):
        with pytest.raises(ValidationError) as refused:
            services.make_visits_double_handed(
                assessment, task_ids=[task.pk], valid_from=TODAY, by=coordinator, today=TODAY
            )
        assert refused.value.code == code
    assert person.plans.count() == 1


def test_a_review_records_who_took_part_and_rates_the_goals(coop, person, coordinator, carer):
    circle = circle_member(person)
    goal = services.set_goal(
        person, words="Walk to the market", set_on=date(2026, 3, 1), by=coordinator, today=TODAY
    )
    review = services.record_review(
        person,
        held_on=TODAY,
        changes="Evening visit moved earlier.",
        circle_ids=[circle.pk],
        carer_ids=[carer.pk],
        others="GP",
        ratings={goal.pk: -1},
        by=coordinator,
        today=TODAY,
    )
    assert review.person_took_part and review.recorded_by == coordinator
    assert list(review.circle.all()) == [circle] and list(review.carers.all()) == [carer]
    assert GoalRating.objects.get(review=review, goal=goal).rating == -1
    assert review.next_review_on == date(2027, 11, 22)


def test_a_review_in_the_past_or_of_strangers_is_refused(coop, person, coordinator):
    other = factories.person_cared_for(coop)
    stranger_goal = Goal.objects.create(person=other, words="x", set_on=TODAY, set_by=coordinator)
    not_a_carer = factories.user_with_role(coop)
    with pytest.raises(ValidationError) as refused:
        services.record_review(
            person,
            held_on=TODAY,
            changes=" ",
            carer_ids=[not_a_carer.pk],
            next_review_on=TODAY - timedelta(days=3),
            ratings={stranger_goal.pk: 5},
            by=coordinator,
            today=TODAY,
        )
    assert {e.code for e in refused.value.error_list} == {
        "review_date_in_past",
        "goal_rating_invalid",
        "changes_missing",
        "not_a_carer_here",
        "goal_not_the_persons",
    }
    assert not Review.objects.exists()
