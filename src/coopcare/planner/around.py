"""Route a day's single visits with PyVRP around its linked visits, which keep their times.

PyVRP has no visits started together by two carers and no gaps between visits in two routes
(PyVRP#880), so a day with linked visits cannot go to it whole. It can go in part: each carer's
place at a linked visit, as the roster being bettered times it, becomes a visit of its own
that opens at that start ("held"), worth many visits so that PyVRP never leaves one out;
PyVRP then routes every single visit between them, places visits the roster left out where
they fit, and may give a held place to another carer who may take it at that time (``held``
says when it may not). The days PyVRP gives are read back as the linked visits themselves,
each at most ``LATE`` after its time, to be timed again with its partner by the caller.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from coopcare.planner import routing
from coopcare.planner.model import Problem, Roster, Visit

# Joins a linked visit's id to the number of its place in a held visit's id.
HELD = "\x1f"
# A held place's prize, in visits left out: PyVRP leaves one out only if no roster keeps it.
HOLD = 10
# Minutes a held place may be reached late: the slack PyVRP's rounding needs (a window under
# a minute is a minute wide there, ``routing.NARROW``). The caller times the two halves of a
# linked visit together again; dropping a held place reached a few seconds late instead lost
# most of PyVRP's better rosters (Kummer HHCRSP_200_40_40: travel 3,159 to 3,000, with one
# double-handed visit left out).
LATE = routing.NARROW / routing.TIME_SCALE


def linked_ids(problem: Problem) -> set[str]:
    """The visits of ``problem`` in a link: double-handed, or in a precedence."""
    ids = {v.id for v in problem.visits if v.carers_needed > 1}
    for rule in problem.precedences:
        ids |= {rule.first, rule.second}
    return ids


def held(problem: Problem, roster: Roster) -> tuple[Problem, routing.Sequences]:
    """``problem`` with its linked visits as held places at their times in ``roster`` (and
    no links), and ``roster`` as each carer's visits in it.

    The two places of a double-handed visit overlap, so no carer can take both. The two
    visits of a precedence may not: if one carer could do both in time, each is pinned to
    its carer, so that the rule of two carers holds (pinning every held place would give
    PyVRP a routing profile per carer, too large on a large day)."""
    linked = linked_ids(problem)
    by_id = {v.id: v for v in problem.visits}
    index = {c.id: k for k, c in enumerate(problem.carers)}
    initial: routing.Sequences = [[] for _ in problem.carers]
    places: Counter[str] = Counter()
    kept: dict[str, tuple[str, float, str]] = {}  # held id -> visit id, start, carer id
    for route in roster.routes:
        for stop in route.stops:
            visit_id = stop.visit_id
            if visit_id in linked:
                places[visit_id] += 1
                held_id = f"{visit_id}{HELD}{places[visit_id]}"
                kept[held_id] = (visit_id, stop.start, route.carer_id)
                visit_id = held_id
            initial[index[route.carer_id]].append((visit_id, stop.start))
    pinned: set[str] = set()  # held ids
    of_visit = {visit_id: held_id for held_id, (visit_id, _, _) in kept.items()}
    for rule in problem.precedences:
        first, second = of_visit.get(rule.first), of_visit.get(rule.second)
        if not rule.different_carers or first is None or second is None:
            continue
        (a, at_a, _), (b, at_b, _) = kept[first], kept[second]
        if (at_a > at_b and _in_time(problem, by_id[b], at_b, by_id[a], at_a)) or (
            at_a <= at_b and _in_time(problem, by_id[a], at_a, by_id[b], at_b)
        ):
            pinned |= {first, second}
    visits = [v for v in problem.visits if v.id not in linked]
    for held_id, (visit_id, start, carer_id) in kept.items():
        visit = by_id[visit_id]
        visits.append(
            replace(
                visit,
                id=held_id,
                earliest=start,
                latest=start + LATE,
                hard_window=True,
                max_late=None,
                carers_needed=1,
                priority=visit.priority * HOLD,
                pinned=(carer_id,) if held_id in pinned else visit.pinned,
            )
        )
    return Problem(visits, problem.carers, problem.travel, [], problem.policy), initial


def _in_time(problem: Problem, before: Visit, at: float, after: Visit, then: float) -> bool:
    """Whether one carer could do ``before`` at ``at`` and then ``after`` at ``then``."""
    return at + before.duration + problem.travel.minutes(before.location, after.location) <= then


def read_back(problem: Problem, sequences: routing.Sequences) -> routing.Sequences:
    """PyVRP's days as each carer's visits in ``problem``: a held place as its linked visit;
    a link PyVRP left only in part (never, unless no roster kept it) left out whole."""
    found = [
        [(visit_id.split(HELD, 1)[0], start) for visit_id, start in sequence]
        for sequence in sequences
    ]
    halves = in_part(problem, found)
    return [[(v, t) for v, t in sequence if v not in halves] for sequence in found]


def in_part(problem: Problem, sequences: routing.Sequences) -> set[str]:
    """The linked visits that each carer's visits in ``sequences`` hold only in part: a
    double-handed visit with one carer, a precedence with one of its two visits."""
    count = Counter(visit_id for sequence in sequences for visit_id, _ in sequence)
    halves = {v.id for v in problem.visits if 0 < count[v.id] < v.carers_needed}
    for rule in problem.precedences:
        if bool(count[rule.first]) != bool(count[rule.second]):
            halves |= {rule.first, rule.second}
    return halves


def route_around(
    problem: Problem,
    roster: Roster,
    *,
    deadline: float,
    report: Callable[[routing.Sequences], bool],
    solution_limit: int | None = None,
) -> routing.Sequences | None:
    """Each carer's visits in ``problem`` after PyVRP routed the single visits around the
    linked ones as ``roster`` times them (``report`` gets better rosters the same way, and
    returns True to cancel); None if PyVRP had no time, or the day is too large for it."""
    around, initial = held(problem, roster)
    found = routing.route(
        around,
        deadline=deadline,
        report=lambda sequences: report(read_back(problem, sequences)),
        initial=initial,
        solution_limit=solution_limit,
    )
    return read_back(problem, found) if found is not None else None
