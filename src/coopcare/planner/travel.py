"""Travel between locations: a matrix the caller gives, or one computed from coordinates.

A routing engine (OSRM, Valhalla) can be plugged in later as another ``TravelModel``: anything
with ``minutes(a, b)`` and ``distance(a, b)`` for location indexes.
"""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from coopcare.shared.geo import EARTH_RADIUS_M, haversine_m


class TravelModel(Protocol):
    def minutes(self, a: int, b: int) -> float: ...

    def distance(self, a: int, b: int) -> float: ...


@dataclass(frozen=True)
class MatrixTravel:
    """Travel given as matrices; with no time matrix, time equals distance (as in benchmarks)."""

    distances: list[list[float]]
    times: list[list[float]] | None = None

    def minutes(self, a: int, b: int) -> float:
        return (self.times or self.distances)[a][b]

    def distance(self, a: int, b: int) -> float:
        return self.distances[a][b]


# Typical door-to-door speeds in town, km/h, and how much longer roads are than a straight line.
SPEED_KMH = {"walk": 4.5, "bike": 13.0, "public_transport": 15.0, "car": 25.0}
DETOUR = 1.3


@dataclass(frozen=True)
class CoordinateTravel:
    """Travel from latitude/longitude: great-circle distance times a detour factor, at a speed."""

    points: list[tuple[float, float]]
    mode: str = "car"
    detour: float = DETOUR

    def distance(self, a: int, b: int) -> float:
        """Kilometres by road (estimated)."""
        (lat1, lon1), (lat2, lon2) = self.points[a], self.points[b]
        return haversine_m(lat1, lon1, lat2, lon2) / 1000 * self.detour

    def minutes(self, a: int, b: int) -> float:
        return self.distance(a, b) / SPEED_KMH[self.mode] * 60


@dataclass(frozen=True)
class FreeDepot:
    """Location 0 is "wherever the carer is": no travel to or from it (used when carers'
    homes are not known); locations 1.. are the ``inner`` model's 0.."""

    inner: TravelModel

    def minutes(self, a: int, b: int) -> float:
        return 0.0 if a == 0 or b == 0 else self.inner.minutes(a - 1, b - 1)

    def distance(self, a: int, b: int) -> float:
        return 0.0 if a == 0 or b == 0 else self.inner.distance(a - 1, b - 1)


def matrices(travel: TravelModel, locations: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Minutes and kilometres between ``locations`` as two matrices, each pair as ``minutes``
    and ``distance`` give it (to the last bit or two), with numpy for the planner's own
    models: a day of 3,000 visits has 1,300 places, 1.7 million pairs, which one call a pair
    takes seconds to work out."""
    if isinstance(travel, MatrixTravel):
        at = np.asarray(locations, dtype=np.intp)
        distance = np.asarray(travel.distances, dtype=float)[np.ix_(at, at)]
        times = travel.times
        minutes = np.asarray(times, dtype=float)[np.ix_(at, at)] if times else distance.copy()
        return minutes, distance
    if isinstance(travel, CoordinateTravel):
        # ``haversine_m``'s steps in its order, a row of places against a column.
        points = np.asarray([travel.points[n] for n in locations], dtype=float).reshape(-1, 2)
        phi = np.radians(points[:, 0])
        dphi = phi[None, :] - phi[:, None]
        dlambda = np.radians(points[None, :, 1] - points[:, None, 1])
        a = (
            np.sin(dphi / 2) ** 2
            + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlambda / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a)) / 1000 * travel.detour
        return km / SPEED_KMH[travel.mode] * 60, km
    if isinstance(travel, FreeDepot):
        minutes, distance = matrices(travel.inner, [max(n - 1, 0) for n in locations])
        free = np.asarray(locations) == 0
        for matrix in (minutes, distance):
            matrix[free, :] = 0
            matrix[:, free] = 0
        return minutes, distance
    # Another model (a routing engine's): one call a pair.
    minutes = np.asarray([[travel.minutes(a, b) for b in locations] for a in locations], float)
    distance = np.asarray([[travel.distance(a, b) for b in locations] for a in locations], float)
    return minutes.reshape(len(locations), -1), distance.reshape(len(locations), -1)
