"""Reads of work that pages, the API and other apps share, each scoped to one cooperative (its
first argument, or the records it is given, which belong to one).

Who works for the cooperative and under which contract, their skills, the pay rules and the
working-time rules in force, their working days as timesheets count them, their working-time
breaches, the payroll export, the hours that share out a surplus and a member's refunds from
it. Nothing here writes but ``work_rules_of``, which records a cooperative's defaults the
first time they are asked for.
The actions that change state are in ``work.services``; the pure rules in ``work.rules``.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.members.models import Member, StakeholderKind
from coopcare.planner.travel import CoordinateTravel
from coopcare.rostering.models import Absence, AbsenceKind
from coopcare.shared.cells import inert
from coopcare.shared.days import day_span, elapsed, utc
from coopcare.visits.models import VisitCarer, VisitRecord, VisitStatus
from coopcare.work import rules
from coopcare.work.models import (
    CarerHome,
    CarerPhoto,
    Contract,
    EntryKind,
    PatronageRefund,
    PayRules,
    PayRun,
    Qualification,
    TimesheetEntry,
    TimesheetStatus,
    WorkRules,
)

WORKER_ROLES = (Role.CARER, Role.COORDINATOR)
EXPIRING_WITHIN_DAYS = 60
WORKING = (EntryKind.VISIT, EntryKind.TRAVEL)
PAID_KINDS = (EntryKind.VISIT, EntryKind.TRAVEL, EntryKind.WAITING)


# -- the rules in force, who works, under which contract, with which skills ----------------


def between_days(field: str, start: date, end: date) -> dict:
    """Lookups for a datetime ``field`` falling on local days ``start`` to ``end``. Plain
    comparisons use the index, where ``__date`` computes a date for every row. The days are
    those of the active time zone (as ``timezone.localdate`` reads them)."""
    first, after = day_span(start, end, timezone.get_current_timezone())
    return {f"{field}__gte": first, f"{field}__lt": after}


def records_between(cooperative: Cooperative, start: date, end: date) -> QuerySet:
    """The cooperative's visit records checked in on local days ``start`` to ``end``.

    Found through the cooperative's people cared for (a small table) rather than a join on
    visits, which PostgreSQL may scan once per record before it has statistics.
    """
    people = PersonCaredFor.objects.filter(cooperative=cooperative).values("pk")
    return VisitRecord.objects.filter(
        person__in=people, **between_days("checked_in_at", start, end)
    )


def pay_rules_on(cooperative: Cooperative, day: date) -> PayRules:
    """The pay rules in force on ``day``: the latest version from that day or before; the
    defaults (unsaved) for a cooperative that never set any."""
    in_force = PayRules.objects.filter(cooperative=cooperative, effective_from__lte=day)
    try:
        return in_force.latest()
    except PayRules.DoesNotExist:
        return PayRules(cooperative=cooperative, effective_from=day)


def pay_rules_lookup(cooperative: Cooperative) -> Callable[[date], PayRules]:
    """``pay_rules_on`` for one cooperative, asking the database once (at the first day looked
    up) for all its versions, however many days are looked up: a cooperative has few."""

    @cache
    def versions() -> list[PayRules]:
        # Oldest first, in the order of ``get_latest_by`` (ties by id).
        return list(
            PayRules.objects.filter(cooperative=cooperative).order_by(
                "effective_from", "recorded_at", "pk"
            )
        )

    @cache
    def on(day: date) -> PayRules:
        in_force = [v for v in versions() if v.effective_from <= day]
        return in_force[-1] if in_force else PayRules(cooperative=cooperative, effective_from=day)

    return on


def work_rules_of(cooperative: Cooperative) -> WorkRules:
    """The cooperative's working-time rules, made from its country's defaults the first time."""
    found, _created = WorkRules.objects.get_or_create(
        cooperative=cooperative, defaults=rules.limits_for(cooperative.country)
    )
    return found


def workers(cooperative: Cooperative, roles: Collection[str] = WORKER_ROLES) -> QuerySet:
    """The users who work for the cooperative in one of ``roles`` (carers and coordinators
    unless told), by name."""
    return (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role__in=roles
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def contracts_by_carer(
    cooperative: Cooperative, first: date, last: date, carer_ids: Collection[int] | None = None
) -> defaultdict[int, list[Contract]]:
    """The contracts of the cooperative's workers (of ``carer_ids``, or all) in force on at
    least one day of ``first``..``last``, in one query: carer id → contracts, the latest
    start first."""
    found: defaultdict[int, list[Contract]] = defaultdict(list)
    in_force = Contract.objects.overlapping(first, last).filter(cooperative=cooperative)
    if carer_ids is not None:
        in_force = in_force.filter(carer_id__in=list(carer_ids))
    for contract in in_force.order_by("-starts_on"):
        found[contract.carer_id].append(contract)
    return found


def contract_in(contracts: Iterable[Contract], day: date) -> Contract | None:
    """Of one carer's contracts already loaded (``contracts_by_carer``), the one in force on
    ``day``, as ``contract_on`` finds it in the database."""
    return next((c for c in contracts if c.covers(day)), None)


def contract_on(cooperative: Cooperative, carer, day: date) -> Contract | None:
    """The carer's contract in force on ``day``, if any."""
    return Contract.objects.in_force(day).filter(cooperative=cooperative, carer=carer).first()


