"""Reads of rostering that pages and the API share, each scoped to one cooperative: by its
first argument, or by the roster or visit it is given, which belong to one.

Nothing here writes. The actions that change state are in ``rostering.services``.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.rostering.models import (
    Absence,
    Assignment,
    Availability,
    RequestKind,
    RequestStatus,
    Roster,
    RosterStatus,
)
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work import rules as work_rules
from coopcare.work.models import Contract, WorkRules
from coopcare.work.services import (
    between_days,
    contract_in,
    contracts_by_carer,
    pay_rules_lookup,
    work_rules_of,
)
from coopcare.work.timesheets import planned_work, worked_intervals_of


@dataclass(frozen=True)
class DayAvailability:
    """One carer on one day. ``slots`` None: they gave no usual hours, so any time will do."""

    slots: tuple[tuple[time, time], ...] | None
    absence: Absence | None = None

    @property
    def away(self) -> bool:
        return self.absence is not None or self.slots == ()

    def covers(self, start: time, end: time) -> bool:
        """Whether the carer can work from ``start`` to ``end`` (local times of this day)."""
        if self.absence is not None:
            return False
        if self.slots is None:
            return True
        return any(a <= start and end <= b for a, b in self.slots)

    def describe(self) -> str:
        """The day's availability in words: away and why, any time, or the hours."""
        if self.absence is not None:
            return _("away (%(why)s)") % {"why": self.absence.get_kind_display()}
        if self.slots is None:
            return _("any time")
        if not self.slots:
            return _("not available")
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.slots)


def availability(
    cooperative: Cooperative, carer_ids: Iterable[int], first: date, last: date
) -> dict[tuple[int, date], DayAvailability]:
    """Each carer's availability on each day from ``first`` to ``last`` (two queries)."""
    carer_ids = list(carer_ids)
    usual: dict[int, dict[int, list[tuple[time, time]]]] = {carer: {} for carer in carer_ids}
    for slot in Availability.objects.filter(cooperative=cooperative, carer_id__in=carer_ids):
        usual[slot.carer_id].setdefault(slot.weekday, []).append((slot.starts, slot.ends))
    away = {}
    for absence in Absence.objects.filter(
        cooperative=cooperative, carer_id__in=carer_ids, first_day__lte=last, last_day__gte=first
    ).order_by("-first_day"):
        day = max(absence.first_day, first)
        while day <= min(absence.last_day, last):
            away[absence.carer_id, day] = absence
            day += timedelta(days=1)
    found = {}
    for carer in carer_ids:
        day = first
        while day <= last:
            slots = None
            if usual[carer]:
                slots = tuple(sorted(usual[carer].get(day.weekday(), ())))
            found[carer, day] = DayAvailability(slots, away.get((carer, day)))
            day += timedelta(days=1)
    return found


def published_visits_between(
    cooperative: Cooperative, carer, first: date, last: date
) -> QuerySet[Visit]:
    """The carer's planned visits (from the published roster) from ``first`` to ``last``."""
    return Visit.objects.filter(
        cooperative=cooperative,
        carers=carer,
        status=VisitStatus.PLANNED,
        **between_days("starts_at", first, last),
    )


def published_roster_of(visit: Visit) -> Roster | None:
    """The published roster that holds ``visit``, if any."""
    return (
        Roster.objects.filter(cooperative_id=visit.cooperative_id, status=RosterStatus.PUBLISHED)
        .filter(Q(assignments__visit=visit) | Q(unplaced__visit=visit))
        .distinct()
        .first()
    )


def open_visits(cooperative: Cooperative, carer) -> QuerySet[Visit]:
    """Visits a carer could ask to take (a query): left without (enough) carers in a
    published roster, or offered for swap by a colleague, still to come."""
    upcoming = Visit.objects.filter(
        cooperative=cooperative, status=VisitStatus.PLANNED, starts_at__gt=timezone.now()
    ).exclude(carers=carer)
    unplaced = upcoming.filter(
        pk__in=Roster.objects.filter(cooperative=cooperative, status=RosterStatus.PUBLISHED).values(
            "unplaced__visit"
        )
    )
    offered = upcoming.filter(
        roster_requests__kind=RequestKind.SWAP,
        roster_requests__status=RequestStatus.OPEN,
        roster_requests__taker__isnull=True,
    )
    return (unplaced | offered).distinct().select_related("person", "task").order_by("starts_at")


