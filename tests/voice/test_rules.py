"""The rules of feedback and complaints, with worked examples from their sources."""

from datetime import date

import pytest

from coopcare.voice import rules


def codes(problems):
    return [p.code for p in problems]


def test_three_working_days_skip_the_weekend_and_a_holiday():
    # SI 2009/309 reg. 13(2): acknowledged "not later than 3 working days after the day on
    # which it receives the complaint". Received on Friday 4 December 2026 in Italy: Monday 7
    # is the first working day, Tuesday 8 the Immaculate Conception, then Wednesday 9 and
    # Thursday 10.
    italian_holidays = {date(2026, 12, 8)}
    assert rules.add_working_days(date(2026, 12, 4), 3, italian_holidays) == date(2026, 12, 10)


def test_christmas_and_a_substitute_bank_holiday_are_not_working_days():
    # SI 2009/309 reg. 2: a working day is not Christmas Day nor a bank holiday. In England,
    # Boxing Day 2026 falls on a Saturday and the bank holiday is Monday 28 December, so a
    # complaint received on Thursday 24 December is acknowledged by Thursday 31 December.
    english_holidays = {date(2026, 12, 25), date(2026, 12, 28)}
    assert rules.add_working_days(date(2026, 12, 24), 3, english_holidays) == date(2026, 12, 31)


def test_the_default_deadlines_count_from_the_day_received():
    received = date(2026, 11, 2)  # a Monday, no holiday in the four weeks after
    acknowledge_by, answer_by = rules.deadlines(received, rules.DEFAULT_POLICY, set())
    assert acknowledge_by == date(2026, 11, 5)  # Thursday: 3 working days after
    assert answer_by == date(2026, 11, 30)  # 20 working days: four weeks


@pytest.mark.parametrize(
    ("status", "step", "allowed"),
    [
        ("received", "acknowledged", True),
        ("received", "answered", False),
        ("acknowledged", "investigated", True),
        ("investigated", "investigated", True),
        ("investigated", "answered", True),
        ("answered", "appealed", True),
        ("answered", "closed", True),
        ("appealed", "closed", True),
        ("closed", "appealed", False),
    ],
)
def test_the_steps_follow_the_regulations_order(status, step, allowed):
    # SI 2009/309 regs 13 and 14: acknowledged, investigated, answered; then the appeal.
    problems = rules.step_problems(
        status,
        step,
        date(2026, 11, 10),
        last_on=date(2026, 11, 2),
        today=date(2026, 11, 20),
        appeal_by=None,
        outcome="upheld",
        text="Words",
    )
    assert ("step_out_of_order" not in codes(problems)) is allowed


def test_an_answer_gives_its_outcome_and_a_step_says_something():
    problems = rules.step_problems(
        "investigated",
        "answered",
        date(2026, 11, 10),
        last_on=date(2026, 11, 2),
        today=date(2026, 11, 20),
        appeal_by=None,
        outcome="",
        text=" ",
    )
    assert codes(problems) == ["complaint_outcome_missing", "step_text_missing"]


def test_an_appeal_after_its_day_and_a_step_in_the_future_are_refused():
    problems = rules.step_problems(
        "answered",
        "appealed",
        date(2026, 11, 21),
        last_on=date(2026, 11, 2),
        today=date(2026, 11, 20),
        appeal_by=date(2026, 11, 19),
        outcome="",
        text="We want another carer",
    )
    assert codes(problems) == ["step_misdated", "appeal_too_late"]


def test_feedback_is_on_a_visit_that_happened_within_two_weeks():
    today = date(2026, 11, 20)
    assert (
        rules.feedback_problems(date(2026, 11, 19), begun=True, cancelled=False, today=today) == []
    )
    assert (
        rules.feedback_problems(date(2026, 11, 6), begun=True, cancelled=False, today=today) == []
    )
    late = rules.feedback_problems(date(2026, 11, 5), begun=True, cancelled=False, today=today)
    assert codes(late) == ["feedback_too_late"]
    future = rules.feedback_problems(today, begun=False, cancelled=False, today=today)
    assert codes(future) == ["visit_not_happened"]
    cancelled = rules.feedback_problems(today, begun=True, cancelled=True, today=today)
    assert codes(cancelled) == ["visit_cancelled"]


def test_feedback_may_be_changed_on_the_day_it_was_given_only():
    assert rules.may_change_feedback(date(2026, 11, 20), date(2026, 11, 20))
    assert not rules.may_change_feedback(date(2026, 11, 19), date(2026, 11, 20))


def test_where_a_deadline_stands():
    due = date(2026, 11, 5)
    assert rules.deadline_state(date(2026, 11, 5), due, date(2026, 11, 9)) == "met"
    assert rules.deadline_state(date(2026, 11, 6), due, date(2026, 11, 9)) == "missed"
    assert rules.deadline_state(None, due, date(2026, 11, 5)) == "pending"
    assert rules.deadline_state(None, due, date(2026, 11, 6)) == "overdue"


def test_a_survey_takes_answers_up_to_its_closing_day_unless_closed_sooner():
    # coopcare's own rule: a survey closing on 31 January 2027 takes answers on that day and
    # not on 1 February; closed by a coordinator on 20 January, it takes none that day.
    closes_on = date(2027, 1, 31)
    assert rules.survey_open(closes_on, False, date(2027, 1, 31))
    assert not rules.survey_open(closes_on, False, date(2027, 2, 1))
    assert not rules.survey_open(date(2027, 1, 20), True, date(2027, 1, 20))
    closed = rules.survey_answer_problems([5], 1, date(2027, 1, 20), date(2027, 1, 20), closed=True)
    assert codes(closed) == ["survey_closed"]
