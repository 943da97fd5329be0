"""The planner on the HHCRSP instances of Mankowska, Meisel & Bierwirth (2014).

    python -m benchmarks.hhcrsp [--seconds 60] [--jobs 2] [--only A1,B3] [--sets A,B]

Reads each instance (format in ../shared/benchmarks/hhcrsp_mankowska2014/README.md), solves it
with ``coopcare.planner``, recomputes the objective Z = (D + T + Tmax) / 3 from the routes with
an evaluator of its own that also checks every rule, and prints one row per instance with the
gap to the best-known value in ``bks.csv``.
"""

import argparse
import csv
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from coopcare.planner.model import Carer, Precedence, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import MatrixTravel

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "hhcrsp_mankowska2014"
SETS = {"10": "A", "25": "B", "50": "C", "75": "D"}


@dataclass
class Instance:
    """The numbers of one instance file, 0-based."""

    n: int
    vehicles: int
    services: int
    needs: list[list[int]]
    double: list[int]
    qualified: list[list[int]]
    d: list[list[float]]
    p: list[list[float]]
    mind: list[float]
    maxd: list[float]
    e: list[float]
    l: list[float]  # noqa: E741 - the paper's name

    def services_of(self, i: int) -> list[int]:
        return [s for s in range(self.services) if self.needs[i][s]]

    def duration(self, i: int, s: int, v: int) -> float:
        return self.p[i * self.vehicles + v][s]


def read(path: Path) -> Instance:
    blocks: dict[str, list[str]] = {}
    key = None
    for line in path.read_text().splitlines():
        word = line.strip()
        if word and word[0].isalpha():
            key = word
            blocks[key] = []
        elif word:
            blocks[key].append(word)

    def rows(name):
        return [[float(x) for x in row.split()] for row in blocks[name]]

    def line(name):
        return [float(x) for x in " ".join(blocks[name]).split()]

    return Instance(
        n=int(blocks["nbNodes"][0]),
        vehicles=int(blocks["nbVehi"][0]),
        services=int(blocks["nbServi"][0]),
        needs=[[int(x) for x in row] for row in rows("r")],
        double=[int(x) - 1 for x in line("DS")],
        qualified=[[int(x) for x in row] for row in rows("a")],
        d=rows("d"),
        p=rows("p"),
        mind=line("mind"),
        maxd=line("maxd"),
        e=line("e"),
        l=line("l"),
    )


def problem(inst: Instance) -> Problem:
    """The instance in the planner's words: each service a visit, soft windows, one objective
    of distance + total tardiness (the planner's search does not see Tmax; the score does)."""
    depot_end = inst.n - 1
    carers = [
        Carer(
            id=f"v{v}",
            skills=frozenset(str(s) for s in range(inst.services) if inst.qualified[v][s]),
            start_location=0,
            end_location=depot_end,
            available_from=0,
            available_until=100_000,
        )
        for v in range(inst.vehicles)
    ]
    visits, precedences = [], []
    for i in range(1, inst.n - 1):
        services = inst.services_of(i)
        for s in services:
            visits.append(
                Visit(
                    id=f"{i}:{s}",
                    location=i,
                    duration=inst.duration(i, s, 0),
                    earliest=inst.e[i],
                    latest=inst.l[i],
                    hard_window=False,
                    skills=frozenset({str(s)}),
                )
            )
        if len(services) == 2:
            first, second = services
            precedences.append(
                Precedence(f"{i}:{first}", f"{i}:{second}", inst.mind[i], inst.maxd[i])
            )
    policy = RosterPolicy(travel=1, tardiness=1, max_tardiness=1, unassigned=1_000_000)
    return Problem(visits, carers, MatrixTravel(inst.d), precedences, policy)


