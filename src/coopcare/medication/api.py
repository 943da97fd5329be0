"""API: a person's allergies and medicines (every change a new version), the doses of a
visit and their outcomes, the month's medication chart, and a medicine's stock (tracked,
received, counted) with the medicines running low.

The same rules as on the pages decide who sees what (``medication.access``), and every read of
a person's medication is logged as a read of their care record.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id, Moment
from coopcare.care.access import log_reads, people_visible_to
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.medication import access, queries, services
from coopcare.medication.models import (
    Form,
    Medicine,
    Outcome,
    Route,
    Schedule,
    Supplier,
    Support,
)

router = Router(tags=["medication"])
READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)
VIA = "api"

TimeOfDay = Annotated[
    str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="On the cooperative's clock.")
]
Year = Annotated[int, Field(ge=1900, le=2100)]
Month = Annotated[int, Field(ge=1, le=12)]
DoseAmount = Annotated[Decimal, Field(ge=0, le=99999, max_digits=8, decimal_places=3)]
Quantity = Annotated[Decimal, Field(ge=0, le=999999, max_digits=9, decimal_places=3)]


class AllergyIn(Schema):
    substance: str = Field(min_length=1, max_length=120)
    reaction: str = Field(default="", max_length=200)


class AllergyOut(Schema):
    id: int
    substance: str
    reaction: str
    recorded_at: datetime
    ended_at: datetime | None = Field(description="Set once ended: no longer checked.")
    end_reason: str


class AllergyEndIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class MedicineIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    ingredients: str = Field(default="", max_length=300, description="Separated by commas.")
    strength: str = Field(default="", max_length=60)
    form: Form
    dose_amount: DoseAmount
    dose_unit: str = Field(default="", max_length=30, description="Required: tablets, mg, ml...")
    route: Route
    schedule: Schedule
    times: list[TimeOfDay] = Field(default=[], max_length=24, description="For fixed times.")
    max_per_day: int | None = Field(default=None, ge=1, le=100, description="As needed.")
    min_gap_minutes: int | None = Field(default=None, ge=1, le=1440, description="As needed.")
    starts_on: Day
    ends_on: Day | None = None
    prescriber: str = Field(min_length=1, max_length=120)
    support: Support
    instructions: str = Field(default="", max_length=2000)
    allergy_reason: str = Field(
        default="",
        max_length=2000,
        description="Why it is given despite a matching allergy (else it is refused).",
    )


class MedicineChangeIn(MedicineIn):
    reason: str = Field(min_length=1, max_length=2000)


class MedicineVersionOut(Schema):
    number: int
    name: str
    ingredients: str
    strength: str
    form: str
    dose_amount: Decimal
    dose_unit: str
    route: str
    schedule: str
    times: list[str]
    max_per_day: int | None
    min_gap_minutes: int | None
    starts_on: date
    ends_on: date | None
    prescriber: str
    support: str
    instructions: str
    reason: str
    allergy_reason: str
    created_by_id: int
    created_at: datetime


class MedicineOut(Schema):
    id: int
    person_id: int
    current: MedicineVersionOut
    versions: list[MedicineVersionOut] = Field(description="Newest first.")

    @staticmethod
    def resolve_versions(medicine) -> list:
        return list(medicine.versions.all())


class DoseIn(Schema):
    medicine_id: Id
    outcome: Outcome
    reason: str = Field(default="", max_length=300, description="Required unless taken.")
    due_at: Moment | None = Field(
        default=None, description="The dose's time for a fixed-time medicine; none as needed."
    )


class DoseOut(Schema):
    id: int
    medicine_id: int
    visit_id: int
    due_at: datetime | None
    at: datetime
    outcome: str
    reason: str
    recorded_by_id: int


class DueDoseOut(Schema):
    medicine_id: int
    name: str
    dose: str
    due_at: datetime
    outcome: str | None = Field(description="None while no outcome is recorded.")


class AsNeededOut(Schema):
    medicine_id: int
    name: str
    dose: str
    max_per_day: int | None
    min_gap_minutes: int | None


class VisitDosesOut(Schema):
    due: list[DueDoseOut]
    as_needed: list[AsNeededOut]
    recorded: list[DoseOut]


class MedicationChartRowOut(Schema):
    medicine_id: int
    name: str
    dose: str
    time: str = Field(description="HH:MM, or empty for a medicine taken as needed.")
    cells: list[str] = Field(description="One per day: an outcome code, ? unrecorded, a count.")


class MedicationChartOut(Schema):
    year: int
    month: int
    days: list[date]
    rows: list[MedicationChartRowOut]
    not_taken: list[DoseOut]


def _person(request, coop: str, person_id: int, allowed=READERS):
    cooperative, roles = resolve_cooperative(request.auth, coop, allowed)
    return cooperative, roles, access.visible_person(request.auth, cooperative, roles, person_id)


def _managing(roles) -> None:
    if not access.may_manage(roles):
        raise PermissionDenied


@router.get(
    "/{coop}/people/{person_id}/allergies",
    response=list[AllergyOut],
    summary="A person's allergies (logged as a read of their record)",
)
def list_allergies(request, coop: str, person_id: Id):
    _cooperative, _roles, person = _person(request, coop, person_id)
    access.log(request.auth, person, "allergies", via=VIA)
    return list(person.allergies.all())


@router.post(
    "/{coop}/people/{person_id}/allergies",
    response={201: AllergyOut},
    summary="Record an allergy of a person (coordinators)",
)
def add_allergy(request, coop: str, person_id: Id, payload: AllergyIn):
    _cooperative, roles, person = _person(request, coop, person_id)
    _managing(roles)
    return Status(201, services.add_allergy(person, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/people/{person_id}/allergies/{allergy_id}/end",
    response=AllergyOut,
    summary="End an allergy recorded in error or no longer current (coordinators); it is kept, "
    "shown as ended, and medicines are no longer checked against it",
)
def end_allergy(request, coop: str, person_id: Id, allergy_id: Id, payload: AllergyEndIn):
    _cooperative, roles, person = _person(request, coop, person_id)
    _managing(roles)
    allergy = get_object_or_404(person.allergies, pk=allergy_id)
    return services.end_allergy(allergy, reason=payload.reason, by=request.auth)


@router.get(
    "/{coop}/people/{person_id}/medicines",
    response=list[MedicineOut],
    summary="A person's medicines with every version (logged as a read of their record)",
)
def list_medicines(request, coop: str, person_id: Id):
    cooperative, _roles, person = _person(request, coop, person_id)
    access.log(request.auth, person, "medication", via=VIA)
    return list(queries.medicines(cooperative, person).prefetch_related("versions"))


@router.post(
    "/{coop}/people/{person_id}/medicines",
    response={201: MedicineOut},
    summary="Add a medicine (coordinators); refused when it matches an allergy, unless a reason "
    "is given",
)
def add_medicine(request, coop: str, person_id: Id, payload: MedicineIn):
    _cooperative, roles, person = _person(request, coop, person_id)
    _managing(roles)
    return Status(201, services.add_medicine(person, by=request.auth, **payload.dict()))


@router.get(
    "/{coop}/medicines/{medicine_id}",
    response=MedicineOut,
    summary="One medicine with every version (logged)",
)
def get_medicine(request, coop: str, medicine_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, READERS)
    medicine = access.visible_medicine(request.auth, cooperative, roles, medicine_id)
    access.log(request.auth, medicine.person, f"medicine {medicine.pk}", via=VIA)
    return medicine


@router.post(
    "/{coop}/medicines/{medicine_id}/versions",
    response={201: MedicineVersionOut},
    summary="Change a medicine: a new version with why (coordinators)",
)
def change_medicine(request, coop: str, medicine_id: Id, payload: MedicineChangeIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, READERS)
    medicine = access.visible_medicine(request.auth, cooperative, roles, medicine_id)
    _managing(roles)
    return Status(201, services.change_medicine(medicine, by=request.auth, **payload.dict()))


def _visit(request, coop: str, visit_id: int):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR, Role.CARER))
    visit = access.own_visit(request.auth, cooperative, roles, visit_id)
    access.visible_person(request.auth, cooperative, roles, visit.person_id)
    return visit


@router.get(
    "/{coop}/visits/{visit_id}/doses",
    response=VisitDosesOut,
    summary="The doses due at a visit, the medicines taken as needed, and what was recorded",
)
def visit_doses(request, coop: str, visit_id: Id):
    visit = _visit(request, coop, visit_id)
    access.log(request.auth, visit.person, f"doses of visit {visit.pk}", via=VIA)
    return {
        "due": [
            {
                "medicine_id": d.medicine.pk,
                "name": str(d.version),
                "dose": d.version.dose,
                "due_at": d.due_at,
                "outcome": d.record.outcome if d.record else None,
            }
            for d in queries.doses_due(visit)
        ],
        "as_needed": [
            {
                "medicine_id": v.medicine_id,
                "name": str(v),
                "dose": v.dose,
                "max_per_day": v.max_per_day,
                "min_gap_minutes": v.min_gap_minutes,
            }
            for v in queries.as_needed(visit)
        ],
        "recorded": list(queries.recorded_at_visit(visit)),
    }


@router.post(
    "/{coop}/visits/{visit_id}/doses",
    response={201: DoseOut},
    summary="Record a dose's outcome at a visit (the carer, between check-in and check-out)",
)
def record_dose(request, coop: str, visit_id: Id, payload: DoseIn):
    visit = _visit(request, coop, visit_id)
    medicine = get_object_or_404(Medicine, pk=payload.medicine_id, person_id=visit.person_id)
    record = services.record_dose(
        visit,
        medicine,
        by=request.auth,
        outcome=payload.outcome,
        reason=payload.reason,
        due_at=payload.due_at,
    )
    return Status(201, record)


@router.get(
    "/{coop}/people/{person_id}/medication-chart",
    response=MedicationChartOut,
    summary="A person's medication chart of a month (this month unless told; logged)",
)
def medication_chart(
    request,
    coop: str,
    person_id: Id,
    year: Year | None = None,
    month: Month | None = None,
):
    cooperative, _roles, person = _person(request, coop, person_id)
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    access.log(request.auth, person, f"medication chart {year}-{month:02}", via=VIA)
    shown = queries.chart(cooperative, person, year, month)
    return {
        "year": year,
        "month": month,
        "days": shown.days,
        "rows": [
            {
                "medicine_id": row.medicine.pk,
                "name": str(row.version),
                "dose": row.version.dose,
                "time": row.time,
                "cells": row.cells,
            }
            for row in shown.rows
        ],
        "not_taken": shown.not_taken,
    }


# -- stock --------------------------------------------------------------------------------------


class StockTrackingIn(Schema):
    unit: str = Field(min_length=1, max_length=30, description="tablets, ml, patches...")
    units_per_dose: DoseAmount | None = Field(
        default=None, description="Needed when the dose is written in another unit."
    )
    low_days: int = Field(default=7, ge=1, le=365, description="Warn below this many days.")
    tolerance: DoseAmount = Field(
        default=Decimal(0), description="A count further off raises a medication incident."
    )


class StockReceivedIn(Schema):
    quantity: Quantity
    supplier: Supplier
    at: Moment | None = Field(default=None, description="Now, if not given.")


class StockCountIn(Schema):
    quantity: Quantity
    reason: str = Field(default="", max_length=300, description="Required when it differs.")
    at: Moment | None = Field(default=None, description="Now, if not given.")


class StockEntryOut(Schema):
    id: int
    kind: str
    quantity: Decimal
    at: datetime
    supplier: str
    expected: Decimal | None = Field(description="A count's expected balance then.")
    reason: str
    incident_id: int | None
    recorded_by_id: int


class StockOut(Schema):
    medicine_id: int
    person_id: int
    unit: str
    units_per_dose: Decimal | None
    low_days: int
    tolerance: Decimal
    expected: Decimal | None = Field(description="None when a dose taken cannot be counted.")
    days_left: Decimal | None = Field(description="None for a medicine taken as needed.")
    low: bool
    entries: list[StockEntryOut] = Field(description="Newest first.")


def _stock_out(found) -> dict:
    tracking = found.tracking
    return {
        "medicine_id": tracking.medicine_id,
        "person_id": tracking.medicine.person_id,
        "unit": tracking.unit,
        "units_per_dose": tracking.units_per_dose,
        "low_days": tracking.low_days,
        "tolerance": tracking.tolerance,
        "expected": found.expected,
        "days_left": found.days_left,
        "low": found.low,
        "entries": found.entries,
    }


def _tracked(request, coop: str, medicine_id: int, allowed=READERS):
    cooperative, roles = resolve_cooperative(request.auth, coop, allowed)
    medicine = access.visible_medicine(request.auth, cooperative, roles, medicine_id)
    return roles, medicine


def _stock_of(medicine):
    tracking = getattr(medicine, "stock", None)
    if tracking is None:
        raise Http404
    return queries.stock(tracking)


@router.get(
    "/{coop}/medicines/{medicine_id}/stock",
    response=StockOut,
    summary="A medicine's stock: its entries, expected balance and days left (logged; 404 "
    "when not tracked)",
)
def get_stock(request, coop: str, medicine_id: Id):
    _roles, medicine = _tracked(request, coop, medicine_id)
    found = _stock_of(medicine)
    access.log(request.auth, medicine.person, f"stock of medicine {medicine.pk}", via=VIA)
    return _stock_out(found)


@router.put(
    "/{coop}/medicines/{medicine_id}/stock",
    response=StockOut,
    summary="Track a medicine's stock, or change how (coordinators)",
)
def track_stock(request, coop: str, medicine_id: Id, payload: StockTrackingIn):
    roles, medicine = _tracked(request, coop, medicine_id)
    _managing(roles)
    services.track_stock(medicine, by=request.auth, **payload.dict())
    return _stock_out(_stock_of(Medicine.objects.get(pk=medicine.pk)))


@router.post(
    "/{coop}/medicines/{medicine_id}/stock/received",
    response={201: StockEntryOut},
    summary="Stock received into the home (coordinators)",
)
def receive_stock(request, coop: str, medicine_id: Id, payload: StockReceivedIn):
    roles, medicine = _tracked(request, coop, medicine_id)
    _managing(roles)
    return Status(201, services.receive_stock(medicine, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/medicines/{medicine_id}/stock/counts",
    response={201: StockEntryOut},
    summary="A count of the stock in the home (coordinators; carers while they see the person); "
    "a difference beyond the tolerance raises a medication incident",
)
def count_stock(request, coop: str, medicine_id: Id, payload: StockCountIn):
    _roles, medicine = _tracked(request, coop, medicine_id, (Role.COORDINATOR, Role.CARER))
    return Status(201, services.count_stock(medicine, by=request.auth, **payload.dict()))


@router.get(
    "/{coop}/medication/running-low",
    response=list[StockOut],
    summary="Tracked medicines with fewer days of doses left than they warn at (coordinators; "
    "each person listed is a logged read)",
)
def running_low(request, coop: str):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    people = people_visible_to(request.auth, cooperative, roles)
    low = queries.running_low(cooperative, people)
    log_reads(
        request.auth,
        {s.tracking.medicine.person for s in low},
        "medicine stock running low",
        via=VIA,
    )
    return [_stock_out(s) for s in low]
