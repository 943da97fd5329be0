"""Every hard rule holds on what the solver returns; costs, reasons and determinism."""

import time

import pytest

from coopcare.planner import solve as solve_module
from coopcare.planner.evaluate import violations
from coopcare.planner.model import (
    Carer,
    Precedence,
    Problem,
    Roster,
    RosterPolicy,
    Route,
    Visit,
)
from coopcare.planner.solve import solve
from coopcare.planner.travel import CoordinateTravel, MatrixTravel

# Ten homes on a 2 km grid around an office (location 0); times in minutes after midnight.
POINTS = [(44.4949, 11.3426)] + [
    (44.4949 + 0.004 * (i % 4), 11.3426 + 0.005 * (i // 4)) for i in range(1, 11)
]
TRAVEL = CoordinateTravel(POINTS, mode="car")


def carer(name, *skills, **limits):
    return Carer(name, frozenset(skills), 0, 0, **({"available_from": 420} | limits))


def visit(name, home, at, minutes=30, **rules):
    return Visit(name, home, minutes, at, at + 30, **rules)


def day(**changes) -> Problem:
    visits = [
        visit("wash-1", 1, 480, skills=frozenset({"personal"})),
        visit("wash-2", 2, 480, skills=frozenset({"personal"})),
        visit("hoist-3", 3, 540, 45, skills=frozenset({"hoist"}), carers_needed=2),
        visit("meds-4", 4, 600, 15, skills=frozenset({"meds"})),
        visit("lunch-5", 5, 720, refused=frozenset({"bea"})),
        visit("lunch-6", 6, 720, pinned=("carla",)),
        visit("shop-7", 7, 840),
        visit("wash-8", 8, 480),
        visit("bed-9", 9, 1140),
        visit("bed-10", 10, 1140, hard_window=False),
    ]
    carers = [
        carer("ana", "personal", "hoist"),
        carer("bea", "personal", "hoist", "meds", unavailable=((660, 780),)),
        carer("carla", "meds", max_minutes=8 * 60),
        carer("dino", "personal", available_from=900, available_until=1320),
    ]
    fields = {
        "visits": visits,
        "carers": carers,
        "travel": TRAVEL,
        "precedences": [Precedence("meds-4", "lunch-5", 60, 150, different_carers=False)],
    }
    return Problem(**(fields | changes))


def test_every_hard_rule_holds_on_the_roster():
    problem = day()
    roster = solve(problem, seconds=1)
    assert violations(problem, roster) == []
    assert roster.unassigned == {}
    assert sorted(roster.carers_of("hoist-3")) == ["ana", "bea"]  # the only two with a hoist
    assert roster.carers_of("lunch-6") == ["carla"]  # pinned
    assert "bea" not in roster.carers_of("lunch-5")  # refused
    assert roster.carers_of("meds-4") in (["bea"], ["carla"])
    gap = roster.start_of("lunch-5") - roster.start_of("meds-4")
    assert 60 <= gap <= 150
    for name in ("bed-9", "shop-7"):
        assert roster.carers_of(name) != ["bea"] or roster.start_of(name) >= 780


def test_a_visit_nobody_is_qualified_for_is_left_out_with_the_reason():
    problem = day()
    problem.visits.append(visit("peg-feed", 5, 600, skills=frozenset({"peg"})))
    roster = solve(problem, seconds=1)
    assert roster.unassigned == {"peg-feed": "no carer has the skills needed: peg"}
    assert violations(problem, roster) == []
    assert roster.costs["unassigned"] == problem.policy.unassigned


def test_a_visit_outside_everyones_availability_is_left_out():
    problem = day()
    problem.visits.append(visit("night", 5, 23 * 60 + 30))
    roster = solve(problem, seconds=1)
    assert roster.unassigned["night"] == "no qualified carer is free in its time window"


def test_soft_window_is_late_and_priced_when_it_must_be():
    problem = day(
        visits=[visit("a", 1, 480), visit("b", 9, 480, hard_window=False)],
        carers=[carer("ana")],
        precedences=[],
    )
    roster = solve(problem, seconds=1)
    assert violations(problem, roster) == []
    assert roster.costs["tardiness"] > 0
    late = max(roster.start_of("a"), roster.start_of("b")) - 510
    assert roster.costs["tardiness"] == pytest.approx(late)


def test_working_day_limit_is_respected():
    visits = [visit(f"v{i}", i, 480 + 60 * i, 20) for i in range(1, 10)]
    problem = day(
        visits=visits,
        carers=[carer("ana", max_minutes=4 * 60), carer("bea", max_minutes=4 * 60)],
        precedences=[],
    )
    roster = solve(problem, seconds=1)
    assert violations(problem, roster) == []
    assert all(route.working_minutes <= 240 for route in roster.routes)


def test_each_assignment_is_explained():
    roster = solve(day(), seconds=1)
    reason = roster.explanations["hoist-3", "ana"]
    assert "hoist" in reason and "carers who could do it" in reason
    assert "fixed by a coordinator" in roster.explanations["lunch-6", "carla"]


def test_same_problem_and_solution_limit_give_the_same_roster():
    def routes():
        roster = solve(day(), seconds=30, solution_limit=5)
        return [(r.carer_id, [(s.visit_id, s.start) for s in r.stops]) for r in roster.routes]

    assert routes() == routes()


def test_progress_is_reported_and_cancel_stops_the_search():
    seen = []

    def on_progress(progress):
        seen.append(progress)
        return len(seen) >= 3  # the coordinator pressed cancel

    roster = solve(day(), seconds=30, on_progress=on_progress)
    assert len(seen) == 3 and seen[-1].seconds < 30
    assert roster.routes


def test_warm_start_from_a_previous_roster_is_no_worse():
    problem = day()
    first = solve(problem, seconds=1)
    # Far too little time to build a roster from scratch: what comes back is the earlier one
    # (or better), which shows the warm start was read.
    again = solve(problem, seconds=0.004, initial=first)
    assert again.costs["total"] <= first.costs["total"] + 1e-6
    assert violations(problem, again) == []


def test_travel_from_a_matrix_is_used_as_given():
    matrix = [[0, 5, 9], [5, 0, 4], [9, 4, 0]]
    problem = Problem(
        [Visit("x", 1, 10, 0, 100), Visit("y", 2, 10, 0, 100)],
        [Carer("ana", frozenset(), 0, 0, 0, 500)],
        MatrixTravel(matrix),
        policy=RosterPolicy(),
    )
    roster = solve(problem, seconds=1)
    assert roster.routes[0].travel_distance == 5 + 4 + 9
    assert roster.costs["travel"] == 18


def test_a_soft_window_is_never_later_than_its_limit():
    problem = day(
        visits=[visit("a", 1, 480, 120), visit("b", 9, 480, hard_window=False, max_late=20)],
        carers=[carer("ana")],
        precedences=[],
    )
    roster = solve(problem, seconds=1)
    assert violations(problem, roster) == []
    assert "b" in roster.unassigned or roster.start_of("b") <= 510 + 20


def test_the_solver_weighs_continuity_and_the_persons_choice():
    """Two carers could do each visit; the cheaper in travel is a stranger, so only the
    policy's weights for continuity and choice send the known or chosen carer."""
    homes = [(44.4949, 11.3426), (44.4950, 11.3427), (44.5200, 11.3800)]
    visits = [
        Visit("known", 1, 30, 480, 480, known=frozenset({"far"})),
        Visit("chosen", 1, 30, 600, 600, preferred=frozenset({"far"})),
    ]
    carers = [Carer("near", frozenset(), 1, 1), Carer("far", frozenset(), 2, 2)]

    def roster(policy):
        problem = Problem(visits, carers, CoordinateTravel(homes), policy=policy)
        return solve(problem, seconds=1, solution_limit=50)

    by_travel = roster(RosterPolicy())
    assert by_travel.carers_of("known") == by_travel.carers_of("chosen") == ["near"]
    weighed = roster(RosterPolicy(continuity=100, preference=100))
    assert weighed.carers_of("known") == weighed.carers_of("chosen") == ["far"]
    assert weighed.costs["continuity"] == weighed.costs["preference"] == 0


def test_a_day_too_large_for_the_routing_solver_gets_the_order_searchs_roster(monkeypatch):
    monkeypatch.setattr(solve_module, "ROUTING_SIZE_LIMIT", 0)
    problem = day()
    seen = []
    roster = solve(problem, seconds=0.5, on_progress=seen.append)
    assert violations(problem, roster) == []
    assert roster.unassigned == {}
    assert seen and seen[-1].cost == pytest.approx(roster.costs["total"])


def test_progress_is_the_policys_full_cost_with_the_largest_lateness():
    """The routing model has no Tmax; what it reports has Tmax added, so the cheapest cost
    reported is the roster's total as ``evaluate.costs`` prices it. Here a carer free only
    after "wash"'s window closes makes it 20 minutes late, Tmax weighed 5: total 20 + 100."""
    problem = Problem(
        [
            Visit("wash", 1, 30, 480, 480, hard_window=False),
            Visit("hoist", 2, 30, 600, 700, carers_needed=2),
        ],
        [
            Carer("ana", frozenset(), 0, 0, available_from=500),
            Carer("bea", frozenset(), 0, 0, available_from=500),
        ],
        MatrixTravel([[0.0] * 3 for _ in range(3)]),
        policy=RosterPolicy(travel=1, tardiness=1, max_tardiness=5),
    )
    seen = []
    roster = solve(problem, seconds=5, on_progress=seen.append, solution_limit=20)
    assert roster.costs["max_tardiness"] == pytest.approx(100)
    assert roster.costs["total"] == pytest.approx(120)
    assert min(p.cost for p in seen) == pytest.approx(roster.costs["total"], abs=0.01)


def test_a_repair_places_what_the_earlier_roster_left_out_without_the_routing_solver(
    monkeypatch,
):
    """Cover for an absent carer mends the published day: the order search inserts the
    visits left out into the others' routes and the routing solver is not run at all."""

    def no_routing_solver(*args, **kwargs):
        raise AssertionError("a repair does not search the whole day again")

    problem = day()
    first = solve(problem, seconds=1, solution_limit=20)
    dropped = {"shop-7", "bed-9"}
    earlier = Roster(
        [
            Route(r.carer_id, [s for s in r.stops if s.visit_id not in dropped])
            for r in first.routes
        ],
        dict.fromkeys(dropped, "to cover"),
        {},
        {},
    )
    monkeypatch.setattr(solve_module, "_search", no_routing_solver)
    mended = solve(problem, seconds=5, initial=earlier, solution_limit=20, repair=True)
    assert violations(problem, mended) == []
    assert mended.unassigned == {}


def test_the_routing_solver_does_not_start_after_its_deadline():
    """What is left of the time is counted from the deadline when the search would start,
    after building the model and reading the start roster: none left, no search, and the
    order search's roster stands."""
    problem = day()
    nodes = solve_module._Nodes(problem)
    matrices = solve_module._matrices(problem, nodes)
    state = solve_module._State(time.monotonic(), None)
    found = solve_module._search(
        problem, nodes, matrices, time.monotonic(), None, "PATH_CHEAPEST_ARC", state, None
    )
    assert found is None
    assert state.found == 0


def test_the_routing_solvers_limit_is_what_is_left_to_its_deadline():
    params = solve_module._parameters(None, 10, None)
    solve_module._limit(params, 1.25)
    assert params.time_limit.ToMilliseconds() == 1250
    solve_module._limit(params, 0.0001)
    assert params.time_limit.ToMilliseconds() == 1