def skills_on(cooperative: Cooperative, day: date) -> dict[int, set[str]]:
    """Each worker's skills on ``day``, from the qualifications valid then (by user id)."""
    valid = Qualification.objects.valid_on(day).filter(cooperative=cooperative)
    skills: dict[int, set[str]] = {}
    for qualification in valid:
        skills.setdefault(qualification.carer_id, set()).update(qualification.skill_list())
    return skills


def qualified_for(cooperative: Cooperative, needed: list[str], day: date) -> list[int]:
    """The ids of workers qualified on ``day`` for every skill in ``needed``."""
    if not needed:
        return list(workers(cooperative).values_list("pk", flat=True))
    return [carer for carer, skills in skills_on(cooperative, day).items() if set(needed) <= skills]


def qualifications_of(cooperative: Cooperative, carer) -> QuerySet[Qualification]:
    """A carer's qualifications, the soonest to expire first and those that never expire last
    (on every database: PostgreSQL would put them first)."""
    return Qualification.objects.filter(cooperative=cooperative, carer=carer).order_by(
        F("expires_on").asc(nulls_last=True), "name", "pk"
    )


def expiring(cooperative: Cooperative, today: date, within_days: int = EXPIRING_WITHIN_DAYS):
    """Qualifications that expire within ``within_days`` (or expired in the last month) and
    were not renewed by a later certificate of the same name, the soonest to expire first."""
    soon = (
        Qualification.objects.filter(
            cooperative=cooperative,
            expires_on__gte=today - timedelta(days=30),
            expires_on__lte=today + timedelta(days=within_days),
        )
        .select_related("carer")
        .order_by("expires_on", "carer__last_name", "carer__first_name", "name", "pk")
    )
    valid_then = Qualification.objects.valid_on(today + timedelta(days=within_days))
    renewed = {(q.carer_id, q.name) for q in valid_then.filter(cooperative=cooperative)}
    return [q for q in soon if (q.carer_id, q.name) not in renewed]


# -- working days -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Time spent at one place: a visit, recorded or planned."""

    starts_at: datetime
    ends_at: datetime
    latitude: float | None  # None while the person's home is not placed on the map
    longitude: float | None
    record: VisitRecord | None = None


