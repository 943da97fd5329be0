"""The planner on Solomon's VRPTW instances (100 customers), with PyVRP as the reference peer.

    python -m benchmarks.solomon [--seconds 30] [--only C101,R101] [--no-pyvrp]

Distance-only convention (``Solomon_100``: distances floor(10 x Euclidean), windows and
service times x10), hard time windows, capacity 200, 25 vehicles available. Each instance is
solved by coopcare's planner and by PyVRP with the same time limit in the same run, one after
the other on one core each; the distance of each is recomputed from its routes here.
"""

import argparse
import csv
import math
import os
import statistics
import sys
from pathlib import Path

from coopcare.planner.evaluate import violations
from coopcare.planner.model import Carer, Problem, RosterPolicy, Visit
from coopcare.planner.solve import solve
from coopcare.planner.travel import MatrixTravel

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "solomon_vrptw"
FLEET = 25


def read(path: Path) -> dict:
    spec, sections, current = {}, {}, None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line == "EOF":
            continue
        if ":" in line and not line[0].isdigit():
            key, value = (part.strip() for part in line.split(":", 1))
            spec[key] = value
        elif line.endswith("SECTION"):
            current = sections.setdefault(line, [])
        else:
            current.append([int(x) for x in line.split()])
    coords = [(x, y) for _, x, y in sections["NODE_COORD_SECTION"]]
    n = len(coords)
    dist = [[math.floor(10 * math.hypot(a[0] - b[0], a[1] - b[1])) for b in coords] for a in coords]
    scale = int(spec.get("SCALE", 1))
    return {
        "n": n,
        "capacity": int(spec["CAPACITY"]),
        "service": int(spec["SERVICE_TIME"]) * scale,
        "coords": coords,
        "dist": dist,
        "demand": [d for _, d in sections["DEMAND_SECTION"]],
        "windows": [(a * scale, b * scale) for _, a, b in sections["TIME_WINDOW_SECTION"]],
    }


def problem(inst: dict) -> Problem:
    depot_open, depot_close = inst["windows"][0]
    visits = [
        Visit(
            id=str(i),
            location=i,
            duration=inst["service"],
            earliest=inst["windows"][i][0],
            latest=inst["windows"][i][1],
            load=inst["demand"][i],
        )
        for i in range(1, inst["n"])
    ]
    carers = [
        Carer(f"v{k}", frozenset(), 0, 0, depot_open, depot_close, capacity=inst["capacity"])
        for k in range(FLEET)
    ]
    policy = RosterPolicy(travel=1, tardiness=0, unassigned=1_000_000)
    return Problem(visits, carers, MatrixTravel(inst["dist"]), [], policy)


def route_distance(inst: dict, routes: list[list[int]]) -> int:
    d = inst["dist"]
    return sum(d[a][b] for route in routes for a, b in zip([0, *route], [*route, 0], strict=True))


def ours(inst: dict, seconds: float) -> tuple[float, int, bool]:
    prob = problem(inst)
    roster = solve(prob, seconds=seconds)
    routes = [[int(s.visit_id) for s in r.stops] for r in roster.routes if r.stops]
    ok = not roster.unassigned and not violations(prob, roster)
    return route_distance(inst, routes), len(routes), ok


def pyvrp(inst: dict, seconds: float) -> tuple[float, int, bool]:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    model = Model()
    depot = model.add_depot(model.add_location(*inst["coords"][0]), *inst["windows"][0])
    model.add_vehicle_type(
        FLEET,
        capacity=inst["capacity"],
        tw_early=inst["windows"][0][0],
        tw_late=inst["windows"][0][1],
        start_depot=depot,
        end_depot=depot,
    )
    places = [model.locations[0]]
    for i in range(1, inst["n"]):
        place = model.add_location(*inst["coords"][i])
        places.append(place)
        model.add_client(
            place,
            delivery=inst["demand"][i],
            service_duration=inst["service"],
            tw_early=inst["windows"][i][0],
            tw_late=inst["windows"][i][1],
        )
    for a, frm in enumerate(places):
        for b, to in enumerate(places):
            model.add_edge(frm, to, distance=inst["dist"][a][b], duration=inst["dist"][a][b])
    result = model.solve(stop=MaxRuntime(seconds), seed=1, display=False)
    # A client activity's idx counts clients from 0; the instance numbers them from 1.
    routes = [[a.idx + 1 for a in route if _is_client(a)] for route in result.best.routes()]
    return route_distance(inst, routes), len(routes), result.best.is_feasible()


def _is_client(activity) -> bool:
    flag = activity.is_client
    return flag() if callable(flag) else flag


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--only", default="")
    parser.add_argument("--no-pyvrp", action="store_true")
    args = parser.parse_args(argv)
    if not (DATA / "bks.csv").is_file():
        # The instances live beside the repository, not in it (see ../shared/benchmarks).
        parser.exit(2, f"{parser.prog}: no benchmark data at {DATA}\n")
    with open(DATA / "bks.csv") as f:
        rows = list(csv.DictReader(f))
    if args.only:
        rows = [r for r in rows if r["instance"] in args.only.split(",")]
    files = {p.name.split(".")[0]: p for p in (DATA / "Solomon_100").glob("*.vrptw")}
    print(f"Solomon VRPTW (distance x10, hard windows), {args.seconds:g} s each, one core")
    print("load average (1, 5, 15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(
        f"{'inst':<7}{'best':>7}{'ours':>8}{'gap %':>7}{'veh':>4}{'pyvrp':>8}{'gap %':>7}{'veh':>4}"
    )
    gaps, peer_gaps = [], []
    for row in rows:
        inst = read(files[row["instance"]])
        best = int(row["distance_only_bks_x10"])
        distance, vehicles, ok = ours(inst, args.seconds)
        gap = (distance - best) / best * 100
        gaps.append(gap)
        line = f"{row['instance']:<7}{best:>7}{distance:>8}{gap:>7.2f}{vehicles:>4}"
        line += "" if ok else "  NOT FEASIBLE"
        if not args.no_pyvrp:
            peer, peer_vehicles, peer_ok = pyvrp(inst, args.seconds)
            peer_gap = (peer - best) / best * 100
            peer_gaps.append(peer_gap)
            line += f"{peer:>8}{peer_gap:>7.2f}{peer_vehicles:>4}" + ("" if peer_ok else " !")
        print(line, flush=True)
    print("load average (1, 5, 15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"\nmean gap: planner {statistics.mean(gaps):.2f} %", end="")
    print(f", PyVRP {statistics.mean(peer_gaps):.2f} %" if peer_gaps else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
