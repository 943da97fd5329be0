"""The order decoder and its search: every hard rule holds on what they build."""

import random
import time

import pytest
from benchmarks.realsize import generate

from coopcare.planner.construct import CHECKPOINT, Sequencer, search
from coopcare.planner.evaluate import costs, violations
from coopcare.planner.model import Carer, Precedence, Problem, RosterPolicy, Visit
from coopcare.planner.solve import decoded_roster
from coopcare.planner.travel import MatrixTravel

# Four places on a line, 10 minutes apart; the office is place 0.
LINE = MatrixTravel([[10.0 * abs(a - b) for b in range(4)] for a in range(4)])


def roster_of(problem, order=None):
    sequencer = Sequencer(problem)
    decoded = sequencer.decode(order if order is not None else sequencer.start_order())
    return decoded_roster(problem, sequencer, decoded), decoded


def test_a_double_handed_visit_gets_two_carers_who_start_together():
    problem = Problem(
        [Visit("hoist", 2, 30, 480, 510, carers_needed=2)],
        [Carer("ana", frozenset(), 1, 1), Carer("bea", frozenset(), 3, 3)],
        LINE,
    )
    roster, _ = roster_of(problem)
    assert violations(problem, roster) == []
    assert sorted(roster.carers_of("hoist")) == ["ana", "bea"]


def test_a_precedence_is_kept_and_the_earlier_visit_waits_for_the_later_carer():
    """Mankowska et al. (2014), constraint (8): the second service starts between the minimum
    and maximum gap after the first. Here the only carer for "meds" is free late, so "wash"
    must start later than it could, to keep the gap at most 20 minutes."""
    problem = Problem(
        [
            Visit("busy", 3, 120, 480, 480, skills=frozenset({"meds"})),
            Visit("wash", 1, 30, 480, 700),
            Visit("meds", 1, 15, 480, 700, skills=frozenset({"meds"})),
        ],
        [Carer("ana", frozenset(), 0, 0), Carer("bea", frozenset({"meds"}), 3, 3)],
        LINE,
        [Precedence("wash", "meds", 10, 20)],
    )
    roster, _ = roster_of(problem)
    assert violations(problem, roster) == []
    assert 10 <= roster.start_of("meds") - roster.start_of("wash") <= 20
    assert roster.start_of("meds") >= 480 + 120 + 20  # bea's first visit, then travel


def test_time_away_is_kept_free_of_visits():
    problem = Problem(
        [Visit("lunch", 1, 60, 700, 790), Visit("tea", 1, 30, 900, 960)],
        [Carer("ana", frozenset(), 0, 0, unavailable=((720, 780),))],
        LINE,
    )
    roster, _ = roster_of(problem)
    assert violations(problem, roster) == []
    assert roster.start_of("lunch") >= 780  # after the hour away, not across it


def test_a_visit_no_one_can_reach_in_time_is_left_out_and_priced():
    problem = Problem(
        [Visit("far", 3, 30, 480, 490)],
        [Carer("ana", frozenset(), 0, 0, available_from=475)],
        LINE,
        policy=RosterPolicy(unassigned=500),
    )
    roster, _ = roster_of(problem)
    assert list(roster.unassigned) == ["far"]
    assert roster.costs["unassigned"] == 500


def test_a_visit_in_two_links_is_left_out_with_the_reason():
    problem = Problem(
        [Visit("a", 1, 10, 0, 600), Visit("b", 2, 10, 0, 600), Visit("c", 3, 10, 0, 600)],
        [Carer("ana", frozenset(), 0, 0), Carer("bea", frozenset(), 0, 0)],
        LINE,
        [Precedence("a", "b", 0, 60), Precedence("b", "c", 0, 60)],
    )
    roster, _ = roster_of(problem)
    assert set(roster.unassigned) == {"a", "b", "c"}
    assert roster.unassigned["b"] == "its linked visit could not be placed"
    assert violations(problem, roster) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_hard_rule_holds_on_a_generated_day(seed):
    """Shifts, an hour away, skills, soft and hard windows, double-handed visits, working-day
    limits: the decoder's roster and the searched one break none of them."""
    problem = generate(visits=150, carers=15, seed=seed)
    roster, decoded = roster_of(problem)
    assert violations(problem, roster) == []
    assert decoded.cost == pytest.approx(costs(problem, roster)["total"])
    sequencer = Sequencer(problem)
    best = search(sequencer, 600, random.Random(seed), steps=200)  # noqa: S311
    searched = decoded_roster(problem, sequencer, best)
    assert violations(problem, searched) == []
    assert best.cost <= decoded.cost


def test_decoding_from_a_checkpoint_gives_the_same_roster_as_from_the_start():
    problem = generate(visits=150, carers=15, seed=4)
    sequencer = Sequencer(problem)
    order = sequencer.start_order()
    base = sequencer.decode(order)
    changed = list(order)
    same = 3 * CHECKPOINT + 5
    changed[same], changed[-1] = changed[-1], changed[same]
    resumed = sequencer.decode(changed, base, same)
    fresh = sequencer.decode(changed)
    assert resumed.routes == fresh.routes
    assert resumed.unplaced == fresh.unplaced
    assert resumed.cost == fresh.cost
    assert base.routes == sequencer.decode(order).routes  # the base is left as it was


