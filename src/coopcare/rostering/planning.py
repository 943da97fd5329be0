"""From the cooperative's records to the planner's plain data and back: one problem a day.

The planner (``coopcare.planner``) knows nothing of Django. Here a day's visits become planner
visits (skills from the care task, the person's chosen and refused carers, the carers they
know), and the cooperative's carers become planner carers (skills from valid qualifications,
availability, contracted hours, working-time limits). Days are planned in order, so that the
daily rest and the week's hours carry over from one day to the next.

A carer who gave their home place (``work.CarerHome``) starts and ends the day there, so the
journeys from home to the first visit and back, which are working time (CJEU C-266/14
*Tyco*), weigh in the roster like any other travel. For the others the day starts and ends
at a free depot: "wherever the carer is", with no travel to or from it.

This module is the adapter between rostering's records and the planner, and the only place
they meet: the planner never imports Django (an import contract in ``pyproject.toml`` checks
it), so whatever it needs is read here and whatever it returns is turned back into records
here. It writes nothing itself; ``rostering.services.runs`` writes the roster.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.utils import timezone

from coopcare.billing import rules as billing_rules
from coopcare.billing.models import Beyond, Unit
from coopcare.billing.queries import BudgetRow, budget_policy, budget_rows
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.planner import model as planner
from coopcare.planner.explain import reasons, unplaced_reason
from coopcare.planner.solve import Progress, solve
from coopcare.planner.travel import CoordinateTravel, FreeDepot
from coopcare.rostering.policies import for_planner, policy_on
from coopcare.rostering.queries import DayAvailability, availability
from coopcare.shared.days import elapsed, utc
from coopcare.visits.models import KNOWN_WEEKS, Visit, VisitCarer, VisitStatus
from coopcare.visits.services import local_moment
from coopcare.visits.zones import on_cooperative_clock
from coopcare.work.models import Contract
from coopcare.work.queries import (
    between_days,
    contract_in,
    contracts_by_carer,
    homes_of,
    skills_on,
    work_rules_of,
    workers,
)

# A visit may start up to this many minutes after its planned time, at the policy's cost for
# lateness: a little slack lets one carer do two visits planned at the same hour nearby.
LATE_MINUTES = 15
WORKDAYS = 5  # contracted weekly hours are shared over this many days for the fair-hours cost


def _minutes(moment: datetime, midnight: datetime) -> float:
    """Real minutes from ``midnight`` to ``moment``. The planner's clock runs in real
    minutes, so travel, visits and the daily rest last what they really last; on the days
    the clocks change the day has 23 or 25 hours. (Two local times that share a tzinfo would
    subtract as if the clocks never changed.)"""
    return elapsed(midnight, moment).total_seconds() / 60


def travel_minutes(a: PersonCaredFor, b: PersonCaredFor) -> float | None:
    """Estimated minutes by car from one person's home to another's; None when either home
    is not placed on the map yet (the travel is unknown)."""
    if a.point is None or b.point is None:
        return None
    return CoordinateTravel([a.point, b.point]).minutes(0, 1)


# Why a visit is left out of the planner's problem by this adapter, not by the planner.
HOME_NOT_PLACED: tuple[str, dict] = ("home_not_placed", {})


def placed_apart(visits: list[Visit]) -> tuple[list[Visit], list[Visit]]:
    """``visits`` split into those whose person's home is placed on the map and those whose
    home is not: the planner needs every home's place, so the others stay unplaced with
    ``HOME_NOT_PLACED`` until a coordinator places the home."""
    placed = [v for v in visits if v.person.placed]
    return placed, [v for v in visits if not v.person.placed]


def carers_of(cooperative: Cooperative):
    """The cooperative's carers (users with the carer role), by name: the ones a roster
    gives visits to."""
    return workers(cooperative, roles=(Role.CARER,))


def visits_to_plan(cooperative: Cooperative, first: date, last: date, since=None):
    """The visits a roster of ``first``..``last`` gives out: planned and not yet begun (or
    starting after ``since``, a moment that defaults to now)."""
    return (
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            starts_at__gt=since or timezone.now(),
            **between_days("starts_at", first, last),
        )
        .select_related("person", "task")
        .order_by("starts_at", "pk")
    )


def beyond_budgets(
    cooperative: Cooperative, first: date, last: date, visits: list[Visit]
) -> dict[int, tuple[str, dict]]:
    """When the cooperative's budget policy refuses planning beyond an hours budget, the
    visits among ``visits`` (those a run of ``first``..``last`` is to plan) that a run leaves
    unplanned, by id, each with its reason ``over_hours_budget``: in each budget period over,
    the latest of them, one by one, until the rest fit the hours authorised, so that the
    earliest visits of the period are planned. Under a policy that warns, none."""
    if budget_policy(cooperative) != Beyond.REFUSE:
        return {}
    days = {v.pk: on_cooperative_clock(v.starts_at, cooperative).date() for v in visits}
    beyond: dict[int, tuple[str, dict]] = {}
    for row in budget_rows(cooperative, first, last):
        if not row.standing.over:
            continue
        in_row = [
            v
            for v in visits
            if v.person_id == row.agreement.person_id
            and v.task.service_type == row.budget.service_type
            and row.first_day <= days[v.pk] <= row.last_day
        ]
        # A visit left out for another budget of the same service (a second payer's) no
        # longer counts against this one either.
        over = row.standing.over - sum(
            _billed(row, days[v.pk], v.minutes) for v in in_row if v.pk in beyond
        )
        for visit in sorted(in_row, key=lambda v: (v.starts_at, v.pk), reverse=True):
            if over <= 0:
                break
            if visit.pk in beyond:
                continue
            over -= _billed(row, days[visit.pk], visit.minutes)
            beyond[visit.pk] = (
                "over_hours_budget",
                {
                    "hours": str(row.authorised_hours),
                    "payer": row.agreement.payer.name,
                    "first": row.first_day.isoformat(),
                    "last": row.last_day.isoformat(),
                },
            )
    return beyond


def _billed(row: BudgetRow, day: date, minutes: int) -> int:
    """The minutes of a visit on ``day`` that count against the budget of ``row``: billed
    after the minimum and rounding of the agreement's tariff in force then, as
    ``billing.queries.budget_rows`` counts them."""
    tariff = next(
        (t for t in row.agreement.tariffs.all() if t.service_type == row.budget.service_type),
        None,
    )
    versions = [] if tariff is None else [v for v in tariff.versions.all() if v.valid_from <= day]
    if not versions:
        return minutes
    terms = billing_rules.Terms.of(max(versions, key=lambda v: v.valid_from))
    return billing_rules.billable_minutes(terms, minutes) if terms.unit == Unit.HOUR else minutes


@dataclass
class Period:
    """What the planner needs about the cooperative for ``first``..``last``, loaded once."""

    cooperative: Cooperative
    first: date
    last: date
    carers: list = field(default_factory=list)
    contracts: dict = field(default_factory=dict)  # carer id -> [Contract]
    available: dict = field(default_factory=dict)  # (carer id, day) -> DayAvailability
    known: dict = field(default_factory=lambda: defaultdict(set))  # person id -> carer ids
    busy: dict = field(default_factory=lambda: defaultdict(list))  # (carer, day) -> intervals
    week_minutes: dict = field(default_factory=lambda: defaultdict(float))  # (carer, monday)
    last_end: dict = field(default_factory=dict)  # carer id -> datetime of their last work
    homes: dict = field(default_factory=dict)  # carer id -> (latitude, longitude), if given

    @classmethod
    def load(cls, cooperative: Cooperative, first: date, last: date, since=None) -> "Period":
        period = cls(cooperative, first, last, list(carers_of(cooperative)))
        ids = [c.pk for c in period.carers]
        period.contracts = contracts_by_carer(cooperative, first, last, ids)
        period.available = availability(cooperative, ids, first, last)
        period.homes = homes_of(cooperative, ids)
        known_since = first - timedelta(weeks=KNOWN_WEEKS)
        monday = first - timedelta(days=first.weekday())
        earlier = (
            VisitCarer.objects.filter(
                visit__cooperative=cooperative,
                **between_days(
                    "visit__starts_at", min(known_since, monday), first - timedelta(days=1)
                ),
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .values_list("visit__person_id", "carer_id", "visit__starts_at", "visit__ends_at")
        )
        for person, carer, starts, ends in earlier:
            period.known[person].add(carer)
            period.worked(carer, starts, ends)
        # Visits of the period the roster does not give out (begun, done) keep their carers,
        # and those carers are busy then.
        kept = (
            VisitCarer.objects.filter(
                visit__cooperative=cooperative, **between_days("visit__starts_at", first, last)
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .exclude(visit__in=visits_to_plan(cooperative, first, last, since))
            .values_list("carer_id", "visit__starts_at", "visit__ends_at")
        )
        for carer, starts, ends in kept:
            period.busy[carer, timezone.localdate(starts)].append((starts, ends))
            period.worked(carer, starts, ends)
        return period

    def worked(self, carer: int, starts: datetime, ends: datetime) -> None:
        """Count work of ``carer`` towards their week and their next daily rest."""
        day = timezone.localdate(starts)
        self.week_minutes[carer, day - timedelta(days=day.weekday())] += (
            ends - starts
        ).total_seconds() / 60
        if carer not in self.last_end or ends > self.last_end[carer]:
            self.last_end[carer] = ends

    def contract_on(self, carer: int, day: date) -> Contract | None:
        return contract_in(self.contracts.get(carer, ()), day)


@dataclass
class DayProblem:
    day: date
    problem: planner.Problem
    visits: dict[str, Visit]
    midnight: datetime


def day_problem(period: Period, day: date, visits: list[Visit]) -> DayProblem:
    """The planner's problem for one day of ``period``."""
    cooperative = period.cooperative
    midnight = local_moment(day)

    def minute_of(moment: time) -> float:
        return _minutes(local_moment(day, moment), midnight)

    limits = work_rules_of(cooperative)
    skills = skills_on(cooperative, day)
    points: list[tuple[float, float]] = []
    location_of: dict[int, int] = {}
    for visit in visits:
        if visit.person_id not in location_of:
            location_of[visit.person_id] = len(points) + 1
            point = visit.person.point
            if point is None:  # plan_day and repair_day leave these visits out first
                raise ValueError(f"Visit {visit.pk}: the person's home is not placed.")
            points.append(point)
    chosen = _choices(visits)
    planner_visits = []
    for visit in visits:
        start = _minutes(visit.starts_at, midnight)
        preferred, refused = chosen[visit.person_id]
        planner_visits.append(
            planner.Visit(
                id=str(visit.pk),
                location=location_of[visit.person_id],
                duration=visit.minutes,  # a one-off visit may last longer or less than its task
                earliest=start,
                latest=start,
                hard_window=False,
                max_late=LATE_MINUTES,
                skills=frozenset(visit.task.skill_list),
                carers_needed=2 if visit.double_handed else 1,
                preferred=frozenset(map(str, preferred)),
                refused=frozenset(map(str, refused)),
                known=frozenset(map(str, period.known[visit.person_id])),
            )
        )
    longest_day = (24 - float(limits.daily_rest_hours)) * 60
    carers = []
    for user in period.carers:
        contract = period.contract_on(user.pk, day)
        free = period.available.get((user.pk, day), DayAvailability(None))
        if contract is None or free.away:
            continue
        if free.slots is None:
            starts, ends, gaps = 0.0, _minutes(local_moment(day + timedelta(days=1)), midnight), []
        else:
            starts, ends = minute_of(free.slots[0][0]), minute_of(free.slots[-1][1])
            gaps = [(minute_of(a[1]), minute_of(b[0])) for a, b in pairwise(free.slots)]
        gaps += [
            (_minutes(a, midnight), _minutes(b, midnight))
            for a, b in period.busy.get((user.pk, day), ())
        ]
        if user.pk in period.last_end:  # daily rest after their last work
            rested = (
                _minutes(period.last_end[user.pk], midnight) + float(limits.daily_rest_hours) * 60
            )
            starts = max(starts, rested)
        weekly = float(contract.max_average_weekly_hours or limits.max_average_weekly_hours) * 60
        left_this_week = weekly - period.week_minutes[user.pk, day - timedelta(days=day.weekday())]
        if starts >= ends or left_this_week <= 0:
            continue
        home = 0  # the free depot
        if user.pk in period.homes:
            points.append(period.homes[user.pk])
            home = len(points)  # locations 1.. are the points, after the free depot
        carers.append(
            planner.Carer(
                id=str(user.pk),
                skills=frozenset(skills.get(user.pk, ())),
                start_location=home,
                end_location=home,
                available_from=starts,
                available_until=ends,
                unavailable=tuple(sorted(g for g in gaps if g[1] > g[0])),
                max_minutes=min(longest_day, left_this_week),
                contracted_minutes=float(contract.weekly_hours) * 60 / WORKDAYS or None,
            )
        )
    problem = planner.Problem(
        visits=planner_visits,
        carers=carers,
        travel=FreeDepot(CoordinateTravel(points)),
        policy=for_planner(policy_on(cooperative, day)),
    )
    return DayProblem(day, problem, {str(v.pk): v for v in visits}, midnight)