def evaluate(inst: Instance, routes: dict[int, list[tuple[int, int, float]]]) -> dict:
    """Z = (D + T + Tmax) / 3 of ``routes`` (carer -> [(patient, service, start)]), checking
    every rule of the problem; raises ValueError on the first rule broken."""
    distance, lateness, starts = 0.0, [], {}
    for v, stops in routes.items():
        place, free_at = 0, 0.0
        for i, s, start in stops:
            if not inst.qualified[v][s]:
                raise ValueError(f"carer {v} is not qualified for service {s} at {i}")
            if not inst.needs[i][s]:
                raise ValueError(f"patient {i} does not need service {s}")
            if (i, s) in starts:
                raise ValueError(f"service {s} at {i} done twice")
            ready = max(free_at + inst.d[place][i], inst.e[i])
            if start < ready - 1e-6:
                raise ValueError(f"service {s} at {i} starts at {start} before {ready}")
            starts[i, s] = (start, v)
            lateness.append(max(0.0, start - inst.l[i]))
            distance += inst.d[place][i]
            place, free_at = i, start + inst.duration(i, s, v)
        if stops:
            distance += inst.d[place][inst.n - 1]
    for i in range(1, inst.n - 1):
        services = inst.services_of(i)
        missing = [s for s in services if (i, s) not in starts]
        if missing:
            raise ValueError(f"patient {i} misses services {missing}")
        if len(services) == 2:
            (a, va), (b, vb) = starts[i, services[0]], starts[i, services[1]]
            if va == vb:
                raise ValueError(f"patient {i}: both services by carer {va}")
            if not inst.mind[i] - 1e-6 <= b - a <= inst.maxd[i] + 1e-6:
                raise ValueError(
                    f"patient {i}: gap {b - a} outside [{inst.mind[i]}, {inst.maxd[i]}]"
                )
    tardiness, worst = sum(lateness), max(lateness, default=0.0)
    return {"D": distance, "T": tardiness, "Tmax": worst, "Z": (distance + tardiness + worst) / 3}


def run(name: str, seconds: float) -> dict:
    inst = read(DATA / "instances" / name)
    began = time.monotonic()
    roster = solve(problem(inst), seconds=seconds)
    elapsed = time.monotonic() - began
    routes = {
        int(route.carer_id[1:]): [
            (int(stop.visit_id.split(":")[0]), int(stop.visit_id.split(":")[1]), stop.start)
            for stop in route.stops
        ]
        for route in roster.routes
    }
    try:
        score = evaluate(inst, routes) | {"feasible": not roster.unassigned}
    except ValueError as broken:
        score = {"Z": float("nan"), "feasible": False, "error": str(broken)}
    return score | {"seconds": elapsed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--jobs", type=int, default=2, help="instances solved at once")
    parser.add_argument("--sets", default="A,B,C,D,E,F,G")
    parser.add_argument("--only", default="", help="instance names, e.g. A1,E3")
    args = parser.parse_args(argv)
    if not (DATA / "bks.csv").is_file():
        # The instances live beside the repository, not in it (see ../shared/benchmarks).
        parser.exit(2, f"{parser.prog}: no benchmark data at {DATA}\n")
    with open(DATA / "bks.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["instance"][0] in args.sets.split(",")]
    if args.only:
        rows = [r for r in rows if r["instance"] in args.only.split(",")]
    print(f"HHCRSP, {args.seconds:g} s per instance, {args.jobs} at once (one core each)")
    print(f"{'inst':<5}{'Z':>10}{'best':>9}{'gap %':>8}{'D':>9}{'T':>9}{'Tmax':>9}{'s':>6}  ok")
    gaps: dict[str, list[float]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run, r["file"], args.seconds) for r in rows]
        for row, future in zip(rows, futures, strict=True):
            result = future.result()
            best = float(row["bks"])
            gap = (result["Z"] - best) / best * 100
            gaps.setdefault(row["instance"][0], []).append(gap)
            verdict = "yes" if result["feasible"] else "NO " + result.get("error", "unassigned")
            parts = "".join(f"{result.get(k, 0):>9.1f}" for k in ("D", "T", "Tmax"))
            print(
                f"{row['instance']:<5}{result['Z']:>10.1f}{best:>9.1f}{gap:>8.2f}"
                f"{parts}{result['seconds']:>6.0f}  {verdict}",
                flush=True,
            )
    print("\nset  mean gap %  max gap %")
    for name, values in gaps.items():
        print(f"{name:<5}{statistics.mean(values):>10.2f}{max(values):>11.2f}")
    core = [g for s in "ABCDE" for g in gaps.get(s, [])]
    if core:
        print(f"A-E  mean gap {statistics.mean(core):.2f} % over {len(core)} instances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
