"""The benchmark's own evaluator, on a case small enough to compute by hand.

Objective of Mankowska, Meisel & Bierwirth (2014): Z = (D + T + Tmax) / 3.
"""

import json

import pytest
from benchmarks.hhcrsp import Instance, evaluate, problem, read_json

#   depot (0) at 0, patient 1 at 3, patient 2 at 7, depot again (3): a line, distance = |a - b|.
POINTS = [0, 3, 7, 0]


def tiny(**changes) -> Instance:
    d = [[abs(a - b) for b in POINTS] for a in POINTS]
    fields = dict(
        n=4,
        vehicles=2,
        services=2,
        needs=[[1, 1], [1, 0], [1, 1], [1, 1]],  # patient 1: service 0; patient 2: both
        double=[2],
        qualified=[[1, 0], [0, 1]],  # carer 0 does service 0, carer 1 service 1
        d=d,
        p=[[10, 10]] * 8,  # every service takes 10
        mind=[0, 0, 0, 0],
        maxd=[0, 0, 0, 0],  # patient 2's two services start together
        e=[0, 0, 0, 0],
        l=[600, 5, 20, 600],
    )
    return Instance(**(fields | changes))


def test_distance_and_tardiness_by_hand():
    # Carer 0: depot -> 1 (arrive 3, start 3) -> 2 (free 13, +4 = 17; waits for carer 1 until 20)
    #          -> depot: 3 + 4 + 7 = 14.  Carer 1: depot -> 2 (arrive 7, start 20) -> depot: 14.
    routes = {0: [(1, 0, 3.0), (2, 0, 20.0)], 1: [(2, 1, 20.0)]}
    score = evaluate(tiny(), routes)
    assert score["D"] == 28
    assert score["T"] == 0 and score["Tmax"] == 0
    assert score["Z"] == pytest.approx(28 / 3)


def test_late_services_count_each_and_the_worst():
    # Patient 1 starts at 8 (3 late); patient 2's two services at 25 (5 late each).
    routes = {0: [(1, 0, 8.0), (2, 0, 25.0)], 1: [(2, 1, 25.0)]}
    score = evaluate(tiny(), routes)
    assert (score["T"], score["Tmax"]) == (13, 5)
    assert score["Z"] == pytest.approx((28 + 13 + 5) / 3)


@pytest.mark.parametrize(
    "routes, broken",
    [
        ({0: [(1, 0, 3.0), (2, 0, 20.0)], 1: [(2, 1, 21.0)]}, "gap"),  # not together
        ({0: [(1, 0, 2.0), (2, 0, 20.0)], 1: [(2, 1, 20.0)]}, "before"),  # faster than travel
        ({0: [(1, 0, 3.0), (2, 1, 20.0)], 1: [(2, 0, 20.0)]}, "not qualified"),
        ({0: [(1, 0, 3.0)], 1: [(2, 1, 20.0)]}, "misses"),
    ],
)
def test_every_rule_is_checked(routes, broken):
    with pytest.raises(ValueError, match=broken):
        evaluate(tiny(), routes)


def test_precedence_gap():
    inst = tiny(mind=[0, 0, 5, 0], maxd=[0, 0, 10, 0])  # service 1 starts 5..10 after service 0
    ok = {0: [(1, 0, 3.0), (2, 0, 17.0)], 1: [(2, 1, 24.0)]}
    assert evaluate(inst, ok)["D"] == 28
    with pytest.raises(ValueError, match="gap"):
        evaluate(inst, {0: [(1, 0, 3.0), (2, 0, 17.0)], 1: [(2, 1, 30.0)]})


def test_a_kummer_json_instance_reads_as_the_same_numbers(tmp_path):
    """Kummer et al. (2021) in the JSON of Ceschia et al. (2024): the depot first in the
    distances, a sequential pair's gap [min, max] from its first listed service, a
    simultaneous pair a gap of 0, a duration missing from a patient the service's default."""
    data = {
        "patients": [
            {
                "id": "p1",
                "time_window": [0, 5],
                "required_caregivers": [{"service": "s2", "duration": 10}],
            },
            {
                "id": "p2",
                "time_window": [0, 20],
                "required_caregivers": [{"service": "s2"}, {"service": "s1", "duration": 10}],
                "synchronization": {"type": "sequential", "distance": [5, 10]},
            },
        ],
        "services": [{"id": "s1", "default_duration": 30}, {"id": "s2", "default_duration": 10}],
        "caregivers": [{"id": "c1", "abilities": ["s2"]}, {"id": "c2", "abilities": ["s1"]}],
        "central_offices": [{"id": "d"}],
        "distances": [[0, 3, 7], [3, 0, 4], [7, 4, 0]],
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data))
    inst = read_json(path)
    assert inst.n == 4 and inst.d[3] == [0, 3, 7, 0]  # the depot again, last
    assert inst.services_of(2) == [1, 0]  # s2 first: the gap counts from it
    assert (inst.mind[2], inst.maxd[2]) == (5, 10)
    assert inst.duration(2, 1, 1) == 10  # s2's default
    # Carer 0 (s2): depot -> p1 (3) -> p2 (start 17); carer 1 (s1): p2 at 22 (gap 5).
    routes = {0: [(1, 1, 3.0), (2, 1, 17.0)], 1: [(2, 0, 22.0)]}
    score = evaluate(inst, routes)
    assert (score["D"], score["T"], score["Tmax"]) == (28, 2, 2)  # p2's s1 starts 2 late
    assert [(r.first, r.second) for r in problem(inst).precedences] == [("2:1", "2:0")]