def _choices(visits: list[Visit]) -> dict[int, tuple[set, set]]:
    """Each person's preferred and refused carers (two queries for all)."""
    people = {v.person_id for v in visits}
    chosen: dict[int, tuple[set, set]] = {person: (set(), set()) for person in people}
    preferred = PersonCaredFor.preferred_carers.through
    refused = PersonCaredFor.refused_carers.through
    for person, carer in preferred.objects.filter(personcaredfor_id__in=people).values_list(
        "personcaredfor_id", "user_id"
    ):
        chosen[person][0].add(carer)
    for person, carer in refused.objects.filter(personcaredfor_id__in=people).values_list(
        "personcaredfor_id", "user_id"
    ):
        chosen[person][1].add(carer)
    return chosen


@dataclass
class DayResult:
    """One day's roster as records to write: (visit, carer id, reasons) and (visit, reasons)."""

    assigned: list[tuple[Visit, int, list]]
    unplaced: list[tuple[Visit, list]]
    costs: dict[str, float]


def plan_day(
    period: Period,
    day: date,
    visits: list[Visit],
    seconds: float,
    on_progress: Callable[[Progress], bool | None] | None = None,
    solution_limit: int | None = None,
) -> DayResult:
    """Solve one day and note what it means for the days after (rest, week's hours).
    Visits to a home not placed on the map are left out of the problem and unplaced with
    ``HOME_NOT_PLACED``."""
    visits, not_placed = placed_apart(visits)
    left_out = [(v, [HOME_NOT_PLACED]) for v in not_placed]
    if not visits:
        return DayResult([], left_out, {})
    built = day_problem(period, day, visits)
    if not built.problem.carers:
        return DayResult([], [(v, [("no_carers", {})]) for v in visits] + left_out, {})
    roster = solve(
        built.problem, seconds=seconds, on_progress=on_progress, solution_limit=solution_limit
    )
    why = reasons(built.problem, roster)
    assigned = []
    for route in roster.routes:
        for stop in route.stops:
            visit = built.visits[stop.visit_id]
            assigned.append((visit, int(route.carer_id), why[stop.visit_id, route.carer_id]))
            starts = utc(built.midnight) + timedelta(minutes=stop.start)  # real minutes
            period.worked(int(route.carer_id), starts, starts + (visit.ends_at - visit.starts_at))
    unplaced = left_out
    for visit_id, reason in roster.unplaced_reasons.items():
        unplaced.append((built.visits[visit_id], [reason]))
    return DayResult(assigned, unplaced, roster.costs)