def published_assignments(cooperative: Cooperative, carer, visits) -> QuerySet[Assignment]:
    """The published roster's records of ``carer`` on ``visits`` (with the reasons why)."""
    return Assignment.objects.filter(
        roster__cooperative=cooperative,
        roster__status=RosterStatus.PUBLISHED,
        carer=carer,
        visit__in=visits,
    )


class WorkingTime:
    """A carer's working-time breaches with the past (timesheets, published visits) as it
    is and a given set of the roster's visits; ``working_times`` reads what it needs."""

    def __init__(
        self,
        limits: WorkRules,
        pay_rules_on: Callable,
        before: list,
        contract: Contract | None,
    ):
        self.limits, self.pay_rules_on, self.before = limits, pay_rules_on, before
        self.contract = contract  # on the day checked: its own weekly limit, if lower
        self.weekly = contract.max_average_weekly_hours if contract else None

    def breaches(self, visits: list[Visit]) -> dict:
        """The breaches of the carer's work with ``visits``, by rule and moment."""
        work = self.before + planned_work(visits, self.pay_rules_on)
        found = work_rules.working_time_breaches(work, self.limits, weekly_limit=self.weekly)
        return {(b.rule, b.at): b for b in found}


def working_times(
    roster: Roster, carer_ids: list[int], day: date, contracts=None
) -> dict[int, WorkingTime]:
    """The ``WorkingTime`` of each of ``carer_ids``, with their contract in force on ``day``.

    The cooperative's work and pay rules are read once, and the carers' contracts, home
    places, timesheet entries and planned visits in one query each for all of them, however
    many they are. ``contracts`` (``work.services.contracts_by_carer`` days that include ``day``)
    are read here unless given."""
    ids = list(dict.fromkeys(carer_ids))
    if not ids:
        return {}
    cooperative = roster.cooperative
    limits = work_rules_of(cooperative)
    pay_rules_on = pay_rules_lookup(cooperative)
    since = roster.first_day - timedelta(weeks=limits.reference_weeks)
    before = worked_intervals_of(
        cooperative, ids, since, roster.first_day - timedelta(days=1), pay_rules_on
    )
    if contracts is None:
        contracts = contracts_by_carer(cooperative, day, day, ids)
    return {
        pk: WorkingTime(limits, pay_rules_on, before[pk], contract_in(contracts.get(pk, []), day))
        for pk in ids
    }


def roster_breaches(roster: Roster, contracts=None) -> list[tuple]:
    """Each carer's working-time breaches within the roster's days, as (carer, details).

    The planner keeps the daily rest, the working-day span and the week's hours; breaks
    (art. 4) and the weekly rest (art. 5) it leaves to availability, so a draft is checked
    in full before it is published. A bounded number of queries, however many carers and
    visits: ``contracts`` (``work.services.contracts_by_carer`` the roster's days) are read here
    unless given."""
    visits = defaultdict(list)
    for assignment in roster.assignments.select_related("carer", "visit__person"):
        visits[assignment.carer].append(assignment.visit)
    working = working_times(roster, [carer.pk for carer in visits], roster.first_day, contracts)
    found = []
    for carer, theirs in sorted(visits.items(), key=lambda item: name_of(item[0])):
        breaches = working[carer.pk].breaches(theirs).values()
        listed = [str(b.detail) for b in breaches if b.at.date() >= roster.first_day]
        if listed:
            found.append((carer, listed))
    return found


def visits_left_by(absence: Absence, now: datetime | None = None) -> QuerySet[Visit]:
    """The published visits still to come that ``absence`` leaves without their carer: the
    ones cover is proposed for (``services.cover``)."""
    return (
        published_visits_between(
            absence.cooperative, absence.carer, absence.first_day, absence.last_day
        )
        .filter(starts_at__gt=now or timezone.now())
        .select_related("person", "task")
        .order_by("starts_at", "pk")
    )
