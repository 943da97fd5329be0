"""API: households that employ a carer, their contracts, each month's payslip with the
contributions due, the payslip as a PDF, and a year's summary. Coordinators only, in a
cooperative that supports household employment."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from coopcare.bounds import Day, Id, PositiveMoney
from coopcare.care.access import log_read
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.household import pdf, queries, services
from coopcare.household.models import HouseholdContract, HouseholdPayslip
from coopcare.work.queries import workers

router = Router(tags=["households"])
STAFF = (Role.COORDINATOR,)


def _cooperative(request, coop: str):
    cooperative, _roles = resolve_cooperative(
        request.auth, coop, STAFF, "runs_household_employment"
    )
    return cooperative


class EmployerIn(Schema):
    person_id: Id
    name: str = Field(min_length=1, max_length=200)
    tax_id: str = Field(min_length=1, max_length=20, description="NIF or NIE.")
    social_security_account: str = Field(
        min_length=1, max_length=20, description="Código de cuenta de cotización, 11 digits."
    )
    address: str = Field(min_length=1, max_length=300)
    large_family: bool = False


class EmployerOut(Schema):
    id: int
    person_id: int
    name: str
    tax_id: str
    social_security_account: str
    address: str
    large_family: bool


class ContractIn(Schema):
    carer_id: Id
    starts_on: Day
    ends_on: Day | None = None
    hourly_rate: PositiveMoney
    extras_prorated: bool = True


class ContractOut(Schema):
    id: int
    employer_id: int
    carer_id: int
    starts_on: date
    ends_on: date | None = Field(description="The end agreed: a fixed-term contract.")
    ended_on: date | None = Field(description="The last day, when the contract was ended.")
    hourly_rate: Decimal
    extras_prorated: bool


class EndIn(Schema):
    ends_on: Day = Field(description="The contract's last day.")


class MonthIn(Schema):
    month: Day = Field(description="Any day of the month.")


class LineOut(Schema):
    key: str
    payer: str = Field(description="employer or worker.")
    base: Decimal
    rate: Decimal = Field(description="Percent; negative for a reduction or bonus.")
    amount: Decimal


class PayslipOut(Schema):
    id: int
    contract_id: int
    month: date
    hours: Decimal
    salary: Decimal
    extras: Decimal
    gross: Decimal
    bracket: int
    base: Decimal
    employer_total: Decimal
    worker_total: Decimal
    net: Decimal
    lines: list[LineOut]


class YearOut(Schema):
    year: int
    months: int
    gross: Decimal
    worker_total: Decimal
    net: Decimal
    employer_total: Decimal


@router.get(
    "/{coop}/households", response=list[EmployerOut], summary="Households employing a carer"
)
def list_employers(request, coop: str):
    return list(queries.employers(_cooperative(request, coop)))


@router.post("/{coop}/households", response={201: EmployerOut}, summary="Record a household")
def add_employer(request, coop: str, payload: EmployerIn):
    cooperative = _cooperative(request, coop)
    person = get_object_or_404(PersonCaredFor, cooperative=cooperative, pk=payload.person_id)
    fields = payload.dict(exclude={"person_id"})
    return Status(201, services.add_employer(cooperative, person, fields))


@router.get("/{coop}/households/{employer_id}", response=EmployerOut, summary="A household")
def get_employer(request, coop: str, employer_id: Id):
    return get_object_or_404(queries.employers(_cooperative(request, coop)), pk=employer_id)


@router.get(
    "/{coop}/households/{employer_id}/contracts",
    response=list[ContractOut],
    summary="A household's contracts",
)
def list_contracts(request, coop: str, employer_id: Id):
    found = get_object_or_404(queries.employers(_cooperative(request, coop)), pk=employer_id)
    return list(queries.contracts_of(found))


@router.post(
    "/{coop}/households/{employer_id}/contracts",
    response={201: ContractOut},
    summary="A contract in the household's name",
)
def start_contract(request, coop: str, employer_id: Id, payload: ContractIn):
    cooperative = _cooperative(request, coop)
    found = get_object_or_404(queries.employers(cooperative), pk=employer_id)
    carer = get_object_or_404(workers(cooperative), pk=payload.carer_id)
    return Status(201, services.start_contract(found, carer, payload.dict(exclude={"carer_id"})))


def _contract(request, coop: str, contract_id: int) -> HouseholdContract:
    cooperative = _cooperative(request, coop)
    return get_object_or_404(
        HouseholdContract.objects.filter(cooperative=cooperative), pk=contract_id
    )


@router.post(
    "/{coop}/household-contracts/{household_contract_id}/end",
    response=ContractOut,
    summary="End a household contract on its last day",
)
def end_contract(request, coop: str, household_contract_id: Id, payload: EndIn):
    contract = _contract(request, coop, household_contract_id)
    return services.end_contract(contract, payload.ends_on)


@router.get(
    "/{coop}/household-contracts/{household_contract_id}/payslips",
    response=list[PayslipOut],
    summary="A household contract's payslips, newest month first",
)
def list_payslips(request, coop: str, household_contract_id: Id):
    contract = _contract(request, coop, household_contract_id)
    log_read(request.auth, contract.employer.person, "household", via="api")
    return list(queries.payslips_of(contract))


@router.post(
    "/{coop}/household-contracts/{household_contract_id}/payslips",
    response={201: PayslipOut},
    summary="Make (again) a month's payslip from the visit records",
)
def make_payslip(request, coop: str, household_contract_id: Id, payload: MonthIn):
    contract = _contract(request, coop, household_contract_id)
    return Status(201, services.make_payslip(contract, payload.month))


PAYSLIP_PDF = {
    "responses": {
        200: {
            "description": "The payslip printed, the household as employer, as a PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/{coop}/household-payslips/{household_payslip_id}/pdf",
    response={200: None},
    summary="A household payslip as a PDF",
    openapi_extra=PAYSLIP_PDF,
)
def payslip_pdf(request, coop: str, household_payslip_id: Id):
    cooperative = _cooperative(request, coop)
    slip = get_object_or_404(
        HouseholdPayslip.objects.filter(contract__cooperative=cooperative), pk=household_payslip_id
    )
    log_read(request.auth, slip.contract.employer.person, "household", via="api")
    response = HttpResponse(pdf.payslip(slip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="payslip-{slip.month:%Y-%m}.pdf"'
    return response


@router.get(
    "/{coop}/households/{employer_id}/summary",
    response=YearOut,
    summary="What a household paid and withheld in a year (this year unless told)",
)
def year_summary(
    request,
    coop: str,
    employer_id: Id,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
):
    found = get_object_or_404(queries.employers(_cooperative(request, coop)), pk=employer_id)
    return queries.year_summary(found, year or timezone.localdate().year)