def day_stretches(
    stops: list[Stop], pay_rules: PayRules, home: tuple[float, float] | None = None
) -> list[dict]:
    """A working day from its visits: each visit, the travel to the next (estimated from the
    two addresses), and the rest of each gap as waiting (short gaps, per the pay rules) or an
    unpaid break. Travel is never longer than the gap the carer had.

    With the carer's ``home`` (latitude, longitude), the journeys from home to the first visit
    and from the last visit home are travel too: a carer with no fixed place of work works
    from leaving home to getting back (CJEU C-266/14 *Tyco*, 2015, ruling).

    Times are measured as UTC instants and given back in the stops' time zone, so a day
    across a change of the clocks has the length it really had.

    Travel to or from a stop whose home is not placed on the map is unknown: it is left out
    (no travel entry, 0 km), and the gap is waiting or a break as if the carer had not moved.
    """
    if not stops:
        return []
    zone = stops[0].starts_at.tzinfo
    unknown = {i for i, s in enumerate(stops) if s.latitude is None or s.longitude is None}
    # An unplaced stop needs a point in the matrix, but its journeys are never read.
    places = [
        (0.0, 0.0) if i in unknown else (float(s.latitude or 0), float(s.longitude or 0))
        for i, s in enumerate(stops)
    ]
    travel = CoordinateTravel([*places, home] if home else places)
    at_home = len(stops)

    def journey(a: int, b: int) -> tuple[timedelta, Decimal]:
        if a in unknown or b in unknown:
            return timedelta(), Decimal(0)
        return (
            timedelta(minutes=round(travel.minutes(a, b))),
            Decimal(str(round(travel.distance(a, b), 2))),
        )

    def entry(kind, starts_at: datetime, ends_at: datetime, **more) -> dict:
        return {
            "kind": kind,
            "starts_at": starts_at.astimezone(zone),
            "ends_at": ends_at.astimezone(zone),
            **more,
        }

    stretches = []
    if home:
        going, km = journey(at_home, 0)
        if going:
            arrives = utc(stops[0].starts_at)
            stretches.append(entry(EntryKind.TRAVEL, arrives - going, arrives, km=km))
    for index, stop in enumerate(stops):
        starts, ends = utc(stop.starts_at), utc(stop.ends_at)
        stretches.append(entry(EntryKind.VISIT, starts, ends, visit_record=stop.record))
        if index + 1 == len(stops):
            break
        after = stops[index + 1]
        gap = elapsed(stop.ends_at, after.starts_at)
        if gap <= timedelta():
            continue
        going, km = journey(index, index + 1)
        going = min(gap, going)
        if going:
            stretches.append(entry(EntryKind.TRAVEL, ends, ends + going, km=km))
        rest = gap - going
        if rest:
            kind = (
                EntryKind.WAITING
                if rest <= timedelta(minutes=pay_rules.waiting_max_minutes)
                else EntryKind.BREAK
            )
            stretches.append(entry(kind, ends + going, ends + gap))
    if home:
        going, km = journey(len(stops) - 1, at_home)
        if going:
            leaves = utc(stops[-1].ends_at)
            stretches.append(entry(EntryKind.TRAVEL, leaves, leaves + going, km=km))
    return stretches


def homes_of(cooperative: Cooperative, carer_ids=None) -> dict[int, tuple[float, float]]:
    """The home places carers gave (carer id → latitude, longitude), for ``carer_ids`` or
    all. Only for counting journeys from and to home: never shown or exported."""
    homes = CarerHome.objects.filter(cooperative=cooperative)
    if carer_ids is not None:
        homes = homes.filter(carer_id__in=list(carer_ids))
    return {home.carer_id: home.point for home in homes}


def summary(entries) -> dict:
    """A day's minutes per kind of entry, km, and the span from first visit start to last
    visit end (what true hourly pay divides by)."""
    minutes = dict.fromkeys(EntryKind.values, 0)
    km = Decimal(0)
    visits = []
    for entry in entries:
        minutes[entry.kind] += entry.minutes
        km += entry.km
        if entry.kind == EntryKind.VISIT:
            visits.append(entry)
    span = 0
    if visits:
        first = min((e.starts_at for e in visits), key=utc)
        last = max((e.ends_at for e in visits), key=utc)
        span = round(elapsed(first, last).total_seconds() / 60)
    return {"minutes": minutes, "km": km, "span": span}


# -- working time -------------------------------------------------------------------------


def worked_intervals(
    cooperative: Cooperative, carer, start: date, end: date, pay_rules_on=None, homes=None
) -> list:
    """The carer's working time from ``start`` to ``end``: visits and travel from timesheets
    on the days they exist, and from planned visits (travel estimated, from and to home when
    the carer gave it) on days to come.

    ``pay_rules_on`` (day → pay rules) and ``homes`` (from ``homes_of``) save queries when
    many carers are checked (``worked_intervals_of`` reads them all at once).
    """
    return worked_intervals_of(cooperative, [carer.pk], start, end, pay_rules_on, homes)[carer.pk]