# -- repairing a published day: cover for a carer away ----------------------------------------


@dataclass
class Repair:
    """One day's repair of the published roster: for each visit whose carers would change
    (the absent carer's, and others moved to make room), the carer ids proposed and why
    (``explain`` reasons); for each visit of the absent carer no one could take, the
    planner's reason."""

    proposed: dict[int, tuple[list[int], list]]
    uncovered: dict[int, list]


def repair_day(
    period: Period,
    day: date,
    visits: list[Visit],
    current: dict[int, set[int]],
    absent: int,
    seconds: float,
    solution_limit: int | None = None,
) -> Repair:
    """Cover the visits ``absent`` has on ``day`` by repairing the day's published roster.

    ``visits`` are the day's visits still to come that have carers (``current``: visit id ->
    carer ids); those with ``absent`` among their carers are the ones to cover. The absent
    carer is left out of the day's carers.

    First pass: every other visit is pinned to its current carers (``planner.Visit.pinned``)
    and weighs more than all the visits to cover together if left out (``priority``), so the
    rest of the day stays as it is; the search starts from the published roster without the
    visits to cover and only mends it (``solve(initial=..., repair=True)``): the order search
    inserts the visits to cover into the others' days and stops once it has settled, rather
    than searching the whole day again until the time limit.

    Second pass, only if some visits are still uncovered: the other visits are free to move,
    but each lists its current carers as the ones its person prefers and knows, so moving it
    to someone else costs the policy's weights for choice and continuity — what a visit given
    to a stranger costs. A visit covered still outweighs any number of moves (the cost of a
    visit left out is the largest weight), and among rosters that cover as many, the search
    keeps the one with the fewest moves' cost. The second pass is kept only if it covers more
    visits than the first; each visit it moves is in ``Repair.proposed``, as a change to
    accept like the cover itself.

    Visits to a home not placed on the map are left out of the problem: those of the absent
    carer stay uncovered with ``HOME_NOT_PLACED``, the others keep their carers."""
    visits, not_placed = placed_apart(visits)
    left_out = {v.pk: [HOME_NOT_PLACED] for v in not_placed if absent in current.get(v.pk, ())}
    current = {pk: theirs for pk, theirs in current.items() if pk in {v.pk for v in visits}}
    if not visits:
        return Repair({}, left_out)
    built = day_problem(period, day, visits)
    to_cover = {str(pk) for pk, theirs in current.items() if absent in theirs}
    carers = [c for c in built.problem.carers if c.id != str(absent)]
    if not carers:
        return Repair({}, {int(v): [("no_carers", {})] for v in to_cover} | left_out)
    keep = {str(pk): tuple(sorted(str(c) for c in theirs)) for pk, theirs in current.items()}
    heavy = len(to_cover) + 1
    pinned = [
        v if v.id in to_cover else replace(v, pinned=keep[v.id], priority=heavy)
        for v in built.problem.visits
    ]
    problem = replace(built.problem, visits=pinned, carers=carers)
    start = _published(problem, keep, to_cover)
    found = solve(
        problem, seconds=seconds, initial=start, solution_limit=solution_limit, repair=True
    )
    if _covered(found, to_cover) < len(to_cover):
        free = [
            v
            if v.id in to_cover
            else replace(v, pinned=(), preferred=frozenset(keep[v.id]), known=frozenset(keep[v.id]))
            for v in pinned
        ]
        movable = replace(problem, visits=free)
        moved = solve(
            movable, seconds=seconds, initial=found, solution_limit=solution_limit, repair=True
        )
        if _covered(moved, to_cover) > _covered(found, to_cover):
            found, problem = moved, movable
    why = reasons(problem, found)
    proposed: dict[int, tuple[list[int], list]] = {}
    for visit in problem.visits:
        given = found.carers_of(visit.id)
        if not given or (visit.id not in to_cover and tuple(sorted(given)) == keep[visit.id]):
            continue  # a visit left out is not ours to change: it keeps its carers
        proposed[int(visit.id)] = (
            sorted(int(c) for c in given),
            why[visit.id, given[0]],
        )
    # A roster kept from the warm start carries no reasons for what it leaves out.
    uncovered = {
        int(visit.id): [
            found.unplaced_reasons.get(visit.id)
            or unplaced_reason(visit, problem.carers, solver_dropped=True)
        ]
        for visit in problem.visits
        if visit.id in to_cover and not found.carers_of(visit.id)
    }
    return Repair(proposed, uncovered | left_out)


def _published(problem: planner.Problem, keep: dict, to_cover: set) -> planner.Roster:
    """The day as published, without the visits to cover, in the planner's words: the warm
    start of the repair."""
    by_carer: dict[str, list[planner.Visit]] = defaultdict(list)
    for visit in problem.visits:
        if visit.id not in to_cover:
            for carer in keep[visit.id]:
                by_carer[carer].append(visit)
    routes = [
        planner.Route(
            carer.id,
            [
                planner.Stop(v.id, v.earliest, v.earliest, v.earliest + v.duration)
                for v in sorted(by_carer[carer.id], key=lambda v: v.earliest)
            ],
        )
        for carer in problem.carers
    ]
    placed = {s.visit_id for r in routes for s in r.stops}
    left = {v.id: "to cover" for v in problem.visits if v.id not in placed}
    return planner.Roster(routes, left, {}, {})


def _covered(roster: planner.Roster, to_cover: set) -> int:
    placed = {stop.visit_id for route in roster.routes for stop in route.stops}
    return len(placed & to_cover)
