"""Medication's sections of a person's data export (``care.export``): allergies (ended ones
too), every version of every medicine with who made it and why, every dose recorded, and the
stock kept in the home where it is tracked."""

from typing import Any

from coopcare.care.export import name, plain
from coopcare.medication.models import Allergy, DoseRecord, Medicine, StockTracking


def person_medication(person) -> dict[str, Any]:
    """The person's allergies, medicines (each with all its versions) and dose records."""
    cooperative = person.cooperative
    medicines = (
        Medicine.objects.filter(person=person)
        .select_related("current")
        .prefetch_related("versions__created_by")
    )
    doses = DoseRecord.objects.filter(person=person).select_related(
        "version", "visit", "recorded_by"
    )
    tracked = (
        StockTracking.objects.filter(medicine__person=person)
        .select_related("medicine", "started_by")
        .prefetch_related("medicine__stock_entries__recorded_by")
    )
    return {
        "allergies": [
            {
                "substance": a.substance,
                "reaction": a.reaction,
                "recorded_by": name(a.recorded_by),
                "recorded_at": plain(a.recorded_at, cooperative),
                "ended_at": plain(a.ended_at, cooperative),
                "ended_by": name(a.ended_by),
                "why_ended": a.end_reason,
            }
            for a in Allergy.objects.filter(person=person).select_related("recorded_by", "ended_by")
        ],
        "medicines": [
            {
                "medicine": m.pk,
                "current_version": m.current.number if m.current else None,
                "versions": [_version(v, cooperative) for v in m.versions.all()],
            }
            for m in medicines
        ],
        "doses": [
            {
                "medicine": d.medicine_id,
                "version": d.version.number,
                "name": str(d.version),
                "visit_starts_at": plain(d.visit.starts_at, cooperative),
                "due_at": plain(d.due_at, cooperative),
                "at": plain(d.at, cooperative),
                "outcome": d.outcome,
                "reason": d.reason,
                "recorded_by": name(d.recorded_by),
                "recorded_at": plain(d.recorded_at, cooperative),
            }
            for d in doses
        ],
        "medicine_stock": [_stock(t, cooperative) for t in tracked],
    }


def _stock(tracking, cooperative) -> dict[str, Any]:
    return {
        "medicine": tracking.medicine_id,
        "unit": tracking.unit,
        "units_per_dose": plain(tracking.units_per_dose, cooperative),
        "tracked_since": plain(tracking.started_at, cooperative),
        "tracked_by": name(tracking.started_by),
        "entries": [
            {
                "kind": e.kind,
                "quantity": plain(e.quantity, cooperative),
                "at": plain(e.at, cooperative),
                "from": e.supplier,
                "expected": plain(e.expected, cooperative),
                "why_it_differs": e.reason,
                "recorded_by": name(e.recorded_by),
                "recorded_at": plain(e.recorded_at, cooperative),
            }
            for e in tracking.medicine.stock_entries.all()
        ],
    }


def _version(version, cooperative) -> dict[str, Any]:
    return {
        "version": version.number,
        "name": version.name,
        "ingredients": version.ingredients,
        "strength": version.strength,
        "form": version.form,
        "dose_amount": plain(version.dose_amount, cooperative),
        "dose_unit": version.dose_unit,
        "route": version.route,
        "schedule": version.schedule,
        "times": version.times,
        "max_per_day": version.max_per_day,
        "min_gap_minutes": version.min_gap_minutes,
        "starts_on": plain(version.starts_on, cooperative),
        "ends_on": plain(version.ends_on, cooperative),
        "prescriber": version.prescriber,
        "support": version.support,
        "instructions": version.instructions,
        "why": version.reason,
        "why_despite_allergy": version.allergy_reason,
        "by": name(version.created_by),
        "at": plain(version.created_at, cooperative),
    }
