"""Reads of rostering that pages and the API share, each scoped to one cooperative: by its
first argument, or by the roster or visit it is given, which belong to one.

Nothing here writes. The actions that change state are in ``rostering.services``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import CareStatus, PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.rostering.models import (
    Absence,
    Assignment,
    Availability,
    RequestKind,
    RequestStatus,
    Roster,
    RosterRequest,
    RosterStatus,
    Unplaced,
)
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from coopcare.visits.queries import carer_on_days
from coopcare.work.queries import (
    WorkingTimeFacts,
    between_days,
    contract_in,
    contracts_by_carer,
    homes_of,
    pay_rules_lookup,
    work_rules_of,
    worked_intervals_of,
    working_time_facts,
)


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
    return carer_on_days(cooperative, carer, first, last).filter(status=VisitStatus.PLANNED)


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
    is and a given set of the roster's visits; ``working_times`` reads what it needs. They are
    judged as the working-time page judges them (``work.queries.WorkingTimeFacts``): with the
    carer's days of leave and sickness, and the journeys from and to their home place."""

    def __init__(self, facts: WorkingTimeFacts, before: list):
        self.facts, self.before = facts, before
        self.contract = facts.contract  # on the day checked: its own weekly limit, if lower

    def breaches(self, visits: list[Visit]) -> dict:
        """The breaches of the carer's work with ``visits``, by rule and moment."""
        work = self.before + self.facts.planned(visits)
        return {(b.rule, b.at): b for b in self.facts.breaches(work)}


def working_times(
    roster: Roster, carer_ids: list[int], day: date, contracts=None
) -> dict[int, WorkingTime]:
    """The ``WorkingTime`` of each of ``carer_ids``, with their contract in force on ``day``.

    The cooperative's work and pay rules are read once, and the carers' contracts, home
    places, days away, timesheet entries and planned visits in one query each for all of them,
    however many they are. ``contracts`` (``work.queries.contracts_by_carer`` days that include
    ``day``) are read here unless given."""
    ids = list(dict.fromkeys(carer_ids))
    if not ids:
        return {}
    cooperative = roster.cooperative
    limits = work_rules_of(cooperative)
    pay_rules_on = pay_rules_lookup(cooperative)
    homes = homes_of(cooperative, ids)
    since = roster.first_day - timedelta(weeks=limits.reference_weeks)
    before = worked_intervals_of(
        cooperative, ids, since, roster.first_day - timedelta(days=1), pay_rules_on, homes
    )
    if contracts is None:
        contracts = contracts_by_carer(cooperative, day, day, ids)
    facts = working_time_facts(
        cooperative,
        {pk: contract_in(contracts.get(pk, []), day) for pk in ids},
        since,
        roster.last_day,
        limits=limits,
        pay_rules_on=pay_rules_on,
        homes=homes,
    )
    return {pk: WorkingTime(facts[pk], before[pk]) for pk in ids}


def roster_breaches(roster: Roster, contracts=None) -> list[tuple]:
    """Each carer's working-time breaches within the roster's days, as (carer, details).

    The planner keeps the daily rest, the working-day span and the week's hours; breaks
    (art. 4) and the weekly rest (art. 5) it leaves to availability, so a draft is checked
    in full before it is published. A bounded number of queries, however many carers and
    visits: ``contracts`` (``work.queries.contracts_by_carer`` the roster's days) are read here
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


# The coordinators' dashboard counts the visits short of carers over this many days ahead.
SHORT_OF_CARERS_DAYS = 7


def short_of_carers(cooperative: Cooperative, now: datetime | None = None) -> int:
    """How many planned visits starting in the ``SHORT_OF_CARERS_DAYS`` after ``now`` have
    fewer carers than they need (none, or one on a double-handed visit), rostered yet or
    not. One query."""
    now = now or timezone.now()
    return (
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=SHORT_OF_CARERS_DAYS),
        )
        .annotate(given=Count("carers"))
        .filter(Q(given=0) | Q(double_handed=True, given__lt=2))
        .count()
    )


def carers_away_on(cooperative: Cooperative, day: date) -> int:
    """How many carers recorded days away that include ``day``. One query."""
    return (
        Absence.objects.filter(cooperative=cooperative, first_day__lte=day, last_day__gte=day)
        .values("carer")
        .distinct()
        .count()
    )


class BoardKind:
    """What a row of the coordinators' board asks them to handle."""

    OPEN_VISIT = "open_visit"  # a visit without (enough) carers
    REQUEST = "request"  # a carer's swap, take or contest request
    ABSENCE = "absence"  # days away that leave published visits without their carer
    CANCELLED = "cancelled"  # a cancelled visit still rostered on carers
    TO_PLACE = "to_place"  # a person whose home is not placed on the map: not rostered


