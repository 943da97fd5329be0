"""The actions on medication, each one transaction that writes everything or nothing:
allergies, medicines and their new versions, doses recorded at a visit, and the check that
holds a check-out until every dose due has its outcome; a medicine's stock tracked, received
and counted."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopcare.care.models import PersonCaredFor
from coopcare.medication import queries, rules
from coopcare.medication.models import (
    Allergy,
    DoseRecord,
    Medicine,
    MedicineVersion,
    Outcome,
    StockEntry,
    StockKind,
    StockTracking,
    Supplier,
)
from coopcare.visits import services as visit_services
from coopcare.visits.models import IncidentKind, Severity, Visit

# The fields of a medicine that a version holds, as the forms and the API give them.
VERSION_FIELDS = (
    "name",
    "ingredients",
    "strength",
    "form",
    "dose_amount",
    "dose_unit",
    "route",
    "schedule",
    "times",
    "max_per_day",
    "min_gap_minutes",
    "starts_on",
    "ends_on",
    "prescriber",
    "support",
    "instructions",
)


@transaction.atomic
def add_allergy(person: PersonCaredFor, *, substance: str, reaction: str = "", by) -> Allergy:
    """Record that the person is allergic to ``substance``."""
    substance = substance.strip()
    if not substance:
        raise ValidationError(_("Name what the person is allergic to."), code="substance_missing")
    return Allergy.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        substance=substance,
        reaction=reaction.strip(),
        recorded_by=by,
    )


@transaction.atomic
def end_allergy(allergy: Allergy, *, reason: str, by) -> Allergy:
    """End an allergy recorded in error or no longer current, with why. It stays on the
    record, shown as ended, and medicines are no longer checked against it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the allergy is ended (recorded in error, no longer current...)."),
            code="end_reason_missing",
        )
    locked = Allergy.objects.select_for_update().get(pk=allergy.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("This allergy was already ended."), code="allergy_already_ended")
    locked.ended_at = timezone.now()
    locked.ended_by = by
    locked.end_reason = reason
    locked.save(update_fields=["ended_at", "ended_by", "end_reason"])
    return locked


def _checked(person: PersonCaredFor, fields: dict, allergy_reason: str) -> dict:
    """The version's fields once the rules pass; an allergy they touch needs a reason."""
    fields = {key: fields.get(key) for key in VERSION_FIELDS}
    for key in ("ingredients", "strength", "dose_unit", "instructions", "prescriber", "name"):
        fields[key] = (fields[key] or "").strip()
    as_needed = fields["schedule"] == "as_needed"
    fields["times"] = [] if as_needed else rules.parse_times(fields["times"] or [])
    if not as_needed:
        fields["max_per_day"] = fields["min_gap_minutes"] = None
    problems = rules.medicine_problems(
        dose_amount=fields["dose_amount"],
        dose_unit=fields["dose_unit"],
        as_needed=as_needed,
        times=fields["times"],
        max_per_day=fields["max_per_day"],
        min_gap_minutes=fields["min_gap_minutes"],
        starts_on=fields["starts_on"],
        ends_on=fields["ends_on"],
    )
    if problems:
        raise ValidationError(problems)
    allergies = Allergy.objects.current().filter(person=person).values_list("substance", flat=True)
    matches = rules.allergy_matches(fields["name"], fields["ingredients"], allergies)
    if matches and not allergy_reason.strip():
        raise ValidationError(
            _(
                "%(person)s is allergic to %(allergies)s. Give it only if the prescriber "
                "confirmed it, and say why."
            )
            % {"person": person.full_name, "allergies": ", ".join(matches)},
            code="allergy_conflict",
        )
    fields["allergy_reason"] = allergy_reason.strip() if matches else ""
    return fields


@transaction.atomic
def add_medicine(person: PersonCaredFor, *, by, allergy_reason: str = "", **fields) -> Medicine:
    """A new medicine of the person, as its first version. A medicine whose name or
    ingredients match one of the person's allergies is refused unless ``allergy_reason``
    says why it is given all the same (kept on the version)."""
    checked = _checked(person, fields, allergy_reason)
    medicine = Medicine.objects.create(cooperative_id=person.cooperative_id, person=person)
    medicine.current = MedicineVersion.objects.create(
        medicine=medicine, number=1, created_by=by, reason=_("First prescribed."), **checked
    )
    medicine.save(update_fields=["current"])
    return medicine


