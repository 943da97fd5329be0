from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care.models import ServiceType
from coopcare.cooperatives.models import Role
from coopcare.impact import indicators
from coopcare.respite import queries, services
from coopcare.respite.models import Caregiver, Enrolment, Gathering
from tests import factories
from tests.respite.conftest import caregiver

DAY = date(2026, 11, 20)


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def group(coop, facilitator, **fields):
    defaults = dict(
        kind="group",
        topic="Living with dementia at home",
        starts_at=timezone.make_aware(datetime(2026, 11, 12, 17, 0)),
        minutes=90,
        facilitator=facilitator,
        place="Casa del Quartiere",
    )
    return services.plan_gathering(coop, **(defaults | fields))


def test_registering_a_caregiver_of_someone_the_cooperative_cares_for(coop, coordinator, person):
    found = caregiver(coop, person, by=coordinator, notes="Back pain from lifting")
    assert found.cares_for == person and found.recorded_by == coordinator
    assert list(queries.caregivers(coop)) == [found]


def test_a_caregiver_cannot_care_for_another_cooperatives_person(coop, person):
    other = factories.CooperativeFactory(runs_respite=True)
    with pytest.raises(ValidationError) as error:
        caregiver(other, person)
    assert _codes(error.value) == ["person_not_found"]
    assert not Caregiver.objects.exists()


def test_consent_after_the_support_starts_saves_nothing(coop):
    with pytest.raises(ValidationError) as error:
        caregiver(coop, consent_given_on=date(2026, 2, 1), since=date(2026, 1, 5))
    assert _codes(error.value) == ["caregiver_consent_after_support"]
    assert not Caregiver.objects.exists()


def test_support_plans_are_versions_applying_from_their_date(coop, coordinator):
    found = caregiver(coop)
    first = services.new_support_plan(
        found,
        valid_from=date(2026, 2, 1),
        goals="Two afternoons off a week",
        respite_hours_a_month=24,
    )
    second = services.new_support_plan(
        found,
        valid_from=date(2026, 5, 1),
        goals="One evening out",
        respite_hours_a_month=12,
        by=coordinator,
    )
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(ValidationError) as error:
        services.new_support_plan(
            found, valid_from=date(2026, 4, 1), goals="x", respite_hours_a_month=1
        )
    assert _codes(error.value) == ["plan_before_current_version"]


def test_withdrawing_consent_ends_support_and_refuses_what_follows(coop, coordinator):
    found = caregiver(coop)
    services.end_support(found, date(2026, 3, 1), consent_withdrawn=True)
    found.refresh_from_db()
    assert found.ended_on == found.consent_withdrawn_on == date(2026, 3, 1)
    with pytest.raises(ValidationError) as error:
        services.new_support_plan(
            found, valid_from=date(2026, 3, 2), goals="x", respite_hours_a_month=1
        )
    assert _codes(error.value) == ["caregiver_not_supported"]
    with pytest.raises(ValidationError) as error:
        services.end_support(found, date(2026, 4, 1))
    assert _codes(error.value) == ["support_ended"]


def test_a_gathering_is_led_by_a_worker_in_a_place_or_online(coop, coordinator):
    stranger = factories.UserFactory()
    with pytest.raises(ValidationError) as error:
        group(coop, stranger)
    assert _codes(error.value) == ["facilitator_not_a_worker"]
    with pytest.raises(ValidationError) as error:
        group(coop, coordinator, place="")
    assert _codes(error.value) == ["gathering_has_no_place"]
    assert not Gathering.objects.exists()
    online = group(coop, coordinator, place="", online_link="https://meet.example.org/g")
    assert online.online_link