@dataclass(frozen=True)
class BoardRow:
    """One thing for a coordinator to handle. ``starts_at``: the visit's start (for days
    away, the first visit they leave); ``asked_at``: when it was asked or recorded."""

    kind: str
    starts_at: datetime
    asked_at: datetime | None
    visit: Visit | None = None
    roster: Roster | None = None
    request: RosterRequest | None = None
    absence: Absence | None = None
    person: PersonCaredFor | None = None  # a person to place on the map
    visits: int = 1  # how many visits it concerns

    def link(self, slug: str) -> str:
        """The page where a coordinator handles it, in the cooperative ``slug``."""
        if self.kind == BoardKind.REQUEST:
            return reverse("rostering:requests", args=[slug])
        if self.absence is not None:
            return reverse("rostering:absence", args=[slug, self.absence.pk])
        if self.person is not None:
            return reverse("care:edit", args=[slug, self.person.pk])
        if self.roster is not None and self.visit is not None:
            return reverse("rostering:visit", args=[slug, self.roster.pk, self.visit.pk])
        return reverse("rostering:home", args=[slug])


def board(cooperative: Cooperative, now: datetime | None = None) -> list[BoardRow]:
    """Everything still to come that waits for a coordinator, oldest and most urgent first:
    by the start of the visit concerned, then by when it was asked. Visits short of carers
    in the days of a published roster (left out, taken off, or made since) and visits a draft
    left out, carers' open requests, days away that clash with published visits, cancelled
    visits still rostered on carers, and people in care whose home is not placed on the map
    (by their first visit to come, else now). A bounded number of queries, however many
    rows."""
    now = now or timezone.now()
    rows: list[BoardRow] = []
    rows += _open_in_published(cooperative, now)
    seen = {row.visit.pk for row in rows if row.visit is not None}
    drafts = (
        Unplaced.objects.filter(
            roster__cooperative=cooperative,
            roster__status=RosterStatus.DRAFT,
            visit__status=VisitStatus.PLANNED,
            visit__starts_at__gt=now,
        )
        .exclude(visit__in=seen)
        .select_related("visit__person", "visit__task", "roster")
        .order_by("visit__starts_at", "roster__created_at", "pk")
    )
    for row in drafts:
        if row.visit_id in seen:  # two drafts of the same days list it twice
            continue
        seen.add(row.visit_id)
        rows.append(
            BoardRow(
                BoardKind.OPEN_VISIT,
                row.visit.starts_at,
                row.roster.created_at,
                visit=row.visit,
                roster=row.roster,
            )
        )
    requests = RosterRequest.objects.filter(
        cooperative=cooperative, status=RequestStatus.OPEN, visit__starts_at__gt=now
    ).select_related("visit__person", "visit__task", "carer", "taker")
    rows += [
        BoardRow(BoardKind.REQUEST, r.visit.starts_at, r.created_at, visit=r.visit, request=r)
        for r in requests
    ]
    absences = list(
        Absence.objects.filter(
            cooperative=cooperative, last_day__gte=timezone.localdate(now)
        ).select_related("carer")
    )
    left: dict[int, list[datetime]] = defaultdict(list)
    if absences:
        theirs = VisitCarer.objects.filter(
            visit__cooperative=cooperative,
            visit__status=VisitStatus.PLANNED,
            starts_at__gt=now,
            carer_id__in={a.carer_id for a in absences},
            **between_days(
                "starts_at",
                min(a.first_day for a in absences),
                max(a.last_day for a in absences),
            ),
        ).values_list("carer_id", "starts_at")
        for carer, starts in theirs:
            day = timezone.localdate(starts)
            for a in absences:
                if a.carer_id == carer and a.first_day <= day <= a.last_day:
                    left[a.pk].append(starts)
    rows += [
        BoardRow(
            BoardKind.ABSENCE,
            min(left[a.pk]),
            a.recorded_at,
            absence=a,
            visits=len(left[a.pk]),
        )
        for a in absences
        if left[a.pk]
    ]
    cancelled = list(
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.CANCELLED,
            starts_at__gt=now,
            carers__isnull=False,
        )
        .distinct()
        .select_related("person", "task")
    )
    rostered = {
        a.visit_id: a.roster
        for a in Assignment.objects.filter(
            roster__status=RosterStatus.PUBLISHED, visit__in=cancelled
        ).select_related("roster")
    }
    rows += [
        BoardRow(BoardKind.CANCELLED, v.starts_at, None, visit=v, roster=rostered.get(v.pk))
        for v in cancelled
    ]
    people = list(to_place(cooperative))
    coming = {
        row["person"]: row
        for row in Visit.objects.filter(
            person__in=people, status=VisitStatus.PLANNED, starts_at__gt=now
        )
        .values("person")
        .annotate(first=Min("starts_at"), count=Count("pk"))
    }
    rows += [
        BoardRow(
            BoardKind.TO_PLACE,
            coming[person.pk]["first"] if person.pk in coming else now,
            None,
            person=person,
            visits=coming[person.pk]["count"] if person.pk in coming else 0,
        )
        for person in people
    ]
    return sorted(rows, key=lambda r: (r.starts_at, r.asked_at or r.starts_at))


