"""Route a day without linked visits with PyVRP (iterated local search, MIT-licensed).

Each carer's day is cut at their times away into shifts; each shift is a PyVRP vehicle with
its own start and end place and time window. Each visit is an optional client whose prize is
the cost of leaving it out; a soft window is two clients in one mutually exclusive group, an
on-time one and a late one whose prize is smaller by a guess of the lateness it costs.
Carers who may take the same visits at the same extra cost share a routing profile; a visit
a carer may not take (skills, refusal, pin) is far away in that carer's profile, and a
stranger or a carer not chosen costs its weight on the way into the visit.

What PyVRP cannot say exactly is approximated, and every route is timed again here in real
minutes, dropping any visit it would place against a hard rule: the caller still checks the
roster with ``evaluate.violations``.

- Working-day limit: PyVRP limits a shift's duration from leaving home to coming back, a
  little stricter than the planner's first start to last end. A carer cut into several
  shifts has their day shortened to ``max_minutes`` from when it begins.
- Fair hours: minutes past the contracted ones are overtime at the fairness weight; minutes
  short of them are not priced in the search.
- Lateness: a late visit costs a fixed guess (half its allowed lateness) in the search.
- The largest tardiness (``max_tardiness``) is priced only on the roster found.
"""

import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from pyvrp import (
    Activity,
    ActivityType,
    Client,
    ClientGroup,
    Depot,
    IteratedLocalSearch,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    Location,
    ProblemData,
    RandomNumberGenerator,
    SolveParams,
    VehicleType,
)
from pyvrp import Route as VehicleRoute
from pyvrp import Solution as VehicleSolution
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.PenaltyManager import PenaltyManager
from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours

from coopcare.planner import eligibility
from coopcare.planner.evaluate import EPSILON
from coopcare.planner.model import Carer, Problem, Visit
from coopcare.planner.travel import matrices

# PyVRP's units. A visit left out (1,000 by default) is worth 100,000; PyVRP's penalty for a
# unit of lateness past a hard window starts at 50,000: it keeps to feasible rosters only if a
# visit is not worth much more than a unit of lateness, so the scales are coarse on purpose.
TIME_SCALE = 10  # PyVRP duration units per minute: 0.1-minute precision
COST_SCALE = 100  # PyVRP cost units per unit of the policy's cost
FAR = 10**9  # the cost and time of reaching a visit a carer may not take
HORIZON = 2**30  # minutes: no limit (far from overflowing PyVRP's units when added up)
LATE_GUESS = 60  # minutes: a soft window with no lateness limit is priced as if this were one
NARROW = 10  # PyVRP duration units: the narrowest window PyVRP is given (a minute)
# Profiles x locations x locations: above this PyVRP's matrices would take more memory and
# time to build than they are worth; choice costs are dropped first, then PyVRP is not used.
MATRIX_LIMIT = 40_000_000
# Iterations per unit of ``solution_limit``: a run that stops on a count is deterministic.
ITERATIONS = 10
# Iterations without a better roster after which a search from an earlier roster has settled.
SETTLED = 5_000
# The same for a repair (cover for one absent carer: only their visits to place, the others
# pinned or costly to move). An iteration on the demo's day of 219 visits and 51 carers takes
# about 2 ms, so ``SETTLED`` would never come before the cover's time limit; the best roster
# there is found in the first dozen iterations (the 8th for its busiest carer). 50 covers and
# moves as many visits as 200 did for each of seven carers off sick on two of the demo's days,
# in about half of PyVRP's time.
REPAIR_SETTLED = 50
REPORT_EVERY = 0.5  # seconds between progress reports (each prices a whole roster)
# Seconds of a core per pair of clients PyVRP takes to find each client's nearest neighbours,
# and to build its own first roster: both grow as the square of the clients (measured on a
# 2-core machine: 1.1-1.3e-7 and 0.4-0.6e-7 for days of 1,300 to 5,100 clients).
NEIGHBOURS_PER_PAIR = 1.3e-7
FIRST_ROSTER_PER_PAIR = 0.6e-7

# A carer's visits in order with their start times, by carer index.
Sequences = list[list[tuple[str, float]]]


@dataclass(frozen=True)
class Shift:
    """A piece of a carer's day between times away: a PyVRP vehicle."""

    carer: int
    start_location: int
    end_location: int
    opens: float
    closes: float
    whole_day: bool  # the carer's day is not cut: working-time limits are the shift's


