"""Counting rules, checked against hand counts and published reference results."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from coopcare.governance import rules
from coopcare.governance.rules import CandidateEntry, ElectionBallot, MotionCount


def test_notice_counts_full_days():
    # The statutes' notice (15 days by default): called on 1 March, the 16th is the earliest.
    assert rules.notice_problems(date(2026, 3, 1), datetime(2026, 3, 16, 18), 15) == []
    problems = rules.notice_problems(date(2026, 3, 1), datetime(2026, 3, 15, 18), 15)
    assert "15 days" in problems[0] and "2026-03-16" in problems[0]


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


def test_stv_matches_the_published_worked_example():
    """Wikipedia, "Single transferable vote", worked example (20 voters, 3 seats, Droop-style
    quota): Chocolate, Oranges and Strawberries are elected."""
    groups = [
        (4, ["Oranges"]),
        (2, ["Pears", "Oranges"]),
        (8, ["Chocolate", "Strawberries"]),
        (4, ["Chocolate", "Hamburgers"]),
        (1, ["Strawberries"]),
        (1, ["Hamburgers"]),
    ]
    result = rules.count_ranked("stv", _entries(FOODS), _ballots(groups, FOODS), 3, {})
    elected = {FOODS[i - 1] for i in result.elected}
    assert elected == {"Chocolate", "Oranges", "Strawberries"}
    assert result.rounds


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
    result = rules.count_ranked("irv", _entries(CITIES), _ballots(groups, CITIES), 1, {})
    assert [CITIES[i - 1] for i in result.elected] == ["Knoxville"]


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
    weights = {"Workers": Decimal("50"), "Users": Decimal("50")}
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
    result = rules.count_ranked("stv", candidates, ballots, 2, {"Users": 1})
    assert set(result.elected) == {3, 1}


def test_ballot_problems():
    assert rules.ballot_problems("plurality", [1, 2], {1, 2}) == [
        "In this election each ballot names one candidate."
    ]
    assert rules.ballot_problems("stv", [1, 1], {1, 2})
    assert rules.ballot_problems("approval", [9], {1, 2})
    assert rules.ballot_problems("approval", [], {1, 2})
    assert rules.ballot_problems("stv", [2, 1], {1, 2}) == []


def test_reserved_seats_must_fit_and_have_candidates():
    assert rules.reservation_problems(2, {"Users": 3}, {"Users": 3})
    assert rules.reservation_problems(3, {"Users": 2}, {"Users": 1})
    assert rules.reservation_problems(3, {"Users": 1}, {"Users": 1}) == []
