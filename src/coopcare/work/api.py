"""API: timesheets, pay runs and payslips of one cooperative, and a worker's own pay."""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status, UploadedFile

from coopcare.accounts.ratelimit import refuse_upload_flood
from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.work import access, queries
from coopcare.work.models import CarerPhoto, PayRun, Payslip, Timesheet, TimesheetStatus
from coopcare.work.services import pay, photos, timesheets

router = Router(tags=["work"])
STAFF = (Role.COORDINATOR,)


class PeriodIn(Schema):
    starts_on: Day
    ends_on: Day


class BuiltOut(Schema):
    built: int
    kept: int
    open_records: int
    approved: int


class PayslipOut(Schema):
    username: str
    name: str
    days: int
    visit_minutes: int
    travel_minutes: int
    waiting_minutes: int
    span_minutes: int
    contracted_hours: str
    gross_pay: str
    mileage: str
    true_hourly_pay: str
    minimum_wage: str
    below_minimum: bool


class PayRunOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    payslips: list[PayslipOut]


class ContractOut(Schema):
    kind: str
    weekly_hours: str
    hourly_rate: str | None
    starts_on: date
    ends_on: date | None


class MyWorkOut(Schema):
    contract: ContractOut | None
    skills: list[str]
    payslips: list[PayslipOut]


def _payslip_out(slip: Payslip) -> dict:
    return {
        # Empty once retention has removed who was paid.
        "username": slip.carer.username if slip.carer else "",
        "name": slip.carer.get_full_name() if slip.carer else "",
        "days": slip.days,
        "visit_minutes": slip.visit_minutes,
        "travel_minutes": slip.travel_minutes,
        "waiting_minutes": slip.waiting_minutes,
        "span_minutes": slip.span_minutes,
        "contracted_hours": str(slip.contracted_hours),
        "gross_pay": str(slip.gross_pay),
        "mileage": str(slip.mileage),
        "true_hourly_pay": str(slip.true_hourly_pay),
        "minimum_wage": str(slip.minimum_wage),
        "below_minimum": slip.below_minimum,
    }


def _run_out(run: PayRun) -> dict:
    return {
        "id": run.pk,
        "starts_on": run.starts_on,
        "ends_on": run.ends_on,
        "payslips": [_payslip_out(s) for s in run.payslips.select_related("carer")],
    }


@router.post(
    "/{coop}/timesheets",
    response=BuiltOut,
    summary="Build the period's timesheets from visit records, and approve them",
)
def build_and_approve(request, coop: str, payload: PeriodIn, approve: bool = False):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    built = timesheets.build_timesheets(cooperative, payload.starts_on, payload.ends_on)
    approved = 0
    if approve:
        drafts = Timesheet.objects.filter(
            cooperative=cooperative,
            day__range=(payload.starts_on, payload.ends_on),
            status=TimesheetStatus.DRAFT,
        )
        approved = timesheets.approve(cooperative, drafts, request.auth)
    return {
        "built": built.built,
        "kept": built.kept,
        "open_records": len(built.open_records),
        "approved": approved,
    }


@router.get("/{coop}/pay-runs", response=list[PayRunOut], summary="Pay runs, newest first")
def list_pay_runs(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    return [_run_out(run) for run in PayRun.objects.filter(cooperative=cooperative)]


@router.post("/{coop}/pay-runs", response={201: PayRunOut}, summary="Run pay for a period")
def run_pay(request, coop: str, payload: PeriodIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    run = pay.run_pay(cooperative, payload.starts_on, payload.ends_on, request.auth)
    return Status(201, _run_out(run))


@router.get("/{coop}/pay-runs/{pay_run_id}", response=PayRunOut, summary="A pay run")
def get_pay_run(request, coop: str, pay_run_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, STAFF)
    return _run_out(get_object_or_404(PayRun, cooperative=cooperative, pk=pay_run_id))


@router.get("/{coop}/work/me", response=MyWorkOut, summary="My contract, skills and pay")
def my_work(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.CARER, Role.COORDINATOR))
    today = timezone.localdate()
    contract = queries.contract_on(cooperative, request.auth, today)
    slips = Payslip.objects.filter(
        pay_run__cooperative=cooperative, carer=request.auth
    ).select_related("carer")
    return {
        "contract": contract
        and {
            "kind": contract.kind,
            "weekly_hours": str(contract.weekly_hours),
            "hourly_rate": str(contract.hourly_rate) if contract.hourly_rate else None,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
        },
        "skills": sorted(queries.skills_on(cooperative, today).get(request.auth.pk, ())),
        "payslips": [_payslip_out(s) for s in slips],
    }


# -- a carer's photo --------------------------------------------------------------------------

PHOTO_ANSWER = {
    "responses": {
        200: {
            "description": "The photo, a JPEG.",
            "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
WORKING = (Role.CARER, Role.COORDINATOR)


class PhotoOut(Schema):
    uploaded_at: datetime
    shown: bool = Field(
        description="Whether the people the carer serves and their circles see it now."
    )
    shown_since: datetime | None = Field(description="When the carer agreed it is shown.")
    withdrawn_at: datetime | None = Field(description="When the carer last withdrew that.")


class ShownIn(Schema):
    shown: bool


@router.get("/{coop}/work/me/photo", response=PhotoOut, summary="My photo and whether it is shown")
def my_photo(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, WORKING)
    photo = queries.photo_of(cooperative, request.auth)
    if photo is None:
        raise Http404
    return photo


@router.post(
    "/{coop}/work/me/photo",
    response={201: PhotoOut},
    summary="Give or replace my photo (JPEG, PNG or WebP; kept re-encoded, without metadata)",
)
def set_my_photo(request, coop: str, file: File[UploadedFile]):
    """400 ``photo_not_an_image``, ``photo_too_large`` or ``photo_too_many_pixels``; an
    agreement to show the photo holds for the new one."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, WORKING)
    refuse_upload_flood(request.auth)
    return Status(201, photos.set_photo(cooperative, request.auth, file))


@router.put(
    "/{coop}/work/me/photo/shown",
    response=PhotoOut,
    summary="Agree that the people I serve see my photo, or withdraw it",
)
def show_my_photo(request, coop: str, payload: ShownIn):
    """Withdrawing hides the photo at once. 400 ``photo_missing`` without a photo."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, WORKING)
    return photos.show_photo(cooperative, request.auth, payload.shown)


@router.delete("/{coop}/work/me/photo", response={204: None}, summary="Delete my photo")
def delete_my_photo(request, coop: str):
    """The file is deleted with the agreement. 400 ``photo_missing`` without a photo."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, WORKING)
    photos.delete_photo(cooperative, request.auth)
    return Status(204, None)


@router.get(
    "/{coop}/carers/{user_id}/photo",
    summary="A carer's photo, for those who may see it",
    openapi_extra=PHOTO_ANSWER,
)
def carer_photo(request, coop: str, user_id: Id):
    """The carer, the coordinators, and (while the carer agrees) the circles of the people
    the carer is coming to this week or came to in the last 6 weeks; 404 for anyone else."""
    cooperative, roles = resolve_cooperative(request.auth, coop)
    photo: CarerPhoto = access.visible_photo(
        request.auth, cooperative, roles, user_id, timezone.now()
    )
    return access.photo_response(photo)