def shifts(carer: Carer, index: int) -> list[Shift]:
    """The carer's day cut at their times away (spent at home)."""
    opens, closes = carer.available_from, carer.available_until
    away = sorted((a, b) for a, b in carer.unavailable if b > opens and a < closes)
    if away and carer.max_minutes is not None:
        # The limit runs from the first visit to the last, across the cuts, which PyVRP cannot
        # see: the day is kept within it from when it begins.
        closes = min(closes, opens + carer.max_minutes)
    pieces, begins, place = [], opens, carer.start_location
    for away_from, away_until in away:
        if away_from > begins:
            pieces.append((begins, min(away_from, closes), place, carer.end_location))
        if away_until > begins:
            begins, place = away_until, carer.end_location
    if begins < closes:
        pieces.append((begins, closes, place, carer.end_location))
    return [Shift(index, p, q, a, b, not away) for a, b, p, q in pieces if b > a]


def allowed(visit: Visit, carer: Carer) -> bool:
    """Whether the hard rules let ``carer`` take ``visit`` at all."""
    return (
        visit.skills <= carer.skills
        and carer.id not in visit.refused
        and (not visit.pinned or carer.id in visit.pinned)
    )


def _choice(problem: Problem, visit: Visit, carer: Carer) -> float:
    policy = problem.policy
    cost = 0.0
    if policy.continuity and visit.known and carer.id not in visit.known:
        cost += policy.continuity
    if policy.preference and visit.preferred and carer.id not in visit.preferred:
        cost += policy.preference
    return cost


class _Stop:
    """Stops the search at the deadline, on a count, once settled, or when cancelled."""

    def __init__(self, deadline: float, iterations: int | None, settled: float):
        self.deadline, self.iterations, self.settled = deadline, iterations, settled
        self.count = self.quiet = 0
        self.last = time.monotonic()
        self.best: int | None = None
        self.cancelled = False

    def __call__(self, best_cost: int) -> bool:
        now = time.monotonic()
        # An iteration on a large day can take a good part of a second: stop when the next
        # one, as long as the last, would end past the deadline.
        step, self.last = now - self.last, now
        self.count += 1
        if self.best is None or best_cost < self.best:
            self.best, self.quiet = best_cost, 0
        else:
            self.quiet += 1
        return (
            self.cancelled
            or now + step >= self.deadline
            or (self.iterations is not None and self.count > self.iterations)
            or self.quiet >= self.settled
        )


class _Reporter(IteratedLocalSearchCallbacks):
    """Hands each better feasible roster (at most one each ``REPORT_EVERY``) to ``report``."""

    def __init__(
        self,
        read: Callable[[VehicleSolution], Sequences],
        report: Callable[[Sequences], bool],
        stop: _Stop,
    ):
        self.read, self.report, self.stop = read, report, stop
        self.last = -math.inf

    def on_start(self, ils: IteratedLocalSearch) -> None:
        """The first roster, as soon as there is one (``read`` drops what makes it
        infeasible)."""
        if self.report(self.read(ils.initial_solution)):
            self.stop.cancelled = True
        # Iterations are timed from here: building the first roster is not one.
        self.last = self.stop.last = time.monotonic()

    def on_best(self, best: VehicleSolution) -> None:
        now = time.monotonic()
        if best.is_feasible() and now - self.last >= REPORT_EVERY:
            self.last = now
            if self.report(self.read(best)):
                self.stop.cancelled = True


def route(
    problem: Problem,
    *,
    deadline: float,
    report: Callable[[Sequences], bool],
    initial: Sequences | None = None,
    solution_limit: int | None = None,
    repair: bool = False,
) -> Sequences | None:
    """Route ``problem`` (no linked visits) with PyVRP until ``deadline`` (``time.monotonic``).

    ``report`` gets better rosters along the way and returns True to cancel; ``initial``
    (visits and starts by carer) is where the search starts; with ``repair`` it only mends
    that roster and ends sooner once settled (``REPAIR_SETTLED``). Returns each carer's visits with
    start times, timed in real minutes and checked against the hard rules (PyVRP's best, if
    it is not feasible, loses the visits that make it so); None if the day is too large for
    PyVRP's matrices."""
    wall, cpu = time.monotonic(), time.process_time()
    built = _Built.of(problem)
    if built is None:
        return None
    # The share of a core this process had while building (the machine may be shared).
    share = min(max((time.process_time() - cpu) / max(time.monotonic() - wall, 1e-6), 0.05), 1)
    if time.monotonic() + _setup_seconds(built.data, initial is None) / share >= deadline:
        return None  # PyVRP's setup, which cannot be cut short, would end past the deadline
    # A search from an earlier roster may end once settled.
    settled = REPAIR_SETTLED if repair else SETTLED if initial is not None else math.inf
    stop = _Stop(deadline, solution_limit * ITERATIONS if solution_limit else None, settled)
    start = built.solution(initial) if initial is not None else None
    with warnings.catch_warnings():
        # PyVRP warns when its penalties top out on a day where not every visit fits: that is
        # an answer here (visits are left out at their price), and rosters are checked anyway.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        best = _search(built, stop, _Reporter(built.read, report, stop), start)
    # An infeasible best is still read: ``timed`` drops what breaks a rule.
    return built.read(best) if best is not None else None


