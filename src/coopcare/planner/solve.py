"""Solve a rostering problem: a day without linked visits with PyVRP (``routing.py``); a
day with linked visits with an order search (``construct.py``), annealing over the routes
from its best roster (``anneal.py``), PyVRP routing the single visits around the linked ones
(``around.py``), then OR-Tools' routing solver (guided local search).

In the routing model each carer is a vehicle with their own start and end; each visit is a
node (a double-handed visit two nodes, started together by two different carers). Skills,
refusals and pins narrow which carers may take a node; time windows, availability, precedence
gaps and working-day limits are constraints on one time dimension; travel, tardiness,
overtime against contracted minutes, visits by carers the person does not know or did not
choose, and left-out visits are costs weighted by the ``RosterPolicy``.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from coopcare.planner import around, routing
from coopcare.planner.anneal import anneal, retimed
from coopcare.planner.construct import STALL, Decoded, Sequencer, search
from coopcare.planner.evaluate import costs, violations
from coopcare.planner.explain import UNPLACED, Reason, explain, in_english, unplaced_reason
from coopcare.planner.model import Carer, Problem, Roster, Route, Stop, Visit

SCALE = 100  # solver units per minute: integers with 0.01-minute precision
COST_SCALE = 10  # weights are kept to 0.1

# Time (service + travel) and cost by node number, and service by node number, in solver units.
Matrices = tuple[list[list[int]], list[list[int]], list[int]]
# OR-Tools' objects (the routing model, its index manager, a dimension, a solution): untyped.
Solver = Any


@dataclass(frozen=True)
class Progress:
    """Reported at each better roster found: seconds elapsed and its cost."""

    seconds: float
    cost: float
    solutions: int


class _Nodes:
    """Solver node numbering: carers' start and end nodes first, then one node per carer a
    visit needs."""

    def __init__(self, problem: Problem):
        self.location: list[int] = []
        self.service: list[float] = []
        self.visit_of: list[str | None] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        for carer in problem.carers:
            self.starts.append(self._add(carer.start_location, 0, None))
            self.ends.append(self._add(carer.end_location, 0, None))
        self.of_visit: dict[str, list[int]] = {}
        for visit in problem.visits:
            self.of_visit[visit.id] = [
                self._add(visit.location, visit.duration, visit.id)
                for _ in range(visit.carers_needed)
            ]

    def _add(self, location: int, service: float, visit_id: str | None) -> int:
        self.location.append(location)
        self.service.append(service)
        self.visit_of.append(visit_id)
        return len(self.location) - 1


def _scaled(minutes: float) -> int:
    return round(minutes * SCALE)


def _scaled_up(minutes: float) -> int:
    """Travel and service rounded up, so a roster feasible in solver units is feasible in
    real minutes too."""
    return math.ceil(minutes * SCALE - 1e-9)


# The order search finds a good roster fast and keeps linked visits together; the routing
# solver's guided local search then moves visits within routes from that roster (HHCRSP at
# 60 s: mean gap 39 % with the routing solver alone, 0.5 % so). With no linked visits the order
# search only gives a first roster quickly: the routing solver's own constructions start its
# search better (Solomon C103 at 30 s: 0 % from them, 7 % from the order search's roster).
SEQUENCE_SHARE = {True: 0.85, False: 0.1}  # by "are some visits linked?"
# On a day with linked visits, the parts of that share the order search has first and PyVRP
# has last (routing the single visits around the linked ones as the best roster times them,
# ``around.py``); annealing over the routes (``anneal.py``) has the rest between. Mankowska
# D1, D4, E1, E4, F1 and G1 at 20 s, mean gap: 27.3 % with 0.3 and 0.4 of three quarters,
# 25.5 % with 0.15 and 0.25 of all the time, 23.0 % with 0.15 and 0.25 of 85 % as here, and
# 23.0 % with annealing alone after the order search (one run each: runs of one setting
# differ by up to 10 points on an instance).
ORDER_SHARE = 0.15
AROUND_SHARE = 0.25
# Annealing moves per solution of ``solution_limit`` (a deterministic run).
ANNEAL_STEPS = 20
# Above this many (nodes x carers) the routing solver's model takes longer to build and read
# a roster into than a day's planning can wait (1,663 nodes x 150 carers: over 30 s before it
# searched), so the order search has all the time.
ROUTING_SIZE_LIMIT = 60_000
# Seconds at most kept from PyVRP's or the routing solver's search to read and price its last
# roster (at most 5 % of the time asked).
ROUTED_MARGIN = 0.5
# Order moves per solution of ``solution_limit``: a deterministic run (the demo, tests) ends
# its order search on a count of moves, well before the time share runs out.
SEQUENCE_STEPS = 2
# Moves per unit without a better roster after which a repair's order search stops: it only
# places what the earlier roster leaves out (cover for an absent carer), so it settles fast
# and the routing solver's polish, which runs to its limit, does not follow.
REPAIR_STALL = 5


def solve(
    problem: Problem,
    *,
    seconds: float = 10,
    initial: Roster | None = None,
    on_progress: Callable[[Progress], bool | None] | None = None,
    solution_limit: int | None = None,
    repair: bool = False,
) -> Roster:
    """Find a roster within ``seconds``. A day without linked visits goes to PyVRP
    (``routing.py``). Otherwise (or if PyVRP's roster broke a rule, or the day is too large
    for its matrices): an order search, on a day with linked visits annealing over the routes
    and PyVRP routing the single visits around the linked ones, then guided local search from
    the best roster (or
    from ``initial`` if that is still valid and cheaper) — or, with no linked visits, from the
    routing solver's own construction; the cheapest roster.

    ``on_progress`` is called at each better roster; if it returns True the search stops
    (cancel) and the best roster so far is returned. ``initial`` warm-starts from an earlier
    roster: its visits keep their order. A ``solution_limit`` makes the result deterministic
    (same problem, same roster), as a time limit cannot. With ``repair``, ``initial`` is a
    roster to mend rather than better: the order search starts from it and stops once it has
    settled (``REPAIR_STALL``), with no routing solver after it; PyVRP, on a day without
    linked visits, stops once settled too (``routing.REPAIR_SETTLED``)."""
    state = _State(time.monotonic(), on_progress)
    sequencer = Sequencer(problem)
    first = None
    if not problem.precedences and all(v.carers_needed == 1 for v in problem.visits):
        routed, first = _routed(problem, sequencer, seconds, state, initial, solution_limit, repair)
        if routed is not None:
            return routed
    # With linked visits, or a day PyVRP could not route: the rest of the time goes here.

    def better(decoded: Decoded) -> bool:
        state.report(decoded.cost)
        return state.cancelled

    nodes = _Nodes(problem)
    routing_size = len(nodes.location) * len(problem.carers) <= ROUTING_SIZE_LIMIT
    linked = any(len(unit) > 1 for unit in sequencer.units)
    # What is left once the order search is built (seconds on a large day) is shared out.
    margin = min(ROUTED_MARGIN, seconds * 0.05)
    left = seconds - (time.monotonic() - state.began)
    if routing_size and not repair:
        share = max(left * SEQUENCE_SHARE[linked], 0.001)
    else:  # the order search is the last phase: it keeps the margin to price and explain
        share = max(left - margin, 0.001)
    decoded = search(
        sequencer,
        share * ORDER_SHARE if linked and not repair else share,
        random.Random(0),  # noqa: S311 - a search's dice, not a secret
        better,
        order=_order_of(initial, sequencer) if initial is not None else None,
        steps=solution_limit * SEQUENCE_STEPS if solution_limit else None,
        stall=REPAIR_STALL if repair else STALL,
        # The first roster PyVRP's attempt began with is the start order's.
        first=first if initial is None else None,
    )
    best = decoded_roster(problem, sequencer, decoded)
    # When the share of a day with linked visits ends (``time.monotonic``).
    shared_until = state.began + (seconds - left) + share
    if linked and not repair and not state.cancelled:
        annealed, _ = anneal(
            sequencer,
            decoded,
            max(shared_until - share * AROUND_SHARE - time.monotonic(), 0.001),
            random.Random(0),  # noqa: S311 - a search's dice, not a secret
            better,
            steps=solution_limit * ANNEAL_STEPS if solution_limit else None,
        )
        polished = decoded_roster(problem, sequencer, annealed)
        # The evaluator has the last word: a roster that breaks a rule is never reported.
        if polished.costs["total"] < best.costs["total"] - 1e-9 and not violations(
            problem, polished
        ):
            best = polished
            state.report(best.costs["total"])
    if linked and not repair and not state.cancelled:
        best = _around(problem, sequencer, best, shared_until, state, solution_limit)
    if initial is not None and not violations(problem, initial):
        earlier = costs(problem, initial)
        if earlier["total"] < best.costs["total"]:
            best = Roster(
                initial.routes,
                initial.unassigned,
                earlier,
                explain(problem, initial),
                initial.unplaced_reasons,
            )
    if state.cancelled or not routing_size or repair:
        return best
    matrices = _matrices(problem, nodes)
    # The routing solver's limit counts its search only: building its model and reading the
    # start roster into it come first and are paid from the same deadline (``_search``).
    deadline = state.began + seconds - margin
    if linked or initial is not None:
        found = _search(problem, nodes, matrices, deadline, best, None, state, solution_limit)
    else:
        # A day without linked visits PyVRP could not route (PyVRP replaced the four
        # constructions in turn that were here: Solomon at 30 s, 2.78 % against 0.07 %).
        found = _search(
            problem,
            nodes,
            matrices,
            deadline,
            None,
            "LOCAL_CHEAPEST_INSERTION",
            state,
            solution_limit,
        )
    if found is not None and found.costs["total"] < best.costs["total"] - 1e-9:
        best = found
    return best


def _routed(
    problem: Problem,
    sequencer: Sequencer,
    seconds: float,
    state: "_State",
    initial: Roster | None,
    solution_limit: int | None,
    repair: bool = False,
) -> tuple[Roster | None, Decoded]:
    """A day without linked visits routed by PyVRP (``routing.py``), or the order search's
    first roster or ``initial`` if either is valid and cheaper; None if PyVRP gave no roster
    that keeps every hard rule or had no time to give one. The order search's first roster
    comes with it (the start order decoded)."""

    def report(sequences: routing.Sequences) -> bool:
        state.report(_sequenced(problem, sequences).costs["total"])
        return state.cancelled

    # PyVRP's first roster on a large day comes after seconds of building its data (1,500
    # visits: about 3 s of one core); the order search's first roster comes in well under one,
    # for the coordinator to see, and stays if PyVRP finds nothing cheaper.
    decoded = sequencer.decode(sequencer.start_order())
    # Its cost is the roster's: reported before the roster is put in words (0.1 s more).
    state.report(decoded.cost)
    first = decoded_roster(problem, sequencer, decoded)
    if state.cancelled:
        return first, decoded
    start = None
    if initial is not None:
        by_carer = {r.carer_id: [(s.visit_id, s.start) for s in r.stops] for r in initial.routes}
        start = [by_carer.get(c.id, []) for c in problem.carers]
    # Reading and pricing the last roster takes a moment on a large day.
    deadline = state.began + seconds - min(ROUTED_MARGIN, seconds * 0.05)
    found = routing.route(
        problem,
        deadline=deadline,
        report=report,
        initial=start,
        solution_limit=solution_limit,
        repair=repair,
    )
    if found is None:
        return None, decoded
    best = _sequenced(problem, found)
    if violations(problem, best):
        return None, decoded
    if first.costs["total"] < best.costs["total"]:
        best = first
    if initial is not None and not violations(problem, initial):
        earlier = costs(problem, initial)
        if earlier["total"] < best.costs["total"]:
            best = Roster(
                initial.routes,
                initial.unassigned,
                earlier,
                explain(problem, initial),
                initial.unplaced_reasons,
            )
    state.report(best.costs["total"])
    return best, decoded


def _around(
    problem: Problem,
    sequencer: Sequencer,
    best: Roster,
    until: float,
    state: "_State",
    solution_limit: int | None,
) -> Roster:
    """``best``, or the cheapest roster that keeps every rule among those PyVRP finds by
    routing the single visits around its linked ones (``around.py``) until ``until``, each
    timed again with every linked visit and its partner together. PyVRP prices lateness by a
    guess, so its own best is not always the cheapest by the policy."""
    kept = [best]
    index = {v.id: n for n, v in enumerate(problem.visits)}

    def consider(sequences: routing.Sequences) -> bool:
        routes = [[(index[v], start) for v, start in sequence] for sequence in sequences]
        placed = {n for route in routes for n, _ in route}
        left = set(range(len(problem.visits))) - placed
        decoded = retimed(sequencer, Decoded(routes, left, 0.0, []))
        if decoded is None:
            return state.cancelled
        found = decoded_roster(problem, sequencer, decoded)
        if found.costs["total"] < kept[0].costs["total"] - 1e-9 and not violations(problem, found):
            kept[0] = found
            state.report(found.costs["total"])
        return state.cancelled

    sequences = around.route_around(
        problem, best, deadline=until, report=consider, solution_limit=solution_limit
    )
    if sequences is not None:
        consider(sequences)
    return kept[0]


def _sequenced(problem: Problem, sequences: routing.Sequences) -> Roster:
    """Each carer's visits with start times as a roster, priced and explained."""
    by_id = {v.id: v for v in problem.visits}
    routes = [
        _route(problem, by_id, carer, sequence)
        for carer, sequence in zip(problem.carers, sequences, strict=True)
    ]
    return _finished(problem, routes, set(), {})


