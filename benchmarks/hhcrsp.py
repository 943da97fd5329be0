"""The planner on the HHCRSP instances: Mankowska, Meisel & Bierwirth (2014) and Kummer Neto,
Buriol & de Araújo (2021).

    python -m benchmarks.hhcrsp [--set mankowska|kummer] [--seconds 60] [--jobs 2]
                                [--groups A,B | 100,200] [--instances A1,E3]

Reads each instance — the text files of ``hhcrsp_mankowska2014`` or the JSON of
``hhcrsp_kummer2021`` (formats in their READMEs, under ``shared/benchmarks`` beside the
repository) — solves it with ``coopcare.planner``, recomputes the objective
Z = (D + T + Tmax) / 3 from the routes with an evaluator of its own that also checks every rule,
and prints one row per instance with the gap to the best-known value: ``bks2024`` for Mankowska
(Ceschia et al. 2024 included), ``best_cost`` of the Kummer set's ``bks.csv``.
"""

import argparse
import csv
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from coopcare.planner.model import Carer, Precedence, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import MatrixTravel


def _shared() -> Path:
    """``shared/benchmarks`` in the nearest folder above this file that has one (the data lives
    beside the repository, which may be checked out at any depth)."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "shared" / "benchmarks").is_dir():
            return folder / "shared" / "benchmarks"
    return here.parents[2] / "shared" / "benchmarks"


SHARED = _shared()
DATA = SHARED / "hhcrsp_mankowska2014"
KUMMER = SHARED / "hhcrsp_kummer2021"


@dataclass
class Instance:
    """The numbers of one instance, 0-based: node 0 is the depot a route leaves from and node
    ``n - 1`` the depot it returns to (the same place)."""

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
    # A patient's two services in the order the gap counts from (Mankowska: by service number).
    order: dict[int, tuple[int, int]] | None = None

    def services_of(self, i: int) -> list[int]:
        if self.order and i in self.order:
            return list(self.order[i])
        return [s for s in range(self.services) if self.needs[i][s]]

    def duration(self, i: int, s: int, v: int) -> float:
        return self.p[i * self.vehicles + v][s]


def read(path: Path) -> Instance:
    """A Mankowska text instance."""
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


def read_json(path: Path) -> Instance:
    """A Kummer JSON instance, as the same numbers: the depot first and again last, a patient's
    durations the same for every carer, a simultaneous pair a gap of 0 to 0."""
    data = json.loads(path.read_text())
    services = {s["id"]: k for k, s in enumerate(data["services"])}
    default = [float(s["default_duration"]) for s in data["services"]]
    patients, carers = data["patients"], data["caregivers"]
    n = len(patients) + 2
    matrix = data["distances"]  # depot, p1, ..., pn
    places = [*range(len(patients) + 1), 0]
    d = [[float(matrix[a][b]) for b in places] for a in places]
    nothing = [0.0] * len(services)
    needs, durations = [[0] * len(services)], [nothing]
    mind, maxd, e, l, double = [0.0], [0.0], [0.0], [0.0], []  # noqa: E741 - the paper's name
    order: dict[int, tuple[int, int]] = {}
    for i, patient in enumerate(patients, start=1):
        need, duration = [0] * len(services), list(nothing)
        asked = patient["required_caregivers"]
        for entry in asked:
            s = services[entry["service"]]
            need[s] = 1
            duration[s] = float(entry.get("duration", default[s]))
        needs.append(need)
        durations.append(duration)
        low = high = 0.0
        if len(asked) == 2:
            double.append(i)
            order[i] = (services[asked[0]["service"]], services[asked[1]["service"]])
            sync = patient.get("synchronization", {"type": "simultaneous"})
            if sync["type"] == "sequential":
                low, high = (float(x) for x in sync["distance"])
        mind.append(low)
        maxd.append(high)
        early, late = patient["time_window"]
        e.append(float(early))
        l.append(float(late))
    needs.append([0] * len(services))
    durations.append(nothing)
    mind.append(0.0)
    maxd.append(0.0)
    e.append(0.0)
    l.append(0.0)
    return Instance(
        n=n,
        vehicles=len(carers),
        services=len(services),
        needs=needs,
        double=double,
        qualified=[[int(s["id"] in c["abilities"]) for s in data["services"]] for c in carers],
        d=d,
        # One row per (patient, carer), shared: durations do not depend on the carer here.
        p=[row for row in durations for _ in carers],
        mind=mind,
        maxd=maxd,
        e=e,
        l=l,
        order=order,
    )


def problem(inst: Instance) -> Problem:
    """The instance in the planner's words: each service a visit with a soft window, each
    patient's two services a precedence, and the objective D + T + Tmax (the benchmark's Z
    times 3)."""
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


def run(path: Path, seconds: float) -> dict:
    """Solve one instance file and score its roster with ``evaluate``."""
    inst = read_json(path) if path.suffix == ".json" else read(path)
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


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    path: Path
    best: float


def cases(which: str) -> list[Case]:
    """Every instance of a set with its best-known Z."""
    if which == "kummer":
        with open(KUMMER / "bks.csv") as f:
            return [
                Case(
                    r["instance"],
                    r["patients"],
                    KUMMER / "instances" / f"{r['instance']}.json",
                    float(r["best_cost"]),
                )
                for r in csv.DictReader(f)
            ]
    with open(DATA / "bks.csv") as f:
        return [
            Case(
                r["instance"], r["instance"][0], DATA / "instances" / r["file"], float(r["bks2024"])
            )
            for r in csv.DictReader(f)
        ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="mankowska", choices=["mankowska", "kummer"])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--jobs", type=int, default=2, help="instances solved at once")
    parser.add_argument(
        "--groups", default="", help="Mankowska sets (A,B,...) or Kummer sizes (100,200,...)"
    )
    parser.add_argument("--instances", default="", help="instance names, e.g. A1,E3")
    args = parser.parse_args(argv)
    home = KUMMER if args.set == "kummer" else DATA
    if not (home / "bks.csv").is_file():
        parser.exit(2, f"{parser.prog}: no benchmark data at {home}\n")
    rows = cases(args.set)
    if args.groups:
        rows = [r for r in rows if r.group in args.groups.split(",")]
    if args.instances:
        rows = [r for r in rows if r.name in args.instances.split(",")]
    against = "best_cost of bks.csv" if args.set == "kummer" else "bks2024"
    print(
        f"HHCRSP {args.set}, {args.seconds:g} s per instance, {args.jobs} at once, gap to "
        f"{against}; load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    width = max([len(r.name) for r in rows] + [4]) + 1
    print(
        f"{'inst':<{width}}{'Z':>10}{'best':>9}{'gap %':>8}{'D':>9}{'T':>9}{'Tmax':>9}{'s':>6}  ok"
    )
    gaps: dict[str, list[float]] = {}
    feasible, better, longest = 0, [], 0.0
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run, r.path, args.seconds) for r in rows]
        for row, future in zip(rows, futures, strict=True):
            result = future.result()
            gap = (result["Z"] - row.best) / row.best * 100
            gaps.setdefault(row.group, []).append(gap)
            feasible += result["feasible"]
            longest = max(longest, result["seconds"])
            if result["feasible"] and result["Z"] < row.best - 0.05:
                better.append(row.name)
            verdict = "yes" if result["feasible"] else "NO " + result.get("error", "unassigned")
            parts = "".join(f"{result.get(k, 0):>9.1f}" for k in ("D", "T", "Tmax"))
            print(
                f"{row.name:<{width}}{result['Z']:>10.1f}{row.best:>9.1f}{gap:>8.2f}"
                f"{parts}{result['seconds']:>6.1f}  {verdict}",
                flush=True,
            )
    print(f"\n{feasible} of {len(rows)} feasible; longest run {longest:.1f} s")
    print("set    mean gap %  max gap %")
    for name, values in gaps.items():
        print(f"{name:<7}{statistics.mean(values):>10.2f}{max(values):>11.2f}")
    every = [g for values in gaps.values() for g in values]
    if args.set == "mankowska":
        core = [g for s in "ABCDE" for g in gaps.get(s, [])]
        if core:
            print(f"A-E    mean gap {statistics.mean(core):.2f} % over {len(core)} instances")
    elif every:
        print(f"all    mean gap {statistics.mean(every):.2f} % over {len(every)} instances")
    print(f"better than the best known: {', '.join(better) or 'none'}")
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
