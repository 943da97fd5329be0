"""Simulated annealing over a roster itself: visits moved between and within carers' days.

The order search (``construct.py``) moves units in the order the decoder places them in, and
every move decodes the rest of the order again. This search starts from its best roster and
changes the routes directly, as the local searches of the best methods on the HHCRSP instances
do (Mankowska, Meisel & Bierwirth, 2014, section 4.2; Kummer Neto, Buriol & de Araújo, 2021):

- a visit moved next to one of its nearest visits, in that visit's day or its own;
- two visits swapped, each taking the other's place;
- both halves of a linked pair (the two carers of a double-handed visit, or the two visits of
  a precedence) moved at once, each next to one of its nearest visits;
- a visit followed next by one of its nearest visits: in its own day by turning the stretch
  between them round (2-opt), in another day by swapping the two days' tails (2-opt*).

While visits are left out, a move may also put one in beside one of its nearest visits, or in
the place of one, which is left out instead.

A move re-times only what it may change: each changed day from its first change on, and the day
of each linked visit's partner from that partner on, and so on; the visits before keep their
starts. So a move costs one pass over parts of a few days rather than a decode of the whole
order, and a linked visit is always timed with its partner. A worse roster is kept with the
probability ``exp(-rise / temperature)``, the temperature falling geometrically from a start
tied to the roster's cost per visit to a thousandth of it over the time (or the moves) given,
so the search ends as a descent.
"""

import heapq
import math
import random
import time
from collections.abc import Callable

from coopcare.planner.construct import Decoded, Sequencer

# Nearest visits a moved visit may go beside.
NEIGHBOURS = 12
# The starting temperature per unit of the start roster's cost per placed visit, and how far
# it falls by the end. 2 against 0.5, one run each: Mankowska C1, C4, D1, D4, E1, E4 at 20 s,
# mean gap 14.6 % to 8.7 %; F1, F4, G1, G4 at 60 s, 18.6 % to 16.7 %; four Kummer days of 100
# to 400 patients at 60 s, 15.3 % to 10.9 %.
HEAT = 2.0
COOLING = 1e-3
EPSILON = 1e-9

# Of the moves drawn while visits are left out, the share that tries to put one in (chosen,
# not measured against other shares: on the real-size day of 1,500 visits about a fifth are
# left out, and most of them fit nowhere).
TAKE_IN = 0.2

# A day's cost parts: travel, summed lateness, largest lateness, strangers and choice, and
# deviation from contracted minutes.
Parts = tuple[float, float, float, float, float]
# What a move gives: the roster's cost, the days it changes with their starts and cost parts,
# and the visits it places and leaves out.
Found = tuple[
    float, dict[int, list[int]], dict[int, list[float]], dict[int, Parts], set[int], set[int]
]


