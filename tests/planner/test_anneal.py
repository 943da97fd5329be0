"""Annealing over the routes: every move keeps the hard rules, and the costs it adds up move
by move are the costs the independent evaluator finds."""

import random
import time

import pytest
from benchmarks.realsize import generate

from coopcare.planner.anneal import Annealer, anneal, retimed
from coopcare.planner.construct import Decoded, Sequencer
from coopcare.planner.evaluate import costs, violations
from coopcare.planner.model import Carer, Precedence, Problem, Visit
from coopcare.planner.solve import decoded_roster
from coopcare.planner.travel import MatrixTravel

# Four places on a line, 10 minutes apart; the office is place 0.
LINE = MatrixTravel([[10.0 * abs(a - b) for b in range(4)] for a in range(4)])


@pytest.mark.parametrize("seed", [1, 2])
def test_moves_re_time_only_what_they_change_and_the_sum_stays_true(seed):
    """Shifts, an hour away, skills, windows, double-handed visits: after each of 400 accepted
    moves (re-timing only the days they touch) the roster breaks no rule and its running cost
    is what the evaluator prices from scratch."""
    problem = generate(visits=120, carers=12, seed=seed)
    sequencer = Sequencer(problem)
    state = Annealer(sequencer, sequencer.decode(sequencer.start_order()))
    rng = random.Random(seed)  # noqa: S311 - a test's dice
    accepted = 0
    while accepted < 400:
        days = state.move(rng)
        found = state.evaluate(days) if days is not None else None
        if found is None:
            continue
        state.apply(*found[1:])
        accepted += 1
        if accepted % 50 == 0:
            roster = decoded_roster(problem, sequencer, state.decoded())
            assert violations(problem, roster) == []
            assert state.cost() == pytest.approx(costs(problem, roster)["total"])


def test_a_double_handed_visit_moves_to_the_two_carers_nearest_it():
    """The hoist at place 3 starts with cai, who lives at 0 (30 minutes away each way), and
    ana; bea lives at 3 too. Worked example: ana and bea do it with no travel, cost 0 against
    60 — a move of one half (cai's) or of both finds it."""
    problem = Problem(
        [Visit("hoist", 3, 30, 480, 510, carers_needed=2)],
        [
            Carer("ana", frozenset(), 3, 3),
            Carer("bea", frozenset(), 3, 3),
            Carer("cai", frozenset(), 0, 0),
        ],
        LINE,
    )
    sequencer = Sequencer(problem)
    start = Decoded([[(0, 480.0)], [], [(0, 480.0)]], set(), 60.0, [])
    best, _ = anneal(sequencer, start, 600, random.Random(3), steps=300)  # noqa: S311
    roster = decoded_roster(problem, sequencer, best)
    assert violations(problem, roster) == []
    assert sorted(roster.carers_of("hoist")) == ["ana", "bea"]
    assert best.cost == 0


def test_a_precedence_is_timed_with_its_partner_when_a_move_makes_it_wait():
    """Wash at place 1 then meds at place 2 between 0 and 10 minutes after it, by two carers;
    a third visit at place 1 before the wash would make ana late for it: wherever the moves
    put things, the gap holds and nothing starts before its carer can be there."""
    problem = Problem(
        [
            Visit("wash", 1, 30, 480, 600),
            Visit("meds", 2, 15, 480, 620),
            Visit("tea", 1, 30, 470, 600),
        ],
        [Carer("ana", frozenset(), 1, 1), Carer("bea", frozenset(), 2, 2)],
        LINE,
        precedences=[Precedence("wash", "meds", 0, 10)],
    )
    sequencer = Sequencer(problem)
    start = sequencer.decode(sequencer.start_order())
    best, steps = anneal(sequencer, start, 600, random.Random(5), steps=200)  # noqa: S311
    roster = decoded_roster(problem, sequencer, best)
    assert steps == 200
    assert violations(problem, roster) == []
    assert 0 <= roster.start_of("meds") - roster.start_of("wash") <= 10


def test_annealing_with_a_step_limit_is_deterministic_and_a_time_limit_is_kept():
    problem = generate(visits=80, carers=8, seed=5)
    sequencer = Sequencer(problem)
    start = sequencer.decode(sequencer.start_order())

    def run():
        best, _ = anneal(sequencer, start, 600, random.Random(7), steps=500)  # noqa: S311
        return best.routes, best.cost

    assert run() == run()
    began = time.monotonic()
    best, _ = anneal(sequencer, start, 0.3, random.Random(7))  # noqa: S311
    assert time.monotonic() - began < 0.3 + 0.5
    assert best.cost <= start.cost