@dataclass
class _State:
    began: float
    on_progress: Callable[[Progress], bool | None] | None
    found: int = 0
    cancelled: bool = False
    reported: float = math.inf

    def report(self, cost: float) -> None:
        """Count a better roster and tell the caller; note a cancel."""
        if self.cancelled or cost >= self.reported:
            return
        self.reported = cost
        self.found += 1
        if self.on_progress is None:
            return
        if self.on_progress(Progress(time.monotonic() - self.began, cost, self.found)):
            self.cancelled = True


def _order_of(roster: Roster, sequencer: Sequencer) -> list[int]:
    """The order search's starting order from an earlier roster: its visits by start time,
    then visits new since, by their windows."""
    started = {s.visit_id: s.start for r in roster.routes for s in r.stops}
    visits = sequencer.visits
    return sorted(
        range(len(sequencer.units)),
        key=lambda u: (
            started.get(visits[sequencer.units[u][0]].id, math.inf),
            visits[sequencer.units[u][0]].latest,
        ),
    )


def decoded_roster(problem: Problem, sequencer: Sequencer, decoded: Decoded) -> Roster:
    """The order search's roster in the planner's words, priced and explained."""
    by_id = {v.id: v for v in problem.visits}
    routes = [
        _route(problem, by_id, carer, [(problem.visits[n].id, start) for n, start in route])
        for carer, route in zip(problem.carers, decoded.routes, strict=True)
    ]
    return _finished(problem, routes, {problem.visits[n].id for n in sequencer.linked_out}, {})