def worked_intervals_of(
    cooperative: Cooperative,
    carer_ids: Collection[int],
    start: date,
    end: date,
    pay_rules_on=None,
    homes=None,
) -> dict[int, list]:
    """``worked_intervals`` of each carer of ``carer_ids`` (by id), read in one query each for
    the timesheet entries and the planned visits (with their people's homes) of all of them,
    whatever their number. Aware moments: the timesheets' in UTC, the planned in local time."""
    ids = list(carer_ids)
    pay_rules_on = pay_rules_on or pay_rules_lookup(cooperative)
    homes = homes_of(cooperative, ids) if homes is None else homes
    intervals: dict[int, list] = {carer: [] for carer in ids}
    covered: dict[int, set[date]] = {carer: set() for carer in ids}
    # Plain values, not model instances: months of timesheet entries and weeks of planned
    # visits of every worker are tens of thousands of rows, and building objects took seconds.
    entries = TimesheetEntry.objects.filter(
        timesheet__cooperative=cooperative,
        timesheet__carer_id__in=ids,
        timesheet__day__range=(start, end),
        kind__in=WORKING,
    ).values_list("timesheet__carer_id", "timesheet__day", "starts_at", "ends_at")
    # Kept as the UTC instants the database gives: the rules measure work between UTC
    # instants and read local days and nights through the zone they are given, so turning
    # months of entries into local time (a zone lookup a moment) would be undone at once.
    for carer, day, starts_at, ends_at in entries:
        covered[carer].add(day)
        intervals[carer].append((starts_at, ends_at))
    zone = timezone.get_current_timezone()
    planned = (
        # By the carers' rows' own start: the index on (carer, start) finds the span.
        VisitCarer.objects.filter(
            carer_id__in=ids,
            visit__cooperative=cooperative,
            **between_days("starts_at", start, end),
            visit__status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
        )
        .order_by("starts_at")
        .values_list(
            "carer_id",
            "visit__starts_at",
            "visit__ends_at",
            "visit__person__latitude",
            "visit__person__longitude",
        )
    )
    visits: dict[int, list] = {carer: [] for carer in ids}
    for carer, starts_at, ends_at, latitude, longitude in planned:
        if starts_at.astimezone(zone).date() not in covered[carer]:
            # The person's home as PersonCaredFor.point gives it.
            point = (
                None
                if latitude is None or longitude is None
                else (float(latitude), float(longitude))
            )
            visits[carer].append((starts_at, ends_at, point))
    return {
        carer: intervals[carer] + _planned_stretches(visits[carer], pay_rules_on, homes.get(carer))
        for carer in ids
    }


def planned_work(visits, pay_rules_on, home: tuple[float, float] | None = None) -> list:
    """The working time (visits, and travel estimated between them, and from and to the
    carer's ``home`` if given) of one carer's planned ``visits`` (with their ``person``), as
    (start, end) intervals in local time."""
    return _planned_stretches(
        [(visit.starts_at, visit.ends_at, visit.person.point) for visit in visits],
        pay_rules_on,
        home,
    )


