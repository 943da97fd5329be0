"""Timesheets from visit records, their correction and approval, and working-time checks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.planner.travel import CoordinateTravel
from coopcare.visits.models import Visit, VisitRecord, VisitStatus
from coopcare.work import rules
from coopcare.work.models import (
    EntryKind,
    PayRules,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
)
from coopcare.work.services import (
    between_days,
    contract_on,
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


def day_stretches(stops: list[Stop], pay_rules: PayRules) -> list[dict]:
    """A working day from its visits: each visit, the travel to the next (estimated from the
    two addresses), and the rest of each gap as waiting (short gaps, per the pay rules) or an
    unpaid break. Travel is never longer than the gap the carer had."""
    travel = CoordinateTravel([(s.latitude, s.longitude) for s in stops])
    stretches = []
    for index, stop in enumerate(stops):
        stretches.append(
            {
                "kind": EntryKind.VISIT,
                "starts_at": stop.starts_at,
                "ends_at": stop.ends_at,
                "visit_record": stop.record,
            }
        )
        if index + 1 == len(stops):
            break
        after = stops[index + 1]
        gap = after.starts_at - stop.ends_at
        if gap <= timedelta():
            continue
        going = min(gap, timedelta(minutes=round(travel.minutes(index, index + 1))))
        if going:
            stretches.append(
                {
                    "kind": EntryKind.TRAVEL,
                    "starts_at": stop.ends_at,
                    "ends_at": stop.ends_at + going,
                    "km": Decimal(str(round(travel.distance(index, index + 1), 2))),
                }
            )
        rest = gap - going
        if rest:
            kind = (
                EntryKind.WAITING
                if rest <= timedelta(minutes=pay_rules.waiting_max_minutes)
                else EntryKind.BREAK
            )
            stretches.append(
                {"kind": kind, "starts_at": stop.ends_at + going, "ends_at": after.starts_at}
            )
    return stretches


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
        raise ValidationError(_("The period ends before it starts."))
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
            TimesheetEntry(timesheet=sheet, **s) for s in day_stretches(stops, pay_rules_on(day))
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
        raise ValidationError(_("This timesheet is approved; it can no longer be corrected."))
    if not reason.strip():
        raise ValidationError(_("Say why the times are corrected."))
    if ends_at < starts_at:
        raise ValidationError(_("The end is before the start."))
    if timezone.localdate(starts_at) != sheet.day:
        raise ValidationError(_("The entry must start on the timesheet's day."))
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
        first, last = min(e.starts_at for e in visits), max(e.ends_at for e in visits)
        span = round((last - first).total_seconds() / 60)
    return {"minutes": minutes, "km": km, "span": span}


# -- working time ---------------------------------------------------------------------------


def worked_intervals(
    cooperative: Cooperative, carer, start: date, end: date, pay_rules_on=None
) -> list:
    """The carer's working time from ``start`` to ``end``: visits and travel from timesheets
    on the days they exist, and from planned visits (travel estimated) on days to come.

    ``pay_rules_on`` (day → pay rules) saves a query per day when many carers are checked.
    """
    pay_rules_on = pay_rules_on or pay_rules_lookup(cooperative)
    intervals = []
    covered = set()
    entries = TimesheetEntry.objects.filter(
        timesheet__cooperative=cooperative,
        timesheet__carer=carer,
        timesheet__day__range=(start, end),
        kind__in=WORKING,
    ).select_related("timesheet")
    for entry in entries:
        covered.add(entry.timesheet.day)
        intervals.append((timezone.localtime(entry.starts_at), timezone.localtime(entry.ends_at)))
    planned = (
        Visit.objects.filter(
            cooperative=cooperative,
            carers=carer,
            **between_days("starts_at", start, end),
            status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
        )
        .select_related("person")
        .order_by("starts_at")
    )
    return intervals + planned_work(
        [v for v in planned if timezone.localdate(v.starts_at) not in covered], pay_rules_on
    )


def planned_work(visits, pay_rules_on) -> list:
    """The working time (visits, and travel estimated between them) of one carer's planned
    ``visits`` (with their ``person``), as (start, end) intervals."""
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
        for s in day_stretches(sorted(stops, key=lambda s: s.starts_at), pay_rules_on(day))
        if s["kind"] in WORKING
    ]


def breaches(cooperative: Cooperative, start: date, end: date, carers=None) -> dict:
    """Working-time breaches per worker from ``start`` to ``end`` (past and planned).

    The reference period for the average week reaches back before ``start`` so that a week
    is judged with the weeks before it.
    """
    limits = work_rules_of(cooperative)
    since = start - timedelta(weeks=limits.reference_weeks)
    pay_rules_on = pay_rules_lookup(cooperative)
    found = {}
    for carer in carers if carers is not None else workers(cooperative):
        contract = contract_on(cooperative, carer, end) or contract_on(cooperative, carer, start)
        weekly = contract.max_average_weekly_hours if contract else None
        intervals = worked_intervals(cooperative, carer, since, end, pay_rules_on)
        listed = [
            b
            for b in rules.working_time_breaches(intervals, limits, weekly_limit=weekly)
            if b.at.date() >= start - timedelta(days=6)
        ]
        if listed:
            found[carer] = listed
    return found