def test_a_visit_left_out_is_put_in_where_it_fits():
    """Ana, at place 1, has the bath there at 8:00 (30 minutes) and the search starts with the
    lunch at place 2 (window 8:20 to 9:20) left out. Worked example: after the bath she drives
    10 minutes and starts the lunch at 8:40, in its window; the roster then costs 20 minutes
    of travel (there and back) instead of a visit left out (10,000)."""
    problem = Problem(
        [Visit("bath", 1, 30, 480, 510), Visit("lunch", 2, 30, 500, 560)],
        [Carer("ana", frozenset(), 1, 1)],
        LINE,
    )
    sequencer = Sequencer(problem)
    start = Decoded([[(0, 480.0)]], {1}, 10_000.0, [])
    best, _ = anneal(sequencer, start, 600, random.Random(1), steps=50)  # noqa: S311
    roster = decoded_roster(problem, sequencer, best)
    assert violations(problem, roster) == []
    assert not roster.unassigned
    assert roster.start_of("lunch") == 520
    assert best.cost == 20


def test_a_visit_left_out_takes_the_place_of_one_that_matters_less():
    """Only one of two visits at 8:00 sharp fits ana's day; the search starts with the one of
    priority 1 in it and the one of priority 2 left out. Worked example: swapping them leaves
    out 10,000 × 1 instead of 10,000 × 2."""
    problem = Problem(
        [Visit("walk", 1, 60, 480, 480), Visit("insulin", 1, 60, 480, 480, priority=2)],
        [Carer("ana", frozenset(), 1, 1)],
        LINE,
    )
    sequencer = Sequencer(problem)
    start = Decoded([[(0, 480.0)]], {1}, 20_000.0, [])
    best, _ = anneal(sequencer, start, 600, random.Random(1), steps=50)  # noqa: S311
    roster = decoded_roster(problem, sequencer, best)
    assert violations(problem, roster) == []
    assert list(roster.unassigned) == ["walk"]
    assert best.cost == 10_000


class Drawn(random.Random):
    """Dice that draw the given items, in turn, wherever the search chooses."""

    def __init__(self, *items):
        super().__init__(0)
        self.items = list(items)

    def choice(self, seq):
        item = self.items.pop(0)
        assert item in seq
        return item


def test_a_visit_is_followed_by_a_near_one_by_turning_a_stretch_or_swapping_tails():
    """On a line of places 10 minutes apart, ana (living at 0) goes 1, 3, 2, 4 and back;
    bea (living at 4) goes 3 then 0 and back. Worked example, 2-opt: 1 followed by 2 turns the
    stretch 3, 2 round, and ana drives 80 minutes, not 100. 2-opt*: ana's 4 followed by bea's
    0 swaps the two days' tails after them: ana 1, 3, 2, 4, 0 and bea 3 alone."""
    line = MatrixTravel([[10.0 * abs(a - b) for b in range(5)] for a in range(5)])
    wide = {"earliest": 480, "latest": 900}
    problem = Problem(
        [Visit(f"ana{n}", n, 10, **wide) for n in (1, 3, 2, 4)]
        + [Visit("bea3", 3, 10, **wide), Visit("bea0", 0, 10, **wide)],
        [Carer("ana", frozenset(), 0, 0), Carer("bea", frozenset(), 4, 4)],
        line,
    )
    sequencer = Sequencer(problem)
    days = [[0, 1, 2, 3], [4, 5]]
    start = Decoded(
        [[(n, 480.0 + 40 * i) for i, n in enumerate(day)] for day in days], set(), 0, []
    )
    state = Annealer(sequencer, start)
    state._near = {0: [2], 3: [5]}

    turned = state._join(0, 0, Drawn(2, 0))
    assert turned == {0: [0, 2, 1, 3]}
    assert state.evaluate(turned)[3][0][0] == 80
    assert state._join(3, 0, Drawn(5, 1)) == {0: [0, 1, 2, 3, 5], 1: [4]}


def crossed(meds_by: float) -> Problem:
    """A hoist at place 2 at 9:00 for ana and bea; ana washes at place 1 before it and bea
    gives the meds at place 3 after it, 30 to 120 minutes after the wash and by
    ``meds_by``: each day waits at a linked visit for the other's."""
    return Problem(
        [
            Visit("hoist", 2, 30, 540, 560, carers_needed=2),
            Visit("wash", 1, 30, 480, 600),
            Visit("meds", 3, 15, 480, meds_by),
        ],
        [Carer("ana", frozenset(), 0, 0), Carer("bea", frozenset(), 0, 0)],
        LINE,
        precedences=[Precedence("wash", "meds", 30, 120)],
    )


def test_days_that_wait_for_each_other_are_timed_from_the_first_visit_of_a_precedence():
    """Worked example: the wash starts when ana can be there (8:00), the hoist when both
    can (9:00), the meds when bea is there after it (9:40, 100 minutes after the wash, within
    the gap). Every start given before (by PyVRP, a little off) is timed again."""
    sequencer = Sequencer(crossed(meds_by=700))
    start = Decoded([[(1, 480.5), (0, 540.25)], [(0, 540.8), (2, 590.0)]], set(), 0.0, [])
    found = retimed(sequencer, start)
    assert found is not None
    assert found.routes == [[(1, 480), (0, 540)], [(0, 540), (2, 580)]]
    roster = decoded_roster(sequencer.problem, sequencer, found)
    assert violations(sequencer.problem, roster) == []
    # The meds due by 9:35 cannot follow the hoist, which ends at 9:30 ten minutes away.
    assert retimed(Sequencer(crossed(meds_by=575)), start) is None
