"""The rules of check-in and check-out, each test quoting its source."""

from datetime import UTC, datetime, timedelta

from coopcare.care.models import Verification
from coopcare.visits import rules
from coopcare.visits.models import VerifiedHow

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Piazza Navona, Rome; 0.001° of latitude is about 111 m.
HOME = (41.899, 12.473)


# -- the device's clock: coopcare's own rule, CLOCK_SKEW = 5 minutes --------------------------


def test_a_device_clock_up_to_five_minutes_fast_is_taken():
    # "A device clock may run a little fast; more than this ahead of the server is refused."
    assert rules.device_time_problem(NOW + timedelta(minutes=5), NOW) is None
    assert rules.device_time_problem(NOW - timedelta(hours=3), NOW) is None


def test_a_device_time_further_ahead_is_refused():
    problem = rules.device_time_problem(NOW + timedelta(minutes=5, seconds=1), NOW)
    assert problem is not None and problem.code == "time_in_future"


def test_a_device_time_without_its_offset_is_refused():
    problem = rules.device_time_problem(datetime(2026, 11, 23, 9, 0), NOW)
    assert problem is not None and problem.code == "time_without_offset"


# -- lateness and distance from the plan: coopcare's own rules --------------------------------


def test_an_upload_received_more_than_fifteen_minutes_after_its_time_is_late():
    # LATE_UPLOAD_AFTER = 15 minutes: flagged for the coordinators, still accepted.
    assert not rules.uploaded_late(NOW - timedelta(minutes=15), NOW)
    assert rules.uploaded_late(NOW - timedelta(minutes=15, seconds=1), NOW)


def test_a_check_in_more_than_six_hours_from_the_plan_is_far():
    # FAR_FROM_PLAN = 6 hours, before the planned start or after the planned end.
    start, end = NOW, NOW + timedelta(minutes=45)
    assert not rules.far_from_plan(start - timedelta(hours=6), start, end)
    assert not rules.far_from_plan(end + timedelta(hours=6), start, end)
    assert rules.far_from_plan(start - timedelta(hours=6, minutes=1), start, end)
    assert rules.far_from_plan(end + timedelta(hours=6, minutes=1), start, end)


# -- near the home: the person's chosen verification by location, within 250 m ----------------


def test_within_250_metres_of_the_home_is_near():
    # 0.002° of latitude north is about 222 m; 0.003° about 334 m.
    assert rules.near_home(HOME, 41.901, 12.473)
    assert not rules.near_home(HOME, 41.902, 12.473)


def test_no_location_is_not_near():
    assert not rules.near_home(HOME, None, None)


def test_nothing_is_near_a_home_not_placed():
    assert not rules.near_home(None, 41.9, 12.473)


# -- wrong confirmation codes: 5 per visit, 10 per carer, within an hour ----------------------


def test_codes_are_refused_until_the_fifth_latest_wrong_code_leaves_the_hour():
    # "Past either limit, codes are refused without being compared, even the right one, until
    # the wrong codes within the hour fall below the limit again."
    times = [NOW - timedelta(minutes=m) for m in (1, 5, 10, 20, 40)]
    until = rules.refused_until(times, rules.WRONG_CODES_PER_VISIT)
    assert until == NOW - timedelta(minutes=40) + timedelta(hours=1)


def test_under_the_limit_codes_are_taken():
    times = [NOW - timedelta(minutes=m) for m in (1, 5, 10, 20)]
    assert rules.refused_until(times, rules.WRONG_CODES_PER_VISIT) is None


def test_tries_left_is_the_lower_of_the_two_limits():
    # 2 wrong on this visit leave 3 of 5; 8 by the carer leave 2 of 10.
    assert rules.tries_left(wrong_on_visit=2, wrong_by_carer=8) == 2
    assert rules.tries_left(wrong_on_visit=4, wrong_by_carer=4) == 1


# -- how a visit is verified: the person's chosen verification --------------------------------


def how(verification, **given):
    """``rules.verified_how`` with every fact False but those ``given``."""
    facts = dict.fromkeys(("tapped", "code_confirms", "check_in_near", "check_out_near"), False)
    return rules.verified_how(verification, **{**facts, **given})


def test_confirmation_is_verified_by_the_code_or_a_tap():
    assert how(Verification.CONFIRMATION, code_confirms=True, tapped=True) == VerifiedHow.CODE
    assert how(Verification.CONFIRMATION, tapped=True) == VerifiedHow.TAP
    assert how(Verification.CONFIRMATION) == ""


def test_location_is_verified_only_when_both_ends_are_near_the_home():
    assert (
        how(Verification.LOCATION, check_in_near=True, check_out_near=True) == VerifiedHow.LOCATION
    )
    assert how(Verification.LOCATION, check_in_near=True) == ""
    assert how(Verification.LOCATION, tapped=True, code_confirms=True) == ""


def test_a_phone_call_is_left_for_the_coordinator():
    assert how(Verification.PHONE, tapped=True, check_in_near=True, check_out_near=True) == ""
