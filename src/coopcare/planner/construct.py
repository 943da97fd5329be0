"""Rosters built by placing visits in a given order, each where it costs least in a carer's day.

This is the decoder of the genetic algorithms that hold the best-known results on the HHCRSP
instances (Kummer Neto, Buriol, de Araújo, 2021; Mankowska et al., 2014, section 4.1): an order
of the visits is a roster, so a search can move visits in the order instead of in routes. It is
fast (no solver model) and it keeps linked visits together: both carers of a double-handed
visit, and both visits of a precedence, are chosen and timed at once — which is where the
routing solver's one-node-at-a-time insertion is slowest.

A visit alone goes to the carer, and the place in their day, where it adds least cost —
travel, its own lateness and the lateness it pushes onto the visits after it (the knock-on),
a rise in the day's largest lateness (Tmax, as Mankowska et al.'s objective counts it), a
stranger or a carer not chosen by the person, and extra working time against the contract —
among those who can start it in its window, outside their time away, and still get home within
their availability and longest working day. It goes between two visits only if that moves no
linked visit (whose partner in another day would lose its gap) and the carer has no time away
that day; otherwise, and for a linked pair (both carers chosen and timed at once), at the end.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coopcare.planner import eligibility
from coopcare.planner.model import Problem
from coopcare.planner.travel import matrices

# Carers tried on each side of a linked pair: the cheapest few alone, then every pair of them.
PAIR_CANDIDATES = 8
CHECKPOINT = 16
# The order search gives up after this many moves per unit without a better roster.
STALL = 200

# What is placed at once: a visit alone, or (first, second, min gap, max gap, different carers).
Unit = tuple[int] | tuple[int, int, float, float, bool]
# One carer's day so far: place, free at, left home, first start, load, visits in the route.
Snapshot = tuple[int, float, float | None, float | None, int, int]
# All carers' days so far (each a list by carer, as in ``Snapshot``, with each day's visits
# and starts, since a visit placed later may go between them), the visits left out, and the
# largest lateness so far.
Checkpoint = tuple[
    list[int],
    list[float],
    list[float | None],
    list[float | None],
    list[int],
    list[list[tuple[int, float]]],
    frozenset[int],
    float,
]
# A visit placed between two of a carer's visits: added cost, carer, position, its start, and
# the new starts of the visits after it that it pushes later.
Insertion = tuple[float, int, int, float, list[float]]


@dataclass(frozen=True)
class Decoded:
    """A roster as visit indexes and starts per carer, with its cost by the policy, and the
    carers' days every ``CHECKPOINT`` units of its order (to decode a changed order from the
    first change on, not from the start)."""

    routes: list[list[tuple[int, float]]]
    unplaced: set[int]
    cost: float
    checkpoints: list[Checkpoint]


class Sequencer:
    """Everything about a problem the decoder reads, prepared once as plain lists."""

    def __init__(self, problem: Problem):
        self.problem = problem
        visits, carers = problem.visits, problem.carers
        self.visits, self.carers = visits, carers
        locations = sorted(
            {v.location for v in visits}
            | {c.start_location for c in carers}
            | {c.end_location for c in carers}
        )
        where = {loc: n for n, loc in enumerate(locations)}
        minutes, distance = matrices(problem.travel, locations)
        # Plain lists: the decoder reads one pair at a time, faster from lists than arrays.
        self.minutes: list[list[float]] = minutes.tolist()
        self.distance: list[list[float]] = distance.tolist()
        self.loc = [where[v.location] for v in visits]
        self.home = [where[c.start_location] for c in carers]
        self.back = [where[c.end_location] for c in carers]
        self.latest_allowed = [
            v.latest
            if v.hard_window
            else v.latest + (v.max_late if v.max_late is not None else math.inf)
            for v in visits
        ]
        self.allowed = self._allowed(minutes)
        self.choice: list[list[float]] = eligibility.choice_costs(problem).T.tolist()
        self.breaks = [sorted(c.unavailable) for c in carers]
        self.units, self.linked_out = self._units()
        # Seconds a unit took to place in the last whole decode: what a search expects the
        # next decode to take, to stop before one that would end past its deadline.
        self.pace = 0.0
        self.unit_of = {n: u for u, unit in enumerate(self.units) for n in unit[:2]}
        self.linked = {n for unit in self.units if len(unit) > 1 for n in unit[:2]}

    def _allowed(self, minutes: np.ndarray) -> list[list[int]]:
        """Who may do each visit: skills, refusals and pins, and a working day that meets the
        visit's window (a carer on the morning shift is never tried for an evening visit)."""
        carers, visits = self.carers, self.visits
        opens = np.asarray([c.available_from for c in carers], dtype=float)[:, None]
        closes = np.asarray([c.available_until for c in carers], dtype=float)[:, None]
        earliest = np.asarray([v.earliest for v in visits], dtype=float)[None, :]
        duration = np.asarray([v.duration for v in visits], dtype=float)[None, :]
        loc = np.asarray(self.loc, dtype=np.intp)
        # Reaching the visit from home by the end of its window, and home by the end of the day.
        outward = minutes[np.ix_(np.asarray(self.home, dtype=np.intp), loc)]
        homeward = minutes[np.ix_(loc, np.asarray(self.back, dtype=np.intp))].T
        able = (
            eligibility.allowed(self.problem)
            & (opens + outward <= np.asarray(self.latest_allowed, dtype=float)[None, :])
            & (np.maximum(opens, earliest) + duration + homeward <= closes)
        )
        return [np.flatnonzero(column).tolist() for column in able.T]

    def _units(self) -> tuple[list[Unit], set[int]]:
        """What is placed at once: (visit,) or (first, second, min gap, max gap, different).

        A double-handed visit is a pair with itself at gap 0. A visit in more than one link
        (a chain of precedences, or a double-handed visit with a precedence) is left out."""
        index = {v.id: n for n, v in enumerate(self.visits)}
        links: dict[int, int] = {}
        pairs: list[tuple[int, int, float, float, bool]] = []
        for n, v in enumerate(self.visits):
            if v.carers_needed == 2:
                pairs.append((n, n, 0.0, 0.0, True))
                links[n] = links.get(n, 0) + 1
            elif v.carers_needed > 2:
                links[n] = 2  # never placed by this decoder
        for rule in self.problem.precedences:
            a, b = index[rule.first], index[rule.second]
            pairs.append((a, b, rule.min_gap, rule.max_gap, rule.different_carers))
            links[a] = links.get(a, 0) + 1
            links[b] = links.get(b, 0) + 1
        tangled = {n for n, count in links.items() if count > 1}
        # What is linked to a visit left out is left out too (a half-done pair is no use).
        while spread := {n for p in pairs if tangled & set(p[:2]) for n in p[:2]} - tangled:
            tangled |= spread
        units: list[Unit] = [p for p in pairs if p[0] not in tangled and p[1] not in tangled]
        paired = {n for p in units for n in p[:2]}
        units += [(n,) for n in range(len(self.visits)) if n not in paired and n not in tangled]
        return units, tangled

    def start_order(self) -> list[int]:
        """Units by the end of their first visit's window, then its opening: urgent first."""
        visits = self.visits
        return sorted(
            range(len(self.units)),
            key=lambda u: (visits[self.units[u][0]].latest, visits[self.units[u][0]].earliest),
        )

    def decode(self, order: list[int], base: Decoded | None = None, same: int = 0) -> Decoded:
        """Place the units in ``order``; each where it adds least cost (``_Day.place_single``,
        ``_Day.place_pair``).

        With ``base``, the decode of an order whose first ``same`` units are those of
        ``order``, the decode resumes from base's last checkpoint within them."""
        day = _Day(self)
        if base is None or same < CHECKPOINT:
            began = time.monotonic()
            decoded = day.run(order, 0, [], set(self.linked_out))
            self.pace = (time.monotonic() - began) / max(len(order), 1)
            return decoded
        kept = base.checkpoints[: same // CHECKPOINT + 1]
        unplaced = day.resume(kept[-1])
        return day.run(order, (len(kept) - 1) * CHECKPOINT, kept, unplaced)


class _Day:
    """Carers' days as they fill up during one decode."""

    def __init__(self, seq: Sequencer):
        self.seq = seq
        carers = seq.carers
        count = len(carers)
        self.place = list(seq.home)
        self.free_at = [c.available_from for c in carers]
        # When the carer set off for their first visit, and when it started.
        self.left_home: list[float | None] = [None] * count
        self.first_start: list[float | None] = [None] * count
        self.load = [0] * count
        self.routes: list[list[tuple[int, float]]] = [[] for _ in range(count)]
        self.worst = 0.0  # the largest lateness of a visit placed so far

    def when(self, k: int, n: int, not_before: float) -> float | None:
        """The earliest start of visit ``n`` by carer ``k`` at or after ``not_before``, or None."""
        seq = self.seq
        visit = seq.visits[n]
        place, free_at = self.place[k], self.free_at[k]
        leg = seq.minutes[place][seq.loc[n]]
        start = max(free_at + leg, visit.earliest, not_before)
        end = start + visit.duration
        for away_from, away_until in seq.breaks[k]:
            if end <= away_from or away_until <= free_at:
                continue
            # Time away falls between the last visit and this one: taken before leaving, or
            # after arriving early (the routing solver's breaks may fall in travel or waiting).
            if free_at > away_from:
                return None
            arrival_before = free_at + leg <= away_from
            start = max(start, away_until if arrival_before else away_until + leg)
            end = start + visit.duration
        if start > seq.latest_allowed[n]:
            return None
        carer = seq.carers[k]
        homeward = seq.minutes[seq.loc[n]][seq.back[k]]
        if end + homeward > carer.available_until:
            return None
        if carer.max_minutes is not None:
            left = self.left_home[k]
            if left is None:
                left = start - leg
            if end + homeward - left > carer.max_minutes:
                return None
        if carer.capacity is not None and self.load[k] + visit.load > carer.capacity:
            return None
        return start

    def added_cost(self, k: int, n: int, start: float) -> float:
        """What giving visit ``n`` to carer ``k`` at ``start`` adds to the roster's cost."""
        seq = self.seq
        policy = seq.problem.policy
        visit = seq.visits[n]
        d = seq.distance
        place, here, back = self.place[k], seq.loc[n], seq.back[k]
        if self.routes[k]:
            detour = d[place][here] + d[here][back] - d[place][back]
        else:
            detour = d[place][here] + d[here][back]
        cost = policy.travel * detour + seq.choice[n][k]
        if start > visit.latest:
            cost += policy.tardiness * (start - visit.latest)
        contracted = seq.carers[k].contracted_minutes
        if policy.fairness and contracted is not None:
            first = self.first_start[k]
            if first is None:
                first = start
            before = (self.free_at[k] - first) if self.routes[k] else 0.0
            after = start + visit.duration - first
            cost += policy.fairness * (abs(after - contracted) - abs(before - contracted))
        return cost

    def worse(self, *lateness: float) -> float:
        """What these latenesses add to the roster's largest lateness, priced by the policy."""
        return self.seq.problem.policy.max_tardiness * max(0.0, max(lateness) - self.worst)

    def put(self, k: int, n: int, start: float) -> None:
        seq = self.seq
        self.worst = max(self.worst, start - seq.visits[n].latest)
        if self.left_home[k] is None:
            self.left_home[k] = start - seq.minutes[self.place[k]][seq.loc[n]]
            self.first_start[k] = start
        self.routes[k].append((n, start))
        self.place[k] = seq.loc[n]
        self.free_at[k] = start + seq.visits[n].duration
        self.load[k] += seq.visits[n].load

    def snapshot(self, k: int) -> Snapshot:
        return (self.place[k], self.free_at[k], self.left_home[k], self.first_start[k],
                self.load[k], len(self.routes[k]))  # fmt: skip

    def restore(self, k: int, saved: Snapshot) -> None:
        place, free_at, left_home, first_start, load, length = saved
        self.place[k], self.free_at[k], self.load[k] = place, free_at, load
        self.left_home[k], self.first_start[k] = left_home, first_start
        del self.routes[k][length:]

    def cheapest(self, n: int) -> list[tuple[float, int, float]]:
        """(added cost, carer, start) for every carer who can do visit ``n``, cheapest first."""
        found = []
        free_at, latest = self.free_at, self.seq.latest_allowed[n]
        for k in self.seq.allowed[n]:
            if free_at[k] > latest:
                continue  # already busy past the window (the common case late in a day)
            start = self.when(k, n, 0.0)
            if start is not None:
                late = start - self.seq.visits[n].latest
                found.append((self.added_cost(k, n, start) + self.worse(late), k, start))
        found.sort()
        return found

    def place_single(self, n: int) -> bool:
        """Visit ``n`` where it adds least: at the end of a day or between two of its visits."""
        options = self.cheapest(n)
        best: Insertion | None = None
        if options:
            cost, k, start = options[0]
            best = (cost, k, len(self.routes[k]), start, [])
        seq = self.seq
        visits, latest_allowed = seq.visits, seq.latest_allowed
        # Travel takes no negative time, so the visit ends no sooner than this: a visit
        # after it whose window has closed by then cannot be pushed to make room.
        ends_at_least = visits[n].earliest + visits[n].duration - 1e-9
        for k in seq.allowed[n]:
            if seq.breaks[k]:
                continue  # time away makes re-timing the rest of the day more than a push
            free = -math.inf  # when the visit before this position ends
            for position, (after, began) in enumerate(self.routes[k]):
                if free > latest_allowed[n]:
                    break  # too late to start here, and in every later position
                free = began + visits[after].duration
                if latest_allowed[after] < ends_at_least:
                    continue  # ``inside`` would find ``after`` pushed past its window
                found = self.inside(k, n, position)
                if found is not None and (best is None or found[0] < best[0]):
                    best = found
        if best is None:
            return False
        _, k, position, start, pushed = best
        if position == len(self.routes[k]):
            self.put(k, n, start)
        else:
            self.put_inside(k, n, position, start, pushed)
        return True

    def inside(self, k: int, n: int, position: int) -> Insertion | None:
        """Visit ``n`` just before the ``position``-th visit of carer ``k``'s day, the visits
        after it pushed later as far as needed; None if that breaks a rule or moves a linked
        visit."""
        seq = self.seq
        visit, carer, route = seq.visits[n], seq.carers[k], self.routes[k]
        m, here = seq.minutes, seq.loc[n]
        if carer.capacity is not None and self.load[k] + visit.load > carer.capacity:
            return None
        if position == 0:
            place, free = seq.home[k], carer.available_from
        else:
            before, began = route[position - 1]
            place, free = seq.loc[before], began + seq.visits[before].duration
        start = max(free + m[place][here], visit.earliest)
        if start > seq.latest_allowed[n]:
            return None
        nxt = seq.loc[route[position][0]]
        detour = seq.distance[place][here] + seq.distance[here][nxt] - seq.distance[place][nxt]
        late = start - visit.latest
        lateness = max(late, 0.0)
        worst = late
        free, place = start + visit.duration, here
        pushed: list[float] = []
        for j in range(position, len(route)):
            after, began = route[j]
            ready = free + m[place][seq.loc[after]]
            if ready <= began + 1e-9:
                break  # the push is taken up by waiting: the rest of the day stays as it was
            if after in seq.linked or ready > seq.latest_allowed[after]:
                return None
            latest = seq.visits[after].latest
            lateness += max(ready - latest, 0.0) - max(began - latest, 0.0)
            worst = max(worst, ready - latest)
            pushed.append(ready)
            free, place = ready + seq.visits[after].duration, seq.loc[after]
        last_end = free if len(pushed) == len(route) - position else self.free_at[k]
        last_place = place if len(pushed) == len(route) - position else self.place[k]
        home = last_end + m[last_place][seq.back[k]]
        if home > carer.available_until:
            return None
        first = start if position == 0 else route[0][1]
        if carer.max_minutes is not None:
            left = start - m[seq.home[k]][here] if position == 0 else self.left_home[k]
            if left is None or home - left > carer.max_minutes:
                return None
        policy = seq.problem.policy
        cost = policy.travel * detour + seq.choice[n][k] + policy.tardiness * lateness
        cost += self.worse(worst)
        contracted = carer.contracted_minutes
        began_day = self.first_start[k]
        if policy.fairness and contracted is not None and began_day is not None:
            span_before = self.free_at[k] - began_day
            span_after = last_end - first
            cost += policy.fairness * (abs(span_after - contracted) - abs(span_before - contracted))
        return cost, k, position, start, pushed

    def put_inside(self, k: int, n: int, position: int, start: float, pushed: list[float]) -> None:
        """Give visit ``n`` to carer ``k`` before their ``position``-th visit, re-timing the
        visits after it with their ``pushed`` starts."""
        seq = self.seq
        route = self.routes[k]
        route.insert(position, (n, start))
        self.worst = max(self.worst, start - seq.visits[n].latest)
        for j, moved in enumerate(pushed, start=position + 1):
            route[j] = (route[j][0], moved)
            self.worst = max(self.worst, moved - seq.visits[route[j][0]].latest)
        last, began = route[-1]
        self.place[k], self.free_at[k] = seq.loc[last], began + seq.visits[last].duration
        first, first_start = route[0]
        self.first_start[k] = first_start
        self.left_home[k] = first_start - seq.minutes[seq.home[k]][seq.loc[first]]
        self.load[k] += seq.visits[n].load

    def place_pair(self, a: int, b: int, min_gap: float, max_gap: float, different: bool) -> bool:
        """Both visits (or both carers of one visit) at once, ``b`` starting ``min_gap`` to
        ``max_gap`` after ``a``: the cheapest pair of carers among the cheapest of each."""
        firsts = self.cheapest(a)[:PAIR_CANDIDATES]
        seconds = self.cheapest(b)[:PAIR_CANDIDATES]
        best: tuple[float, int, int, float, float] | None = None
        latest_a, latest_b = self.seq.visits[a].latest, self.seq.visits[b].latest
        for _, k1, _ in firsts:
            for _, k2, _ in seconds:
                if (k1 == k2 and (different or a == b)) or (a == b and k2 < k1):
                    continue
                timed = self._timed_pair(a, b, k1, k2, min_gap, max_gap)
                if timed is None:
                    continue
                cost = timed[0] + self.worse(timed[1] - latest_a, timed[2] - latest_b)
                if best is None or cost < best[0]:
                    best = (cost, k1, k2, timed[1], timed[2])
        if best is None:
            return False
        _, k1, k2, t1, t2 = best
        self.put(k1, a, t1)
        self.put(k2, b, t2)
        return True

    def _timed_pair(
        self, a: int, b: int, k1: int, k2: int, min_gap: float, max_gap: float
    ) -> tuple[float, float, float] | None:
        """(cost, start a, start b) for carers ``k1`` and ``k2``, or None if they cannot."""
        t1 = self.when(k1, a, 0.0)
        for _ in range(4):
            if t1 is None:
                return None
            cost1 = self.added_cost(k1, a, t1)
            # One carer for both: ``b`` is timed and priced after ``a`` on the same day.
            saved = self.snapshot(k1)
            if k1 == k2:
                self.put(k1, a, t1)
            t2 = self.when(k2, b, t1 + min_gap)
            cost2 = self.added_cost(k2, b, t2) if t2 is not None else None
            if k1 == k2:
                self.restore(k1, saved)
            if t2 is None or cost2 is None:
                return None
            if t2 - t1 <= max_gap + 1e-9:
                return cost1 + cost2, t1, t2
            t1 = self.when(k1, a, t2 - max_gap)
        return None

    def checkpoint(self, unplaced: set[int]) -> Checkpoint:
        return (list(self.place), list(self.free_at), list(self.left_home),
                list(self.first_start), list(self.load),
                [list(r) for r in self.routes], frozenset(unplaced), self.worst)  # fmt: skip

    def resume(self, saved: Checkpoint) -> set[int]:
        """Take up the days as they were at a checkpoint."""
        place, free_at, left_home, first_start, load, routes, unplaced, worst = saved
        self.place, self.free_at, self.load = list(place), list(free_at), list(load)
        self.left_home, self.first_start = list(left_home), list(first_start)
        self.routes = [list(r) for r in routes]
        self.worst = worst
        return set(unplaced)

    def run(
        self, order: list[int], begin: int, checkpoints: list[Checkpoint], unplaced: set[int]
    ) -> Decoded:
        seq = self.seq
        checkpoints = list(checkpoints)
        for position in range(begin, len(order)):
            if position % CHECKPOINT == 0 and position // CHECKPOINT == len(checkpoints):
                checkpoints.append(self.checkpoint(unplaced))
            unit = seq.units[order[position]]
            if len(unit) == 1:
                if not self.place_single(unit[0]):
                    unplaced.add(unit[0])
            elif not self.place_pair(*unit):
                unplaced.update(unit[:2])
        return Decoded(self.routes, unplaced, self.cost(unplaced), checkpoints)

    def cost(self, unplaced: set[int]) -> float:
        """The roster's total by the policy, as ``evaluate.costs`` prices it."""
        seq = self.seq
        policy = seq.problem.policy
        d, visits = seq.distance, seq.visits
        travel = lateness = worst = choice = deviation = 0.0
        for k, route in enumerate(self.routes):
            if not route:
                continue
            place = seq.home[k]
            for n, start in route:
                travel += d[place][seq.loc[n]]
                place = seq.loc[n]
                late = start - visits[n].latest
                if late > 0:
                    lateness += late
                    worst = max(worst, late)
                choice += seq.choice[n][k]
            travel += d[place][seq.back[k]]
            contracted, first = seq.carers[k].contracted_minutes, self.first_start[k]
            if contracted is not None and first is not None:  # a carer with a route has a start
                deviation += abs(self.free_at[k] - first - contracted)
        return (
            policy.travel * travel
            + policy.tardiness * lateness
            + policy.max_tardiness * worst
            + choice
            + policy.fairness * deviation
            + policy.unassigned * sum(visits[n].priority for n in unplaced)
        )


def search(
    seq: Sequencer,
    seconds: float,
    rng: random.Random,
    on_better: Callable[[Decoded], bool] | None = None,
    order: list[int] | None = None,
    steps: int | None = None,
    stall: int = STALL,
    first: Decoded | None = None,
) -> Decoded:
    """The best roster found by moving units in the order one at a time, late-acceptance
    hill climbing (Burke & Bykov, 2017): a worse order is kept if it is no worse than the one
    kept some steps ago, which lets the search leave a local optimum without a temperature.

    It stops after ``seconds``, or when ``stall`` moves per unit found nothing better, or
    after ``steps`` moves if given (the same result each run for the same ``rng`` seed if the
    steps end first), or when ``on_better`` returns True. ``first`` is the decode of ``order``
    (of the start order if none) when the caller has it already.

    A move is decoded only if it can end by the deadline at the pace of the last whole decode
    (a move decodes the order from its first change on: late changes are quick): on a day of
    3,000 visits a whole decode takes seconds."""
    began = time.monotonic()
    deadline = began + seconds
    order = list(order if order is not None else seq.start_order())
    current = first if first is not None else seq.decode(order)
    best = current
    if on_better and on_better(best):
        return best
    size = len(order)
    history = [current.cost] * 50
    step = last_better = 0
    while size > 1 and (steps is None or step < steps) and (now := time.monotonic()) < deadline:
        if step - last_better > stall * size:
            break
        candidate, same = _move(order, current, seq, rng)
        if now + seq.pace * (size - same // CHECKPOINT * CHECKPOINT) > deadline:
            continue  # it would end too late: a move changing a later unit may not
        decoded = seq.decode(candidate, current, same)
        slot = step % len(history)
        if decoded.cost <= current.cost or decoded.cost <= history[slot]:
            order, current = candidate, decoded
            if current.cost < best.cost - 1e-9:
                best, last_better = current, step
                if on_better and on_better(best):
                    break
        history[slot] = current.cost
        step += 1
    return best


def _move(
    order: list[int], current: Decoded, seq: Sequencer, rng: random.Random
) -> tuple[list[int], int]:
    """A neighbouring order and how many of its first units are unchanged: a unit moved a
    few places, two units swapped, or a unit left out moved earlier so it is placed sooner."""
    size = len(order)
    candidate = list(order)
    left_out = current.unplaced - seq.linked_out
    if left_out and rng.random() < 0.3:
        n = rng.choice(sorted(left_out))
        i = candidate.index(seq.unit_of[n])
        j = max(0, i - rng.randint(1, 40))
        candidate.insert(j, candidate.pop(i))
        return candidate, j
    i = rng.randrange(size)
    if rng.random() < 0.5:
        j = min(size - 1, max(0, i + rng.randint(-10, 10)))
        candidate.insert(j, candidate.pop(i))
    else:
        j = rng.randrange(size)
        candidate[i], candidate[j] = candidate[j], candidate[i]
    return candidate, min(i, j)
