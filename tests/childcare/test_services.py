"""Enrolment, guardians and authorised adults, consents, the day at the door, rostering and
ratios: what each action writes, and that a refusal writes nothing (but the refusal itself,
at the door)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from coopcare.childcare import queries, services
from coopcare.childcare.models import Attendance, RefusedCollection
from coopcare.cooperatives.models import CooperativeRole, Role
from tests import factories

LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2026, 11, 20, 8, 15, tzinfo=LONDON)


def test_a_guardian_is_authorised_and_given_the_circle_role(centre):
    adults = {a.full_name: a for a in queries.authorised(centre.amira)}
    assert set(adults) == {"Hana Patel", "Omar Patel"}
    assert adults["Hana Patel"].guardian == centre.hana
    assert CooperativeRole.objects.filter(
        user=centre.hana_user, cooperative=centre.coop, role=Role.CIRCLE
    ).exists()


def test_a_sibling_shares_the_guardian_and_is_authorised_once(centre):
    baby = services.enrol(
        centre.coop, full_name="Zara Patel", born_on=date(2026, 5, 1), enrolled_on=date(2026, 9, 1)
    )
    services.add_guardian(baby, guardian=centre.hana, by=centre.coordinator)
    services.add_guardian(baby, guardian=centre.hana, by=centre.coordinator)
    assert set(centre.hana.children.all()) == {centre.amira, baby}
    assert baby.adults.count() == 1


def test_sign_in_then_out_by_an_authorised_adult(centre):
    hana = centre.amira.adults.get(guardian=centre.hana)
    services.sign_in(centre.amira, adult=hana, by=centre.worker, at=MORNING)
    day = services.sign_out(
        centre.amira, adult=centre.omar, by=centre.worker, at=MORNING + timedelta(hours=8)
    )
    assert day.brought_by == hana and day.collected_by == centre.omar
    assert day.signed_out_by == centre.worker


def test_a_child_is_not_signed_in_twice_nor_out_before_in(centre):
    with pytest.raises(ValidationError) as refused:
        services.sign_out(centre.amira, adult=centre.omar, by=centre.worker, at=MORNING)
    assert refused.value.error_list[0].code == "not_signed_in"
    services.sign_in(centre.amira, adult=centre.omar, by=centre.worker, at=MORNING)
    with pytest.raises(ValidationError) as twice:
        services.sign_in(
            centre.amira, adult=centre.omar, by=centre.worker, at=MORNING + timedelta(hours=1)
        )
    assert twice.value.error_list[0].code == "already_signed_in"
    services.sign_out(
        centre.amira, adult=centre.omar, by=centre.worker, at=MORNING + timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as again:
        services.sign_out(
            centre.amira, adult=centre.omar, by=centre.worker, at=MORNING + timedelta(hours=3)
        )
    assert again.value.error_list[0].code == "already_signed_out"
    assert Attendance.objects.count() == 1


def test_someone_not_authorised_is_refused_and_the_refusal_kept(centre):
    services.sign_in(centre.amira, adult=centre.omar, by=centre.worker, at=MORNING)
    later = MORNING + timedelta(hours=6)
    with pytest.raises(ValidationError) as stranger:
        services.sign_out(
            centre.amira, adult=None, person_name="Mark Jones", by=centre.worker, at=later
        )
    assert stranger.value.code == "not_authorised"
    services.withdraw_adult(centre.omar, by=centre.coordinator)
    with pytest.raises(ValidationError):
        services.sign_out(centre.amira, adult=centre.omar, by=centre.worker, at=later)
    # Leo's father is authorised for Leo, not for Amira.
    leos = centre.leo.adults.get()
    with pytest.raises(ValidationError):
        services.sign_out(centre.amira, adult=leos, by=centre.worker, at=later)
    assert Attendance.objects.get().signed_out_at is None
    refused = list(RefusedCollection.objects.order_by("pk"))
    assert [r.person_name for r in refused] == ["Mark Jones", "Omar Patel", "Sam Brown"]
    assert refused[1].adult == centre.omar and refused[2].adult is None


def test_consents_are_given_by_the_childs_guardian_and_withdrawn(centre):
    with pytest.raises(ValidationError) as other:
        services.give_consent(
            centre.amira,
            kind="photos",
            guardian=centre.leo_father,
            given_on=date(2026, 1, 5),
            by=centre.coordinator,
        )
    assert other.value.code == "not_the_childs_guardian"
    consent = services.give_consent(
        centre.amira,
        kind="photos",
        guardian=centre.hana,
        given_on=date(2026, 1, 5),
        by=centre.coordinator,
    )
    with pytest.raises(ValidationError):
        services.give_consent(
            centre.amira,
            kind="photos",
            guardian=centre.hana,
            given_on=date(2026, 2, 5),
            by=centre.coordinator,
        )
    services.withdraw_consent(consent, on=date(2026, 3, 1), by=centre.coordinator)
    assert not queries.consents_in_force(centre.amira).exists()


def test_the_room_goes_over_its_ratio_when_a_fourth_baby_arrives(centre):
    """EYFS, under two: one adult to three children. Worked example: one worker with three
    babies is within the ratio; a fourth baby puts the room over it until a second worker's
    shift starts."""
    services.roster(
        centre.babies,
        worker=centre.worker,
        starts_at=MORNING - timedelta(minutes=15),
        ends_at=MORNING + timedelta(hours=8),
    )
    babies = [centre.amira] + [
        services.enrol(
            centre.coop,
            full_name=f"Baby {n}",
            born_on=date(2025, 9, n),
            enrolled_on=date(2026, 1, 5),
            room=centre.babies,
        )
        for n in (1, 2, 3)
    ]
    for baby in babies[:3]:
        adult = services.authorise_adult(baby, full_name="X", relation="aunt", by=centre.worker)
        services.sign_in(baby, adult=adult, by=centre.worker, at=MORNING)
    at = MORNING + timedelta(minutes=5)
    assert not queries.room_now(centre.babies, at).staffing.over_ratio
    fourth = services.authorise_adult(babies[3], full_name="Y", relation="aunt", by=centre.worker)
    services.sign_in(babies[3], adult=fourth, by=centre.worker, at=at)
    now = queries.room_now(centre.babies, at + timedelta(minutes=1))
    assert now.staffing.needed == 2 and now.staffing.over_ratio
    services.roster(
        centre.babies,
        worker=centre.other_worker,
        starts_at=at,
        ends_at=MORNING + timedelta(hours=8),
    )
    assert not queries.room_now(centre.babies, at + timedelta(minutes=1)).staffing.over_ratio


def test_a_shift_is_a_workers_on_one_day_without_overlap(centre):
    member = factories.UserFactory()
    with pytest.raises(ValidationError) as outsider:
        services.roster(
            centre.babies, worker=member, starts_at=MORNING, ends_at=MORNING + timedelta(hours=1)
        )
    assert outsider.value.code == "not_a_worker"
    services.roster(
        centre.babies, worker=centre.worker, starts_at=MORNING, ends_at=MORNING + timedelta(hours=4)
    )
    with pytest.raises(ValidationError) as overlap:
        services.roster(
            centre.twos,
            worker=centre.worker,
            starts_at=MORNING + timedelta(hours=3),
            ends_at=MORNING + timedelta(hours=5),
        )
    assert overlap.value.code == "shift_overlaps"


def test_the_cooperatives_ratio_replaces_the_default_for_its_band(centre):
    before = {(r.from_months, r.to_months): r for r in queries.ratios(centre.coop)}
    assert before[(36, 72)].children_per_adult == 8 and before[(36, 72)].own is None
    services.set_ratio(
        centre.coop,
        from_months=36,
        to_months=72,
        children_per_adult=13,
        reason="A qualified teacher works in the room every day",
        by=centre.coordinator,
    )
    after = {(r.from_months, r.to_months): r for r in queries.ratios(centre.coop)}
    assert after[(36, 72)].children_per_adult == 13 and after[(36, 72)].own is not None
    assert after[(0, 24)].children_per_adult == 3
    with pytest.raises(ValidationError) as wrong:
        services.set_ratio(
            centre.coop,
            from_months=12,
            to_months=6,
            children_per_adult=0,
            reason=" ",
            by=centre.coordinator,
        )
    assert {e.code for e in wrong.value.error_list} == {
        "age_band_invalid",
        "ratio_out_of_range",
        "reason_missing",
    }
