"""Days without linked visits go to PyVRP (``planner/routing.py``): each rule of the planner's
model holds on small handmade days, the time limit holds, and progress is the policy's cost."""

import itertools
import random
import time

import pytest

from coopcare.planner import routing
from coopcare.planner import solve as solve_module
from coopcare.planner.evaluate import violations
from coopcare.planner.model import Carer, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import CoordinateTravel, MatrixTravel

# An office (location 0) and ten homes on a 2 km grid; times in minutes after midnight.
POINTS = [(44.4949, 11.3426)] + [
    (44.4949 + 0.004 * (i % 4), 11.3426 + 0.005 * (i // 4)) for i in range(1, 11)
]
TRAVEL = CoordinateTravel(POINTS, mode="car")


def carer(name, *skills, **limits):
    return Carer(name, frozenset(skills), 0, 0, **({"available_from": 420} | limits))


def visit(name, home, at, minutes=30, **rules):
    return Visit(name, home, minutes, at, at + 30, **rules)


def roster_of(visits, carers, policy=None, seconds=1.0, **options):
    problem = Problem(visits, carers, TRAVEL, policy=policy or RosterPolicy())
    roster = solve(problem, seconds=seconds, **options)
    assert violations(problem, roster) == []
    return problem, roster


@pytest.fixture
def routed(monkeypatch):
    """Counts the days PyVRP routed, so a test can show its roster is PyVRP's."""
    calls = []
    route = routing.route

    def counted(*args, **kwargs):
        calls.append(found := route(*args, **kwargs))
        return found

    monkeypatch.setattr(routing, "route", counted)
    return calls


def test_a_day_without_linked_visits_is_routed_by_pyvrp(routed):
    _, roster = roster_of([visit("a", 1, 480), visit("b", 2, 600)], [carer("ana")])
    assert len(routed) == 1 and routed[0] is not None
    assert roster.unassigned == {}


def test_skills_refusals_and_pins_choose_the_carer(routed):
    visits = [
        visit("meds", 1, 480, skills=frozenset({"meds"})),
        visit("wash", 2, 480, refused=frozenset({"bea"})),
        visit("lunch", 3, 720, pinned=("bea",)),
    ]
    _, roster = roster_of(visits, [carer("ana"), carer("bea", "meds")])
    assert routed[0] is not None
    assert roster.carers_of("meds") == ["bea"]  # the only one with the skill
    assert roster.carers_of("wash") == ["ana"]  # the person refused bea
    assert roster.carers_of("lunch") == ["bea"]  # a coordinator fixed bea
    assert "fixed by a coordinator" in roster.explanations["lunch", "bea"]


def test_a_visit_no_one_may_take_is_left_out_with_its_reason(routed):
    visits = [visit("a", 1, 480), visit("peg", 2, 600, skills=frozenset({"peg"}))]
    _, roster = roster_of(visits, [carer("ana")])
    assert roster.unassigned == {"peg": "no carer has the skills needed: peg"}
    assert roster.unplaced_reasons["peg"][0] == "no_skills"


def test_hard_windows_hold_and_a_visit_that_cannot_fit_is_left_out(routed):
    # Two hour-long visits at the same time and one carer: one of them must stay out.
    visits = [visit("a", 1, 480, 60), visit("b", 9, 480, 60)]
    _, roster = roster_of(visits, [carer("ana")])
    assert len(roster.unassigned) == 1
    assert next(iter(roster.unassigned.values())) == "no qualified carer is free in its time window"


def test_a_soft_window_is_late_within_its_limit_and_priced(routed):
    visits = [visit("a", 1, 480, 45), visit("b", 9, 480, hard_window=False, max_late=60)]
    _, roster = roster_of(visits, [carer("ana")])
    assert roster.unassigned == {}
    late = roster.start_of("b") - 510
    assert 0 < late <= 60
    assert roster.costs["tardiness"] == pytest.approx(late)


def test_carers_start_and_end_where_and_when_they_can(routed):
    # Dino starts at 15:00 from home 10; the morning visit can only be ana's.
    homes = [carer("ana", available_until=12 * 60), Carer("dino", frozenset(), 10, 10, 900, 1320)]
    visits = [visit("morning", 1, 480), visit("evening", 9, 1140)]
    _, roster = roster_of(visits, homes)
    assert roster.carers_of("morning") == ["ana"] and roster.carers_of("evening") == ["dino"]
    dino = next(r for r in roster.routes if r.carer_id == "dino")
    assert dino.travel_distance == pytest.approx(TRAVEL.distance(10, 9) + TRAVEL.distance(9, 10))


def test_no_visit_while_a_carer_is_away_and_work_on_both_sides(routed):
    visits = [visit("early", 1, 480), visit("noon", 2, 690), visit("late", 3, 840)]
    _, roster = roster_of(visits, [carer("bea", unavailable=((660, 780),))])
    assert roster.unassigned.keys() == {"noon"}  # 11:30 falls in her time away
    assert roster.carers_of("early") == roster.carers_of("late") == ["bea"]


def test_working_day_limit_and_capacity_hold(routed):
    visits = [visit(f"v{i}", i, 480 + 60 * i, 20, load=1) for i in range(1, 10)]
    carers = [carer("ana", max_minutes=4 * 60), carer("bea", capacity=3)]
    _, roster = roster_of(visits, carers)
    by_carer = {r.carer_id: r for r in roster.routes}
    assert by_carer["ana"].working_minutes <= 240
    assert len(by_carer["bea"].stops) <= 3


def test_a_carer_with_time_away_keeps_the_working_day_limit(routed):
    visits = [visit(f"v{i}", 1 + i % 10, 450 + 45 * i, 20) for i in range(20)]
    carers = [carer("ana", max_minutes=6 * 60, unavailable=((660, 720),))]
    _, roster = roster_of(visits, carers)
    assert roster.routes[0].working_minutes <= 360


def test_continuity_and_choice_weigh_on_who_goes(routed):
    """The nearer carer is a stranger; only the policy's weights send the known one."""
    homes = [(44.4949, 11.3426), (44.4950, 11.3427), (44.5200, 11.3800)]
    visits = [
        Visit("known", 1, 30, 480, 480, known=frozenset({"far"})),
        Visit("chosen", 1, 30, 600, 600, preferred=frozenset({"far"})),
    ]
    carers = [Carer("near", frozenset(), 1, 1), Carer("far", frozenset(), 2, 2)]

    def roster(policy):
        return solve(Problem(visits, carers, CoordinateTravel(homes), policy=policy), seconds=1)

    by_travel = roster(RosterPolicy())
    assert by_travel.carers_of("known") == by_travel.carers_of("chosen") == ["near"]
    weighed = roster(RosterPolicy(continuity=100, preference=100))
    assert weighed.carers_of("known") == weighed.carers_of("chosen") == ["far"]
    assert len(routed) == 2 and all(found is not None for found in routed)


def test_fair_hours_send_work_to_the_carer_below_their_contract(routed):
    """Both carers live at the office; ana's contract is full after one visit, so with a
    fairness weight the second visit goes to bea even though it costs the same travel."""
    visits = [visit("a", 1, 480, 120), visit("b", 1, 630, 120)]
    carers = [
        carer("ana", contracted_minutes=150, max_minutes=600),
        carer("bea", contracted_minutes=150, max_minutes=600),
    ]
    _, roster = roster_of(visits, carers, RosterPolicy(fairness=10))
    assert roster.carers_of("a") != roster.carers_of("b")


def test_a_matrix_days_travel_is_used_as_given():
    matrix = [[0, 5, 9], [5, 0, 4], [9, 4, 0]]
    problem = Problem(
        [Visit("x", 1, 10, 0, 100), Visit("y", 2, 10, 0, 100)],
        [Carer("ana", frozenset(), 0, 0, 0, 500)],
        MatrixTravel(matrix),
    )
    roster = solve(problem, seconds=1)
    assert roster.costs["travel"] == 5 + 4 + 9


def large_day(visits: int, carers: int) -> Problem:
    """A morning of ``visits`` visits in a 10 km square for ``carers`` carers from one office."""
    rng = random.Random(7)  # noqa: S311 - test data, not a secret
    points = [(44.49, 11.34)] + [
        (44.49 + rng.uniform(-0.045, 0.045), 11.34 + rng.uniform(-0.06, 0.06))
        for _ in range(visits)
    ]
    plan = [
        Visit(f"v{n}", n + 1, 30, (at := rng.randrange(420, 720, 15)), at + 60)
        for n in range(visits)
    ]
    team = [Carer(f"c{k}", frozenset(), 0, 0, 420, 14 * 60) for k in range(carers)]
    return Problem(plan, team, CoordinateTravel(points))


def test_the_time_limit_holds_and_progress_is_the_policys_full_cost(routed):
    problem = large_day(300, 30)
    seen = []
    began = time.monotonic()
    roster = solve(problem, seconds=3, on_progress=seen.append)
    assert time.monotonic() - began < 3 + 1
    assert routed[0] is not None
    assert violations(problem, roster) == []
    assert seen and seen[-1].cost == pytest.approx(roster.costs["total"])
    assert all(a.cost > b.cost for a, b in itertools.pairwise(seen))


def test_cancel_stops_the_search(routed):
    problem = large_day(200, 20)
    began = time.monotonic()
    roster = solve(problem, seconds=30, on_progress=lambda progress: True)
    assert time.monotonic() - began < 10
    assert violations(problem, roster) == []


def test_a_solution_limit_gives_the_same_roster_each_time(routed):
    problem = large_day(60, 6)

    def routes():
        roster = solve(problem, seconds=30, solution_limit=20)
        return [(r.carer_id, [(s.visit_id, s.start) for s in r.stops]) for r in roster.routes]

    assert routes() == routes()


def test_a_warm_start_is_read_and_never_made_worse(routed):
    problem = large_day(80, 8)
    first = solve(problem, seconds=1)
    again = solve(problem, seconds=0.3, initial=first)
    assert again.costs["total"] <= first.costs["total"] + 1e-6
    assert violations(problem, again) == []


def test_a_day_too_large_for_pyvrps_matrices_goes_to_the_order_search(monkeypatch, routed):
    monkeypatch.setattr(routing, "MATRIX_LIMIT", 0)
    monkeypatch.setattr(solve_module, "ROUTING_SIZE_LIMIT", 0)
    problem = Problem([visit("a", 1, 480), visit("b", 2, 600)], [carer("ana")], TRAVEL)
    roster = solve(problem, seconds=0.5)
    assert routed == [None]
    assert roster.unassigned == {} and violations(problem, roster) == []


def test_timed_leaves_out_what_would_break_a_rule():
    """A route read back from PyVRP is timed again in real minutes: a visit it could not start
    in time, or one past the end of the carer's day, is dropped rather than returned."""
    ana = carer("ana", available_until=600)
    problem = Problem([], [ana], TRAVEL)
    order = [visit("a", 1, 480, 60), visit("b", 9, 480, 60), visit("c", 2, 560, 60)]
    timed = routing.timed(problem, ana, order)
    assert [visit_id for visit_id, _ in timed] == ["a"]  # b cannot start by 8:30; c ends late


def test_a_day_with_no_carer_free_leaves_every_visit_out():
    problem = Problem([visit("a", 1, 480)], [carer("ana", available_until=420)], TRAVEL)
    roster = solve(problem, seconds=0.5)
    assert roster.unassigned.keys() == {"a"} and violations(problem, roster) == []


def test_pyvrp_is_not_begun_when_its_setup_would_end_past_the_deadline(monkeypatch, routed):
    """PyVRP's neighbours and first roster cannot be cut short: at a pace where they would
    take an hour, PyVRP is given up and the order search's roster is returned in time."""
    monkeypatch.setattr(routing, "NEIGHBOURS_PER_PAIR", 3600.0)
    problem = large_day(60, 6)
    began = time.monotonic()
    roster = solve(problem, seconds=1)
    assert time.monotonic() - began < 1 + 1
    assert routed == [None]
    assert violations(problem, roster) == [] and len(roster.unassigned) < 60


def test_pyvrps_setup_is_priced_by_the_square_of_its_clients():
    problem = large_day(60, 6)
    data = routing._Built.of(problem).data
    assert data.num_clients == 60  # each visit's window is hard: one client a visit
    assert routing._setup_seconds(data, from_scratch=False) == pytest.approx(
        60**2 * routing.NEIGHBOURS_PER_PAIR
    )
    assert routing._setup_seconds(data, from_scratch=True) == pytest.approx(
        60**2 * (routing.NEIGHBOURS_PER_PAIR + routing.FIRST_ROSTER_PER_PAIR)
    )
