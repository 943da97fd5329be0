"""Who may take which visit, and what a carer costs on it, for every carer and visit at once.

The order search (``construct.py``) and PyVRP's data (``routing.py``) both need these for every
carer against every visit: a day of 3,000 visits and 300 carers has 900,000 pairs, which one
Python call a pair takes seconds to check. Here they are worked out with numpy, a kind of
carer (same skills) against a kind of visit (same skills needed) at a time, and the few
visits with refusals, pins, known carers or preferences one by one.
"""

import numpy as np

from coopcare.planner.model import Problem


def allowed(problem: Problem) -> np.ndarray:
    """Carers by visits, True where the hard rules let the carer take the visit at all: the
    visit's skills are the carer's, the person has not refused the carer, and a visit pinned
    to carers is pinned to them (as ``routing.allowed`` says of one pair)."""
    carers, visits = problem.carers, problem.visits
    able = np.zeros((len(carers), len(visits)), dtype=bool)
    by_skills: dict[frozenset[str], list[int]] = {}
    for n, visit in enumerate(visits):
        by_skills.setdefault(visit.skills, []).append(n)
    for skills, columns in by_skills.items():
        rows = [k for k, carer in enumerate(carers) if skills <= carer.skills]
        able[np.ix_(np.asarray(rows, dtype=np.intp), np.asarray(columns, dtype=np.intp))] = True
    index = {carer.id: k for k, carer in enumerate(carers)}
    for n, visit in enumerate(visits):
        for carer_id in visit.refused:
            if carer_id in index:
                able[index[carer_id], n] = False
        if visit.pinned:
            pinned = np.zeros(len(carers), dtype=bool)
            pinned[np.asarray([index[c] for c in visit.pinned if c in index], dtype=np.intp)] = True
            able[:, n] &= pinned
    return able


def choice_costs(problem: Problem) -> np.ndarray:
    """Carers by visits: what giving the visit to the carer costs for continuity (a carer the
    person does not know) and for the person's choice (a carer they did not choose), by the
    policy's weights."""
    carers, visits, policy = problem.carers, problem.visits, problem.policy
    cost = np.zeros((len(carers), len(visits)))
    for n, visit in enumerate(visits):
        if policy.continuity and visit.known:
            cost[:, n] += [0.0 if c.id in visit.known else policy.continuity for c in carers]
        if policy.preference and visit.preferred:
            cost[:, n] += [0.0 if c.id in visit.preferred else policy.preference for c in carers]
    return cost