def to_place(cooperative: Cooperative) -> QuerySet[PersonCaredFor]:
    """People in care (not ended) whose home is not placed on the map: the planner cannot
    roster them until a coordinator places the home."""
    return (
        PersonCaredFor.objects.filter(cooperative=cooperative, latitude__isnull=True)
        .exclude(status=CareStatus.ENDED)
        .order_by("full_name", "pk")
    )


def phones_of(person) -> list[tuple[str, str]]:
    """Whom a coordinator phones to say who is coming: the person and those of their circle
    who may see visits, each with a phone number. Load people with
    ``prefetch_related("circle")`` to spare a query each."""
    found = [(person.full_name, person.phone)] if person.phone else []
    found += [
        (member.full_name, member.phone)
        for member in person.circle.all()
        if member.phone and member.may_see_visits and member.revoked_on is None
    ]
    return found


def _open_in_published(cooperative: Cooperative, now: datetime) -> list[BoardRow]:
    """Visits still to come in the days of a published roster with fewer carers than they
    need: left out of it, taken off since, or made after it was published (a new care plan).
    Two queries."""
    published = list(
        Roster.objects.filter(
            cooperative=cooperative,
            status=RosterStatus.PUBLISHED,
            last_day__gte=timezone.localdate(now),
        )
    )
    if not published:
        return []
    short = (
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            starts_at__gt=now,
            **between_days(
                "starts_at",
                min(r.first_day for r in published),
                max(r.last_day for r in published),
            ),
        )
        .annotate(given=Count("carers"))
        .filter(Q(given=0) | Q(double_handed=True, given__lt=2))
        .select_related("person", "task")
    )
    rows = []
    for visit in short:
        day = timezone.localdate(visit.starts_at)
        roster = next((r for r in published if r.first_day <= day <= r.last_day), None)
        if roster is not None:
            rows.append(
                BoardRow(
                    BoardKind.OPEN_VISIT,
                    visit.starts_at,
                    roster.published_at,
                    visit=visit,
                    roster=roster,
                )
            )
    return rows