def _matrices(problem: Problem, nodes: _Nodes) -> Matrices:
    """Time (service + travel) and cost matrices by node number, in solver units."""
    travel, policy = problem.travel, problem.policy
    locations = sorted(set(nodes.location))
    minutes = {a: {b: travel.minutes(a, b) for b in locations} for a in locations}
    distance = {a: {b: travel.distance(a, b) for b in locations} for a in locations}
    loc = nodes.location
    service = [_scaled_up(m) for m in nodes.service]
    time_matrix = [
        [service[i] + _scaled_up(minutes[loc[i]][loc[j]]) for j in range(len(loc))]
        for i in range(len(loc))
    ]
    weight = policy.travel * SCALE * COST_SCALE
    cost_matrix = [
        [round(distance[loc[i]][loc[j]] * weight) for j in range(len(loc))] for i in range(len(loc))
    ]
    return time_matrix, cost_matrix, service


def _search(
    problem: Problem,
    nodes: _Nodes,
    matrices: Matrices,
    deadline: float,
    start: Roster | None,
    strategy: str | None,
    state: _State,
    solution_limit: int | None,
) -> Roster | None:
    """Guided local search from the ``start`` roster, or from the ``strategy`` construction,
    until ``deadline`` (``time.monotonic``); None if it found no roster in time."""
    policy = problem.policy
    carers = problem.carers
    time_matrix, cost_matrix, service = matrices
    horizon = _scaled(max([24 * 60] + [v.latest + v.duration for v in problem.visits]) * 2)
    manager = pywrapcp.RoutingIndexManager(
        len(nodes.location), len(carers), nodes.starts, nodes.ends
    )
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    # Break rules want service times by solver index, not node number.
    service_by_index = [
        service[manager.IndexToNode(i)] for i in range(routing.Size() + len(carers))
    ]
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost_matrix))
    transit = routing.RegisterTransitMatrix(time_matrix)
    routing.AddDimension(transit, horizon, horizon, False, "time")
    clock = routing.GetDimensionOrDie("time")

    unplaced: dict[str, Reason] = {}
    for visit in problem.visits:
        allowed = [
            k
            for k, carer in enumerate(carers)
            if visit.skills <= carer.skills
            and carer.id not in visit.refused
            and (not visit.pinned or carer.id in visit.pinned)
        ]
        if len(allowed) < visit.carers_needed:
            unplaced[visit.id] = unplaced_reason(visit, carers)
        penalty = round(policy.unassigned * visit.priority * SCALE * COST_SCALE)
        indexes = [manager.NodeToIndex(n) for n in nodes.of_visit[visit.id]]
        for index in indexes:
            # -1 is "not done": the disjunction below may leave a visit out.
            able = allowed if len(allowed) >= visit.carers_needed else []
            routing.VehicleVar(index).SetValues([-1, *able])
            routing.AddDisjunction([index], penalty)
            # Each visit as early as its route allows: the start times are fixed, not ranges.
            routing.AddVariableMinimizedByFinalizer(clock.CumulVar(index))
            cumul = clock.CumulVar(index)
            if visit.hard_window:
                latest = _scaled(visit.latest)
            elif visit.max_late is not None:
                latest = _scaled(visit.latest + visit.max_late)
            else:
                latest = horizon
            cumul.SetRange(_scaled(visit.earliest), latest)
            if not visit.hard_window:
                clock.SetCumulVarSoftUpperBound(
                    index, _scaled(visit.latest), max(1, round(policy.tardiness * COST_SCALE))
                )
        _together(routing, clock, solver, indexes[0], indexes[1:], 0, 0)

    for precedence in problem.precedences:
        first = manager.NodeToIndex(nodes.of_visit[precedence.first][0])
        second = manager.NodeToIndex(nodes.of_visit[precedence.second][0])
        _together(
            routing,
            clock,
            solver,
            first,
            [second],
            _scaled(precedence.min_gap),
            _scaled(precedence.max_gap),
            different=precedence.different_carers,
        )

    if any(c.capacity is not None for c in carers):
        loads = [0] * len(nodes.location)
        for visit in problem.visits:
            for node in nodes.of_visit[visit.id]:
                loads[node] = visit.load
        demand = routing.RegisterUnaryTransitCallback(lambda i: loads[manager.IndexToNode(i)])
        limits = [c.capacity if c.capacity is not None else sum(loads) for c in carers]
        routing.AddDimensionWithVehicleCapacity(demand, 0, limits, True, "load")

    _choice_costs(problem, routing, nodes)

    for k, carer in enumerate(carers):
        window = (_scaled(carer.available_from), _scaled(carer.available_until))
        clock.CumulVar(routing.Start(k)).SetRange(*window)
        clock.CumulVar(routing.End(k)).SetRange(*window)
        if carer.max_minutes is not None:
            clock.SetSpanUpperBoundForVehicle(_scaled(carer.max_minutes), k)
        if carer.contracted_minutes is not None and policy.fairness:
            clock.SetSoftSpanUpperBoundForVehicle(
                pywrapcp.BoundCost(
                    _scaled(carer.contracted_minutes), max(1, round(policy.fairness * COST_SCALE))
                ),
                k,
            )
        if carer.unavailable:
            breaks = [
                solver.FixedInterval(_scaled(start), _scaled(end - start), f"away {k}.{n}")
                for n, (start, end) in enumerate(carer.unavailable)
            ]
            clock.SetBreakIntervalsOfVehicle(breaks, k, service_by_index)
        # Leave as late as the first visit allows, come back as early as possible.
        routing.AddVariableMaximizedByFinalizer(clock.CumulVar(routing.Start(k)))
        routing.AddVariableMinimizedByFinalizer(clock.CumulVar(routing.End(k)))

    # A limit for closing the model (guided local search wants one); set again to what is left
    # when the search starts.
    params = _parameters(strategy, max(_left(deadline), 0.001), solution_limit)

    # The routing model has no largest lateness (Tmax): it is added to the solver's cost for
    # the report, so progress is in one scale, the policy's full cost, from both searches.
    timed = [
        (manager.NodeToIndex(node), _scaled(visit.latest))
        for visit in problem.visits
        for node in nodes.of_visit[visit.id]
    ]

    def progress() -> None:
        cost = routing.CostVar().Value() / (SCALE * COST_SCALE)
        if policy.max_tardiness:
            late = max(
                (
                    clock.CumulVar(index).Min() - latest
                    for index, latest in timed
                    if routing.ActiveVar(index).Min()
                ),
                default=0,
            )
            cost += policy.max_tardiness * max(late, 0) / SCALE
        state.report(cost)
        if state.cancelled:
            solver.FinishCurrentSearch()

    routing.AddAtSolutionCallback(progress)
    routing.CloseModelWithParameters(params)
    solution = None
    if start is not None and _left(deadline) > 0:
        routes = [
            [manager.NodeToIndex(n) for n in route] for route in _routes_of(start, nodes, carers)
        ]
        # Reading a roster in propagates every constraint: on a large day with fair hours and
        # double-handed visits it takes seconds, so the search gets only what is left after.
        assignment = routing.ReadAssignmentFromRoutes(routes, True)
        if assignment is not None and _left(deadline) > 0:
            _limit(params, _left(deadline))
            solution = routing.SolveFromAssignmentWithParameters(assignment, params)
    if solution is None and _left(deadline) > 0:
        _limit(params, _left(deadline))
        solution = routing.SolveWithParameters(params)
    if solution is None:
        return None
    return _roster(problem, routing, manager, clock, solution, nodes, unplaced)


