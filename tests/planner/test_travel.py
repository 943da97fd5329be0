"""Travel between all pairs of places at once (``travel.matrices``) is what each travel model
says of one pair."""

import pytest

from coopcare.planner.travel import CoordinateTravel, FreeDepot, MatrixTravel, matrices

POINTS = [(44.4949, 11.3426), (44.5013, 11.3561), (44.4870, 11.3302), (45.4642, 9.1900)]


@pytest.mark.parametrize(
    "travel",
    [
        CoordinateTravel(POINTS, mode="car"),
        CoordinateTravel(POINTS, mode="walk", detour=1.1),
        MatrixTravel([[0, 2, 3], [2, 0, 4], [3, 4, 0]], times=[[0, 5, 6], [5, 0, 7], [6, 7, 0]]),
        MatrixTravel([[0, 2, 3], [2, 0, 4], [3, 4, 0]]),
        FreeDepot(CoordinateTravel(POINTS)),
    ],
)
def test_matrices_are_each_pairs_minutes_and_distance(travel):
    places = [2, 0, 1] if isinstance(travel, MatrixTravel) else [3, 0, 2, 1]
    minutes, distance = matrices(travel, places)
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            assert minutes[i, j] == pytest.approx(travel.minutes(a, b), rel=1e-12, abs=1e-12)
            assert distance[i, j] == pytest.approx(travel.distance(a, b), rel=1e-12, abs=1e-12)


def test_bologna_to_milan_by_car():
    """About 200 km as the crow flies, 1.3 times that by road, at 25 km/h in town."""
    minutes, distance = matrices(CoordinateTravel(POINTS, mode="car"), [0, 3])
    assert 250 < distance[0, 1] < 270
    assert minutes[0, 1] == pytest.approx(distance[0, 1] / 25 * 60)
