"""Counting rules, checked against hand counts and published reference results."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from coopcare.governance import rules
from coopcare.governance.rules import CandidateEntry, ElectionBallot, MotionCount


def test_notice_counts_full_days():
    # The statutes' notice (15 days by default): called on 1 March, the 16th is the earliest.
    assert rules.notice_problems(date(2026, 3, 1), datetime(2026, 3, 16, 18), 15) == []
    problems = rules.notice_problems(date(2026, 3, 1), datetime(2026, 3, 15, 18), 15)
    assert "15 days" in problems[0].message and "2026-03-16" in problems[0].message
    assert problems[0].code == "notice_too_short"


def test_quorum_overall_and_per_class():
    classes = [rules.ClassCount("Workers", 10, 6), rules.ClassCount("Users", 10, 1)]
    overall = rules.quorum(classes, Decimal("25"), per_class=False)
    assert overall.met and overall.share == Fraction(7, 20)
    per_class = rules.quorum(classes, Decimal("25"), per_class=True)
    assert not per_class.met and per_class.classes_short == ("Users",)
    assert "Users" in per_class.explain()


def test_quorum_with_nobody_entitled_is_not_met():
    assert not rules.quorum([], Decimal("0"), per_class=False).met


def test_one_member_one_vote_counts_votes_cast_without_abstentions():
    # ICA 2nd principle; abstentions are not votes cast.
    counts = [MotionCount("All", None, 20, votes_for=6, against=5, abstain=9)]
    result = rules.motion_result(counts, "simple", "cast")
    assert result.passed and result.share_for == Fraction(6, 11)
    assert "One member, one vote" in result.rule


def test_simple_majority_needs_more_than_half_and_qualified_at_least_the_share():
    tie = [MotionCount("All", None, 10, votes_for=5, against=5)]
    assert not rules.motion_result(tie, "simple", "cast").passed
    two_thirds = [MotionCount("All", None, 10, votes_for=6, against=3)]
    assert rules.motion_result(two_thirds, "two_thirds", "cast").passed
    assert not rules.motion_result(two_thirds, "three_quarters", "cast").passed


def test_majority_of_all_members_counts_those_who_did_not_vote_as_not_for():
    counts = [MotionCount("All", None, 30, votes_for=14, against=1)]
    assert rules.motion_result(counts, "simple", "cast").passed
    assert not rules.motion_result(counts, "simple", "members").passed


WEIGHTED = [
    MotionCount("Workers", Decimal("50"), 12, votes_for=6, against=4),
    MotionCount("People cared for", Decimal("30"), 8, votes_for=1, against=3, abstain=1),
    MotionCount("Supporters", Decimal("20"), 5, votes_for=5, against=0),
]


def test_weighted_classes_combine_each_class_share_by_its_weight():
    """SCIC (loi 47-1775 art. 19 octies): each college weighs 10-50 % of the votes.

    Hand count: 0.5 x 6/10 + 0.3 x 1/4 + 0.2 x 5/5 = 0.3 + 0.075 + 0.2 = 57.5 % for, where one
    member, one vote would give 12/19 = 63.2 %.
    """
    result = rules.motion_result(WEIGHTED, "simple", "cast")
    assert result.share_for == Fraction(575, 1000)
    assert result.passed
    assert result.class_shares == {
        "Workers": Fraction(3, 5),
        "People cared for": Fraction(1, 4),
        "Supporters": Fraction(1),
    }
    assert not rules.motion_result(WEIGHTED, "two_thirds", "cast").passed
    assert "19 octies" in result.rule and "57.5 %" in result.rule


def test_a_class_without_votes_shares_its_weight_among_the_others():
    # Supporters cast nothing: weights become 50/80 and 30/80.
    counts = [*WEIGHTED[:2], MotionCount("Supporters", Decimal("20"), 5, abstain=2)]
    result = rules.motion_result(counts, "simple", "cast")
    assert result.share_for == Fraction(5, 8) * Fraction(3, 5) + Fraction(3, 8) * Fraction(1, 4)
    assert not result.passed  # 46.9 %
    assert result.effective_weights == {
        "Workers": Fraction(5, 8),
        "People cared for": Fraction(3, 8),
    }


# -- weights shared out within the band and the caps ---------------------------------------------
#
# Source: loi 47-1775 art. 19 octies (SCIC: each college holds between 10 % and 50 % of the
# votes); Equal Care Co-op's rules (investor members capped at 10 %). coopcare refuses weights
# outside these limits at set-up (members.rules.class_weight_problems); the count must keep
# them too when a class is absent. Weights 40/30/20/10, investors capped at 10 %.

BAND = (Decimal("10"), Decimal("50"))
WEIGHTING = rules.ClassWeighting(
    {
        "Workers": Decimal("40"),
        "People cared for": Decimal("30"),
        "Supporters": Decimal("20"),
        "Investors": Decimal("10"),
    },
    {"Investors": Decimal("10")},
    *BAND,
)


def _weighted(**votes):
    """One MotionCount per class of WEIGHTING; ``votes`` gives (for, against) per class."""
    return [
        MotionCount(
            name,
            weight,
            10,
            *votes.get(name.replace(" ", "_"), (0, 0)),
            cap=WEIGHTING.caps.get(name),
        )
        for name, weight in WEIGHTING.weights.items()
    ]


def test_an_absent_class_s_weight_does_not_push_workers_above_half():
    """Only workers and people cared for vote: 40/70 gave workers 57.1 %, above the 50 % the
    law allows a college (art. 19 octies); within the band they hold 50 % each."""
    counts = _weighted(Workers=(10, 0), People_cared_for=(0, 10))
    result = rules.motion_result(counts, "simple", "cast", band=BAND)
    assert result.effective_weights == {
        "Workers": Fraction(1, 2),
        "People cared for": Fraction(1, 2),
    }
    assert result.share_for == Fraction(1, 2) and not result.passed
    assert result.weights_lawful
    assert "Workers 50.0 %" in result.rule


def test_a_capped_class_keeps_its_cap_when_another_class_is_absent():
    """Workers absent: 30/60, 20/60, 10/60 gave investors 16.7 %, above their 10 % cap (Equal
    Care Co-op). Water-filling: investors stay at 10 %, people cared for reach the 50 %
    maximum, supporters take the remaining 40 %."""
    counts = _weighted(People_cared_for=(1, 1), Supporters=(2, 0), Investors=(3, 0))
    result = rules.motion_result(counts, "simple", "cast", band=BAND)
    assert result.effective_weights == {
        "People cared for": Fraction(1, 2),
        "Supporters": Fraction(2, 5),
        "Investors": Fraction(1, 10),
    }
    assert result.share_for == Fraction(1, 2) * Fraction(1, 2) + Fraction(2, 5) + Fraction(1, 10)
    assert all(w <= Fraction(1, 2) for w in result.effective_weights.values())


def test_when_the_band_cannot_be_kept_the_result_says_so_and_keeps_the_proportions():
    """Workers (at most 50 %) and investors (capped at 10 %) alone cannot hold 100 %: the
    closest lawful weights keep 50:10, i.e. 5/6 and 1/6, and the result says so."""
    found = rules.effective_weights(WEIGHTING, ["Workers", "Investors"])
    assert found.shares == {"Workers": Fraction(5, 6), "Investors": Fraction(1, 6)}
    assert not found.lawful
    result = rules.motion_result(
        _weighted(Workers=(1, 0), Investors=(0, 1)), "simple", "cast", band=BAND
    )
    assert not result.weights_lawful and "cannot hold the whole vote" in result.rule


def test_every_class_present_keeps_its_own_weight():
    found = rules.effective_weights(WEIGHTING, list(WEIGHTING.weights))
    assert found.shares == {
        "Workers": Fraction(2, 5),
        "People cared for": Fraction(3, 10),
        "Supporters": Fraction(1, 5),
        "Investors": Fraction(1, 10),
    }
    assert found.lawful


def test_water_filling_spreads_in_proportion_below_the_maximum():
    """Investors absent: 10 points go to the others in proportion to 40/30/20 (workers
    44.4 %, within the band)."""
    found = rules.effective_weights(WEIGHTING, ["Workers", "People cared for", "Supporters"])
    assert found.shares == {
        "Workers": Fraction(4, 9),
        "People cared for": Fraction(1, 3),
        "Supporters": Fraction(2, 9),
    }


def test_statutes_decide_whether_a_class_that_only_abstained_is_absent():
    """Supporters all abstain. Counted absent (the default), their 20 % goes to the others
    (workers stop at the 50 % maximum, people cared for take the rest); counted present, they
    keep 20 % with no votes for, which weighs against the motion."""
    counts = [
        MotionCount("Workers", Decimal("50"), 4, votes_for=3, against=1),
        MotionCount("People cared for", Decimal("30"), 3, votes_for=1, against=1),
        MotionCount("Supporters", Decimal("20"), 3, abstain=3),
    ]
    absent = rules.motion_result(counts, "simple", "cast", band=BAND)
    assert "Supporters" not in absent.effective_weights
    assert absent.effective_weights == {
        "Workers": Fraction(1, 2),
        "People cared for": Fraction(1, 2),
    }
    assert absent.share_for == Fraction(1, 2) * Fraction(3, 4) + Fraction(1, 2) * Fraction(1, 2)
    assert absent.passed  # 62.5 %
    present = rules.motion_result(counts, "simple", "cast", band=BAND, abstaining_is_absent=False)
    assert present.effective_weights["Supporters"] == Fraction(1, 5)
    assert present.share_for == Fraction(1, 2) * Fraction(3, 4) + Fraction(3, 10) * Fraction(1, 2)
    assert present.passed  # 52.5 %
    counts[0] = MotionCount("Workers", Decimal("50"), 4, votes_for=2, against=2)
    assert not rules.motion_result(
        counts, "simple", "cast", band=BAND, abstaining_is_absent=False
    ).passed  # 40 %


def test_plurality_shares_weights_within_the_band_too():
    """count_marks shares the weight of absent classes as motions do. Only people cared for
    and investors vote: their maxima (50 % and the 10 % cap) cannot make 100 %, so the closest
    lawful weights 5/6 and 1/6 are used and reported."""
    candidates = [CandidateEntry(1, "Ana", "Workers"), CandidateEntry(2, "Bo", "Investors")]
    ballots = [ElectionBallot("People cared for", (1,))] * 3 + [ElectionBallot("Investors", (2,))]
    result = rules.count_marks("plurality", candidates, ballots, 1, WEIGHTING, {})
    assert result.effective_weights == {
        "People cared for": Fraction(5, 6),
        "Investors": Fraction(1, 6),
    }
    assert not result.weights_lawful
    ballots.append(ElectionBallot("Supporters", (2,)))
    result = rules.count_marks("plurality", candidates, ballots, 1, WEIGHTING, {})
    # 30/20/10 of 60 → people cared for 50 % (max), supporters 40 %, investors 10 % (cap).
    assert result.scores == {1: Fraction(1, 2), 2: Fraction(1, 2)}
    assert result.weights_lawful and result.tie


# -- small classes in a secret count ------------------------------------------------------------


def test_a_class_with_one_ballot_is_merged_with_the_next_smallest():
    assert rules.held_back_classes({"Workers": 5, "Investors": 1}, 2) == {"Workers", "Investors"}
    assert rules.held_back_classes({"W": 5, "U": 4, "I": 1}, 2) == {"U", "I"}
    assert rules.held_back_classes({"W": 5, "S": 1, "I": 1}, 2) == {"S", "I"}
    assert rules.held_back_classes({"W": 5, "U": 2, "I": 0}, 2) == set()
    assert rules.held_back_classes({"W": 5, "U": 2}, 3) == {"W", "U"}


def test_no_votes_cast_passes_nothing():
    assert not rules.motion_result([MotionCount("All", None, 5)], "simple", "cast").passed


# -- elections: reference results -------------------------------------------------------------

FOODS = ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"]


def _entries(names, cls="All"):
    return [CandidateEntry(i, name, cls) for i, name in enumerate(names, start=1)]


def _ballots(groups, names):
    ids = {name: i for i, name in enumerate(names, start=1)}
    return [
        ElectionBallot("All", tuple(ids[n] for n in ranking))
        for count, ranking in groups
        for _ in range(count)
    ]


@pytest.mark.parametrize("method", ["scottish", "meek"])
def test_stv_matches_the_published_worked_example(method):
    """Wikipedia, "Single transferable vote", worked example (20 voters, 3 seats, Droop
    quota 6): Chocolate, Oranges and Strawberries are elected, by Scottish STV (SSI 2007/42
    Schedule 1 rules 45-52) and by Meek STV alike."""
    groups = [
        (4, ["Oranges"]),
        (2, ["Pears", "Oranges"]),
        (8, ["Chocolate", "Strawberries"]),
        (4, ["Chocolate", "Hamburgers"]),
        (1, ["Strawberries"]),
        (1, ["Hamburgers"]),
    ]
    result = rules.count_ranked(method, _entries(FOODS), _ballots(groups, FOODS), 3, {})
    elected = {FOODS[i - 1] for i in result.elected}
    assert elected == {"Chocolate", "Oranges", "Strawberries"}
    assert result.count["method"] == method and result.count["complete"]
    assert result.count["stages"]
    source = "SSI 2007/42" if method == "scottish" else "Local Electoral Regulations 2001"
    assert source in result.rule


CITIES = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]


def test_instant_runoff_matches_the_published_tennessee_example():
    """Wikipedia, "Instant-runoff voting", Tennessee capital example (42/26/15/17 % of
    voters): Chattanooga, then Nashville are eliminated and Knoxville wins."""
    groups = [
        (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
        (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
        (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
        (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
    ]
    result = rules.count_ranked("scottish", _entries(CITIES), _ballots(groups, CITIES), 1, {})
    assert [CITIES[i - 1] for i in result.elected] == ["Knoxville"]
    # Scottish STV with one seat: quota a majority of the 100 votes (rule 46).
    assert result.count["quota"] == "51.00000"


def test_approval_with_class_weights_and_a_reserved_seat():
    candidates = [
        CandidateEntry(1, "Ana", "Workers"),
        CandidateEntry(2, "Bo", "Workers"),
        CandidateEntry(3, "Cy", "Users"),
    ]
    ballots = [
        ElectionBallot("Workers", (1, 2)),
        ElectionBallot("Workers", (1, 2)),
        ElectionBallot("Workers", (1,)),
        ElectionBallot("Users", (3,)),
        ElectionBallot("Users", (2,)),
    ]
    weights = rules.ClassWeighting({"Workers": Decimal("50"), "Users": Decimal("50")})
    # Scores: Ana 0.5*3/3 = 0.5; Bo 0.5*2/3 + 0.5*1/2 = 0.583; Cy 0.5*1/2 = 0.25.
    result = rules.count_marks("approval", candidates, ballots, 2, weights, {})
    assert result.scores == {1: Fraction(1, 2), 2: Fraction(7, 12), 3: Fraction(1, 4)}
    assert result.elected == (2, 1)
    # With a seat reserved for Users, Cy takes the second seat ahead of Ana.
    reserved = rules.count_marks("approval", candidates, ballots, 2, weights, {"Users": 1})
    assert reserved.elected == (2, 3)


def test_a_tie_at_the_last_seat_is_reported():
    candidates = _entries(["A", "B", "C"])
    ballots = [
        ElectionBallot("All", (1,)),
        ElectionBallot("All", (2,)),
        ElectionBallot("All", (3,)),
    ]
    result = rules.count_marks("plurality", candidates, ballots, 1, None, {})
    assert result.tie and result.elected == (1,)


def test_ranked_count_with_a_reserved_seat_fills_it_from_that_class_first():
    candidates = [
        CandidateEntry(1, "Ana", "Workers"),
        CandidateEntry(2, "Bo", "Workers"),
        CandidateEntry(3, "Cy", "Users"),
    ]
    ballots = [ElectionBallot("Workers", (1, 2, 3))] * 5 + [ElectionBallot("Users", (3, 1))] * 2
    result = rules.count_ranked("scottish", candidates, ballots, 2, {"Users": 1})
    assert set(result.elected) == {3, 1}


def test_a_reserved_seat_is_a_constraint_of_one_count_not_a_second_count():
    """2 seats, one reserved for class U; 10 x U1>W1, 5 x W1, 9 x W2. Quota 9 (24 / 3 + 1,
    SSI 2007/42 rule 46): U1 (10) and W2 (9) reach it at the first stage. Counting the
    reserved seat apart first (U1) and then the open seat among the rest gave U1 and W1, since
    the 10 U1>W1 ballots counted a second time for W1. Reserved as a constraint of the one
    count (Grey-Fitzgerald, as described by I. D. Hill, "STV with constraints", Voting matters
    9, 1998), each ballot counts once: U1, W2."""
    candidates = [
        CandidateEntry(1, "U1", "U"),
        CandidateEntry(2, "W1", "W"),
        CandidateEntry(3, "W2", "W"),
    ]
    ballots = (
        [ElectionBallot("U", (1, 2))] * 10
        + [ElectionBallot("W", (2,))] * 5
        + [ElectionBallot("W", (3,))] * 9
    )
    result = rules.count_ranked("scottish", candidates, ballots, 2, {"U": 1})
    assert result.elected == (1, 3)
    assert result.count["quota"] == "9.00000"
    first = result.count["stages"][0]
    assert first["votes"] == {"1": "10.00000", "2": "5.00000", "3": "9.00000"}
    assert first["elected"] == [1, 3]


def test_a_tie_left_to_lot_stops_the_count_until_the_lot_is_drawn():
    """Three candidates, one vote each, one seat: rule 51(2)(b) (SSI 2007/42) leaves the
    exclusion to lot when no earlier stage breaks the tie. The count stops and says among whom;
    with the lots recorded it finishes, and says a lot decided it."""
    candidates = _entries(["A", "B", "C"])
    ballots = [ElectionBallot("All", (i,)) for i in (1, 2, 3)]
    stopped = rules.count_ranked("scottish", candidates, ballots, 1, {})
    lot = stopped.count["lot"]
    assert not stopped.count["complete"] and stopped.elected == ()
    assert lot["needed"] and lot["purpose"] == "exclude" and lot["among"] == [1, 2, 3]
    assert lot["rule"] == "rule 51(2)(b)" and "lot" in stopped.rule
    second = rules.count_ranked("scottish", candidates, ballots, 1, {}, lots=[1])
    assert second.count["lot"]["needed"] and second.count["lot"]["among"] == [2, 3]
    done = rules.count_ranked("scottish", candidates, ballots, 1, {}, lots=[1, 3])
    assert done.elected == (2,) and done.count["complete"] and done.count["decided_by_lot"]
    assert "A lot drawn by the board decided" in done.rule


def test_the_stage_sheet_shows_transfers_and_non_transferable_papers():
    """Wikipedia's worked example: Chocolate's surplus of 6 (12 - quota 6) passes at a
    transfer value of 0.5 to Strawberries (4) and Hamburgers (2)."""
    groups = [
        (4, ["Oranges"]),
        (2, ["Pears", "Oranges"]),
        (8, ["Chocolate", "Strawberries"]),
        (4, ["Chocolate", "Hamburgers"]),
        (1, ["Strawberries"]),
        (1, ["Hamburgers"]),
    ]
    result = rules.count_ranked("scottish", _entries(FOODS), _ballots(groups, FOODS), 3, {})
    ids = {name: str(i) for i, name in enumerate(FOODS, start=1)}
    surplus = result.count["stages"][1]
    assert surplus["action"] == "surplus"
    assert surplus["transfers"][ids["Strawberries"]] == "4.00000"
    assert surplus["transfers"][ids["Hamburgers"]] == "2.00000"
    assert all("non_transferable" in stage for stage in result.count["stages"])


def test_ballot_problems():
    [problem] = rules.ballot_problems("plurality", [1, 2], {1, 2})
    assert problem.message == "In this election each ballot names one candidate."
    assert problem.code == "one_candidate_only"
    assert rules.ballot_problems("stv", [1, 1], {1, 2})
    assert rules.ballot_problems("approval", [9], {1, 2})
    assert rules.ballot_problems("approval", [], {1, 2})
    assert rules.ballot_problems("stv", [2, 1], {1, 2}) == []


def test_reserved_seats_must_fit_and_have_candidates():
    assert rules.reservation_problems(2, {"Users": 3}, {"Users": 3})
    assert rules.reservation_problems(3, {"Users": 2}, {"Users": 1})
    assert rules.reservation_problems(3, {"Users": 1}, {"Users": 1}) == []
