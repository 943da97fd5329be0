"""Travel between locations: a matrix the caller gives, or one computed from coordinates.

A routing engine (OSRM, Valhalla) can be plugged in later as another ``TravelModel``: anything
with ``minutes(a, b)`` and ``distance(a, b)`` for location indexes.
"""

from dataclasses import dataclass
from typing import Protocol

from coopcare.shared.geo import haversine_m


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