def test_enrolment_and_attendance(coop, coordinator):
    lucia, marco = caregiver(coop), caregiver(coop, full_name="Marco Rossi")
    meeting = group(coop, coordinator)
    services.enrol(meeting, lucia)
    services.enrol(meeting, marco)
    with pytest.raises(ValidationError) as error:
        services.enrol(meeting, lucia)
    assert _codes(error.value) == ["already_enrolled"]
    before = meeting.starts_at - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.record_attendance(meeting, {lucia.pk}, now=before)
    assert _codes(error.value) == ["gathering_not_begun"]
    stranger = caregiver(coop, full_name="Not Enrolled")
    with pytest.raises(ValidationError) as error:
        services.record_attendance(meeting, {lucia.pk, stranger.pk}, now=meeting.starts_at)
    assert _codes(error.value) == ["not_enrolled"]
    assert not Enrolment.objects.filter(attended__isnull=False).exists()
    services.record_attendance(meeting, {lucia.pk}, now=meeting.starts_at)
    assert dict(Enrolment.objects.values_list("caregiver__full_name", "attended")) == {
        "Lucia Bianchi": True,
        "Marco Rossi": False,
    }


def test_a_caregiver_whose_support_ended_is_not_enrolled(coop, coordinator):
    found = caregiver(coop)
    services.end_support(found, date(2026, 10, 31))
    with pytest.raises(ValidationError) as error:
        services.enrol(group(coop, coordinator), found)
    assert _codes(error.value) == ["caregiver_not_supported"]


def test_respite_visits_are_the_sitting_visits_to_the_person_cared_for(coop, person, carer):
    found = caregiver(coop, person)
    sitting = factories.visit(person, [carer], day=DAY, service_type=ServiceType.SITTING)
    assert queries.respite_visits(found) == [sitting]
    elsewhere = factories.person_cared_for(coop)
    factories.visit(elsewhere, [carer], day=DAY, service_type=ServiceType.SITTING)
    assert queries.respite_visits(caregiver(coop, elsewhere, since=DAY + timedelta(days=1))) == []


def test_the_indicators_count_caregivers_respite_hours_and_attendance(coop, coordinator, person):
    carer = factories.user_with_role(coop, Role.CARER)
    lucia = caregiver(coop, person)
    # Her sister, also supported: one visit relieves both, and its hours count once.
    caregiver(coop, person, full_name="Sara Bianchi")
    visit = factories.visit(person, [carer], day=DAY, service_type=ServiceType.SITTING)
    factories.recorded_visit(visit, carer)
    marco = caregiver(coop, full_name="Marco Rossi")
    meeting = group(coop, coordinator)
    training = group(coop, coordinator, kind="training", topic="Moving someone safely")
    for gathering in (meeting, training):
        services.enrol(gathering, marco)
        services.enrol(gathering, lucia)
    services.record_attendance(meeting, {marco.pk, lucia.pk}, now=meeting.starts_at)
    services.record_attendance(training, {marco.pk}, now=training.starts_at)

    start, end = date(2026, 11, 1), date(2026, 11, 30)
    # Shown only where the cooperative runs respite.
    coop.runs_respite = False
    coop.save()
    keys = {i.key for i, _f in indicators.compute(coop, start, end, billing=False)}
    assert "caregivers_supported" not in keys
    coop.runs_respite = True
    coop.save()
    supported = indicators.caregivers_supported(coop, start, end)
    assert supported.value == 3
    assert list(supported.parts) == [("Respite visits", 2), ("support group", 2), ("training", 1)]
    # Checked in on time and out 40 minutes later: 0.7 hours to one decimal.
    assert indicators.respite_hours(coop, start, end).value == Decimal("0.7")
    attendance = indicators.gathering_attendance(coop, start, end)
    assert (attendance.value, attendance.base) == (Decimal("75.0"), 4)
    assert list(attendance.parts) == [("support group", 2), ("training", 1)]
    keys = {i.key for i, _f in indicators.compute(coop, start, end, billing=False)}
    assert {"caregivers_supported", "respite_hours", "gathering_attendance"} <= keys


def test_a_caregiver_login_is_someone_of_the_cooperative(coop):
    with pytest.raises(ValidationError) as error:
        caregiver(coop, user=factories.UserFactory())
    assert _codes(error.value) == ["caregiver_login_elsewhere"]
    assert not Caregiver.objects.exists()


def test_a_cooperative_that_does_not_support_caregivers_registers_none(coop, person):
    coop.runs_respite = False
    coop.save(update_fields=["runs_respite"])
    with pytest.raises(ValidationError) as refused:
        caregiver(coop, person)
    assert refused.value.code == "respite_off"