def _planned_stretches(visits, pay_rules_on, home: tuple[float, float] | None) -> list:
    """``planned_work`` of (start, end, home of the person as (latitude, longitude) or None)
    of each planned visit."""
    by_day: dict[date, list[Stop]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    for starts_at, ends_at, point in visits:
        latitude, longitude = point or (None, None)
        local_start = starts_at.astimezone(zone)
        by_day[local_start.date()].append(
            Stop(local_start, ends_at.astimezone(zone), latitude, longitude)
        )
    return [
        (s["starts_at"], s["ends_at"])
        for day, stops in by_day.items()
        for s in day_stretches(
            sorted(stops, key=lambda s: utc(s.starts_at)), pay_rules_on(day), home
        )
        if s["kind"] in WORKING
    ]


# Absences neutral in the average week: "periods of paid annual leave ... and periods of sick
# leave shall not be included or shall be neutral" (Directive 2003/88/EC art. 16(b)).
NEUTRAL_ABSENCES = (AbsenceKind.LEAVE, AbsenceKind.SICKNESS)


def days_away(cooperative: Cooperative, carer_ids, start: date, end: date) -> dict[int, set]:
    """The days from ``start`` to ``end`` each carer was (or will be) on annual leave or sick
    leave, by carer id: neutral in the average week."""
    away: dict[int, set] = defaultdict(set)
    for absence in Absence.objects.filter(
        cooperative=cooperative,
        carer_id__in=list(carer_ids),
        kind__in=NEUTRAL_ABSENCES,
        first_day__lte=end,
        last_day__gte=start,
    ):
        day = max(absence.first_day, start)
        while day <= min(absence.last_day, end):
            away[absence.carer_id].add(day)
            day += timedelta(days=1)
    return away


@dataclass(frozen=True)
class WorkingTimeFacts:
    """What the working-time rules weigh of one carer besides the work itself: the
    cooperative's limits, the carer's contract (its own weekly limit, if lower), their days of
    annual leave and sick leave (neutral in the average week) and their home place (the
    journeys from and to it are working time). ``working_time_facts`` reads them."""

    limits: WorkRules
    pay_rules_on: Callable[[date], PayRules]
    contract: Contract | None
    days_away: frozenset[date]
    home: tuple[float, float] | None

    def planned(self, visits) -> list:
        """The working time of the carer's planned ``visits``, travel from and to home
        included (``planned_work``)."""
        return planned_work(visits, self.pay_rules_on, self.home)

    def breaches(self, work: list) -> list[rules.Breach]:
        """The breaches of the working-time rules in ``work`` ((start, end) intervals)."""
        return rules.working_time_breaches(
            work,
            self.limits,
            weekly_limit=self.contract.max_average_weekly_hours if self.contract else None,
            days_away=self.days_away,
            zone=timezone.get_current_timezone(),
        )


def working_time_facts(
    cooperative: Cooperative,
    contracts: Mapping[int, Contract | None],
    since: date,
    end: date,
    *,
    limits: WorkRules | None = None,
    pay_rules_on: Callable[[date], PayRules] | None = None,
    homes: Mapping[int, tuple[float, float]] | None = None,
) -> dict[int, WorkingTimeFacts]:
    """The ``WorkingTimeFacts`` of each carer of ``contracts`` (carer id → their contract on
    the day that counts), with their days away from ``since`` to ``end``. The cooperative's
    rules and the carers' home places (unless given) and their days away are read once for
    all of them. The working-time page and the check of a roster edit both judge work with
    these, so the one rule is applied one way."""
    ids = list(contracts)
    limits = limits or work_rules_of(cooperative)
    pay_rules_on = pay_rules_on or pay_rules_lookup(cooperative)
    homes = homes_of(cooperative, ids) if homes is None else homes
    away = days_away(cooperative, ids, since, end)
    return {
        carer: WorkingTimeFacts(
            limits, pay_rules_on, contracts[carer], frozenset(away[carer]), homes.get(carer)
        )
        for carer in ids
    }


def working_time_breaches(cooperative: Cooperative, start: date, end: date, carers=None) -> dict:
    """Working-time breaches per worker from ``start`` to ``end`` (past and planned).

    The look-back reaches before ``start`` so that a week is judged with the weeks of its
    reference period before it, and a weekly-rest period that began before ``start`` whole.
    Days of annual leave and sick leave (recorded as absences in rostering) are neutral in
    the average week. The workers' contracts, work and days away are read once for all of
    them, so the queries do not grow with their number.
    """
    limits = work_rules_of(cooperative)
    rest_days = int(limits.weekly_rest_reference_days)
    since = start - max(timedelta(weeks=limits.reference_weeks), timedelta(days=2 * rest_days))
    pay_rules_on = pay_rules_lookup(cooperative)
    carers = list(carers if carers is not None else workers(cooperative))
    ids = [carer.pk for carer in carers]
    contracts = contracts_by_carer(cooperative, start, end, ids)
    homes = homes_of(cooperative, ids)
    facts = working_time_facts(
        cooperative,
        {pk: contract_in(contracts[pk], end) or contract_in(contracts[pk], start) for pk in ids},
        since,
        end,
        limits=limits,
        pay_rules_on=pay_rules_on,
        homes=homes,
    )
    worked = worked_intervals_of(cooperative, ids, since, end, pay_rules_on, homes)
    # A stretch that began before ``start`` is listed if it reaches into it: a week, or a
    # whole weekly-rest period (7 or 14 days).
    week_before = start - timedelta(days=6)
    listed_from = {"weekly_rest": start - timedelta(days=rest_days - 1)}
    found = {}
    for carer in carers:
        listed = [
            b
            for b in facts[carer.pk].breaches(worked[carer.pk])
            if b.at.date() >= listed_from.get(b.rule, week_before)
        ]
        if listed:
            found[carer] = listed
    return found


# -- pay and surplus ----------------------------------------------------------------------


CSV_COLUMNS = [
    "username",
    "name",
    "period_start",
    "period_end",
    "days",
    "visit_hours",
    "travel_hours",
    "waiting_hours",
    "paid_hours",
    "premium_hours",
    "contracted_hours",
    "km",
    "basic_pay",
    "premium_pay",
    "gross_pay",
    "mileage",
    "true_hourly_pay",
    "minimum_wage",
    "below_minimum",
]


def _hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(rules.CENT))