@transaction.atomic
def change_medicine(
    medicine: Medicine, *, by, reason: str, allergy_reason: str = "", **fields
) -> MedicineVersion:
    """A new version of the medicine (a new dose, times, or its end), with why; the versions
    before it stay as they were."""
    medicine = (
        Medicine.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=medicine.pk)
    )
    if not reason.strip():
        raise ValidationError(_("Say why the medicine changes."), code="change_reason_missing")
    checked = _checked(medicine.person, fields, allergy_reason)
    number = medicine.versions.count() + 1
    version = MedicineVersion.objects.create(
        medicine=medicine, number=number, created_by=by, reason=reason.strip(), **checked
    )
    medicine.current = version
    medicine.save(update_fields=["current"])
    return version


def _under_way(visit: Visit, carer) -> None:
    record = visit.records.filter(carer=carer).first()
    if record is None or record.checked_out_at is not None:
        raise ValidationError(
            _("Doses are recorded between check-in and check-out of the visit."),
            code="visit_not_under_way",
        )


@transaction.atomic
def record_dose(
    visit: Visit,
    medicine: Medicine,
    *,
    by,
    outcome: str,
    reason: str = "",
    due_at: datetime | None = None,
    now: datetime | None = None,
) -> DoseRecord:
    """Record what happened to a dose at ``visit``: the dose due at ``due_at`` for a medicine
    taken at fixed times (once), or a dose now for one taken as needed, within its limits."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    medicine = (
        Medicine.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(pk=medicine.pk)
    )
    _under_way(visit, by)
    if medicine.person_id != visit.person_id:
        raise ValidationError(
            _("This medicine is not the visited person's."), code="medicine_of_someone_else"
        )
    version = queries.version_on(medicine, timezone.localdate(due_at or now))
    if version is None:
        raise ValidationError(
            _("This medicine is not taken on that day."), code="medicine_not_in_force"
        )
    problems = rules.outcome_problems(outcome, reason)
    if outcome not in Outcome.values:
        problems.append(ValidationError(_("Not a dose outcome."), code="unknown_outcome"))
    if version.as_needed:
        if due_at is not None:
            problems.append(
                ValidationError(
                    _("A medicine taken as needed has no time it is due."), code="dose_not_due"
                )
            )
        elif outcome in (Outcome.GIVEN, Outcome.SELF):
            taken = [d.at for d in medicine.doses.filter(outcome__in=(Outcome.GIVEN, Outcome.SELF))]
            problems += rules.as_needed_problems(
                now,
                taken,
                max_per_day=version.max_per_day or 0,
                min_gap_minutes=version.min_gap_minutes or 0,
            )
    else:
        due = {d.due_at: d for d in queries.doses_due(visit) if d.medicine.pk == medicine.pk}
        if due_at not in due:
            problems.append(
                ValidationError(
                    _("No dose of this medicine is due at this visit then."), code="dose_not_due"
                )
            )
        elif due[due_at].record is not None:
            problems.append(
                ValidationError(_("This dose is already recorded."), code="dose_already_recorded")
            )
    if problems:
        raise ValidationError(problems)
    return DoseRecord.objects.create(
        cooperative_id=visit.cooperative_id,
        person_id=visit.person_id,
        medicine=medicine,
        version=version,
        visit=visit,
        due_at=due_at,
        at=due_at or now,
        outcome=outcome,
        reason=reason.strip(),
        recorded_by=by,
    )


def doses_recorded(visit: Visit, carer, at: datetime) -> None:
    """The check-out condition (registered in ``visits.conditions``): every dose due in the
    visit has its outcome (NICE SC1, "Keeping records of medicines support")."""
    missing = [d for d in queries.doses_due(visit) if d.record is None]
    if missing:
        raise ValidationError(
            ngettext(
                "Record the %(count)s dose due (%(medicines)s) before checking out.",
                "Record the %(count)s doses due (%(medicines)s) before checking out.",
                len(missing),
            )
            % {
                "count": len(missing),
                "medicines": ", ".join(sorted({str(d.version) for d in missing})),
            },
            code="doses_unrecorded",
        )


# -- stock --------------------------------------------------------------------------------------

# How far ahead of the server's clock an entry's time may be: a phone's clock runs a little
# fast at times, as for an incident.
STOCK_CLOCK_SKEW = timedelta(minutes=5)


@transaction.atomic
def track_stock(
    medicine: Medicine,
    *,
    by,
    unit: str,
    units_per_dose: Decimal | None = None,
    low_days: int = rules.LOW_STOCK_DAYS,
    tolerance: Decimal = Decimal(0),
) -> StockTracking:
    """Turn on (or change) the stock tracking of a medicine: the unit counted, how many units
    one dose takes when the dose is written in another unit, the days left that warn, and the
    difference a count may show without an incident. Entries already kept stay as they are."""
    medicine = (
        Medicine.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(pk=medicine.pk)
    )
    problems = rules.tracking_problems(
        unit=unit,
        per_dose=units_per_dose,
        dose_unit=medicine.current.dose_unit if medicine.current else "",
        low_days=low_days,
        tolerance=tolerance,
    )
    if problems:
        raise ValidationError(problems)
    tracking, _created = StockTracking.objects.update_or_create(
        medicine=medicine,
        defaults={
            "unit": unit.strip(),
            "units_per_dose": units_per_dose,
            "low_days": low_days,
            "tolerance": tolerance,
        },
        create_defaults={
            "cooperative_id": medicine.cooperative_id,
            "unit": unit.strip(),
            "units_per_dose": units_per_dose,
            "low_days": low_days,
            "tolerance": tolerance,
            "started_by": by,
        },
    )
    return tracking


def _tracking(medicine: Medicine, at: datetime) -> StockTracking:
    """The medicine's tracking, locked, once ``at`` is checked against the clock and the last
    count (an entry before the last count would rewrite a balance already counted)."""
    tracking = (
        StockTracking.objects.select_for_update(of=("self",))
        .select_related("medicine__current", "medicine__person")
        .filter(medicine=medicine)
        .first()
    )
    if tracking is None:
        raise ValidationError(
            _("The stock of this medicine is not tracked."), code="stock_not_tracked"
        )
    if at > timezone.now() + STOCK_CLOCK_SKEW:
        raise ValidationError(
            _("Stock cannot be recorded for a time in the future."), code="stock_in_future"
        )
    last = (
        StockEntry.objects.filter(medicine=medicine, kind=StockKind.COUNTED).order_by("-at").first()
    )
    if last is not None and at < last.at:
        raise ValidationError(
            _("A later count is already kept; record this stock after it."),
            code="stock_before_last_count",
        )
    return tracking


@transaction.atomic
def receive_stock(
    medicine: Medicine,
    *,
    by,
    quantity: Decimal,
    supplier: str,
    at: datetime | None = None,
) -> StockEntry:
    """Stock of the medicine received into the home, from the pharmacy, the family or
    another, by ``by``."""
    at = at or timezone.now()
    tracking = _tracking(medicine, at)
    problems = rules.quantity_problems(quantity, counted=False)
    if supplier not in Supplier.values:
        problems.append(
            ValidationError(_("Say where the stock came from."), code="stock_supplier_unknown")
        )
    if problems:
        raise ValidationError(problems)
    return StockEntry.objects.create(
        cooperative_id=tracking.cooperative_id,
        medicine=tracking.medicine,
        kind=StockKind.RECEIVED,
        quantity=quantity,
        at=at,
        supplier=supplier,
        recorded_by=by,
    )


@transaction.atomic
def count_stock(
    medicine: Medicine,
    *,
    by,
    quantity: Decimal,
    reason: str = "",
    at: datetime | None = None,
) -> StockEntry:
    """A count of the stock in the home, kept with the balance expected then
    (``queries.stock``; none for the first, opening count). A difference needs its reason,
    and one beyond the tracking's tolerance raises a medication incident
    (``visits.services.report_incident``) in the same transaction. A count is also how a
    wrong entry is put right."""
    at = at or timezone.now()
    tracking = _tracking(medicine, at)
    expected = queries.stock(tracking, now=at).expected
    problems = rules.quantity_problems(quantity, counted=True)
    if not problems:
        problems = rules.count_problems(quantity, expected, reason)
    if problems:
        raise ValidationError(problems)
    incident = None
    if expected is not None and rules.beyond_tolerance(quantity, expected, tracking.tolerance):
        incident = visit_services.report_incident(
            None,
            by,
            person=tracking.medicine.person,
            occurred_at=at,
            kind=IncidentKind.MEDICATION,
            severity=Severity.MEDIUM,
            description=_(
                "Stock count of %(medicine)s: %(counted)s %(unit)s counted, %(expected)s "
                "expected. Why: %(reason)s"
            )
            % {
                "medicine": tracking.medicine,
                "counted": f"{quantity.normalize():f}",
                "expected": f"{expected.normalize():f}",
                "unit": tracking.unit,
                "reason": reason.strip(),
            },
        )
    return StockEntry.objects.create(
        cooperative_id=tracking.cooperative_id,
        medicine=tracking.medicine,
        kind=StockKind.COUNTED,
        quantity=quantity,
        at=at,
        expected=expected,
        reason=reason.strip(),
        incident=incident,
        recorded_by=by,
    )
