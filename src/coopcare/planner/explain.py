"""Plain-language reasons: why a carer got a visit, and why a visit could not be placed."""

from coopcare.planner.model import Carer, Problem, Roster, Visit


def explain(problem: Problem, roster: Roster) -> dict[tuple[str, str], str]:
    """For each (visit, carer) in the roster, the facts that made it a good choice."""
    by_id = {v.id: v for v in problem.visits}
    qualified = {
        v.id: sum(v.skills <= c.skills and c.id not in v.refused for c in problem.carers)
        for v in problem.visits
    }
    reasons = {}
    for route in roster.routes:
        previous = None
        for stop in route.stops:
            visit = by_id[stop.visit_id]
            why = []
            if visit.pinned:
                why.append("fixed by a coordinator")
            if route.carer_id in visit.preferred:
                why.append("the person asked for this carer")
            if route.carer_id in visit.known:
                why.append("the person knows this carer")
            if visit.skills:
                why.append("has the skills needed (" + ", ".join(sorted(visit.skills)) + ")")
            why.append(f"one of {qualified[visit.id]} carers who could do it")
            leg = stop.arrival - (previous.end if previous else stop.arrival)
            why.append(
                f"{leg:.0f} min from the previous visit" if previous else "first visit of the day"
            )
            if stop.start > visit.latest:
                why.append(f"starts {stop.start - visit.latest:.0f} min late")
            reasons[visit.id, route.carer_id] = "; ".join(why)
            previous = stop
    return reasons


def why_unplaced(visit: Visit, carers: list[Carer], solver_dropped: bool = False) -> str:
    """Why nobody could take ``visit``."""
    skilled = [c for c in carers if visit.skills <= c.skills]
    if not skilled:
        return "no carer has the skills needed: " + ", ".join(sorted(visit.skills))
    willing = [c for c in skilled if c.id not in visit.refused]
    if not willing:
        return "every qualified carer is one the person refused"
    if visit.pinned and not any(c.id in visit.pinned for c in willing):
        return "the carer it is fixed to lacks the skills or was refused"
    if len(willing) < visit.carers_needed:
        return "it needs two carers and fewer are qualified"
    if solver_dropped:
        return "no qualified carer is free in its time window"
    return "no qualified carer"
