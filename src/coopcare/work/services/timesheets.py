"""Timesheets from visit records, their correction and approval, and working-time checks."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.planner.travel import CoordinateTravel
from coopcare.rostering.models import Absence, AbsenceKind
from coopcare.shared.days import elapsed, utc
from coopcare.visits.models import Visit, VisitRecord, VisitStatus
from coopcare.work import rules
from coopcare.work.models import (
    CarerHome,
    EntryKind,
    PayRules,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
)
from coopcare.work.services import (
    between_days,
    contract_in,
    contracts_by_carer,
    pay_rules_lookup,
    records_between,
    work_rules_of,
    workers,
)

WORKING = (EntryKind.VISIT, EntryKind.TRAVEL)


@dataclass(frozen=True)
class Stop:
    """Time spent at one place: a visit, recorded or planned."""

    starts_at: datetime
    ends_at: datetime
    latitude: float
    longitude: float
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
    """
    if not stops:
        return []
    zone = stops[0].starts_at.tzinfo
    places = [(s.latitude, s.longitude) for s in stops]
    travel = CoordinateTravel([*places, home] if home else places)
    at_home = len(stops)

    def journey(a: int, b: int) -> tuple[timedelta, Decimal]:
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


@dataclass
class Built:
    """What building timesheets did."""

    built: int = 0
    kept: int = 0  # approved or corrected: never rebuilt
    open_records: list = field(default_factory=list)  # checked in, never checked out


@transaction.atomic
def build_timesheets(cooperative: Cooperative, start: date, end: date) -> Built:
    """Build (or rebuild) the draft timesheets of every worker from ``start`` to ``end`` from
    their visit records. Approved and corrected timesheets are kept as they are."""
    if end < start:
        raise ValidationError(
            _("The period ends before it starts."), code="period_ends_before_start"
        )
    result = Built()
    records = (
        records_between(cooperative, start, end)
        .select_related("person", "carer")
        .order_by("carer_id", "checked_in_at")
    )
    days: dict[tuple, list[Stop]] = defaultdict(list)
    for record in records:
        if record.checked_out_at is None:
            result.open_records.append(record)
            continue
        day = timezone.localdate(record.checked_in_at)
        days[(record.carer, day)].append(
            Stop(
                timezone.localtime(record.checked_in_at),
                timezone.localtime(record.checked_out_at),
                float(record.person.latitude),
                float(record.person.longitude),
                record,
            )
        )
    existing = {
        (sheet.carer_id, sheet.day): sheet
        for sheet in Timesheet.objects.select_for_update().filter(
            cooperative=cooperative, day__range=(start, end)
        )
    }
    corrected = set(
        TimesheetEntry.objects.filter(
            timesheet__in=[s.pk for s in existing.values()], original_starts_at__isnull=False
        ).values_list("timesheet_id", flat=True)
    )
    entries = []
    pay_rules_on = pay_rules_lookup(cooperative)
    homes = homes_of(cooperative, {carer.pk for carer, _day in days})
    for (carer, day), stops in days.items():
        sheet = existing.pop((carer.pk, day), None)
        if sheet and (sheet.status == TimesheetStatus.APPROVED or sheet.pk in corrected):
            result.kept += 1
            continue
        if sheet:
            sheet.entries.all().delete()
            sheet.save(update_fields=["built_at"])
        else:
            sheet = Timesheet.objects.create(cooperative=cooperative, carer=carer, day=day)
        entries += [
            TimesheetEntry(timesheet=sheet, **s)
            for s in day_stretches(stops, pay_rules_on(day), homes.get(carer.pk))
        ]
        result.built += 1
    # Drafts whose records are gone (a record moved to another day) go too.
    for sheet in existing.values():
        if sheet.status == TimesheetStatus.DRAFT and sheet.pk not in corrected:
            sheet.delete()
        else:
            result.kept += 1
    TimesheetEntry.objects.bulk_create(entries)
    return result


