"""Timesheets from visit records, their correction and approval. The reads (a day's
stretches, working time and its breaches) are in ``work.queries``."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.shared.days import utc
from coopcare.work.models import Timesheet, TimesheetEntry, TimesheetStatus
from coopcare.work.queries import Stop, day_stretches, homes_of, pay_rules_lookup, records_between


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
        latitude, longitude = record.person.point or (None, None)
        days[(record.carer, day)].append(
            Stop(
                timezone.localtime(record.checked_in_at),
                timezone.localtime(record.checked_out_at),
                latitude,
                longitude,
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
