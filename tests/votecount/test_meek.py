"""Meek STV under New Zealand's Local Electoral Regulations 2001, Schedule 1A.

No count published with every iteration's figures to nine places could be found, so the
example below is worked by hand. It is the one posted to the election-methods list on
12 September 2004 to explain Meek's method (61 × A, 60 × A>B, 30 × C>D, 29 × D>C, two seats),
whose figures were rounded to three places; here they are worked to the nine places and the
rounding that Schedule 1A prescribes.
"""

from decimal import Decimal

from coopcare.votecount import EXCLUDE, count
from coopcare.votecount.common import Lots, prepare
from coopcare.votecount.meek import _MeekCount
from tests.votecount.make import election

HILL_EXAMPLE = ("61 A", "60 A>B", "30 C>D", "29 D>C")


def test_first_iterations_worked_by_hand():
    """Clause 5: q = 180 ÷ 3 + 0.000000001 = 60.000000001; A (121) is successful (clause 6).
    Clause 9: A's keep value = 1 × 60.000000001 ÷ 121 = 0.4958677686…, rounded up to
    0.495867769. Clause 10: each A paper gives A 0.495867769 and passes on 0.504132231: to B
    on the 60 A>B papers (B 30.247933860), and nowhere on the 61 A papers (non-transferable
    61 × 0.504132231 = 30.752066091). A has 121 × 0.495867769 = 60.000000049.
    Clause 11: q = (180 − 30.752066091) ÷ 3 = 49.749311303 (truncated) + 0.000000001
    = 49.749311304. (The 2004 post, rounding the keep value to 0.496, had A 60.016,
    non-transferable 30.744 and quota 49.752.)"""
    meek = _MeekCount(prepare(election(2, *HILL_EXAMPLE)), Lots(()))
    meek._iterate(first=True)
    assert meek.quota == 60_000_000_001
    meek._elect_reaching_quota(1, [], [], [])
    assert meek.elected == ["A"]
    meek._iterate(first=False)
    assert meek.keep["A"] == 495_867_769
    assert meek.votes["A"] == 60_000_000_049
    assert meek.votes["B"] == 30_247_933_860
    assert meek.vnt == 30_752_066_091
    assert meek.quota == 49_749_311_304


def test_the_count_ends_with_a_and_c():
    """As the surplus shrinks, D (29) plus the total surplus falls below C (30): D is excluded
    (clause 13) and D's papers carry C (59) far past the quota. B, on A's transferred
    fractions, stays near 36."""
    result = count(election(2, *HILL_EXAMPLE), "meek")
    assert result.elected == ("A", "C")
    assert result.excluded == ("D",)
    exclusion = next(s for s in result.stages if s.excluded)
    assert "less than any other hopeful's (clause 13)" in exclusion.description
    last = result.stages[-1]
    assert last.votes["C"] == Decimal("59.000000000")
    assert Decimal("36") < last.votes["B"] < Decimal("37")
    assert Decimal("0.39") < last.keep_values["A"] < Decimal("0.40")
    for stage in result.stages:
        assert sum(stage.votes.values()) + stage.non_transferable_total == result.valid_votes


def test_meek_keeps_nine_places_and_keep_values_per_candidate():
    result = count(election(2, *HILL_EXAMPLE), "meek")
    assert result.places == 9
    assert result.quota == Decimal("60.000000001")
    first = result.stages[0]
    assert first.keep_values == {c: Decimal("1.000000000") for c in "ABCD"}
    data = result.as_json()
    assert data["stages"][0]["keep_values"]["A"] == "1.000000000"
    assert data["stages"][0]["votes"]["B"] == "0.000000000"


def test_food_election_elects_the_same_three():
    result = count(
        election(
            3,
            "4 Oranges",
            "2 Pears>Oranges",
            "8 Chocolate>Strawberries",
            "4 Chocolate>Sweets",
            "1 Strawberries",
            "1 Sweets",
        ),
        "meek",
    )
    assert set(result.elected) == {"Chocolate", "Oranges", "Strawberries"}
    assert result.elected[0] == "Chocolate"


def test_a_tie_is_broken_by_the_first_iteration_at_which_they_differed():
    """Clauses 19 and 40 (ahead at first difference). 1 seat; 8 A, 4 B, 3 × C>B, 1 × D>C,
    1 D. D is excluded; C then ties B at 4, but at the first iteration C had 3 to B's 4, so C
    is excluded. D's and C's exhausted papers lower the quota to 7.5 and A (8) is elected."""
    result = count(election(1, "8 A", "4 B", "3 C>B", "1 D>C", "1 D"), "meek")
    assert result.excluded[:2] == ("D", "C")
    assert "clauses 19 and 40" in result.stages[1].description
    assert result.elected == ("A",)
    assert not result.decided_by_lot


def test_a_tie_at_every_iteration_stops_for_a_lot():
    ballots = election(1, "5 A", "3 B>C", "3 C")
    stopped = count(ballots, "meek")
    assert stopped.lot_needed.purpose == EXCLUDE
    assert stopped.lot_needed.among == ("B", "C")
    assert count(ballots, "meek", lots=["B"]).elected == ("C",)
    assert count(ballots, "meek", lots=["C"]).elected == ("A",)
