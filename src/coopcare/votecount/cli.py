"""``coopcare stv``: recount an election from its BLT ballot file.

    coopcare stv FILE.blt [--seats N] [--method scottish|meek] [--json] [--lot NAME ...]

Prints every stage of the count and then the elected, in order of election; ``--json`` prints
the result as JSON instead. Exit status: 0 when the count is complete; 2 for bad input (the
reason on one line of stderr); 3 when the rules end in a lot that was not given (stderr says
among whom; draw it, then run again with ``--lot NAME`` added after the lots already drawn).

This runs without Django: ``coopcare.cli.main`` hands ``stv`` here before any settings load.
"""

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import NoReturn

from coopcare.votecount import METHODS, SCOTTISH, CountError, Result, count
from coopcare.votecount.blt import BltError, read_blt
from coopcare.votecount.common import names_list

PROG = "coopcare stv"
BAD_INPUT = 2
LOT_NEEDED = 3

_PURPOSE = {
    "exclude": "which of them is excluded",
    "surplus": "whose surplus is transferred first",
    "elect": "which of them is elected first",
}


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Count a ranked-ballot election from a BLT file.")
    parser.add_argument("file", help="the BLT ballot file")
    parser.add_argument("--seats", type=int, help="seats to fill (default: as in the file)")
    parser.add_argument(
        "--method", choices=METHODS, default=SCOTTISH, help="counting rules (default: scottish)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--lot",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME",
        help="lots already drawn, in order: the name each lot picked",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coopcare stv`` with ``argv`` (without the program name); return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
        election = read_blt(args.file)
        if args.seats is not None:
            election = replace(election, seats=args.seats)
        result = count(election, args.method, args.lot)
    except _UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return BAD_INPUT
    except (BltError, CountError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return BAD_INPUT
    try:
        if args.json:
            print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        else:
            print(render(result))
        sys.stdout.flush()
    except BrokenPipeError:
        # Piped into e.g. `head`, which stopped reading: end quietly, as the Python
        # documentation advises (point stdout at devnull so the final flush cannot fail).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if result.lot_needed is not None:
        needed = result.lot_needed
        given = " ".join(f'--lot "{lot.chosen}"' for lot in result.lots_used)
        print(
            f"{PROG}: a lot is needed at stage {needed.stage} ({needed.rule}) to decide "
            f"{_PURPOSE[needed.purpose]}: {names_list(needed.among)}; draw it, then run again "
            f"with {given + ' ' if given else ''}--lot NAME",
            file=sys.stderr,
        )
        return LOT_NEEDED
    return 0


def render(result: Result) -> str:
    """The result as text: a heading, the table of stages, what each stage did, the elected."""
    lines = [
        f"{result.title or 'Election'}: {result.method_name}, {result.seats} seat(s), "
        f"{result.valid_votes} valid votes, quota {result.quota:f}",
        f"Rules: {result.source}",
        "",
    ]
    headings = ["Candidate", *(f"Stage {s.number}" for s in result.stages)]
    rows = [[name, *(f"{s.votes[name]:f}" for s in result.stages)] for name in result.candidates]
    rows.append(["Non-transferable", *(f"{s.non_transferable_total:f}" for s in result.stages)])
    if any(s.lost_total for s in result.stages):
        rows.append(["Lost to rounding", *(f"{s.lost_total:f}" for s in result.stages)])
    if result.method != SCOTTISH:
        rows.append(["Quota", *(f"{s.quota:f}" for s in result.stages)])
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        return "  ".join(
            [first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
        )

    lines.append(line(headings))
    lines.extend(line(row) for row in rows)
    lines.append("")
    for stage in result.stages:
        lines.append(f"Stage {stage.number}: {stage.description}")
    lines.append("")
    if result.lots_used:
        for lot in result.lots_used:
            lines.append(
                f"Lot {lot.number} (stage {lot.stage}, among {names_list(lot.among)}): {lot.chosen}"
            )
        lines.append("")
    if result.complete:
        lines.append("Elected, in order of election:")
    else:
        lines.append("Elected so far (the count stopped for a lot):")
    lines.extend(f"{i}. {name}" for i, name in enumerate(result.elected, start=1))
    return "\n".join(lines)