def _choice_costs(problem: Problem, routing: Solver, nodes: _Nodes) -> None:
    """Continuity and the person's choice as costs of who does a visit: each carer counts,
    along their route, the visits by a stranger and against the person's preference."""
    policy = problem.policy
    weighed = [
        v
        for v in problem.visits
        if (policy.continuity and v.known) or (policy.preference and v.preferred)
    ]
    if not weighed:
        return
    unit = SCALE * COST_SCALE
    evaluators = []
    for carer in problem.carers:
        by_node = [0] * len(nodes.location)
        for visit in weighed:
            cost = 0.0
            if policy.continuity and visit.known and carer.id not in visit.known:
                cost += policy.continuity
            if policy.preference and visit.preferred and carer.id not in visit.preferred:
                cost += policy.preference
            for node in nodes.of_visit[visit.id]:
                by_node[node] = round(cost * unit)
        evaluators.append(routing.RegisterUnaryTransitVector(by_node))  # by node number
    most = round((policy.continuity + policy.preference) * unit * len(nodes.location))
    routing.AddDimensionWithVehicleTransits(evaluators, 0, most, True, "choice")
    choice = routing.GetDimensionOrDie("choice")
    for k in range(len(problem.carers)):
        choice.SetSpanCostCoefficientForVehicle(1, k)


