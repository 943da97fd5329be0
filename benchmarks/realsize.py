"""The planner on a generated real-size day: 1,500 visits, 150 carers, 10 % double-handed.

    python -m benchmarks.realsize [--seconds 60] [--visits 1500] [--carers 150] [--seed 1]

Homes spread over about 5 km around Bologna's centre, travel by car from coordinates; morning,
lunch, afternoon and evening windows; skills (personal care, medication, hoist); carers on
morning, split or evening shifts, some with an hour away. Prints the time to the first
feasible roster and the roster's figures at the time limit.
"""

import argparse
import math
import random
import sys
import time

from coopcare.planner.evaluate import violations
from coopcare.planner.model import Carer, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import CoordinateTravel

CENTRE = (44.4949, 11.3426)
SLOTS = [(7 * 60 + 30, 10 * 60 + 30, 0.45), (11 * 60 + 45, 13 * 60 + 30, 0.25),
         (15 * 60, 17 * 60, 0.15), (19 * 60, 21 * 60, 0.15)]  # fmt: skip
SHIFTS = [(7 * 60, 14 * 60), (7 * 60, 21 * 60 + 30), (14 * 60, 21 * 60 + 30)]


def generate(visits: int, carers: int, seed: int) -> Problem:
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
        double = rng.random() < 0.10
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--visits", type=int, default=1500)
    parser.add_argument("--carers", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    problem = generate(args.visits, args.carers, args.seed)
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
    print(f"first feasible roster after  {first[0] if first else float('nan'):8.1f} s")
    print(f"search ended after           {elapsed:8.1f} s")
    print(f"visits placed                {len(problem.visits) - len(roster.unassigned):8d}")
    print(f"visits left out              {len(roster.unassigned):8d}")
    print(f"travel (km)                  {roster.costs['travel']:8.1f}")
    print(f"tardiness (min)              {roster.costs['tardiness']:8.1f}")
    print(f"objective                    {roster.costs['total']:8.1f}")
    print(f"hard rules broken            {len(broken):8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