def _setup_seconds(data: ProblemData, from_scratch: bool) -> float:
    """Seconds of a core PyVRP takes before it searches: its neighbourhoods, and its own first
    roster when it has none to start from, each growing as the square of the clients."""
    pairs = data.num_clients**2
    return pairs * (NEIGHBOURS_PER_PAIR + (FIRST_ROSTER_PER_PAIR if from_scratch else 0))


def _search(
    built: "_Built",
    stop: "_Stop",
    reporter: "_Reporter",
    start: VehicleSolution | None,
) -> VehicleSolution | None:
    """PyVRP's ``solve`` (iterated local search, seed 1) step by step, to give up between its
    steps once past the deadline; None if it did."""
    data, params = built.data, SolveParams(ils=IteratedLocalSearchParams(callbacks=reporter))
    rng = RandomNumberGenerator(seed=1)
    neighbours = compute_neighbours(data, params.neighbourhood)
    if time.monotonic() >= stop.deadline:
        return None
    search = LocalSearch(data, rng, neighbours, PerturbationManager(params.perturbation))
    for operator in params.operators:
        if operator.supports(data):
            search.add_operator(operator(data))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    if start is None:
        # PyVRP's own first roster: its local search run to the end from a random one.
        start = search(
            VehicleSolution.make_random(data, rng), penalties.max_cost_evaluator(), exhaustive=True
        )
        if time.monotonic() >= stop.deadline:
            return None
    ils = IteratedLocalSearch(data, penalties, search, start, params.ils)
    return ils.run(stop, collect_stats=False).best


