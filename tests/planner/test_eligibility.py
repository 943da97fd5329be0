"""Who may take which visit and what a carer costs on it, for all pairs at once
(``planner/eligibility.py``): the same answers as the checks of one pair in ``routing``."""

from coopcare.planner import eligibility, routing
from coopcare.planner.model import Carer, Problem, RosterPolicy, Visit
from coopcare.planner.travel import MatrixTravel

CARERS = [
    Carer("ana", frozenset({"personal", "meds"}), 0, 0),
    Carer("bea", frozenset({"personal"}), 0, 0),
    Carer("cai", frozenset(), 0, 0),
]
VISITS = [
    Visit("open", 0, 30, 480, 510),
    Visit("meds", 0, 30, 480, 510, skills=frozenset({"meds"})),
    Visit("refused", 0, 30, 480, 510, refused=frozenset({"bea"})),
    Visit("pinned", 0, 30, 480, 510, pinned=("cai", "someone-gone")),
    Visit("known", 0, 30, 480, 510, known=frozenset({"bea"}), preferred=frozenset({"ana"})),
]


def problem(policy: RosterPolicy) -> Problem:
    return Problem(VISITS, CARERS, MatrixTravel([[0.0]]), policy=policy)


def test_allowed_is_skills_refusals_and_pins_for_every_pair():
    able = eligibility.allowed(problem(RosterPolicy()))
    assert able.tolist() == [[routing.allowed(v, c) for v in VISITS] for c in CARERS]
    assert able.tolist() == [
        [True, True, True, False, True],
        [True, False, False, False, True],
        [True, False, True, True, True],
    ]


def test_choice_costs_are_continuity_and_preference_by_the_policy():
    policy = RosterPolicy(continuity=2.0, preference=5.0)
    costs = eligibility.choice_costs(problem(policy))
    assert costs.tolist() == [
        [routing._choice(problem(policy), v, c) for v in VISITS] for c in CARERS
    ]
    # "known": ana is chosen but unknown (2), bea known but not chosen (5), cai neither (7).
    assert costs[:, 4].tolist() == [2.0, 5.0, 7.0]
    assert not eligibility.choice_costs(problem(RosterPolicy())).any()
