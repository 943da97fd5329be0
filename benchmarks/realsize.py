"""The planner on a generated real-size day: 1,500 visits, 150 carers, 10 % double-handed.

    python -m benchmarks.realsize [--seconds 60] [--visits 1500] [--carers 150] [--seed 1]
                                  [--double-handed 0.10]

Homes spread over about 5 km around Bologna's centre, travel by car from coordinates; morning,
lunch, afternoon and evening windows; skills (personal care, medication, hoist); carers on
morning, split or evening shifts, some with an hour away. Prints the time to the first
feasible roster and the roster's figures at the time limit, beside a bound on how many visits
any roster could place (``placeable``) and the machine's load.

The bound is a linear programme (OR-Tools' GLOP): each visit is placed in a share y <= 1 by
shares of carers alike (same skills, hours, time away and limit, counted together); for each
kind of carer and each stretch of the day between two whole hours (up to five hours apart,
and the whole day), the visits whose window keeps their work inside the stretch need no more
minutes than those carers are available in it (the working-day limit included). Travel is
left out, so the bound is generous: no roster places more than it.
"""

import argparse
import math
import os
import random
import sys
import time
from collections import Counter

from ortools.linear_solver import pywraplp

from coopcare.planner.evaluate import violations
from coopcare.planner.model import Carer, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import CoordinateTravel

CENTRE = (44.4949, 11.3426)
SLOTS = [(7 * 60 + 30, 10 * 60 + 30, 0.45), (11 * 60 + 45, 13 * 60 + 30, 0.25),
         (15 * 60, 17 * 60, 0.15), (19 * 60, 21 * 60, 0.15)]  # fmt: skip
SHIFTS = [(7 * 60, 14 * 60), (7 * 60, 21 * 60 + 30), (14 * 60, 21 * 60 + 30)]


def generate(visits: int, carers: int, seed: int, double_handed: float = 0.10) -> Problem:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    homes = visits // 3  # about three visits a day per person

    def point():
        distance, bearing = 5 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        return (
            CENTRE[0] + distance / 111 * math.cos(bearing),
            CENTRE[1] + distance / (111 * math.cos(math.radians(CENTRE[0]))) * math.sin(bearing),
        )

    points = [CENTRE] + [point() for _ in range(homes + carers)]
    plan = []
    for n in range(visits):
        home = 1 + n % homes
        start, end, _ = rng.choices(SLOTS, [s[2] for s in SLOTS])[0]
        at = rng.randrange(start, end - 30, 15)
        double = rng.random() < double_handed
        skills = {"hoist"} if double else rng.choice([set(), {"personal"}, {"personal"}, {"meds"}])
        plan.append(
            Visit(
                id=f"v{n}",
                location=home,
                duration=rng.choice([30, 30, 45]),
                earliest=at,
                latest=at + 30,
                hard_window=rng.random() < 0.3,
                max_late=60,
                skills=frozenset(skills),
                carers_needed=2 if double else 1,
            )
        )
    team = []
    for k in range(carers):
        start, end = rng.choice(SHIFTS)
        skills = {"personal"} | ({"meds"} if rng.random() < 0.6 else set())
        skills |= {"hoist"} if rng.random() < 0.5 else set()
        away = ((start + 240, start + 300),) if end - start > 480 else ()
        team.append(
            Carer(
                id=f"c{k}",
                skills=frozenset(skills),
                start_location=homes + 1 + k,
                end_location=homes + 1 + k,
                available_from=start,
                available_until=end,
                unavailable=away,
                max_minutes=10 * 60,
                contracted_minutes=6 * 60,
            )
        )
    policy = RosterPolicy(travel=1, tardiness=1, fairness=0.1, unassigned=1_000)
    return Problem(plan, team, CoordinateTravel(points, mode="car"), [], policy)


def placeable(problem: Problem) -> float:
    """The most visits any roster could place, by the linear programme in this module's
    docstring."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    kinds = Counter(
        (c.skills, c.available_from, c.available_until, c.unavailable, c.max_minutes)
        for c in problem.carers
    )
    first = math.floor(min(v.earliest for v in problem.visits) / 60) * 60
    last = max(v.latest + (v.max_late or 0) + v.duration for v in problem.visits)
    hours = list(range(first, math.ceil(last / 60) * 60 + 1, 60))
    stretches = [(a, b) for a in hours for b in hours if 0 < b - a <= 300]
    stretches.append((hours[0], hours[-1]))
    inside: dict[tuple[int, tuple[float, float]], list] = {}
    placed = []
    for v in problem.visits:
        y = solver.NumVar(0, 1, "")
        placed.append(y)
        limit = v.latest if v.hard_window else v.latest + (v.max_late or math.inf)
        work = (v.earliest, min(limit, last) + v.duration)
        takers = []
        for t, ((skills, start, end, _, _), count) in enumerate(kinds.items()):
            if v.skills <= skills and max(v.earliest, start) <= min(limit, end - v.duration):
                x = solver.NumVar(0, min(v.carers_needed, count), "")
                solver.Add(x <= min(v.carers_needed, count) * y)
                takers.append(x)
                for stretch in stretches:
                    if stretch[0] <= work[0] and work[1] <= stretch[1]:
                        inside.setdefault((t, stretch), []).append(v.duration * x)
        solver.Add(sum(takers) == v.carers_needed * y)
    for (t, (a, b)), minutes in inside.items():
        (_, start, end, away, longest), count = list(kinds.items())[t]
        free = max(0.0, min(b, end) - max(a, start))
        free -= sum(max(0.0, min(b, u) - max(a, f)) for f, u in away)
        solver.Add(sum(minutes) <= count * min(free, longest or math.inf))
    solver.Maximize(sum(placed))
    solver.Solve()
    return solver.Objective().Value()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--visits", type=int, default=1500)
    parser.add_argument("--carers", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--double-handed", type=float, default=0.10, help="share of visits")
    args = parser.parse_args(argv)
    problem = generate(args.visits, args.carers, args.seed, args.double_handed)
    first = []
    began = time.monotonic()
    roster = solve(
        problem,
        seconds=args.seconds,
        on_progress=lambda p: first.append(p.seconds) if not first else None,
    )
    elapsed = time.monotonic() - began
    broken = violations(problem, roster)
    doubles = sum(v.carers_needed == 2 for v in problem.visits)
    print(f"Real-size day: {len(problem.visits)} visits ({doubles} double-handed), "
          f"{len(problem.carers)} carers, seed {args.seed}, limit {args.seconds:g} s")  # fmt: skip
    print("load average (1, 5, 15 min) " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"first feasible roster after  {first[0] if first else float('nan'):8.1f} s")
    print(f"search ended after           {elapsed:8.1f} s")
    print(f"visits placed                {len(problem.visits) - len(roster.unassigned):8d}")
    print(f"visits left out              {len(roster.unassigned):8d}")
    began = time.monotonic()
    bound = placeable(problem)
    placed = len(problem.visits) - len(roster.unassigned)
    print(f"placeable at most (LP bound) {bound:8.1f}   ({time.monotonic() - began:.0f} s)")
    print(f"placed / bound               {placed / bound:8.1%}")
    print(f"travel (km)                  {roster.costs['travel']:8.1f}")
    print(f"tardiness (min)              {roster.costs['tardiness']:8.1f}")
    print(f"objective                    {roster.costs['total']:8.1f}")
    print(f"hard rules broken            {len(broken):8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