def payroll_csv(run: PayRun) -> str:
    """The pay run as CSV for the payroll office: one row per worker, hours in decimal hours,
    amounts in the cooperative's currency with a dot for decimals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for slip in run.payslips.select_related("carer"):
        writer.writerow(
            [
                # Names people typed must not run as formulas in the payroll office's sheet.
                inert(slip.carer.username if slip.carer else ""),
                inert(slip.carer.get_full_name() if slip.carer else ""),
                run.starts_on.isoformat(),
                run.ends_on.isoformat(),
                slip.days,
                _hours(slip.visit_minutes),
                _hours(slip.travel_minutes),
                _hours(slip.waiting_minutes),
                _hours(slip.paid_minutes),
                _hours(slip.premium_minutes),
                slip.contracted_hours,
                slip.km,
                slip.basic_pay,
                slip.premium_pay,
                slip.gross_pay,
                slip.mileage,
                slip.true_hourly_pay,
                slip.minimum_wage,
                "yes" if slip.below_minimum else "no",
            ]
        )
    return out.getvalue()


def last_pay_period(today: date) -> tuple[date, date]:
    """The calendar month before ``today``'s: the usual period to pay next."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def member_hours(cooperative: Cooperative, start: date, end: date) -> dict[Member, Decimal]:
    """Hours each worker member worked in [start, end] while a member, from approved
    timesheets (visits, travel and waiting: the time they were paid for).

    The entries of all the members are read in one query, so the queries do not grow with
    the number of members; each member's count keeps only the days they were a member.
    """
    members = list(
        Member.objects.filter(
            cooperative=cooperative,
            stakeholder_class__kind=StakeholderKind.WORKER,
            user__isnull=False,
            admitted_on__isnull=False,
            admitted_on__lte=end,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .order_by("full_name", "pk")
    )
    days: defaultdict[int, list[tuple[date, int]]] = defaultdict(list)
    entries = TimesheetEntry.objects.filter(
        timesheet__cooperative=cooperative,
        timesheet__carer_id__in=[member.user_id for member in members],
        timesheet__status=TimesheetStatus.APPROVED,
        timesheet__day__range=(start, end),
        kind__in=PAID_KINDS,
    ).values_list("timesheet__carer_id", "timesheet__day", "starts_at", "ends_at")
    for carer_id, day, starts_at, ends_at in entries:
        # Real minutes, as ``TimesheetEntry.minutes`` counts them.
        days[carer_id].append((day, round(elapsed(starts_at, ends_at).total_seconds() / 60)))
    hours = {}
    for member in members:
        # For the type checker: the filters leave these out.
        if member.admitted_on is None or member.user_id is None:
            continue
        first, last = max(start, member.admitted_on), min(end, member.left_on or end)
        minutes: int = sum(worked for on, worked in days[member.user_id] if first <= on <= last)
        if minutes:
            hours[member] = (Decimal(minutes) / 60).quantize(rules.CENT)
    return hours


def refunds_of(cooperative: Cooperative, member: Member) -> QuerySet[PatronageRefund]:
    """The patronage refunds ``member`` received, the latest financial year first, each with
    the year's allocation (the member's statement of the surplus shared out)."""
    return (
        PatronageRefund.objects.filter(allocation__cooperative=cooperative, member=member)
        .select_related("allocation")
        .order_by("-allocation__starts_on")
    )


def shown_photos(cooperative: Cooperative, carer_ids: Collection[int]) -> set[int]:
    """Which of ``carer_ids`` have a photo they agree the people they serve see, now."""
    return set(
        CarerPhoto.objects.filter(
            cooperative=cooperative, carer_id__in=carer_ids, shown_since__isnull=False
        ).values_list("carer_id", flat=True)
    )


def photo_of(cooperative: Cooperative, carer) -> CarerPhoto | None:
    """The carer's photo in the cooperative, if they gave one."""
    return CarerPhoto.objects.filter(cooperative=cooperative, carer=carer).first()
