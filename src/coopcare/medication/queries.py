"""Reads of medication shared by the pages, the API and the check-out: a person's medicines,
the doses due at a visit, the month's medication chart and the doses not taken."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from coopcare.medication import rules
from coopcare.medication.models import (
    DoseRecord,
    Medicine,
    MedicineVersion,
    Outcome,
    StockEntry,
    StockKind,
    StockTracking,
)
from coopcare.shared.days import month_end
from coopcare.visits.models import Visit
from coopcare.visits.zones import cooperative_zone

# The letters of the chart, one per outcome; the chart's key says them in the reader's words.
CODES = {
    Outcome.GIVEN: "G",
    Outcome.REFUSED: "R",
    Outcome.NOT_AVAILABLE: "N",
    Outcome.SELF: "S",
    Outcome.OTHER: "O",
}
# A dose due on a day that is over, with no outcome recorded.
UNRECORDED = "?"
NOT_TAKEN = (Outcome.REFUSED, Outcome.NOT_AVAILABLE, Outcome.OTHER)


def medicines(cooperative, person) -> QuerySet[Medicine]:
    """The person's medicines with their current version, those still taken first."""
    return (
        Medicine.objects.filter(cooperative=cooperative, person=person)
        .select_related("current")
        .order_by("current__name", "pk")
    )


def version_on(medicine: Medicine, day: date) -> MedicineVersion | None:
    """The version of the medicine in force on ``day``: the newest that starts on or before
    it, unless it has ended by then."""
    # In Python, so that a prefetch of the versions serves every day of a chart.
    started = [v for v in medicine.versions.all() if v.starts_on <= day]
    version = max(started, key=lambda v: (v.starts_on, v.number), default=None)
    if version is None or (version.ends_on is not None and version.ends_on < day):
        return None
    return version


@dataclass
class DueDose:
    medicine: Medicine
    version: MedicineVersion
    due_at: datetime
    record: DoseRecord | None = None


def doses_due(visit: Visit) -> list[DueDose]:
    """The fixed-time doses due in the visit (``rules.doses_due``), each with its record if one
    is kept (at this visit or another)."""
    return medication_at([visit])[visit.pk][0]


def as_needed(visit: Visit) -> list[MedicineVersion]:
    """The person's medicines taken as needed on the visit's day (their versions in force)."""
    return medication_at([visit])[visit.pk][1]


def medication_at(visits) -> dict[int, tuple[list[DueDose], list[MedicineVersion]]]:
    """For each visit, by id: the doses due (as ``doses_due``) and the medicines taken as needed
    that day, in three queries for any number of visits (a carer's day of cards)."""
    visits = list(visits)
    if not visits:
        return {}
    zone = cooperative_zone(visits[0].cooperative)
    by_person: dict[int, list[Medicine]] = {}
    for medicine in (
        Medicine.objects.filter(person_id__in={v.person_id for v in visits})
        .select_related("current")
        .prefetch_related("versions")
    ):
        by_person.setdefault(medicine.person_id, []).append(medicine)
    found: dict[int, tuple[list[DueDose], list[MedicineVersion]]] = {}
    for visit in visits:
        day = visit.starts_at.astimezone(zone).date()
        due, taken_as_needed = [], []
        for medicine in by_person.get(visit.person_id, []):
            version = version_on(medicine, day)
            if version is None:
                continue
            if version.as_needed:
                taken_as_needed.append(version)
                continue
            for moment in rules.doses_due(
                version.times,
                starts=visit.starts_at,
                ends=visit.ends_at,
                zone=zone,
                starts_on=version.starts_on,
                ends_on=version.ends_on,
            ):
                due.append(DueDose(medicine, version, moment))
        found[visit.pk] = (
            sorted(due, key=lambda d: (d.due_at, d.version.name)),
            sorted(taken_as_needed, key=lambda v: v.name),
        )
    every_due = [dose for due, _ in found.values() for dose in due]
    if every_due:
        records = {
            (r.medicine_id, r.due_at): r
            for r in DoseRecord.objects.filter(
                medicine__in={d.medicine.pk for d in every_due},
                due_at__in={d.due_at for d in every_due},
            )
        }
        for dose in every_due:
            dose.record = records.get((dose.medicine.pk, dose.due_at))
    return found


def recorded_at_visit(visit: Visit) -> QuerySet[DoseRecord]:
    """The doses recorded at the visit, in order."""
    return DoseRecord.objects.filter(visit=visit).select_related("version", "recorded_by")


@dataclass
class ChartRow:
    medicine: Medicine
    version: MedicineVersion
    time: str  # "HH:MM", or "" for a medicine taken as needed
    cells: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """A month's medication administration record (MAR): a row per medicine and time of day,
    a column per day, an outcome code in each cell."""

    person: object
    year: int
    month: int
    days: list[date]
    rows: list[ChartRow]
    not_taken: list[DoseRecord]


