from datetime import UTC, date, datetime, time, timedelta

import pytest

from coopcare.privacy import rules


def codes(problems):
    return [p.code for p in problems]


def test_a_request_is_due_one_month_after_receipt():
    """GDPR art. 12(3): "within one month of receipt of the request". Received on 10 March,
    due on 10 April; received on 31 January, the month ends with February (28 in 2027)."""
    assert rules.due_on(date(2027, 3, 10)) == date(2027, 4, 10)
    assert rules.due_on(date(2027, 1, 31)) == date(2027, 2, 28)


def test_an_extension_adds_two_further_months():
    """Art. 12(3): "That period may be extended by two further months where necessary".
    Received on 10 March: at the latest 10 June."""
    assert rules.extended_due_on(date(2027, 3, 10)) == date(2027, 6, 10)


def test_an_extension_is_once_with_reasons_while_open():
    assert (
        codes(rules.extension_problems(already_extended=False, still_open=True, reason="x")) == []
    )
    assert codes(rules.extension_problems(already_extended=True, still_open=False, reason=" ")) == [
        "request_closed",
        "already_extended",
        "extension_reason_required",
    ]


def test_a_refusal_names_its_reason():
    """Art. 12(4): the controller informs the subject "of the reasons for not taking action"."""
    assert codes(
        rules.answer_problems(still_open=True, refused=True, refusal_reason="", answer="No.")
    ) == ["refusal_reason_required"]
    assert codes(
        rules.answer_problems(still_open=True, refused=False, refusal_reason="payroll", answer="")
    ) == ["answer_required", "reason_without_refusal"]
    assert (
        rules.answer_problems(
            still_open=True, refused=True, refusal_reason="payroll", answer="Payslips are kept."
        )
        == []
    )


AWARE = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_the_authority_is_told_within_72_hours_of_awareness():
    """Art. 33(1): "not later than 72 hours after having become aware of it". Aware on
    Monday 1 March at 09:00: by Thursday 4 March at 09:00."""
    assert rules.authority_deadline(AWARE) == datetime(2027, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("notified_at", "delay_reason", "no_notice", "expected"),
    [
        (AWARE + timedelta(hours=72), "", "", []),
        (AWARE + timedelta(hours=73), "", "", ["delay_reason_required"]),
        (AWARE + timedelta(hours=73), "The processor told us late.", "", []),
        (AWARE - timedelta(hours=1), "", "", ["notified_before_aware"]),
        (None, "", "", ["notice_or_reason"]),
        (None, "", "The lost laptop was encrypted.", []),
    ],
)
def test_a_late_notice_gives_its_reasons(notified_at, delay_reason, no_notice, expected):
    """Art. 33(1): "Where the notification ... is not made within 72 hours, it shall be
    accompanied by reasons for the delay"; none is needed when the breach "is unlikely to
    result in a risk"."""
    problems = rules.notice_problems(
        aware_at=AWARE,
        notified_at=notified_at,
        delay_reason=delay_reason,
        no_notice_reason=no_notice,
    )
    assert codes(problems) == expected


def test_the_people_are_told_or_the_record_says_why_not():
    """Art. 34(1) and (3)."""
    assert codes(rules.people_told_problems(aware_at=AWARE, told_at=None, reason="")) == [
        "people_told_or_reason"
    ]
    assert rules.people_told_problems(aware_at=AWARE, told_at=None, reason="Encrypted") == []
    assert codes(
        rules.people_told_problems(aware_at=AWARE, told_at=AWARE - timedelta(1), reason="")
    ) == ["told_before_aware"]


def test_the_night_runs_from_22_to_6():
    assert rules.at_night(time(22, 0)) and rules.at_night(time(5, 59))
    assert not rules.at_night(time(6, 0)) and not rules.at_night(time(21, 59))


def test_ten_people_read_within_ten_minutes_is_a_burst():
    """Ten different people's records, one a minute from 09:00: one burst of 10 at 09:00.
    Nine people, or ten spread over an hour, are none."""
    start = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    ten = [rules.Read(start + timedelta(minutes=i), person_id=i) for i in range(10)]
    assert rules.bursts(ten) == [(start, 10)]
    assert rules.bursts(ten[:9]) == []
    spread = [rules.Read(start + timedelta(minutes=6 * i), person_id=i) for i in range(10)]
    assert rules.bursts(spread) == []
    same_person = [rules.Read(start + timedelta(seconds=i), person_id=1) for i in range(20)]
    assert rules.bursts(same_person) == []
