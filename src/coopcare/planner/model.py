"""The planner's vocabulary: plain, immutable values in; a roster out.

Times are minutes from the start of the period being planned (a day: minutes after midnight);
durations and travel are minutes too. Locations are indexes into the travel model.
"""

from dataclasses import dataclass, field

from coopcare.planner.travel import TravelModel


@dataclass(frozen=True)
class Visit:
    """One visit to plan. ``carers_needed`` = 2 is a double-handed visit: two different carers
    who start together."""

    id: str
    location: int
    duration: float
    earliest: float
    latest: float
    hard_window: bool = True
    max_late: float | None = None  # with a soft window, how late at most (None: no limit)
    skills: frozenset[str] = frozenset()
    carers_needed: int = 1
    preferred: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()  # carers the person already knows (continuity)
    pinned: tuple[str, ...] = ()  # carers a coordinator fixed for this visit
    priority: int = 1  # a higher priority makes leaving the visit out costlier
    load: int = 0  # counted against the carer's ``capacity`` (e.g. 1 each: visits per day)


@dataclass(frozen=True)
class Precedence:
    """``second`` starts between ``min_gap`` and ``max_gap`` minutes after ``first`` starts
    (0 and 0: together); ``different_carers``: the two are done by two different carers."""

    first: str
    second: str
    min_gap: float
    max_gap: float
    different_carers: bool = True


@dataclass(frozen=True)
class Carer:
    """A carer's skills, where their day starts and ends, when they are available, and limits."""

    id: str
    skills: frozenset[str]
    start_location: int
    end_location: int
    available_from: float = 0
    available_until: float = 24 * 60
    unavailable: tuple[tuple[float, float], ...] = ()  # (from, until) within the day
    max_minutes: float | None = None  # longest working day (first start to last end)
    contracted_minutes: float | None = None  # the day's share of contracted hours
    capacity: int | None = None  # the most ``load`` in a day (None: no limit)


@dataclass(frozen=True)
class RosterPolicy:
    """The weights the cooperative set for the roster's costs (per minute, or per visit)."""

    travel: float = 1.0
    tardiness: float = 1.0
    max_tardiness: float = 0.0
    continuity: float = 0.0  # per visit by a carer the person does not know
    preference: float = 0.0  # per visit against the person's preferences
    fairness: float = 0.0  # per minute of deviation from contracted minutes
    unassigned: float = 10_000.0  # per visit left out (times its priority)


@dataclass(frozen=True)
class Problem:
    visits: list[Visit]
    carers: list[Carer]
    travel: TravelModel
    precedences: list[Precedence] = field(default_factory=list)
    policy: RosterPolicy = field(default_factory=RosterPolicy)


@dataclass(frozen=True)
class Stop:
    """A carer at a visit: when they arrive and when the visit starts."""

    visit_id: str
    arrival: float
    start: float
    end: float


@dataclass(frozen=True)
class Route:
    carer_id: str
    stops: list[Stop]
    travel_minutes: float = 0.0
    travel_distance: float = 0.0
    working_minutes: float = 0.0  # first start to last end, waiting included


@dataclass(frozen=True)
class Roster:
    routes: list[Route]
    unassigned: dict[str, str]  # visit id -> why it could not be placed
    costs: dict[str, float]  # the objective's parts, weighted
    explanations: dict[tuple[str, str], str]  # (visit id, carer id) -> why this carer
    # visit id -> why it could not be placed as a code with its values (``explain.UNPLACED``):
    # what callers that word it in the reader's language use, instead of ``unassigned``.
    unplaced_reasons: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)

    def carers_of(self, visit_id: str) -> list[str]:
        return [r.carer_id for r in self.routes for s in r.stops if s.visit_id == visit_id]

    def start_of(self, visit_id: str) -> float:
        return next(s.start for r in self.routes for s in r.stops if s.visit_id == visit_id)
