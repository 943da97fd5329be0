"""Plain-language reasons: why a carer got a visit, and why a visit could not be placed.

Reasons are kept as (code, values) so that an application can word them in the user's
language; ``ASSIGNED`` and ``UNPLACED`` word them in English.
"""

from coopcare.planner.model import Carer, Problem, Roster, Visit

Reason = tuple[str, dict[str, object]]  # a code, and the values its wording needs

ASSIGNED = {
    "pinned": "fixed by a coordinator",
    "preferred": "the person asked for this carer",
    "known": "the person knows this carer",
    "skills": "has the skills needed ({skills})",
    "choice": "one of {count} carers who could do it",
    "first": "first visit of the day",
    "travel": "{minutes} min from the previous visit",
    "late": "starts {minutes} min late",
}
UNPLACED = {
    "no_skills": "no carer has the skills needed: {skills}",
    "all_refused": "every qualified carer is one the person refused",
    "pinned_unable": "the carer it is fixed to lacks the skills or was refused",
    "too_few": "it needs two carers and fewer are qualified",
    "no_time": "no qualified carer is free in its time window",
    "none": "no qualified carer",
    "linked": "its linked visit could not be placed",
}


def in_english(reason: Reason, wording: dict[str, str]) -> str:
    code, values = reason
    return wording[code].format(**values)


def reasons(problem: Problem, roster: Roster) -> dict[tuple[str, str], list[Reason]]:
    """For each (visit, carer) in the roster, the facts that made it a good choice."""
    by_id = {v.id: v for v in problem.visits}
    qualified = {
        v.id: sum(v.skills <= c.skills and c.id not in v.refused for c in problem.carers)
        for v in problem.visits
    }
    found = {}
    for route in roster.routes:
        previous = None
        for stop in route.stops:
            visit = by_id[stop.visit_id]
            why: list[Reason] = []
            if visit.pinned:
                why.append(("pinned", {}))
            if route.carer_id in visit.preferred:
                why.append(("preferred", {}))
            if route.carer_id in visit.known:
                why.append(("known", {}))
            if visit.skills:
                why.append(("skills", {"skills": ", ".join(sorted(visit.skills))}))
            why.append(("choice", {"count": qualified[visit.id]}))
            if previous:
                why.append(("travel", {"minutes": round(stop.arrival - previous.end)}))
            else:
                why.append(("first", {}))
            if stop.start > visit.latest:
                why.append(("late", {"minutes": round(stop.start - visit.latest)}))
            found[visit.id, route.carer_id] = why
            previous = stop
    return found


def explain(problem: Problem, roster: Roster) -> dict[tuple[str, str], str]:
    """``reasons`` in English, one line per (visit, carer)."""
    return {
        key: "; ".join(in_english(reason, ASSIGNED) for reason in why)
        for key, why in reasons(problem, roster).items()
    }


def unplaced_reason(visit: Visit, carers: list[Carer], solver_dropped: bool = False) -> Reason:
    """Why nobody could take ``visit``."""
    skilled = [c for c in carers if visit.skills <= c.skills]
    if not skilled:
        return "no_skills", {"skills": ", ".join(sorted(visit.skills))}
    willing = [c for c in skilled if c.id not in visit.refused]
    if not willing:
        return "all_refused", {}
    if visit.pinned and not any(c.id in visit.pinned for c in willing):
        return "pinned_unable", {}
    if len(willing) < visit.carers_needed:
        return "too_few", {}
    if solver_dropped:
        return "no_time", {}
    return "none", {}


def why_unplaced(visit: Visit, carers: list[Carer], solver_dropped: bool = False) -> str:
    """``unplaced_reason`` in English."""
    return in_english(unplaced_reason(visit, carers, solver_dropped), UNPLACED)
