from datetime import UTC, date, datetime

from coopcare.respite import rules

UTC = UTC


def test_consent_comes_before_the_support_it_allows():
    # GDPR art. 9(2)(a): the caregiver's record is kept on their explicit consent, given
    # before the support starts. Consent on 10 March, support from 3 March: refused.
    problems = rules.support_problems(date(2026, 3, 3), date(2026, 3, 10), None, None)
    assert [p.code for p in problems] == ["caregiver_consent_after_support"]
    assert rules.support_problems(date(2026, 3, 10), date(2026, 3, 3), None, None) == []


def test_a_consent_is_withdrawn_after_it_was_given_and_support_ends_after_it_starts():
    # GDPR art. 7(3): consent given on 3 March cannot be withdrawn on 1 March; support from
    # 3 March cannot end on 2 March.
    problems = rules.support_problems(
        date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 1), date(2026, 3, 2)
    )
    assert [p.code for p in problems] == ["consent_withdrawn_before", "support_ends_before"]


def test_supported_from_since_to_the_end_or_the_withdrawal_whichever_is_first():
    # Art. 7(3): withdrawal ends the processing from then on. Supported from 1 March, ended
    # on 31 March, consent withdrawn on 15 March: 15 March is the last day.
    since, ended, withdrawn = date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15)
    assert not rules.supported_on(date(2026, 2, 28), since, ended, withdrawn)
    assert rules.supported_on(date(2026, 3, 15), since, ended, withdrawn)
    assert not rules.supported_on(date(2026, 3, 16), since, ended, withdrawn)
    assert rules.supported_on(date(2027, 1, 1), since, None, None)


def test_a_gathering_has_a_place_or_an_online_link():
    # Issue 28: "a group/session with date, place or online link".
    assert [p.code for p in rules.gathering_problems(" ", "")] == ["gathering_has_no_place"]
    assert rules.gathering_problems("Casa del Quartiere", "") == []
    assert rules.gathering_problems("", "https://meet.example.org/group") == []


def test_attendance_is_recorded_once_the_gathering_has_begun():
    # A register of attendance records who came: a group at 17:00 has no attendance at 16:59.
    starts = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    early = rules.attendance_problems(starts, datetime(2026, 3, 12, 15, 59, tzinfo=UTC))
    assert [p.code for p in early] == ["gathering_not_begun"]
    assert rules.attendance_problems(starts, starts) == []