class Annealer:
    """Carers' days as visit indexes with their starts, changed by moves and re-timed."""

    def __init__(self, seq: Sequencer, decoded: Decoded):
        self.seq = seq
        self.policy = seq.problem.policy
        self.routes = [[n for n, _ in route] for route in decoded.routes]
        self.times = [[t for _, t in route] for route in decoded.routes]
        self.unplaced = set(decoded.unplaced)
        self.start_of: dict[int, float] = {}
        self.holders: dict[int, list[int]] = {}
        for k, route in enumerate(decoded.routes):
            for n, t in route:
                self.start_of[n] = t
                self.holders.setdefault(n, []).append(k)
        self.allowed = [set(a) for a in seq.allowed]
        self.parts = [
            self._parts(k, self.routes[k], self.times[k]) for k in range(len(self.routes))
        ]
        self._near: dict[int, list[int]] = {}
        self.left_out = self.policy.unassigned * sum(seq.visits[n].priority for n in self.unplaced)
        # Units left out that a move may place (not those the decoder can never place).
        self.waiting = sorted(
            {
                seq.unit_of[n]
                for n in self.unplaced
                if n not in seq.linked_out
                and all(seq.allowed[m] for m in seq.units[seq.unit_of[n]][:2])
            }
        )

    def cost(self, parts: list[Parts] | None = None, left_out: float | None = None) -> float:
        """The roster's total by the policy (as ``evaluate.costs`` prices it)."""
        policy = self.policy
        parts = self.parts if parts is None else parts
        left_out = self.left_out if left_out is None else left_out
        return (
            policy.travel * sum(p[0] for p in parts)
            + policy.tardiness * sum(p[1] for p in parts)
            + policy.max_tardiness * max((p[2] for p in parts), default=0.0)
            + sum(p[3] for p in parts)
            + policy.fairness * sum(p[4] for p in parts)
            + left_out
        )

    def decoded(self) -> Decoded:
        """The current roster in the decoder's form."""
        routes = [
            list(zip(r, t, strict=True)) for r, t in zip(self.routes, self.times, strict=True)
        ]
        return Decoded(routes, set(self.unplaced), self.cost(), [])

    def _parts(self, k: int, route: list[int], times: list[float]) -> Parts:
        seq = self.seq
        if not route:
            return (0.0, 0.0, 0.0, 0.0, 0.0)
        d, visits, loc = seq.distance, seq.visits, seq.loc
        travel = lateness = worst = choice = 0.0
        place = seq.home[k]
        for n, start in zip(route, times, strict=True):
            travel += d[place][loc[n]]
            place = loc[n]
            late = start - visits[n].latest
            if late > 0:
                lateness += late
                worst = max(worst, late)
            choice += seq.choice[n][k]
        travel += d[place][seq.back[k]]
        contracted = seq.carers[k].contracted_minutes
        deviation = 0.0
        if contracted is not None:
            deviation = abs(times[-1] + visits[route[-1]].duration - times[0] - contracted)
        return (travel, lateness, worst, choice, deviation)

    def _ready(self, k: int, n: int, free: float, place: int, not_before: float) -> float | None:
        """The earliest start of visit ``n`` by carer ``k`` free at ``free`` in ``place``, not
        before ``not_before`` and clear of time away (as ``construct._Day.when`` finds it)."""
        seq = self.seq
        visit = seq.visits[n]
        leg = seq.minutes[place][seq.loc[n]]
        start = max(free + leg, visit.earliest, not_before)
        end = start + visit.duration
        for away_from, away_until in seq.breaks[k]:
            if end <= away_from or away_until <= free:
                continue
            if free > away_from:
                return None
            start = max(start, away_until if free + leg <= away_from else away_until + leg)
            end = start + visit.duration
        return start if start <= seq.latest_allowed[n] + EPSILON else None

    def _partner(
        self, n: int, k: int, days: dict[int, list[int]], inside: dict[int, list[int]]
    ) -> tuple[int, int] | None:
        """The linked partner of visit ``n`` in carer ``k``'s day — (visit, carer holding it) —
        in the days as changed by a move (``inside``: who holds each linked visit there) or as
        they are; None if ``n`` is not linked."""
        seq = self.seq
        if n not in seq.linked:
            return None
        a, b = seq.units[seq.unit_of[n]][:2]  # type: ignore[misc]
        other = n if a == b else (b if n == a else a)
        for c in inside.get(other, ()):
            if c != k:
                return other, c
        for c in self.holders.get(other, ()):
            if c != k and c not in days:
                return other, c
        return other, k  # a precedence done by one carer

    def _schedule(
        self, days: dict[int, list[int]], first: dict[int, int], inside: dict[int, list[int]]
    ) -> dict[int, list[float]] | None:
        """Starts for every day in ``days`` from its ``first`` visit that may move on (those
        before keep theirs), a linked visit timed with its partner (``inside``: the days here
        that hold each linked visit): None if no timing keeps the rules."""
        seq = self.seq
        visits = seq.visits
        index = dict(first)
        free: dict[int, float] = {}
        place: dict[int, int] = {}
        out: dict[int, list[float]] = {}
        for k, route in days.items():
            kept = index[k]
            out[k] = self.times[k][:kept]
            if kept:
                last = route[kept - 1]
                free[k], place[k] = out[k][-1] + visits[last].duration, seq.loc[last]
            else:
                free[k], place[k] = seq.carers[k].available_from, seq.home[k]
        timed: dict[int, float] = {}  # starts given in this pass, for a one-carer precedence
        waiting: dict[int, tuple[int, int, float]] = {}  # unit -> (carer, visit, ready)
        blocked: set[int] = set()  # days waiting at a linked visit for its partner's day

        def take(k: int, n: int, start: float) -> None:
            out[k].append(start)
            timed[n] = start
            free[k], place[k] = start + visits[n].duration, seq.loc[n]
            index[k] += 1

        while True:
            moved = True
            while moved:
                moved = False
                for k, route in days.items():
                    if k in blocked:
                        continue
                    while index[k] < len(route):
                        n = route[index[k]]
                        ready = self._ready(k, n, free[k], place[k], 0.0)
                        if ready is None:
                            return None
                        partner = self._partner(n, k, days, inside)
                        if partner is None:
                            take(k, n, ready)
                            moved = True
                            continue
                        u = seq.unit_of[n]
                        a, b, low, high = seq.units[u][:4]  # type: ignore[misc]
                        other, holder = partner
                        if holder == k or holder not in days or other in timed:
                            if holder == k:
                                if n == a:
                                    take(k, n, ready)
                                    moved = True
                                    continue
                                if a in timed:
                                    fixed = timed[a]
                                elif route.index(a) < first[k]:
                                    fixed = self.start_of[a]  # kept its start
                                else:
                                    return None  # the second before the first in one day
                            else:  # a day kept as it is, or a first visit taken on its own
                                fixed = timed[other] if other in timed else self.start_of[other]
                            if a == b:
                                lo, hi = fixed, fixed
                            elif n == b:
                                lo, hi = fixed + low, fixed + high
                            else:
                                lo, hi = fixed - high, fixed - low
                            start = (
                                ready if ready >= lo else self._ready(k, n, free[k], place[k], lo)
                            )
                            if start is None or start > hi + EPSILON:
                                return None
                            take(k, n, start)
                            moved = True
                            continue
                        if u not in waiting:
                            waiting[u] = (k, n, ready)
                            blocked.add(k)
                            break  # until the partner's day reaches it
                        k2, n2, ready2 = waiting.pop(u)
                        blocked.discard(k2)
                        if n == a and a != b:
                            pair = self._joint(k, n, ready, k2, n2, ready2, low, high, free, place)
                            if pair is None:
                                return None
                            start, start2 = pair
                        else:
                            pair = self._joint(k2, n2, ready2, k, n, ready, low, high, free, place)
                            if pair is None:
                                return None
                            start2, start = pair
                        take(k2, n2, start2)
                        take(k, n, start)
                        moved = True
            # Every day left waits at a linked visit for another day's (a wash before the
            # meds in one day, a hoist before the wash's meds in the other): the first visit
            # of a precedence starts when it is ready, and its second keeps the gap from it.
            first_ready = [
                (ready, k, n)
                for u, (k, n, ready) in waiting.items()
                if seq.units[u][0] == n != seq.units[u][1]  # type: ignore[misc]
            ]
            if not first_ready:
                break
            ready, k, n = min(first_ready)
            del waiting[seq.unit_of[n]]
            blocked.discard(k)
            take(k, n, ready)
        if any(index[k] < len(route) for k, route in days.items()):
            return None  # two days each wait for the other
        return out

    def _joint(
        self,
        k1: int,
        a: int,
        ready_a: float,
        k2: int,
        b: int,
        ready_b: float,
        low: float,
        high: float,
        free: dict[int, float],
        place: dict[int, int],
    ) -> tuple[float, float] | None:
        """Starts of ``a`` by ``k1`` and ``b`` by ``k2``, ``b`` ``low`` to ``high`` after."""
        start_a = ready_a
        for _ in range(4):
            start_b: float | None = ready_b
            if ready_b < start_a + low:
                start_b = self._ready(k2, b, free[k2], place[k2], start_a + low)
            if start_b is None:
                return None
            if start_b - start_a <= high + EPSILON:
                return start_a, start_b
            later = self._ready(k1, a, free[k1], place[k1], start_b - high)
            if later is None:
                return None
            start_a = later
        return None

    def _fits(self, k: int, route: list[int], times: list[float]) -> bool:
        """Carer ``k`` gets home within their availability and longest working day."""
        if not route:
            return True
        seq = self.seq
        carer = seq.carers[k]
        last = route[-1]
        home = times[-1] + seq.visits[last].duration + seq.minutes[seq.loc[last]][seq.back[k]]
        if home > carer.available_until + EPSILON:
            return False
        if carer.max_minutes is not None:
            left = times[0] - seq.minutes[seq.home[k]][seq.loc[route[0]]]
            if home - left > carer.max_minutes + EPSILON:
                return False
        return True

    def _load_ok(self, k: int, route: list[int]) -> bool:
        capacity = self.seq.carers[k].capacity
        return capacity is None or sum(self.seq.visits[n].load for n in route) <= capacity

    def evaluate(self, days: dict[int, list[int]], whole: bool = False) -> Found | None:
        """The roster's cost with ``days`` changed, the days re-timed (from their start if
        ``whole``, else from their first change), and the visits the change places and
        leaves out; None if it breaks a rule."""
        before, after = set(), set()
        for k, route in days.items():
            before.update(self.routes[k])
            after.update(route)
        placed, dropped = after - before, before - after
        if dropped and any(n in self.seq.linked for n in dropped):
            return None  # half of a pair left out is no use
        unassigned, visits = self.policy.unassigned, self.seq.visits
        left_out = self.left_out + unassigned * (
            sum(visits[n].priority for n in dropped) - sum(visits[n].priority for n in placed)
        )
        days = dict(days)
        first, inside = self._moving(days)
        if whole:
            first = dict.fromkeys(days, 0)
        found = self._schedule(days, first, inside)
        if found is None:
            return None
        parts = list(self.parts)
        changed: dict[int, Parts] = {}
        for k, route in list(days.items()):
            if route is self.routes[k] and found[k] == self.times[k]:
                del days[k]  # a partner's day timed again, to the same starts
                continue
            if not self._fits(k, route, found[k]) or not self._load_ok(k, route):
                return None
            changed[k] = parts[k] = self._parts(k, route, found[k])
        return self.cost(parts, left_out), days, found, changed, placed, dropped

    def _moving(self, days: dict[int, list[int]]) -> tuple[dict[int, int], dict[int, list[int]]]:
        """Add to ``days`` every day whose starts a move may change, and give for each the
        first visit that may start at another time: the first change in a changed day, and
        each linked visit's partner from there on, in its day, and so on. Visits before keep
        their starts, so a move is timed from there, in one pass (Mankowska D1: 111 visits
        timed per move in passes that found the partners' days one at a time; 27 so). Also
        gives the days here that hold each linked visit."""
        seq = self.seq
        first: dict[int, int] = {}
        for k, route in days.items():
            old = self.routes[k]
            same, common = 0, min(len(old), len(route))
            while same < common and old[same] == route[same]:
                same += 1
            first[k] = same
        linked = seq.linked
        where: dict[int, list[int]] = {}  # linked visit -> the days here that hold it
        for k, route in days.items():
            for n in route:
                if n in linked:
                    where.setdefault(n, []).append(k)
        todo = list(days)
        while todo:
            k = todo.pop()
            route = days[k]
            for n in route[first[k] :]:
                if n not in linked:
                    continue
                a, b = seq.units[seq.unit_of[n]][:2]  # type: ignore[misc]
                other = n if a == b else (b if n == a else a)
                holder = next((c for c in where.get(other, ()) if c != k), None)
                if holder is None:
                    # A day the move left alone, or none: a precedence in one day, timed
                    # from here on already.
                    holder = next((c for c in self.holders.get(other, ()) if c not in days), None)
                    if holder is None:
                        continue
                    days[holder] = self.routes[holder]
                    first[holder] = len(days[holder])
                    for m in days[holder]:
                        if m in linked:
                            where.setdefault(m, []).append(holder)
                at = days[holder].index(other)
                if at < first[holder]:
                    first[holder] = at
                    todo.append(holder)
        return first, where

    def apply(
        self,
        days: dict[int, list[int]],
        times: dict[int, list[float]],
        parts: dict[int, Parts],
        placed: set[int],
        dropped: set[int],
    ) -> None:
        """Take a move's changed ``days`` with their new starts and cost parts, and the visits
        it places and leaves out (as ``evaluate`` gives them)."""
        for k, route in days.items():
            for n in self.routes[k]:
                self.holders[n].remove(k)
            self.routes[k], self.times[k], self.parts[k] = list(route), times[k], parts[k]
            for n, t in zip(route, times[k], strict=True):
                self.holders.setdefault(n, []).append(k)
                self.start_of[n] = t
        if placed or dropped:
            seq, unassigned = self.seq, self.policy.unassigned
            for n in dropped:
                del self.start_of[n]
                self.unplaced.add(n)
                self.left_out += unassigned * seq.visits[n].priority
                self.waiting.append(seq.unit_of[n])
            for n in placed:
                self.unplaced.discard(n)
                self.left_out -= unassigned * seq.visits[n].priority
            if placed:
                self.waiting = [u for u in self.waiting if seq.units[u][0] in self.unplaced]

    def move(self, rng: random.Random) -> dict[int, list[int]] | None:
        """A neighbouring roster's changed days: a visit moved or two swapped, or a linked
        pair moved; a visit left out put in, alone or in the place of a visit near it;
        None if the move drawn cannot be made."""
        if self.waiting and rng.random() < TAKE_IN:
            u = rng.choice(self.waiting)
            unit = self.seq.units[u]
            if len(unit) == 1 and rng.random() < 0.3:
                return self._instead(unit[0], rng)
            halves = [unit[0]] if len(unit) == 1 else [unit[0], unit[1]]
            return self._put({}, halves, rng)
        placed = [k for k, route in enumerate(self.routes) if route]
        if not placed:
            return None
        k = rng.choice(placed)
        n = rng.choice(self.routes[k])
        roll = rng.random()
        if n in self.seq.linked and roll < 0.4:
            return self._move_pair(n, rng)
        if roll < 0.6:
            return self._relocate({}, n, k, rng)
        if roll < 0.8:
            return self._swap(n, k, rng)
        return self._join(n, k, rng)

    def near(self, n: int) -> list[int]:
        """Those of the ``NEIGHBOURS`` visits nearest visit ``n`` when first asked for (on a
        day of 1,500 visits finding them all up front would take a second of the search)
        that are placed now."""
        found = self._near.get(n)
        if found is None:
            row, loc = self.seq.distance[self.seq.loc[n]], self.seq.loc
            others = (m for m in self.start_of if m != n)
            found = heapq.nsmallest(NEIGHBOURS, others, key=lambda m: row[loc[m]])
            self._near[n] = found
        return [m for m in found if m in self.start_of] if self.unplaced else found

    def _beside(self, days: dict[int, list[int]], n: int, rng: random.Random) -> tuple[int, int]:
        """A carer who may take visit ``n`` and a place in their day: next to one of its
        nearest visits in a day of a carer who may take it, or anywhere in such a day.

        Only carers who may take ``n`` are drawn: with skills, most of a visit's nearest
        visits are in days of carers who may not (Mankowska D1: two moves in three were
        drawn and thrown away)."""
        allowed = self.allowed[n]
        if rng.random() < 0.85:
            beside = []
            for m in self.near(n):
                for c, route in days.items():
                    if m in route and c in allowed:
                        beside.append((c, m))
                for c in self.holders.get(m, ()):
                    if c not in days and c in allowed:
                        beside.append((c, m))
            if beside:
                c, m = rng.choice(beside)
                route = days.get(c, self.routes[c])
                return c, route.index(m) + rng.randint(0, 1)
        c = rng.choice(self.seq.allowed[n])
        return c, rng.randint(0, len(days.get(c, self.routes[c])))

    def _relocate(
        self, days: dict[int, list[int]], n: int, k: int, rng: random.Random
    ) -> dict[int, list[int]] | None:
        """Visit ``n`` out of carer ``k``'s day and beside one of its nearest visits."""
        days = dict(days)
        route = list(days.get(k, self.routes[k]))
        route.remove(n)
        days[k] = route
        return self._put(days, [n], rng)

    def _apart(self, days: dict[int, list[int]]) -> bool:
        """No changed day holds both halves of a link that asks for two carers."""
        seq = self.seq
        for route in days.values():
            for n in route:
                if n not in seq.linked:
                    continue
                a, b, _, _, different = seq.units[seq.unit_of[n]]  # type: ignore[misc]
                if a == b:
                    if route.count(n) > 1:
                        return False
                elif different and n == a and b in route:
                    return False
        return True

    def _swap(self, n: int, k: int, rng: random.Random) -> dict[int, list[int]] | None:
        """Visit ``n`` and one of its nearest visits change places."""
        near = self.near(n)
        if not near:
            return None
        m = rng.choice(near)
        c = rng.choice(self.holders[m])
        if c == k:
            route = list(self.routes[k])
            i, j = route.index(n), route.index(m)
            route[i], route[j] = m, n
            return {k: route}
        if c not in self.allowed[n] or k not in self.allowed[m]:
            return None
        mine, theirs = list(self.routes[k]), list(self.routes[c])
        if m in mine or n in theirs:
            return None
        mine[mine.index(n)], theirs[theirs.index(m)] = m, n
        days = {k: mine, c: theirs}
        return days if self._apart(days) else None

    def _join(self, n: int, k: int, rng: random.Random) -> dict[int, list[int]] | None:
        """Visit ``n`` followed next by one of its nearest visits: in its own day by turning
        the stretch between them round (2-opt), in another carer's day by swapping the two
        days' tails after ``n`` and from that visit on (2-opt*), if each carer may take the
        visits of the tail they get."""
        near = self.near(n)
        if not near:
            return None
        m = rng.choice(near)
        c = rng.choice(self.holders[m])
        mine = self.routes[k]
        i = mine.index(n)
        if c == k:
            j = mine.index(m)
            if i < j:
                return {k: mine[: i + 1] + mine[i + 1 : j + 1][::-1] + mine[j + 1 :]}
            return {k: mine[:j] + mine[j:i][::-1] + mine[i:]}
        theirs = self.routes[c]
        j = theirs.index(m)
        given, taken = theirs[j:], mine[i + 1 :]
        allowed = self.allowed
        if any(k not in allowed[v] for v in given) or any(c not in allowed[v] for v in taken):
            return None
        days = {k: mine[: i + 1] + given, c: theirs[:j] + taken}
        return days if self._apart(days) else None

    def _move_pair(self, n: int, rng: random.Random) -> dict[int, list[int]] | None:
        """Both halves of ``n``'s link out of their days and each beside a nearest visit."""
        seq = self.seq
        a, b = seq.units[seq.unit_of[n]][:2]  # type: ignore[misc]
        days: dict[int, list[int]] = {}
        halves = (
            [(a, c) for c in self.holders[a]]
            if a == b
            else [
                (a, self.holders[a][0]),
                (b, self.holders[b][0]),
            ]
        )
        for visit, c in halves:
            route = list(days.get(c, self.routes[c]))
            route.remove(visit)
            days[c] = route
        return self._put(days, [visit for visit, _ in halves], rng)

    def _put(
        self, days: dict[int, list[int]], visits: list[int], rng: random.Random
    ) -> dict[int, list[int]] | None:
        """``visits`` (a visit, or both halves of a link) each put beside one of its nearest
        visits into the days as changed by ``days``."""
        days = dict(days)
        for visit in visits:
            c, position = self._beside(days, visit, rng)
            into = list(days.get(c, self.routes[c]))
            if visit in into:
                return None
            into.insert(min(position, len(into)), visit)
            days[c] = into
        return days if self._apart(days) else None

    def _instead(self, n: int, rng: random.Random) -> dict[int, list[int]] | None:
        """Visit ``n``, left out, in the place of one of its nearest visits (not linked), which
        is left out instead: a move that costs the same if they have the same priority, and
        lets the search try which of the two fits better."""
        seq = self.seq
        near = [
            m for m in self.near(n) if m not in seq.linked and self.holders[m][0] in self.allowed[n]
        ]
        if not near:
            return None
        m = rng.choice(near)
        c = self.holders[m][0]
        route = list(self.routes[c])
        route[route.index(m)] = n
        return {c: route}

    def tighten(self) -> None:
        """Every day re-timed at once: starts a move left waiting for a partner that has since
        moved earlier are brought forward, if that is cheaper."""
        found = self.from_start()
        if found is not None and found[0] < self.cost() - EPSILON:
            self.apply(*found[1:])

    def from_start(self) -> Found | None:
        """Every day as it is, timed again from its start (as ``evaluate`` gives a move)."""
        return self.evaluate({k: r for k, r in enumerate(self.routes) if r}, whole=True)


