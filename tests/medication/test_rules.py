"""The pure checks of medication, each with a worked example from its source."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from coopcare.medication import rules

ROME = ZoneInfo("Europe/Rome")


def test_doses_due_in_a_visit_and_within_an_hour_either_side():
    """CMS S&C 12-05-Hospital (2011): "within one hour before or after" the scheduled time.
    A visit from 09:00 to 09:45: the 08:00 dose is exactly an hour before its start, the 10:30
    dose 45 minutes after its end; 11:00 and 13:00 are for later visits."""
    starts = datetime(2026, 11, 20, 9, 0, tzinfo=ROME)
    due = rules.doses_due(
        ["08:00", "10:30", "11:00", "13:00"],
        starts=starts,
        ends=starts + timedelta(minutes=45),
        zone=ROME,
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    assert due == [
        datetime(2026, 11, 20, 8, 0, tzinfo=ROME),
        datetime(2026, 11, 20, 10, 30, tzinfo=ROME),
    ]


def test_a_visit_across_midnight_finds_the_next_days_dose_and_none_after_the_end():
    starts = datetime(2026, 11, 20, 23, 30, tzinfo=ROME)
    kwargs = {"starts": starts, "ends": starts + timedelta(minutes=45), "zone": ROME}
    assert rules.doses_due(["00:30"], starts_on=date(2026, 1, 1), ends_on=None, **kwargs) == [
        datetime(2026, 11, 21, 0, 30, tzinfo=ROME)
    ]
    assert (
        rules.doses_due(["00:30"], starts_on=date(2026, 1, 1), ends_on=date(2026, 11, 20), **kwargs)
        == []
    )


def test_a_dose_without_its_unit_is_refused():
    """BNF, "Prescription writing": the dose is stated with its unit."""
    problems = rules.medicine_problems(
        dose_amount=Decimal(1),
        dose_unit=" ",
        as_needed=False,
        times=["08:00"],
        max_per_day=None,
        min_gap_minutes=None,
        starts_on=date(2026, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    assert [p.code for p in problems] == ["dose_unit_missing", "medicine_ends_before_start"]


def test_as_needed_needs_its_limits_and_fixed_times_their_times():
    common = {
        "dose_amount": Decimal(2),
        "dose_unit": "tablets",
        "starts_on": date(2026, 1, 1),
        "ends_on": None,
    }
    as_needed = rules.medicine_problems(
        as_needed=True, times=[], max_per_day=4, min_gap_minutes=None, **common
    )
    fixed = rules.medicine_problems(
        as_needed=False, times=[], max_per_day=None, min_gap_minutes=None, **common
    )
    assert [p.code for p in as_needed] == ["as_needed_limits_missing"]
    assert [p.code for p in fixed] == ["times_missing"]


def test_times_are_hours_and_minutes():
    assert rules.parse_times(["20:00", "08:00", "08:00"]) == ["08:00", "20:00"]
    try:
        rules.parse_times(["8h"])
    except Exception as error:
        assert error.code == "invalid_time"
    else:
        raise AssertionError("8h was taken for a time")


def test_an_allergy_matches_the_name_or_an_ingredient():
    """NICE CG183 §1.2: a recorded drug allergy is checked before a medicine is given."""
    allergies = ["Penicillin", "latex"]
    assert rules.allergy_matches("Penicillin V", "", allergies) == ["Penicillin"]
    assert rules.allergy_matches("Amoxil", "amoxicillin, penicillin", allergies) == ["Penicillin"]
    assert rules.allergy_matches("Paracetamol", "paracetamol", allergies) == []


def test_as_needed_most_doses_in_24_hours_and_least_gap():
    """BNF, "Prescription writing": paracetamol 1 g "as required", at most 4 doses in 24 hours,
    4 hours apart. Taken at 06:00, 10:00, 14:00 and 18:00: a fifth at 22:00 is over the
    limit; one at 20:00 is too soon (2 hours after 18:00: wait 120 minutes more)."""
    day = datetime(2026, 11, 20, tzinfo=UTC)
    taken = [day.replace(hour=h) for h in (6, 10, 14, 18)]
    limits = {"max_per_day": 4, "min_gap_minutes": 240}
    over = rules.as_needed_problems(day.replace(hour=22), taken, **limits)
    assert [p.code for p in over] == ["as_needed_over_limit"]
    soon = rules.as_needed_problems(day.replace(hour=20), taken[-1:], **limits)
    assert [p.code for p in soon] == ["as_needed_too_soon"]
    assert "wait 120 more" in soon[0].messages[0]
    assert rules.as_needed_problems(day.replace(hour=22), taken[-1:], **limits) == []


def test_a_dose_not_given_needs_its_reason():
    """NICE SC1 (2017): the record says when a medicine was not taken and why."""
    assert [p.code for p in rules.outcome_problems("refused", "")] == ["dose_reason_missing"]
    assert rules.outcome_problems("refused", "Said it upsets her stomach") == []
    assert rules.outcome_problems("given", "") == []