def test_the_search_with_a_step_limit_is_deterministic():
    problem = generate(visits=80, carers=8, seed=5)

    def run():
        best = search(Sequencer(problem), 600, random.Random(7), steps=300)  # noqa: S311
        return best.routes, best.cost

    assert run() == run()


def test_a_visit_goes_between_two_visits_when_that_keeps_it_on_time():
    """A visit placed later in the order still goes where it fits in the day. Ana's day has
    "early" (place 1, 8:00) and "noon" (place 3, waiting there until 10:00); "mid" (place 2,
    by 9:20) fits between them with no extra travel on the line and no push, where at the end
    of the day it would start at 10:40, 80 minutes late."""
    problem = Problem(
        [
            Visit("early", 1, 30, 480, 490, hard_window=False),
            Visit("noon", 3, 30, 600, 610, hard_window=False),
            Visit("mid", 2, 30, 500, 560, hard_window=False),
        ],
        [Carer("ana", frozenset(), 0, 0)],
        LINE,
    )
    sequencer = Sequencer(problem)
    decoded = sequencer.decode([0, 1, 2])  # units in the order early, noon, mid
    roster = decoded_roster(problem, sequencer, decoded)
    assert [s.visit_id for s in roster.routes[0].stops] == ["early", "mid", "noon"]
    assert roster.start_of("mid") == 520  # early ends 8:30, 10 min to place 2
    assert roster.start_of("noon") == 600  # still waiting for its window: not pushed
    assert violations(problem, roster) == []
    assert roster.costs["tardiness"] == 0
    assert decoded.cost == pytest.approx(roster.costs["total"])


def test_the_lateness_a_visit_pushes_onto_the_next_counts_in_where_it_goes():
    """Between "early" and "tight" the new visit is on time and costs no travel, but pushes
    "tight" 20 minutes past its window (cost 20, and 20 more for the day's largest lateness);
    at the end of the day it costs no travel and is 5 minutes late (cost 5 + 5). Priced
    without the knock-on the middle would look free; with it, the end is cheaper."""
    problem = Problem(
        [
            Visit("early", 1, 30, 480, 490, hard_window=False),
            Visit("tight", 3, 30, 530, 540, hard_window=False),
            Visit("loose", 2, 30, 500, 565, hard_window=False),
        ],
        [Carer("ana", frozenset(), 0, 0)],
        LINE,
        policy=RosterPolicy(travel=1, tardiness=1, max_tardiness=1),
    )
    sequencer = Sequencer(problem)
    roster = decoded_roster(problem, sequencer, sequencer.decode([0, 1, 2]))
    assert [s.visit_id for s in roster.routes[0].stops] == ["early", "tight", "loose"]
    assert roster.start_of("tight") == 530
    assert roster.start_of("loose") == 570  # tight ends 9:20, 10 min to place 2
    assert roster.costs["tardiness"] == roster.costs["max_tardiness"] == 5


@pytest.mark.parametrize("max_tardiness, carer", [(0.0, "ana"), (1.0, "bea")])
def test_a_rise_in_the_largest_lateness_counts_in_who_gets_a_visit(max_tardiness, carer):
    """Mankowska, Meisel & Bierwirth (2014), objective (1): travel + total tardiness + the
    largest tardiness, Tmax. Ana, at the visit's door, is free 10 minutes after its window
    closes (10 late: cost 10, or 20 with Tmax weighed 1); Bea is on time but 7.5 minutes away
    and back (travel 15). Without Tmax Ana is cheaper, with it Bea is."""
    travel = MatrixTravel([[0.0, 7.5], [7.5, 0.0]])
    problem = Problem(
        [Visit("wash", 0, 10, 480, 480, hard_window=False)],
        [
            Carer("ana", frozenset(), 0, 0, available_from=490),
            Carer("bea", frozenset(), 1, 1, available_from=0),
        ],
        travel,
        policy=RosterPolicy(travel=1, tardiness=1, max_tardiness=max_tardiness),
    )
    roster, decoded = roster_of(problem)
    assert roster.carers_of("wash") == [carer]
    assert decoded.cost == pytest.approx(min(10 + 10 * max_tardiness, 15))


def test_the_search_decodes_no_move_that_would_end_past_its_deadline():
    """At a pace of a minute a visit, no move's decode fits in a second: the search returns
    the first roster it was given, within its second."""
    problem = generate(visits=80, carers=8, seed=5)
    sequencer = Sequencer(problem)
    first = sequencer.decode(sequencer.start_order())
    sequencer.pace = 60.0
    began = time.monotonic()
    best = search(sequencer, 0.3, random.Random(7), first=first)  # noqa: S311
    assert time.monotonic() - began < 1
    assert best is first
