"""API: timesheets, pay runs and payslips of one cooperative, and a worker's own pay."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.work import queries
from coopcare.work.models import PayRun, Payslip, Timesheet, TimesheetStatus
from coopcare.work.services import pay, timesheets

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
        "username": slip.carer.username,
        "name": slip.carer.get_full_name(),
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
