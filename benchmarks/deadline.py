"""The planner's time limit at every size: how long ``solve()`` takes against what it is asked.

    python -m benchmarks.deadline [--seconds 20] [--cases small,kummer-100,...]

Solves one day of each size in turn, one at a time, and prints the time asked, the time taken
from the call to the roster's return, and the difference (issue 26's bar: within 1 s):

- ``small``: a generated day of 40 visits and 6 carers, 10 % double-handed (``realsize``);
- ``kummer-100``, ``kummer-300``, ``kummer-400``: the first HHCRSP instance of that many
  patients in the Kummer set (``hhcrsp``; linked visits, so the order search and OR-Tools),
  skipped if the data is not beside the repository;
- ``real-300``: a generated day of 300 visits and 30 carers, 10 % double-handed, with fair
  hours in the model: small enough for OR-Tools, which reads the order search's roster in;
- ``real-1500``: the real-size day, 1,500 visits and 150 carers, 10 % double-handed, with fair
  hours in the model;
- ``real-3000``: 3,000 visits and 300 carers with no double-handed visit (PyVRP).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable

from benchmarks import hhcrsp, realsize
from coopcare.planner.model import Problem
from coopcare.planner.solve import solve


def _kummer(patients: int) -> Callable[[], Problem] | None:
    if not (hhcrsp.KUMMER / "bks.csv").is_file():
        return None
    found = [c for c in hhcrsp.cases("kummer") if c.group == str(patients)]
    return (lambda: hhcrsp.problem(hhcrsp.read_json(found[0].path))) if found else None


CASES: dict[str, Callable[[], Callable[[], Problem] | None]] = {
    "small": lambda: lambda: realsize.generate(40, 6, 1),
    "kummer-100": lambda: _kummer(100),
    "kummer-300": lambda: _kummer(300),
    "kummer-400": lambda: _kummer(400),
    "real-300": lambda: lambda: realsize.generate(300, 30, 1),
    "real-1500": lambda: lambda: realsize.generate(1500, 150, 1),
    "real-3000": lambda: lambda: realsize.generate(3000, 300, 1, double_handed=0.0),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="time limit of each solve")
    parser.add_argument("--cases", default=",".join(CASES), help="which, comma-separated")
    args = parser.parse_args(argv)
    names = args.cases.split(",")
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.exit(2, f"{parser.prog}: unknown cases: {', '.join(unknown)}\n")
    print(f"solve() asked {args.seconds:g} s; load average before " + _load())
    print(f"{'case':<11}{'visits':>7}{'carers':>7}{'asked':>8}{'taken':>8}{'over':>7}  load")
    worst = -float("inf")
    for name in names:
        make = CASES[name]()
        if make is None:
            print(f"{name:<11}  no data")
            continue
        problem = make()
        began = time.monotonic()
        solve(problem, seconds=args.seconds)
        taken = time.monotonic() - began
        worst = max(worst, taken - args.seconds)
        print(
            f"{name:<11}{len(problem.visits):>7}{len(problem.carers):>7}{args.seconds:>8.1f}"
            f"{taken:>8.2f}{taken - args.seconds:>+7.2f}  {_load()}"
        )
    print(f"\nlargest overrun {worst:+.2f} s")
    return 0


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
