"""Care rules: plans, assessments, consents and verification."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from coopcare.care import services
from coopcare.care.models import Assessment, CarePlan, CareTask, ConsentKind, Verification
from coopcare.visits.models import Visit
from tests import factories
from tests.care.conftest import KATZ_ALL_INDEPENDENT, LAWTON_INDEPENDENT


def test_assessments_are_scored_and_never_overwritten(coop):
    person = factories.person_cared_for(coop)
    assessor = factories.UserFactory()
    first = services.record_assessment(
        person,
        domain="physical",
        on=date(2026, 2, 1),
        assessor=assessor,
        scale="katz_adl",
        items=KATZ_ALL_INDEPENDENT | {"bathing": "dependent", "dressing": "dependent"},
    )
    assert first.score == 4
    first.score = 6
    for attempt in (first.save, first.delete, lambda: person.assessments.update(score=6)):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "kept_as_written"
    services.record_assessment(
        person,
        domain="developmental",
        on=date(2026, 3, 1),
        assessor=assessor,
        notes="Speech and motor milestones on track for 4 years; needs support with peers.",
    )
    assert Assessment.objects.filter(person=person).count() == 2


@pytest.mark.parametrize(
    "scale, items",
    [
        # Two of Katz's six functions left out: scored as 0 before, that would read 4 of 6.
        ("katz_adl", {k: "independent" for k in list(KATZ_ALL_INDEPENDENT)[:4]}),
        # Lawton's eight domains less finances: scored as 0 before, 7 of 8 instead of unknown.
        ("lawton_iadl", {k: v for k, v in LAWTON_INDEPENDENT.items() if k != "finances"}),
    ],
)
def test_an_assessment_with_items_left_out_is_refused_not_scored_as_zero(coop, scale, items):
    """Katz (1963/1970) and Lawton & Brody (1969) total the points of every item; an item left
    out is unknown, not 0, so such an assessment gets no total and is not recorded."""
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError, match="must be answered") as refused:
        services.record_assessment(
            person,
            domain="physical",
            on=date(2026, 2, 1),
            assessor=factories.UserFactory(),
            scale=scale,
            items=items,
        )
    assert refused.value.code == "incomplete_assessment"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "items, code",
    [
        (KATZ_ALL_INDEPENDENT | {"cooking": "independent"}, "unknown_item"),
        (KATZ_ALL_INDEPENDENT | {"bathing": True}, "invalid_answer"),
        (KATZ_ALL_INDEPENDENT | {"bathing": "independently"}, "invalid_answer"),
    ],
)
def test_an_answer_that_is_not_the_scales_is_refused(coop, items, code):
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError) as refused:
        services.record_assessment(
            person,
            domain="physical",
            on=date(2026, 2, 1),
            assessor=factories.UserFactory(),
            scale="katz_adl",
            items=items,
        )
    assert refused.value.code == code
    assert not Assessment.objects.exists()


def test_assessment_without_scale_needs_notes(coop):
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError, match="needs written notes"):
        services.record_assessment(
            person, domain="social", on=date(2026, 2, 1), assessor=factories.UserFactory()
        )


@pytest.mark.parametrize(
    "rule", ["FREQ=HOURLY", "every day", "DTSTART:20260101T000000\nFREQ=DAILY"]
)
def test_bad_repeat_rule_is_refused_and_nothing_written(coop, rule):
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError):
        factories.care_plan(person, rrule=rule)
    assert not CarePlan.objects.exists() and not Visit.objects.exists()


def test_plan_versions_count_up_and_may_not_go_back_in_time(coop):
    person = factories.person_cared_for(coop)
    assert factories.care_plan(person, valid_from=date(2026, 3, 2)).version == 1
    assert factories.care_plan(person, valid_from=date(2026, 4, 1)).version == 2
    with pytest.raises(ValidationError, match="cannot apply before"):
        factories.care_plan(person, valid_from=date(2026, 3, 15))
    assert services.current_plan(person, date(2026, 3, 20)).version == 1
    assert services.current_plan(person, date(2026, 4, 2)).version == 2
    assert services.current_plan(person, date(2026, 3, 1)) is None
    assert time(9) == person.plans.get(version=2).tasks.get().start_time


MORNING_CARE = {
    "title": "Morning care",
    "rrule": "FREQ=DAILY",
    "start_time": time(9, 0),
    "duration_minutes": 45,
}


def test_a_new_plan_comes_with_its_four_weeks_of_visits(coop):
    person = factories.person_cared_for(coop)
    plan = services.new_care_plan(
        person,
        valid_from=date(2026, 3, 2),
        goals="Stay safely at home",
        tasks=[MORNING_CARE],
        today=date(2026, 3, 10),
    )
    # From today, the later of the two, for the horizon.
    visits = Visit.objects.filter(person=person, plan=plan).order_by("starts_at")
    assert plan.visits_planned == visits.count() == 28
    assert visits.first().starts_at.date() == date(2026, 3, 10)
    # A later version replaces the planned visits from its date and plans its own horizon.
    second = services.new_care_plan(
        person,
        valid_from=date(2026, 3, 20),
        goals="Stay safely at home",
        tasks=[MORNING_CARE | {"start_time": time(10, 0)}],
        today=date(2026, 3, 10),
    )
    assert Visit.objects.filter(person=person, plan=plan).count() == 10
    assert Visit.objects.filter(person=person, plan=second).count() == 28


def test_a_plan_whose_visits_cannot_be_generated_is_not_saved(coop, monkeypatch):
    from coopcare.visits import services as visit_services

    def broken(*args, **kwargs):
        raise RuntimeError("no visits today")

    person = factories.person_cared_for(coop)
    monkeypatch.setattr(visit_services, "generate_horizon", broken)
    with pytest.raises(RuntimeError):
        services.new_care_plan(
            person, valid_from=date(2026, 3, 2), goals="Stay safely at home", tasks=[MORNING_CARE]
        )
    assert not CarePlan.objects.exists() and not CareTask.objects.exists()
    assert not Visit.objects.exists()


def test_location_verification_needs_consent_and_ends_with_it(coop):
    """DESIGN.md: location is recorded only with the consent of the person cared for."""
    person = factories.person_cared_for(coop)
    with pytest.raises(ValidationError, match="consent"):
        services.choose_verification(person, Verification.LOCATION)
    services.give_consent(person, ConsentKind.LOCATION, "the person", date(2026, 2, 1))
    services.choose_verification(person, Verification.LOCATION)
    services.withdraw_consent(person, ConsentKind.LOCATION, date(2026, 2, 10))
    person.refresh_from_db()
    assert person.verification == Verification.CONFIRMATION


def test_consent_recorded_once_until_withdrawn(coop):
    person = factories.person_cared_for(coop)
    services.give_consent(
        person, ConsentKind.CARE, "her daughter (legal guardian)", date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.give_consent(person, ConsentKind.CARE, "again", date(2026, 1, 2))


def test_status_changes_are_dated_and_kept(coop):
    person = factories.person_cared_for(coop, status="referral")
    services.change_status(person, "active", date(2026, 1, 10))
    services.change_status(person, "paused", date(2026, 2, 1), "hospital stay")
    with pytest.raises(ValidationError, match="before the previous"):
        services.change_status(person, "active", date(2026, 1, 20))
    assert list(person.statuses.values_list("status", flat=True)) == [
        "referral",
        "active",
        "paused",
    ]
