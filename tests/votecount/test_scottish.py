"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
rules 45–52, worked by hand on small elections."""

from decimal import Decimal

import pytest

from coopcare.votecount import EXCLUDE, SURPLUS, CountError, count
from tests.votecount.make import election


def test_weighted_inclusive_gregory_elects_z_and_y():
    """2 seats; 40 × Z>X>W, 4 × X>Y, 33 × Y, 34 × W (111 valid votes).

    Rule 46: quota = floor(111 ÷ 3) + 1 = 38.
    Stage 1: Z 40 (elected, rule 47), W 34, Y 33, X 4.
    Stage 2 (rule 48): Z's surplus is 2; every one of Z's 40 papers passes on at
    2 × 1 ÷ 40 = 0.05000, all to X: X 6.00000.
    Stage 3 (rule 50): X has fewest (6) and is excluded; X's own 4 papers go to Y at 1
    (Y 37) and the 40 papers from Z go to W at 0.05 (W 36).
    Stage 4: nobody has the quota; W (36) has fewer than Y (37) and is excluded; its papers
    have no further preference. Y is the only continuing candidate for the one vacancy left
    and is deemed elected (rule 52).

    pyrankvote, which moves whole ballots by averaging, gave Z and W.
    """
    result = count(
        election(2, "40 Z>X>W", "4 X>Y", "33 Y", "34 W", candidates=("W", "X", "Y", "Z"))
    )
    assert result.elected == ("Z", "Y")
    assert result.quota == Decimal("38")
    assert [s.action for s in result.stages] == ["first count", "surplus", "exclusion", "exclusion"]
    assert result.stages[1].votes["X"] == Decimal("6.00000")
    assert result.stages[2].votes == {
        "W": Decimal("36"),
        "X": Decimal("0"),
        "Y": Decimal("37"),
        "Z": Decimal("38"),
    }
    assert result.stages[3].subject == ("W",)
    assert result.stages[3].elected == ("Y",)
    assert "rule 52" in result.stages[3].description
    assert not result.decided_by_lot


def test_wikipedia_food_election():
    """Wikipedia, "Single transferable vote", Example: 20 guests choose 3 foods.
    4 Oranges; 2 Pears>Oranges; 8 Chocolate>Strawberries; 4 Chocolate>Sweets;
    1 Strawberries; 1 Sweets. Quota floor(20 ÷ 4) + 1 = 6. Chocolate (12) is elected and its
    surplus of 6 passes at 6 ÷ 12 = 0.5 per paper: Strawberries 5, Sweets 3. Pears (2) is
    excluded and Oranges reach 6. Sweets (3) is excluded and Strawberries take the last seat.
    "The winners are Chocolate, Oranges and Strawberries." """
    result = count(
        election(
            3,
            "4 Oranges",
            "2 Pears>Oranges",
            "8 Chocolate>Strawberries",
            "4 Chocolate>Sweets",
            "1 Strawberries",
            "1 Sweets",
        )
    )
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")
    assert result.quota == 6
    assert result.stages[1].votes["Strawberries"] == Decimal("5.00000")
    assert result.stages[1].votes["Sweets"] == Decimal("3.00000")
    assert result.excluded == ("Pears", "Sweets")


def test_transfer_values_are_cut_to_five_places_and_that_decides_the_stage():
    """Rule 48(3): the transfer value is A ÷ B "calculated to five decimal places (any
    remainder being ignored)". 2 seats; 7 × A>B, 5 × B, 2 × C>D, 3 × D: quota
    floor(17 ÷ 3) + 1 = 6. A's surplus of 1 goes over A's 7 papers at 1 ÷ 7 = 0.142857…,
    cut to 0.14285: B gets 7 × 0.14285 = 0.99995 and has 5.99995, short of the quota that an
    exact fraction (5 + 1 = 6) would reach at stage 2. 0.00005 of a vote is lost to the cut.
    B is elected only at stage 4, as the last continuing candidate (rule 52)."""
    result = count(election(2, "7 A>B", "5 B", "2 C>D", "3 D"))
    surplus = result.stages[1]
    assert surplus.votes["B"] == Decimal("5.99995")
    assert surplus.transfers["B"] == Decimal("0.99995")
    assert surplus.lost == Decimal("0.00005")
    assert surplus.elected == ()
    assert result.stages[3].elected == ("B",)
    assert result.elected == ("A", "B")


def test_equal_surpluses_go_in_order_of_votes_at_the_last_stage_they_differed():
    """Rule 49(2). 4 seats; 12 × C>A, 8 × C>B, 7 × A>D, 9 × B>E, 4 D, 4 E, 5 F: quota
    floor(49 ÷ 5) + 1 = 10. C (20) is elected; its surplus of 10 passes at 0.5: A 7 + 6 = 13,
    B 9 + 4 = 13. Both are elected with equal surpluses of 3; at stage 1 B had 9 and A 7, so
    B's surplus goes first. B's 9 own papers pass at 3 × 1 ÷ 13 = 0.23076 to E (+2.07684);
    its 8 papers from C are worth 3 × 0.5 ÷ 13 = 0.11538 each and have no next preference
    (0.92304 non-transferable); 0.00012 is lost to the five-place cut."""
    result = count(election(4, "12 C>A", "8 C>B", "7 A>D", "9 B>E", "4 D", "4 E", "5 F"))
    assert result.stages[1].elected == ("A", "B")
    third = result.stages[2]
    assert third.action == "surplus" and third.subject == ("B",)
    assert "rule 49(2)" in third.description
    assert third.votes["E"] == Decimal("6.07684")
    assert third.non_transferable == Decimal("0.92304")
    assert third.lost == Decimal("0.00012")
    assert result.stages[3].subject == ("A",)
    assert result.elected == ("C", "A", "B", "E")
    assert not result.decided_by_lot


def test_a_tie_for_exclusion_is_broken_by_the_last_stage_at_which_they_differed():
    """Rule 51(2)(a). 1 seat; 8 A, 4 B, 3 × C>B, 1 × D>C, 1 D: quota floor(17 ÷ 2) + 1 = 9.
    D (2) is excluded; C reaches 4 and ties with B. At stage 1 C had 3 and B 4, so C is
    excluded; C's papers go to B (7). A (8) then beats B: B is excluded, A deemed elected."""
    result = count(election(1, "8 A", "4 B", "3 C>B", "1 D>C", "1 D"))
    assert result.stages[1].votes["B"] == result.stages[1].votes["C"] == Decimal("4")
    assert result.stages[2].subject == ("C",)
    assert "rule 51(2)(a)" in result.stages[2].description
    assert result.elected == ("A",)
    assert result.lots_used == () and result.lot_needed is None