@transaction.atomic
def correct_entry(entry: TimesheetEntry, starts_at: datetime, ends_at: datetime, reason: str, by):
    """Change an entry's times on a draft timesheet; the recorded times are kept beside."""
    sheet = Timesheet.objects.select_for_update().get(pk=entry.timesheet_id)
    if sheet.status == TimesheetStatus.APPROVED:
        raise ValidationError(
            _("This timesheet is approved; it can no longer be corrected."),
            code="timesheet_approved",
        )
    if not reason.strip():
        raise ValidationError(_("Say why the times are corrected."), code="reason_missing")
    if utc(ends_at) < utc(starts_at):
        raise ValidationError(_("The end is before the start."), code="entry_ends_before_start")
    if timezone.localdate(starts_at) != sheet.day:
        raise ValidationError(
            _("The entry must start on the timesheet's day."), code="entry_off_its_day"
        )
    if entry.original_starts_at is None:
        entry.original_starts_at, entry.original_ends_at = entry.starts_at, entry.ends_at
    entry.starts_at, entry.ends_at = starts_at, ends_at
    entry.correction_reason, entry.corrected_by = reason.strip(), by
    entry.save()
    return entry


@transaction.atomic
def approve(cooperative: Cooperative, sheets, by) -> int:
    """Approve the given draft timesheets of the cooperative; returns how many."""
    return (
        Timesheet.objects.filter(
            cooperative=cooperative, pk__in=[s.pk for s in sheets], status=TimesheetStatus.DRAFT
        )
        .select_for_update()
        .update(status=TimesheetStatus.APPROVED, approved_by=by, approved_at=timezone.now())
    )


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


# -- working time ---------------------------------------------------------------------------


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
    the timesheet entries and the planned visits of all of them, whatever their number."""
    ids = list(carer_ids)
    pay_rules_on = pay_rules_on or pay_rules_lookup(cooperative)
    homes = homes_of(cooperative, ids) if homes is None else homes
    intervals: dict[int, list] = {carer: [] for carer in ids}
    covered: dict[int, set[date]] = {carer: set() for carer in ids}
    entries = TimesheetEntry.objects.filter(
        timesheet__cooperative=cooperative,
        timesheet__carer_id__in=ids,
        timesheet__day__range=(start, end),
        kind__in=WORKING,
    ).select_related("timesheet")
    for entry in entries:
        carer = entry.timesheet.carer_id
        covered[carer].add(entry.timesheet.day)
        intervals[carer].append(
            (timezone.localtime(entry.starts_at), timezone.localtime(entry.ends_at))
        )
    planned = (
        Visit.carers.through.objects.filter(
            user_id__in=ids,
            visit__cooperative=cooperative,
            **between_days("visit__starts_at", start, end),
            visit__status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
        )
        .select_related("visit__person")
        .order_by("visit__starts_at")
    )
    visits: dict[int, list[Visit]] = {carer: [] for carer in ids}
    for row in planned:
        if timezone.localdate(row.visit.starts_at) not in covered[row.user_id]:
            visits[row.user_id].append(row.visit)
    return {
        carer: intervals[carer] + planned_work(visits[carer], pay_rules_on, homes.get(carer))
        for carer in ids
    }


def planned_work(visits, pay_rules_on, home: tuple[float, float] | None = None) -> list:
    """The working time (visits, and travel estimated between them, and from and to the
    carer's ``home`` if given) of one carer's planned ``visits`` (with their ``person``), as
    (start, end) intervals in local time."""
    by_day: dict[date, list[Stop]] = defaultdict(list)
    for visit in visits:
        by_day[timezone.localdate(visit.starts_at)].append(
            Stop(
                timezone.localtime(visit.starts_at),
                timezone.localtime(visit.ends_at),
                float(visit.person.latitude),
                float(visit.person.longitude),
            )
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


def breaches(cooperative: Cooperative, start: date, end: date, carers=None) -> dict:
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
    homes = homes_of(cooperative, ids)
    away = days_away(cooperative, ids, since, end)
    contracts = contracts_by_carer(cooperative, start, end, ids)
    worked = worked_intervals_of(cooperative, ids, since, end, pay_rules_on, homes)
    zone = timezone.get_current_timezone()
    # A stretch that began before ``start`` is listed if it reaches into it: a week, or a
    # whole weekly-rest period (7 or 14 days).
    week_before = start - timedelta(days=6)
    listed_from = {"weekly_rest": start - timedelta(days=rest_days - 1)}
    found = {}
    for carer in carers:
        theirs = contracts[carer.pk]
        contract = contract_in(theirs, end) or contract_in(theirs, start)
        weekly = contract.max_average_weekly_hours if contract else None
        listed = [
            b
            for b in rules.working_time_breaches(
                worked[carer.pk], limits, weekly_limit=weekly, days_away=away[carer.pk], zone=zone
            )
            if b.at.date() >= listed_from.get(b.rule, week_before)
        ]
        if listed:
            found[carer] = listed
    return found
