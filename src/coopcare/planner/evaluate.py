"""Check a roster against the hard rules and price it, independently of how it was found."""

from collections import defaultdict

from coopcare.planner.model import Problem, Roster, Route

EPSILON = 1e-6


def costs(problem: Problem, roster: Roster) -> dict[str, float]:
    """The objective's parts, each already weighted by the policy, and their ``total``."""
    policy = problem.policy
    by_id = {v.id: v for v in problem.visits}
    tardiness = [
        max(0.0, stop.start - by_id[stop.visit_id].latest)
        for route in roster.routes
        for stop in route.stops
    ]
    strangers = preference = 0
    for route in roster.routes:
        for stop in route.stops:
            visit = by_id[stop.visit_id]
            strangers += bool(visit.known) and route.carer_id not in visit.known
            preference += bool(visit.preferred) and route.carer_id not in visit.preferred
    contracted = {c.id: c.contracted_minutes for c in problem.carers}
    deviation = sum(
        abs(route.working_minutes - minutes)
        for route in roster.routes
        if (minutes := contracted[route.carer_id]) is not None
    )
    parts = {
        "travel": policy.travel * sum(r.travel_distance for r in roster.routes),
        "tardiness": policy.tardiness * sum(tardiness),
        "max_tardiness": policy.max_tardiness * max(tardiness, default=0.0),
        "continuity": policy.continuity * strangers,
        "preference": policy.preference * preference,
        "fairness": policy.fairness * deviation,
        "unassigned": policy.unassigned * sum(by_id[v].priority for v in roster.unassigned),
    }
    parts["total"] = sum(parts.values())
    return parts


def violations(problem: Problem, roster: Roster) -> list[str]:
    """Every hard rule the roster breaks, in words; an empty list for a valid roster."""
    problems = []
    by_id = {v.id: v for v in problem.visits}
    carers = {c.id: c for c in problem.carers}
    served: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for route in roster.routes:
        carer = carers[route.carer_id]
        place, free_at = carer.start_location, carer.available_from
        for stop in route.stops:
            visit = by_id[stop.visit_id]
            served[visit.id].append((carer.id, stop.start))
            arrival = free_at + problem.travel.minutes(place, visit.location)
            if stop.start + EPSILON < max(arrival, visit.earliest):
                problems.append(f"{visit.id}: starts before {carer.id} can be there or opens")
            limit = visit.latest if visit.hard_window else visit.latest + (visit.max_late or 1e18)
            if stop.start > limit + EPSILON:
                problems.append(f"{visit.id}: starts after its window closes")
            if not visit.skills <= carer.skills:
                problems.append(f"{visit.id}: {carer.id} lacks {set(visit.skills - carer.skills)}")
            if carer.id in visit.refused:
                problems.append(f"{visit.id}: the person refused {carer.id}")
            if visit.pinned and carer.id not in visit.pinned:
                problems.append(f"{visit.id}: pinned to {visit.pinned}, given to {carer.id}")
            for away_from, away_until in carer.unavailable:
                if (
                    stop.start < away_until - EPSILON
                    and stop.start + visit.duration > away_from + EPSILON
                ):
                    problems.append(f"{visit.id}: {carer.id} is not available then")
            place, free_at = visit.location, stop.start + visit.duration
        load = sum(by_id[stop.visit_id].load for stop in route.stops)
        if carer.capacity is not None and load > carer.capacity:
            problems.append(f"{carer.id}: load {load} over capacity {carer.capacity}")
        if route.stops:
            back = free_at + problem.travel.minutes(place, carer.end_location)
            if back > carer.available_until + EPSILON:
                problems.append(f"{carer.id}: works past the end of availability")
            if stop_span(route) > (carer.max_minutes or float("inf")) + EPSILON:
                problems.append(f"{carer.id}: working day longer than {carer.max_minutes} min")
    for visit in problem.visits:
        done = served.get(visit.id, [])
        if visit.id in roster.unassigned:
            if done:
                problems.append(f"{visit.id}: both placed and unassigned")
            continue
        if len(done) != visit.carers_needed:
            problems.append(f"{visit.id}: {len(done)} carers instead of {visit.carers_needed}")
        if len({c for c, _ in done}) != len(done):
            problems.append(f"{visit.id}: the same carer twice")
        if len({round(s, 6) for _, s in done}) > 1:
            problems.append(f"{visit.id}: carers do not start together")
    for rule in problem.precedences:
        if rule.first in roster.unassigned or rule.second in roster.unassigned:
            if (rule.first in roster.unassigned) != (rule.second in roster.unassigned):
                problems.append(f"{rule.first}/{rule.second}: only one of a linked pair placed")
            continue
        (carer_a, start_a), (carer_b, start_b) = served[rule.first][0], served[rule.second][0]
        gap = start_b - start_a
        if not rule.min_gap - EPSILON <= gap <= rule.max_gap + EPSILON:
            problems.append(f"{rule.first}->{rule.second}: gap {gap:.2f} outside the rule")
        if rule.different_carers and carer_a == carer_b:
            problems.append(f"{rule.first}/{rule.second}: one carer for both")
    return problems


def stop_span(route: Route) -> float:
    return (route.stops[-1].end - route.stops[0].start) if route.stops else 0.0