def _left(deadline: float) -> float:
    return deadline - time.monotonic()


def _limit(params: Solver, seconds: float) -> None:
    """The routing solver's search limit, read when it starts searching."""
    params.time_limit.FromMilliseconds(max(1, round(seconds * 1000)))


def _parameters(strategy: str | None, seconds: float, solution_limit: int | None) -> Solver:
    """Guided local search, with the neighbourhoods pairs need; ``strategy`` builds the first
    roster when there is no start roster (or the solver cannot read it)."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, strategy or "LOCAL_CHEAPEST_INSERTION"
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    # Nodes of a pair (double-handed, or linked by a gap) cannot move one at a time; these
    # neighbourhoods take out nodes close together (a pair shares its place) and reinsert them.
    operators = params.local_search_operators
    for name in (
        "use_global_cheapest_insertion_close_nodes_lns",
        "use_local_cheapest_insertion_close_nodes_lns",
        "use_global_cheapest_insertion_expensive_chain_lns",
        "use_local_cheapest_insertion_expensive_chain_lns",
    ):
        setattr(operators, name, pywrapcp.BOOL_TRUE)
    _limit(params, seconds)
    if solution_limit:
        params.solution_limit = solution_limit
    return params


def _together(
    routing: Solver,
    clock: Solver,
    solver: Solver,
    first: int,
    others: list[int],
    min_gap: int,
    max_gap: int,
    different: bool = True,
) -> None:
    """Each of ``others`` starts ``min_gap``..``max_gap`` after ``first``, with another carer.

    The two are not tied to be done together in the model: insertion heuristics place one
    node at a time and could never place a tied pair. A node left out has a free start, so the
    gap binds only pairs that are both placed; a half-placed pair is undone after the search."""
    for other in others:
        gap = clock.CumulVar(other) - clock.CumulVar(first)
        solver.Add(gap >= min_gap)
        solver.Add(gap <= max_gap)
        if different:
            # A pair that is done needs two carers; a pair left out has vehicle -1 twice.
            solver.Add(
                solver.IsDifferentVar(routing.VehicleVar(first), routing.VehicleVar(other))
                >= routing.ActiveVar(first)
            )


def _routes_of(roster: Roster, nodes: _Nodes, carers: list[Carer]) -> list[list[int]]:
    """An earlier roster as node lists per carer (visits no longer in the problem dropped)."""
    used: dict[str, int] = {}
    by_carer = {r.carer_id: r for r in roster.routes}
    routes = []
    for carer in carers:
        route: list[int] = []
        for stop in by_carer[carer.id].stops if carer.id in by_carer else []:
            visit_nodes = nodes.of_visit.get(stop.visit_id, [])
            n = used.get(stop.visit_id, 0)
            if n < len(visit_nodes):
                route.append(visit_nodes[n])
                used[stop.visit_id] = n + 1
        routes.append(route)
    return routes


def _roster(
    problem: Problem,
    routing: Solver,
    manager: Solver,
    clock: Solver,
    solution: Solver,
    nodes: _Nodes,
    unplaced: dict[str, Reason],
) -> Roster:
    """The solver's solution as routes with start times; halves of pairs are undone."""
    by_id = {v.id: v for v in problem.visits}
    sequences = []
    for k in range(len(problem.carers)):
        sequence: list[tuple[str, float]] = []
        index = solution.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            start = solution.Min(clock.CumulVar(index)) / SCALE
            node: int = manager.IndexToNode(index)
            visit_id = nodes.visit_of[node]
            if visit_id is not None:  # always: nodes between a start and an end are visits'
                sequence.append((visit_id, start))
            index = solution.Value(routing.NextVar(index))
        sequences.append(sequence)
    halves = around.in_part(problem, sequences)
    routes = [
        _route(problem, by_id, carer, [(v, t) for v, t in sequence if v not in halves])
        for carer, sequence in zip(problem.carers, sequences, strict=True)
    ]
    return _finished(problem, routes, halves, unplaced)


