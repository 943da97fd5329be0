"""Seats reserved for groups, met inside one count (Grey–Fitzgerald guarding and dooming, as
described by I. D. Hill, "STV with constraints", Voting matters 9, 1998): a candidate who can
no longer be elected without breaking a reservation is doomed and excluded; candidates a group
cannot do without are guarded from exclusion."""

import pytest

from coopcare.votecount import ELECT, CountError, count
from tests.votecount.make import election

UW = {"U1": "U", "U2": "U", "W1": "W", "W2": "W", "W3": "W", "W4": "W"}


@pytest.mark.parametrize("method", ["scottish", "meek"])
def test_one_count_over_all_ballots_elects_u1_and_w2(method):
    """2 seats, one reserved for group U. 10 × U1>W1, 5 × W1, 9 × W2: quota
    floor(24 ÷ 3) + 1 = 9 (Meek: 8.000000001). U1 (10) and W2 (9) both reach it on first
    preferences; U1 fills U's seat, so W2 can take the other. Counting U's seat apart and then
    the open seat would count the ten U1>W1 ballots twice and give W1 15 against W2's 9."""
    result = count(election(2, "10 U1>W1", "5 W1", "9 W2", groups=UW, reserved={"U": 1}), method)
    assert result.elected == ("U1", "W2")


@pytest.mark.parametrize("method", ["scottish", "meek"])
def test_a_candidate_who_reaches_the_quota_too_late_is_deemed_excluded(method):
    """2 seats, one reserved for U. 20 × W1>U1, 15 × W2>U2, 5 U1, 4 U2: quota
    floor(44 ÷ 3) + 1 = 15. W1 (20) and W2 (15) both reach it, but electing both would leave
    U without its seat: W1, with more votes, is elected; W2 is doomed and deemed excluded,
    and W2's papers carry U2 to 19, over the quota."""
    result = count(
        election(2, "20 W1>U1", "15 W2>U2", "5 U1", "4 U2", groups=UW, reserved={"U": 1}),
        method,
    )
    assert result.elected == ("W1", "U2")
    assert "W2" in result.excluded
    assert "cannot be elected" in result.stages[0].description
    assert any(s.action == "deemed excluded" and "W2" in s.excluded for s in result.stages)


def test_when_the_seats_left_are_all_reserved_the_others_are_excluded():
    """2 seats, one reserved for U. 10 W1, 8 W2, 7 W3, 2 U1: quota 10. W1 is elected at the
    first stage; the one seat left belongs to U, so W2 and W3 are doomed, and U1, the only
    continuing candidate who can still be elected, is deemed elected (rule 52) at once."""
    result = count(election(2, "10 W1", "8 W2", "7 W3", "2 U1", groups=UW, reserved={"U": 1}))
    assert len(result.stages) == 1
    assert result.stages[0].elected == ("W1", "U1")
    assert "W2 and W3 cannot be elected" in result.stages[0].description
    assert result.elected == ("W1", "U1")


def test_a_guarded_candidate_is_passed_over_when_excluding_the_lowest():
    """3 seats, one reserved for U. 10 W1, 8 W2, 7 W3, 6 W4, 2 U1: quota 9. U1 has the
    fewest votes, but U's only candidate is guarded: W4 is excluded instead, then W3, and
    W2 and U1 fill the seats left (rule 52)."""
    result = count(
        election(3, "10 W1", "8 W2", "7 W3", "6 W4", "2 U1", groups=UW, reserved={"U": 1})
    )
    assert result.excluded == ("W4", "W3")
    assert "U1 cannot be excluded" in result.stages[2].description
    assert set(result.elected) == {"W1", "W2", "U1"}


def test_when_the_order_of_election_decides_a_reserved_seat_a_tie_needs_a_lot():
    """W1 and W2 reach the quota together with equal votes, but only one of them can be
    elected: which one is decided by rule 49's look back, here by lot."""
    ballots = election(2, "15 W1>U1", "15 W2>U2", "5 U1", "4 U2", groups=UW, reserved={"U": 1})
    stopped = count(ballots)
    assert stopped.lot_needed.purpose == ELECT
    assert stopped.lot_needed.among == ("W1", "W2")
    done = count(ballots, lots=["W2"])
    assert done.elected == ("W2", "U1")


def test_without_reservations_the_same_ballots_elect_w1_and_w2():
    result = count(election(2, "20 W1>U1", "15 W2>U2", "5 U1", "4 U2"))
    assert result.elected == ("W1", "W2")


@pytest.mark.parametrize(
    ("reserved", "message"),
    [
        ({"U": 3}, "3 seats are reserved but only 2 are to be filled"),
        ({"U": 2, "X": 0}, "2 seats are reserved for U but only 1 of its candidates stand"),
    ],
)
def test_reservations_no_count_could_meet_are_refused(reserved, message):
    with pytest.raises(CountError, match=message):
        count(election(2, "1 U1>W1>W2", groups=UW | {"U2": "V"}, reserved=reserved))


def test_negative_reservations_are_refused():
    with pytest.raises(CountError, match="must be a whole number, 0 or more"):
        count(election(1, "1 U1", groups=UW, reserved={"U": -1}))