def retimed(seq: Sequencer, decoded: Decoded) -> Decoded | None:
    """``decoded``'s days in the same order, each visit started as early as it can be, a
    linked visit with its partner; None if no timing keeps the rules."""
    state = Annealer(seq, decoded)
    found = state.from_start()
    if found is None:
        return None
    state.apply(*found[1:])
    return state.decoded()


def anneal(
    seq: Sequencer,
    start: Decoded,
    seconds: float,
    rng: random.Random,
    on_better: Callable[[Decoded], bool] | None = None,
    steps: int | None = None,
) -> tuple[Decoded, int]:
    """The best roster found by annealing from ``start`` for ``seconds`` (or ``steps`` moves,
    which makes it deterministic for the same ``rng`` seed), and the moves tried.
    ``on_better`` is told of each better roster at most every tenth of a second and stops the
    search by returning True."""
    began = time.monotonic()
    deadline = began + seconds
    state = Annealer(seq, start)
    current = state.cost()
    best_cost, best = current, state.decoded()
    placed = max(1, len(state.start_of))
    hot = HEAT * max(current - state.left_out, 1.0) / placed
    told = now = began
    step = 0
    while True:
        if step % 16 == 0:
            now = time.monotonic()
        if now >= deadline or (steps is not None and step >= steps):
            break
        done = (step / steps) if steps else (now - began) / max(seconds, EPSILON)
        temperature = hot * COOLING**done
        step += 1
        days = state.move(rng)
        if days is None:
            continue
        found = state.evaluate(days)
        if found is None:
            continue
        cost = found[0]
        rise = cost - current
        if rise <= 0 or rng.random() < math.exp(-rise / temperature):
            state.apply(*found[1:])
            current = cost
            if current < best_cost - EPSILON:
                best_cost, best = current, state.decoded()
                if on_better and now - told > 0.1:
                    told = now
                    if on_better(best):
                        break
    state = Annealer(seq, best)
    state.tighten()
    return state.decoded(), step
