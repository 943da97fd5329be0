"""PyVRP routes a day's single visits around its linked visits (``planner/around.py``): the
linked visits keep their times and their links, and the single visits are routed between."""

import time

from coopcare.planner import around
from coopcare.planner.construct import Sequencer
from coopcare.planner.evaluate import violations
from coopcare.planner.model import Carer, Precedence, Problem, Roster, Route, Stop, Visit
from coopcare.planner.solve import _around, _sequenced, _State, solve
from coopcare.planner.travel import MatrixTravel

# Five places on a line, 10 minutes apart; both carers live at place 0.
LINE = MatrixTravel([[10.0 * abs(a - b) for b in range(5)] for a in range(5)])
CARERS = [Carer("ana", frozenset({"hoist"}), 0, 0), Carer("bea", frozenset({"hoist"}), 0, 0)]


def stops(*visits):
    """Stops for (visit id, start, minutes) at those times (arrival as start)."""
    return [Stop(v, t, t, t + d) for v, t, d in visits]


def day():
    """A hoist at place 2 at 9:00 for two carers, a wash at place 1 then meds at place 3 at
    least 30 minutes after it by the other carer, and two single visits: tea at place 4 and
    lunch at place 1."""
    problem = Problem(
        [
            Visit("hoist", 2, 30, 540, 560, skills=frozenset({"hoist"}), carers_needed=2),
            Visit("wash", 1, 30, 480, 600),
            Visit("meds", 3, 15, 480, 700),
            Visit("tea", 4, 30, 600, 720),
            Visit("lunch", 1, 30, 660, 720),
        ],
        CARERS,
        LINE,
        precedences=[Precedence("wash", "meds", 30, 120)],
    )
    # Ana does everything single; bea only her halves: a poor roster, but a valid one.
    roster = Roster(
        [
            Route(
                "ana",
                stops(
                    ("wash", 480.5, 30), ("hoist", 540.25, 30), ("tea", 600, 30), ("lunch", 660, 30)
                ),
                0,
                0,
                0,
            ),
            Route("bea", stops(("hoist", 540.25, 30), ("meds", 590, 15)), 0, 0, 0),
        ],
        {},
        {},
        {},
    )
    return problem, roster


def test_linked_visits_are_held_at_their_times_and_read_back_as_themselves():
    problem, roster = day()
    held, initial = around.held(problem, roster)
    assert held.precedences == []
    fixed = {v.id: v for v in held.visits if around.HELD in v.id}
    # Each carer's place at a linked visit is a visit of its own, open from that start for
    # PyVRP's minute of slack (the two halves are timed together again after).
    assert around.LATE == 1
    assert sorted((v.id.split(around.HELD)[0], v.earliest, v.latest) for v in fixed.values()) == [
        ("hoist", 540.25, 541.25),
        ("hoist", 540.25, 541.25),
        ("meds", 590, 591),
        ("wash", 480.5, 481.5),
    ]
    assert all(v.hard_window and v.carers_needed == 1 for v in fixed.values())
    # Ana could do the wash (ends 8:30:30, 20 minutes from place 3) and then the meds at 9:50:
    # each stays with its carer. No carer can be at both places of the hoist at once.
    assert sorted((v.id.split(around.HELD)[0], v.pinned) for v in fixed.values()) == [
        ("hoist", ()),
        ("hoist", ()),
        ("meds", ("bea",)),
        ("wash", ("ana",)),
    ]
    assert {v.id for v in held.visits if around.HELD not in v.id} == {"tea", "lunch"}
    assert [[v for v, _ in sequence] for sequence in around.read_back(problem, initial)] == [
        ["wash", "hoist", "tea", "lunch"],
        ["hoist", "meds"],
    ]


def test_a_link_left_in_part_is_left_out_whole():
    problem, _ = day()
    half = [[("hoist\x1f1", 540.25), ("wash\x1f1", 600.0)], [("tea", 600.0)]]
    assert around.read_back(problem, half) == [[], [("tea", 600.0)]]


def test_the_single_visits_are_routed_around_the_linked_ones():
    """Worked example: ana's roster drives 0-1-2-4-1-0 (80 minutes of travel) and bea's
    0-2-3-0 (60). Giving the tea at place 4 to bea after the meds at 3 saves driving: the
    linked visits keep their times and carers."""
    problem, roster = day()
    before = _sequenced(problem, [[(s.visit_id, s.start) for s in r.stops] for r in roster.routes])
    found = around.route_around(
        problem, roster, deadline=time.monotonic() + 5, report=lambda _: False, solution_limit=20
    )
    assert found is not None
    after = _sequenced(problem, found)
    assert violations(problem, after) == []
    assert not after.unassigned
    assert after.costs["total"] < before.costs["total"]
    for visit_id, start in (("hoist", 540.25), ("wash", 480.5), ("meds", 590)):
        assert after.start_of(visit_id) == start
    assert sorted(after.carers_of("hoist")) == ["ana", "bea"]


def test_a_day_with_linked_visits_ends_with_pyvrp_around_them(monkeypatch):
    """solve() hands its best roster of a day with linked visits to ``route_around``, and
    keeps what it gives only if it keeps every rule and is cheaper."""
    problem, _ = day()
    calls = []
    route_around = around.route_around

    def counted(*args, **kwargs):
        calls.append(found := route_around(*args, **kwargs))
        return found

    monkeypatch.setattr(around, "route_around", counted)
    roster = solve(problem, seconds=5, solution_limit=5)
    assert len(calls) == 1 and calls[0] is not None
    assert violations(problem, roster) == []
    assert not roster.unassigned


def test_a_held_place_reached_a_little_late_is_timed_with_its_partner_again(monkeypatch):
    """PyVRP may reach a held place up to a minute late (its rounding's slack). Worked
    example: it gives the tea to bea after the meds and has bea reach the hoist at 9:00:48,
    ana at 9:00:15. Timed again in real minutes, the two start the hoist together, as early
    as both can (9:00, its window's start), and the cheaper roster is kept rather than lost."""
    problem, roster = day()

    def pyvrp(problem, roster, *, deadline, report, solution_limit):
        return [
            [("wash", 480.5), ("hoist", 540.25), ("lunch", 660.0)],
            [("hoist", 540.8), ("meds", 590.0), ("tea", 615.0)],
        ]

    monkeypatch.setattr(around, "route_around", pyvrp)
    before = _sequenced(problem, [[(s.visit_id, s.start) for s in r.stops] for r in roster.routes])
    found = _around(
        problem, Sequencer(problem), before, time.monotonic() + 5, _State(0, None), None
    )
    assert violations(problem, found) == []
    assert not found.unassigned
    assert found.carers_of("tea") == ["bea"]
    assert found.costs["total"] == 120 < before.costs["total"] == 140
    assert found.start_of("hoist") == 540
    assert [s.start for r in found.routes for s in r.stops if s.visit_id == "hoist"] == [540, 540]