def chart(cooperative, person, year: int, month: int, today: date | None = None) -> Chart:
    """The person's medication chart of a month: each fixed-time dose's outcome code (or
    ``UNRECORDED`` for a day that is over), and for as-needed medicines how many doses were
    taken each day; the doses not taken are listed with their reasons."""
    today = today or timezone.localdate()
    zone = cooperative_zone(cooperative)
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(month_end(first).day)]
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    records = list(
        DoseRecord.objects.filter(cooperative=cooperative, person=person, at__gte=start, at__lt=end)
        .select_related("version", "recorded_by")
        .order_by("at")
    )
    by_due = {(r.medicine_id, r.due_at): r for r in records if r.due_at is not None}
    taken_by_day: dict[tuple[int, date], int] = {}
    for r in records:
        if r.due_at is None and r.taken:
            key = (r.medicine_id, r.at.astimezone(zone).date())
            taken_by_day[key] = taken_by_day.get(key, 0) + 1
    rows = []
    for medicine in medicines(cooperative, person).prefetch_related("versions"):
        in_force = {day: version_on(medicine, day) for day in days}
        versions = [v for v in in_force.values() if v is not None]
        if not versions:
            continue
        latest = versions[-1]
        if latest.as_needed:
            row = ChartRow(medicine, latest, "")
            for day in days:
                count = taken_by_day.get((medicine.pk, day), 0)
                row.cells.append(str(count) if count else "")
            rows.append(row)
            continue
        for shown in sorted({t for v in versions if not v.as_needed for t in v.times}):
            row = ChartRow(medicine, latest, shown)
            hours, minutes = (int(part) for part in shown.split(":"))
            for day in days:
                version = in_force[day]
                if version is None or version.as_needed or shown not in version.times:
                    row.cells.append("")
                    continue
                moment = datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(
                    hour=hours, minute=minutes
                )
                record = by_due.get((medicine.pk, moment))
                if record is not None:
                    row.cells.append(CODES[Outcome(record.outcome)])
                else:
                    row.cells.append(UNRECORDED if day < today else "")
            rows.append(row)
    not_taken = [r for r in records if r.outcome in NOT_TAKEN]
    return Chart(person, year, month, days, rows, not_taken)


def not_taken(cooperative, since: datetime) -> QuerySet[DoseRecord]:
    """Doses refused, not available or not given for another reason since ``since``, newest
    first, for the coordinators' follow-up."""
    return (
        DoseRecord.objects.filter(cooperative=cooperative, at__gte=since, outcome__in=NOT_TAKEN)
        .select_related("person", "version", "recorded_by")
        .order_by("-at")
    )


def people_with_medicines(cooperative, people) -> QuerySet:
    """The people among ``people`` who have medicines recorded, by name."""
    return people.filter(medicines__isnull=False).distinct().order_by("full_name")


@dataclass
class Stock:
    """A tracked medicine's stock now: its entries, newest first, the balance expected (None
    before the first count, and when a dose taken since the last count cannot be turned into
    units counted), the days of doses it lasts at the scheduled rate (None for a medicine
    taken as needed) and whether it is running low."""

    tracking: StockTracking
    entries: list[StockEntry]
    expected: Decimal | None
    days_left: Decimal | None

    @property
    def low(self) -> bool:
        return self.days_left is not None and self.days_left < self.tracking.low_days

    @property
    def counted(self) -> bool:
        return any(e.kind == StockKind.COUNTED for e in self.entries)


def _units(tracking: StockTracking, version: MedicineVersion) -> Decimal | None:
    return rules.units_per_dose(
        version.dose_amount, version.dose_unit, tracking.unit, tracking.units_per_dose
    )


def stock(tracking: StockTracking, now: datetime | None = None) -> Stock:
    """The stock of a tracked medicine (``Stock``). The balance starts at the first count
    (the opening count of what is in the home): what was received before it is in it."""
    return _stocks([tracking], now or timezone.now())[0]


def _stocks(trackings: list[StockTracking], now: datetime) -> list[Stock]:
    """The stock of each of ``trackings``: their entries and the doses taken read in two
    queries for all of them, not two per medicine."""
    medicines = [tracking.medicine_id for tracking in trackings]
    entries: dict[int, list[StockEntry]] = defaultdict(list)
    for entry in (
        StockEntry.objects.filter(medicine__in=medicines, at__lte=now)
        .select_related("recorded_by", "incident")
        .order_by("-at", "-pk")
    ):
        entries[entry.medicine_id].append(entry)
    counts = {
        medicine: next((e.at for e in found if e.kind == StockKind.COUNTED), None)
        for medicine, found in entries.items()
    }
    since = min((at for at in counts.values() if at is not None), default=None)
    doses: dict[int, list[DoseRecord]] = defaultdict(list)
    if since is not None:
        for dose in DoseRecord.objects.filter(
            medicine__in=medicines,
            outcome__in=(Outcome.GIVEN, Outcome.SELF),
            at__gt=since,
            at__lte=now,
        ).select_related("version"):
            doses[dose.medicine_id].append(dose)
    return [
        _stock(tracking, entries[tracking.medicine_id], doses[tracking.medicine_id])
        for tracking in trackings
    ]


def _stock(tracking: StockTracking, entries: list[StockEntry], doses: list[DoseRecord]) -> Stock:
    """A medicine's stock from its entries (newest first) and the doses taken up to now."""
    last = next((e for e in entries if e.kind == StockKind.COUNTED), None)
    if last is None:
        return Stock(tracking, entries, None, None)
    received = [e.quantity for e in entries if e.kind == StockKind.RECEIVED and e.at > last.at]
    taken = [_units(tracking, dose.version) for dose in doses if dose.at > last.at]
    if None in taken:
        return Stock(tracking, entries, None, None)
    expected = rules.expected_balance(last.quantity, received, [t for t in taken if t is not None])
    left = None
    current = tracking.medicine.current
    if current is not None and not current.as_needed:
        per_dose = _units(tracking, current)
        if per_dose is not None:
            left = rules.days_left(expected, per_dose * len(current.times))
    return Stock(tracking, entries, expected, left)


def running_low(cooperative, people) -> list[Stock]:
    """The tracked medicines of ``people`` with fewer days of doses left than their tracking
    warns at, fewest days first, for the coordinators."""
    found = _stocks(
        list(
            StockTracking.objects.filter(
                cooperative=cooperative, medicine__person__in=people
            ).select_related("medicine__current", "medicine__person")
        ),
        timezone.now(),
    )
    return sorted((s for s in found if s.low), key=lambda s: s.days_left or 0)