@dataclass
class _Built:
    """The problem as PyVRP data, and how to read PyVRP's routes back."""

    problem: Problem
    data: ProblemData
    vehicles: list[list[Shift]]  # by vehicle type: the shift of each of its vehicles
    visit_of: list[int]  # visit number by client number
    client_of: list[int]  # a visit's on-time client by visit number

    @classmethod
    def of(cls, problem: Problem) -> "_Built | None":
        """PyVRP's data for ``problem``; None if its matrices would be too large, or if
        there is nothing to route (PyVRP needs a visit and a vehicle)."""
        carers, visits, policy = problem.carers, problem.visits, problem.policy
        all_shifts = [s for k, c in enumerate(carers) for s in shifts(c, k)]
        if not visits or not all_shifts:
            return None
        places = sorted(
            {s.start_location for s in all_shifts} | {s.end_location for s in all_shifts}
        )
        able = eligibility.allowed(problem)
        choice = eligibility.choice_costs(problem)
        for costly in (True, False):
            extra = choice if costly else np.zeros_like(choice)
            # Carers alike on every visit share a profile (numbered in the carers' order).
            rows = [able[k].tobytes() + extra[k].tobytes() for k in range(len(carers))]
            profiles = {row: n for n, row in enumerate(dict.fromkeys(rows))}
            first = [rows.index(row) for row in profiles]
            profile_able, profile_extra = able[first], extra[first]
            # Visits at one home with the same column in every profile share a location.
            columns = [
                profile_able[:, i].tobytes() + profile_extra[:, i].tobytes()
                for i in range(len(visits))
            ]
            keys = {
                key: n
                for n, key in enumerate(
                    dict.fromkeys(zip((v.location for v in visits), columns, strict=True))
                )
            }
            if len(profiles) * (len(places) + len(keys)) ** 2 <= MATRIX_LIMIT:
                break
        else:
            return None
        # The first visit of each location stands for its column in every profile.
        of_key = [0] * len(keys)
        for i, key in enumerate(zip((v.location for v in visits), columns, strict=True)):
            of_key[keys[key]] = i
        kept = np.asarray(of_key, dtype=np.intp)
        minutes, distance = matrices(problem.travel, places + [v for v, _ in keys])
        durations = np.ceil(minutes * TIME_SCALE - 1e-9).astype(np.int64)
        base_cost = np.rint(distance * policy.travel * COST_SCALE).astype(np.int64)
        distance_matrices, duration_matrices = [], []
        for n in range(len(profiles)):
            barred = np.zeros(len(places) + len(keys), dtype=bool)
            barred[len(places) :] = ~profile_able[n, kept]
            # Python's round, as numpy's: halves to even.
            added = np.zeros(len(places) + len(keys), dtype=np.int64)
            added[len(places) :] = np.rint(profile_extra[n, kept] * COST_SCALE)
            cost = base_cost + np.where(barred, FAR, added)[None, :]
            duration = durations + np.where(barred, FAR, 0)[None, :]
            np.fill_diagonal(cost, 0)
            np.fill_diagonal(duration, 0)
            distance_matrices.append(cost)
            duration_matrices.append(duration)

        loads = any(v.load for v in visits)
        clients: list[Client] = []
        groups: list[ClientGroup] = []
        visit_of: list[int] = []
        client_of: list[int] = []
        for i, visit in enumerate(visits):
            at = len(places) + keys[visit.location, columns[i]]
            prize = round(policy.unassigned * visit.priority * COST_SCALE)

            def client(latest: float, prize: int, group: int | None = None) -> Client:
                early = math.ceil(visit.earliest * TIME_SCALE - 1e-9)  # noqa: B023
                return Client(
                    at,  # noqa: B023 - used at once, within the iteration
                    delivery=[visit.load] if loads else [],  # noqa: B023
                    service_duration=math.ceil(visit.duration * TIME_SCALE - 1e-9),  # noqa: B023
                    tw_early=early,
                    # PyVRP's travel is rounded up leg by leg, which over a day can add up to
                    # more than a narrow window: a window under a minute (a start fixed to the
                    # second, as ``around.py`` holds a linked visit) is a minute wide here;
                    # ``timed`` keeps the real window, dropping a visit reached too late.
                    tw_late=max(_floor(latest), early + NARROW),
                    prize=prize,
                    required=False,
                    group=group,
                )

            client_of.append(len(clients))
            if visit.hard_window:
                clients.append(client(visit.latest, prize))
                visit_of.append(i)
                continue
            late = visit.max_late if visit.max_late is not None else LATE_GUESS
            charge = round(policy.tardiness * late / 2 * COST_SCALE)
            group = len(groups)
            groups.append(ClientGroup([len(clients), len(clients) + 1], required=False))
            clients.append(client(visit.latest, prize, group))
            latest = visit.latest + visit.max_late if visit.max_late is not None else HORIZON
            clients.append(client(latest, max(prize - charge, 1), group))
            visit_of += [i, i]

        depot_of = {place: n for n, place in enumerate(places)}
        total_load = sum(v.load for v in visits)
        # Carers alike in every shift (places, windows, limits, profile) are one vehicle type
        # with as many vehicles: PyVRP searches faster with fewer types.
        alike: dict[tuple[_Kind, ...], list[list[Shift]]] = {}
        for k in range(len(carers)):
            own = [s for s in all_shifts if s.carer == k]
            kinds = tuple(
                _vehicle(problem, s, depot_of, profiles[rows[k]], loads, total_load) for s in own
            )
            alike.setdefault(kinds, [[] for _ in own])
            for slot, shift in zip(alike[kinds], own, strict=True):
                slot.append(shift)
        vehicle_types, vehicles = [], []
        for kinds, slots in alike.items():
            for kind, slot in zip(kinds, slots, strict=True):
                vehicle_types.append(
                    VehicleType(len(slot), **(kind._asdict() | {"capacity": list(kind.capacity)}))
                )
                vehicles.append(slot)
        data = ProblemData(
            [Location(0, 0) for _ in range(len(places) + len(keys))],
            clients,
            [Depot(n) for n in range(len(places))],
            vehicle_types,
            distance_matrices,  # type: ignore[arg-type] # PyVRP's stub: int for the shape
            duration_matrices,  # type: ignore[arg-type]
            groups,
        )
        return cls(problem, data, vehicles, visit_of, client_of)

    def solution(self, sequences: Sequences) -> VehicleSolution:
        """An earlier roster (visits by carer) as a PyVRP solution: each visit in the shift
        it starts in, on time if it can be."""
        number = {v.id: i for i, v in enumerate(self.problem.visits)}
        routes: list[tuple[int, list[int]]] = []
        for kind, slot in enumerate(self.vehicles):
            for shift in slot:
                clients = []
                for visit_id, start in sequences[shift.carer]:
                    if visit_id in number and shift.opens <= start <= shift.closes:
                        visit = self.problem.visits[number[visit_id]]
                        late = not visit.hard_window and start > visit.latest
                        clients.append(self.client_of[number[visit_id]] + late)
                if clients:
                    routes.append((kind, clients))
        return VehicleSolution(
            self.data,
            [
                VehicleRoute(self.data, [Activity(ActivityType.CLIENT, c) for c in clients], n)
                for n, clients in routes
            ],
        )

    def read(self, solution: VehicleSolution) -> Sequences:
        """PyVRP's routes as each carer's visits, timed in real minutes (``timed``)."""
        pieces: list[list[tuple[float, list[Visit]]]] = [[] for _ in self.problem.carers]
        used = [0] * len(self.vehicles)
        for vehicle in solution.routes():
            kind = vehicle.vehicle_type()
            shift = self.vehicles[kind][used[kind]]
            used[kind] += 1
            visits = [self.problem.visits[self.visit_of[a.idx]] for a in vehicle if a.is_client()]
            pieces[shift.carer].append((shift.opens, visits))
        return [
            timed(self.problem, carer, [v for _, part in sorted(parts, key=_first) for v in part])
            for carer, parts in zip(self.problem.carers, pieces, strict=True)
        ]