def test_a_tie_at_every_stage_stops_the_count_for_a_lot():
    """Rule 51(2)(b): "where the number of votes credited to those candidates was equal at all
    stages, the returning officer shall decide, by lot, which of those candidates is to be
    excluded." 1 seat; 5 A, 3 × B>C, 3 C: quota 6; B and C tie at 3 from the start."""
    ballots = election(1, "5 A", "3 B>C", "3 C")
    stopped = count(ballots)
    assert not stopped.complete
    assert stopped.elected == ()
    needed = stopped.lot_needed
    assert (needed.purpose, needed.among, needed.stage, needed.number) == (
        EXCLUDE,
        ("B", "C"),
        2,
        1,
    )
    assert needed.rule == "rule 51(2)(b)"
    assert len(stopped.stages) == 1  # the first count, done before the tie

    b_drawn = count(ballots, lots=["B"])
    assert b_drawn.elected == ("C",)  # B's papers carry C to the quota
    assert b_drawn.decided_by_lot
    assert b_drawn.lots_used[0].chosen == "B"
    assert b_drawn.stages[1].lots == b_drawn.lots_used
    c_drawn = count(ballots, lots=["C"])
    assert c_drawn.elected == ("A",)
    assert count(ballots, lots=["B"]) == b_drawn  # same ballots, same lots, same result


def test_equal_surpluses_at_every_stage_need_a_lot_for_the_order():
    """Rule 49(3). 3 seats; A and B both have 10 first preferences, quota floor(31 ÷ 4) + 1
    = 8: equal surpluses of 2 that never differed."""
    ballots = election(3, "10 A>C", "10 B>D", "5 C", "4 D", "2 E")
    stopped = count(ballots)
    assert stopped.lot_needed.purpose == SURPLUS
    assert stopped.lot_needed.among == ("A", "B")
    assert stopped.lot_needed.rule == "rule 49(3)"
    assert stopped.elected == ("A", "B")
    done = count(ballots, lots=["B"])
    assert done.stages[1].subject == ("B",)
    assert done.complete


def test_lots_that_do_not_fit_the_count_are_refused():
    ballots = election(1, "5 A", "3 B>C", "3 C")
    with pytest.raises(CountError, match="lot 1 names A, but the tie at stage 2 is among B, C"):
        count(ballots, lots=["A"])
    with pytest.raises(CountError, match=r"the count needed 1 lot\(s\) but 2 were given"):
        count(ballots, lots=["B", "C"])


@pytest.mark.parametrize("valid", range(1, 40))
def test_with_one_seat_the_quota_is_a_majority(valid):
    """Rule 46 with one vacancy: floor(v ÷ 2) + 1 is the smallest whole number above v ÷ 2."""
    result = count(election(1, f"{valid} A", "1 B"))
    votes = valid + 1
    assert result.quota * 2 > votes  # more than half
    assert (result.quota - 1) * 2 <= votes  # and the least such number


def test_one_seat_is_instant_runoff():
    """1 seat; 5 A, 4 B, 3 × C>B, 1 × D>C: quota floor(13 ÷ 2) + 1 = 7. D is excluded (C 4,
    equal to B); at stage 1 C had fewer, so C goes next (rule 51(2)(a)) and B reaches 7 with
    C's papers: B wins though A led on first preferences."""
    result = count(election(1, "5 A", "4 B", "3 C>B", "1 D>C"))
    assert result.quota == 7
    assert result.elected == ("B",)
    assert result.excluded == ("D", "C")


def test_every_vote_is_accounted_for_at_every_stage():
    ballots = election(3, "12 C>A>B", "8 C>B", "7 A>D>E", "9 B>E", "4 D>F", "4 E", "5 F>A")
    result = count(ballots)
    for stage in result.stages:
        held = sum(stage.votes.values()) + stage.non_transferable_total + stage.lost_total
        assert held == result.valid_votes


def test_withdrawn_candidates_and_blank_papers_do_not_count():
    """A withdrawn candidate is skipped on every paper; a paper with no preference for a
    standing candidate is not a valid vote (rule 45(3) counts valid papers)."""
    ballots = election(1, "3 W>A", "2 B", "4 -", "1 W", withdrawn=frozenset({"W"}))
    result = count(ballots)
    assert result.valid_votes == 5
    assert "W" not in result.candidates
    assert result.elected == ("A",)


@pytest.mark.parametrize(
    ("seats", "message"),
    [(0, "at least 1"), (4, "4 seats are to be filled but only 3 candidates stand")],
)
def test_impossible_elections_are_refused(seats, message):
    with pytest.raises(CountError, match=message):
        count(election(seats, "1 A>B>C"))