def _finished(
    problem: Problem, routes: list[Route], linked: set[str], known: dict[str, Reason]
) -> Roster:
    """A roster of ``routes``, priced and explained, with a reason for each visit not in them:
    the ``known`` one, "linked" for visits in ``linked``, else why no carer could take it."""
    placed = {s.visit_id for r in routes for s in r.stops}
    why = {
        v.id: known.get(v.id)
        or (
            ("linked", {})
            if v.id in linked
            else unplaced_reason(v, problem.carers, solver_dropped=True)
        )
        for v in problem.visits
        if v.id not in placed
    }
    unassigned = {visit_id: in_english(reason, UNPLACED) for visit_id, reason in why.items()}
    unpriced = Roster(routes, unassigned, {}, {}, why)
    priced = costs(problem, unpriced)
    return Roster(routes, unassigned, priced, explain(problem, unpriced), why)


def _route(
    problem: Problem, by_id: dict[str, Visit], carer: Carer, sequence: list[tuple[str, float]]
) -> Route:
    """A carer's stops with arrival times, travel and working minutes."""
    travel = problem.travel
    stops: list[Stop] = []
    minutes, distance = 0.0, 0.0
    place, free_at = carer.start_location, None
    for visit_id, start in sequence:
        visit = by_id[visit_id]
        leg = travel.minutes(place, visit.location)
        arrival = start if free_at is None else free_at + leg
        stops.append(Stop(visit_id, arrival, start, start + visit.duration))
        minutes += leg
        distance += travel.distance(place, visit.location)
        place, free_at = visit.location, start + visit.duration
    if stops:
        minutes += travel.minutes(place, carer.end_location)
        distance += travel.distance(place, carer.end_location)
    working = (stops[-1].end - stops[0].start) if stops else 0.0
    return Route(carer.id, stops, minutes, distance, working)