def _first(piece: tuple[float, list[Visit]]) -> float:
    return piece[0]


def _floor(minutes: float) -> int:
    return math.floor(minutes * TIME_SCALE + 1e-9)


class _Kind(NamedTuple):
    """A PyVRP vehicle type's settings, but for how many vehicles have them."""

    capacity: tuple[int, ...]
    start_depot: int
    end_depot: int
    tw_early: int
    tw_late: int
    profile: int
    shift_duration: int
    max_overtime: int
    unit_overtime_cost: int


def _vehicle(
    problem: Problem,
    shift: Shift,
    depot_of: dict[int, int],
    profile: int,
    loads: bool,
    total_load: int,
) -> "_Kind":
    """A shift as a PyVRP vehicle's settings: its places, window, load and working-time
    limits."""
    carer, policy = problem.carers[shift.carer], problem.policy
    shift_duration, max_overtime, overtime_cost = _floor(HORIZON), 0, 0
    if shift.whole_day:
        longest = carer.max_minutes
        contracted = carer.contracted_minutes if policy.fairness else None
        if contracted is not None and (longest is None or contracted < longest):
            shift_duration = _floor(contracted)
            max_overtime = _floor(longest if longest is not None else HORIZON) - shift_duration
            overtime_cost = round(policy.fairness * COST_SCALE / TIME_SCALE)
        elif longest is not None:
            shift_duration = _floor(longest)
    capacity = carer.capacity if carer.capacity is not None else total_load
    return _Kind(
        (capacity,) if loads else (),
        depot_of[shift.start_location],
        depot_of[shift.end_location],
        math.ceil(shift.opens * TIME_SCALE - 1e-9),
        _floor(shift.closes),
        profile,
        shift_duration,
        max_overtime,
        overtime_cost,
    )


def timed(problem: Problem, carer: Carer, visits: Sequence[Visit]) -> list[tuple[str, float]]:
    """``carer``'s visits in this order, each started as early as it can be in real minutes;
    a visit that would break a hard rule there is left out (as are, from the end, visits that
    would make the day too long or end it too late)."""
    travel = problem.travel
    away = sorted(carer.unavailable)
    kept: list[tuple[Visit, float]] = []
    place, free_at, load = carer.start_location, carer.available_from, 0
    for visit in visits:
        if not allowed(visit, carer):
            continue
        if carer.capacity is not None and load + visit.load > carer.capacity:
            continue
        start = max(free_at + travel.minutes(place, visit.location), visit.earliest)
        for away_from, away_until in away:
            if start < away_until - EPSILON and start + visit.duration > away_from + EPSILON:
                start = away_until
        late = visit.latest if visit.hard_window else visit.latest + (visit.max_late or math.inf)
        if start > late:
            continue
        kept.append((visit, start))
        place, free_at, load = visit.location, start + visit.duration, load + visit.load

    def fits() -> bool:
        last, start = kept[-1]
        back = start + last.duration + travel.minutes(last.location, carer.end_location)
        span = start + last.duration - kept[0][1]
        return back <= carer.available_until and span <= (carer.max_minutes or math.inf)

    while kept and not fits():
        kept.pop()
    return [(visit.id, start) for visit, start in kept]
