"""API: payers, tariffs and their versions, a person's agreements (every version), the hours
budgets of a period and the budget policy; invoice runs, invoices and credit notes (issued,
deleted while drafts, their PDF and FatturaPA files), the journal CSV of a period and the
cooperative's invoicing details; an invoice's payments and what each payer owes. Coordinators
change them; the board reads them. Reads of a person's agreements, of the budgets and of
invoices are logged in the care record read log."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from coopcare.billing import access, downloads, invoicing, payments, queries, services
from coopcare.billing.models import (
    Beyond,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    InvoicingDetails,
    Payer,
    PayerKind,
    PaymentMethod,
    PaymentWithdrawal,
    Period,
    Rounding,
    Tariff,
    Unit,
)
from coopcare.bounds import ClockTime, Day, Id, Money, PositiveMoney
from coopcare.care.models import ServiceType
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.visits.zones import on_cooperative_clock

router = Router(tags=["billing"])
READERS = (Role.COORDINATOR, Role.BOARD)
COORDINATOR = (Role.COORDINATOR,)
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Income = Annotated[
    Decimal, Field(ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)
]
LANGUAGE_CODES = Annotated[str, Field(pattern="^(en|fr|it|es|ar)$")]


class PayerIn(Schema):
    kind: PayerKind
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=2000)
    vat_number: str = Field(default="", max_length=30)
    fiscal_code: str = Field(default="", max_length=30)
    office_code: str = Field(default="", max_length=6, description="Codice Univoco Ufficio.")
    language: LANGUAGE_CODES = "en"
    shows_carer: bool = False
    payment_days: int = Field(default=30, ge=0, le=365)
    user_id: Id | None = Field(default=None, description="A family payer's login.")


class PayerOut(Schema):
    id: int
    kind: str
    name: str
    address: str
    vat_number: str
    fiscal_code: str
    office_code: str
    language: str
    shows_carer: bool
    payment_days: int
    user_id: int | None


class TariffPricesIn(Schema):
    valid_from: Day
    weekday_rate: Money
    sunday_rate: Money
    night_rate: Money
    holiday_rate: Money
    night_starts: ClockTime = time(22)
    night_ends: ClockTime = time(6)
    double_handed_factor: Decimal = Field(
        default=Decimal(2), ge=1, le=9, max_digits=4, decimal_places=2
    )
    minimum_minutes: int = Field(default=0, ge=0, le=24 * 60)
    rounding_minutes: int = Field(default=1, ge=1, le=60)
    rounding: Rounding = Rounding.UP
    travel_billed: bool = False
    travel_rate: Money = Decimal(0)


class TariffPricesOut(Schema):
    id: int
    valid_from: date
    weekday_rate: Decimal
    sunday_rate: Decimal
    night_rate: Decimal
    holiday_rate: Decimal
    night_starts: ClockTime
    night_ends: ClockTime
    double_handed_factor: Decimal
    minimum_minutes: int
    rounding_minutes: int
    rounding: str
    travel_billed: bool
    travel_rate: Decimal


class TariffIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    service_type: ServiceType
    unit: Unit = Unit.HOUR
    vat_rate: Percent = Decimal(0)
    vat_note: str = Field(default="", max_length=300)
    prices: TariffPricesIn


class TariffOut(Schema):
    id: int
    name: str
    service_type: str
    unit: str
    vat_rate: Decimal
    vat_note: str
    versions: list[TariffPricesOut] = Field(description="Latest first.")

    @staticmethod
    def resolve_versions(tariff) -> list:
        return list(tariff.versions.all())


class CoPaymentBandSchema(Schema):
    income_up_to: Income | None = Field(default=None, description="Empty: the open top band.")
    percent: Percent


class HoursBudgetSchema(Schema):
    service_type: ServiceType
    period: Period
    hours: Decimal = Field(ge=0, le=9999, max_digits=6, decimal_places=2)


class AgreementIn(Schema):
    payer_id: Id
    valid_from: Day
    valid_until: Day | None = None
    reference: str = Field(default="", max_length=100)
    tariff_ids: list[Id] = Field(max_length=20)
    late_cancellation_hours: int = Field(default=0, ge=0, le=24 * 14)
    late_cancellation_percent: Percent = Decimal(0)
    co_payer_id: Id | None = None
    co_payment_percent: Percent | None = None
    income: Income | None = None
    bands: list[CoPaymentBandSchema] = Field(default_factory=list, max_length=20)
    budgets: list[HoursBudgetSchema] = Field(default_factory=list, max_length=20)


class AgreementOut(Schema):
    id: int
    person_id: int
    payer_id: int
    version: int
    reference: str
    valid_from: date
    valid_until: date | None
    tariff_ids: list[int]
    late_cancellation_hours: int
    late_cancellation_percent: Decimal
    co_payer_id: int | None
    co_payment_percent: Decimal | None
    income: Decimal | None
    bands: list[CoPaymentBandSchema]
    budgets: list[HoursBudgetSchema]

    @staticmethod
    def resolve_tariff_ids(agreement) -> list[int]:
        return [t.pk for t in agreement.tariffs.all()]

    @staticmethod
    def resolve_bands(agreement) -> list:
        return list(agreement.bands.all())

    @staticmethod
    def resolve_budgets(agreement) -> list:
        return list(agreement.budgets.all())


class HoursBudgetRowOut(Schema):
    person_id: int
    payer_id: int
    agreement_id: int
    service_type: str
    period: str
    first_day: date
    last_day: date
    authorised_hours: Decimal
    done_hours: Decimal = Field(description="Verified visit records, billed minutes.")
    planned_hours: Decimal = Field(description="Planned visits not yet done.")
    left_hours: Decimal
    over_hours: Decimal


class BudgetPolicyIn(Schema):
    beyond: Beyond


class BudgetPolicyOut(Schema):
    beyond: str


def _payer_fields(cooperative, payload: PayerIn) -> dict:
    fields = payload.dict()
    user_id = fields.pop("user_id")
    fields["user"] = None if user_id is None else get_object_or_404(get_user_model(), pk=user_id)
    return fields


@router.get("/{coop}/payers", response=list[PayerOut], summary="Payers")
def list_payers(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return queries.payers(cooperative)


@router.post("/{coop}/payers", response={201: PayerOut}, summary="Add a payer")
def add_payer(request, coop: str, payload: PayerIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    return Status(201, services.add_payer(cooperative, _payer_fields(cooperative, payload)))


@router.put("/{coop}/payers/{payer_id}", response=PayerOut, summary="Change a payer's details")
def change_payer(request, coop: str, payer_id: Id, payload: PayerIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    payer = get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=payer_id)
    return services.change_payer(payer, _payer_fields(cooperative, payload))


@router.get("/{coop}/tariffs", response=list[TariffOut], summary="Tariffs, with every version")
def list_tariffs(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return queries.tariffs(cooperative)


@router.post("/{coop}/tariffs", response={201: TariffOut}, summary="Add a tariff and its prices")
def add_tariff(request, coop: str, payload: TariffIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    fields = payload.dict()
    prices = fields.pop("prices")
    return Status(201, services.add_tariff(cooperative, fields, prices, by=request.auth))


@router.post(
    "/{coop}/tariffs/{tariff_id}/versions",
    response={201: TariffPricesOut},
    summary="New prices for a tariff from a date",
)
def adopt_version(request, coop: str, tariff_id: Id, payload: TariffPricesIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    tariff = get_object_or_404(Tariff.objects.filter(cooperative=cooperative), pk=tariff_id)
    return Status(201, services.adopt_tariff_version(tariff, payload.dict(), by=request.auth))


@router.get(
    "/{coop}/people/{person_id}/agreements",
    response=list[AgreementOut],
    summary="A person's agreements with payers, every version",
)
def list_agreements(request, coop: str, person_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    person = get_object_or_404(cooperative.people_cared_for, pk=person_id)
    access.log_read(request.auth, person, via="api")
    return queries.agreements(cooperative, person.pk)


@router.post(
    "/{coop}/people/{person_id}/agreements",
    response={201: AgreementOut},
    summary="Record a new version of a payer's agreement for a person",
)
def agree(request, coop: str, person_id: Id, payload: AgreementIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    person = get_object_or_404(cooperative.people_cared_for, pk=person_id)
    data = payload.dict()
    payer = get_object_or_404(
        Payer.objects.filter(cooperative=cooperative), pk=data.pop("payer_id")
    )
    co_payer_id = data.pop("co_payer_id")
    co_payer = (
        None
        if co_payer_id is None
        else get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=co_payer_id)
    )
    tariff_ids = data.pop("tariff_ids")
    tariffs = list(Tariff.objects.filter(cooperative=cooperative, pk__in=tariff_ids))
    if len(tariffs) < len(set(tariff_ids)):
        raise Http404
    bands = [(b["income_up_to"], b["percent"]) for b in data.pop("bands")]
    budgets = [(b["service_type"], b["period"], b["hours"]) for b in data.pop("budgets")]
    agreement = services.agree(
        person,
        payer,
        data,
        tariffs=tariffs,
        co_payer=co_payer,
        bands=bands,
        budgets=budgets,
        by=request.auth,
    )
    return Status(201, agreement)


@router.get(
    "/{coop}/hours-budgets",
    response=list[HoursBudgetRowOut],
    summary="Hours budgets used, left and over, per person, payer and period",
)
def hours_budgets(request, coop: str, first_day: Day | None = None, last_day: Day | None = None):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    first, last = queries.period(first_day, last_day, timezone.localdate())
    rows = queries.budget_rows(cooperative, first, last)
    access.log_budgets(request.auth, rows, via="api")
    return [
        {
            "person_id": row.agreement.person_id,
            "payer_id": row.agreement.payer_id,
            "agreement_id": row.agreement.pk,
            "service_type": row.budget.service_type,
            "period": row.budget.period,
            "first_day": row.first_day,
            "last_day": row.last_day,
            "authorised_hours": row.authorised_hours,
            "done_hours": row.done_hours,
            "planned_hours": row.planned_hours,
            "left_hours": row.left_hours,
            "over_hours": row.over_hours,
        }
        for row in rows
    ]


@router.get("/{coop}/budget-policy", response=BudgetPolicyOut, summary="Planning beyond a budget")
def get_budget_policy(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return {"beyond": queries.budget_policy(cooperative)}


@router.put(
    "/{coop}/budget-policy", response=BudgetPolicyOut, summary="Set planning beyond a budget"
)
def set_budget_policy(request, coop: str, payload: BudgetPolicyIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    return services.set_budget_policy(cooperative, payload.beyond)


class InvoiceLineOut(Schema):
    id: int
    kind: str
    visit_id: int | None = Field(description="Empty on a line that bills no visit (a fee).")
    person_id: int | None = Field(description="Empty on a line that bills no visit (a fee).")
    person_name: str = Field(description="Empty on a line that bills no visit (a fee).")
    day: date
    service_type: str
    description: str = Field(description="A line that bills no visit: what it bills.")
    minutes: int = Field(description="Billed minutes, after the tariff's minimum and rounding.")
    carers: str = Field(description="Empty unless the payer wants the carers named.")
    double_handed: bool
    stretches: list[dict] = Field(description="Each stretch: its kind of rate, minutes, rate.")
    price: Decimal = Field(description="The visit's whole price, before the payers' shares.")
    share_percent: Decimal
    amount: Decimal
    vat_rate: Decimal
    vat_note: str
    credits_id: int | None = Field(description="On a credit note: the line it credits.")
    bill_again: bool = Field(
        description="On a credit note: a later run may bill the credited visit, or fee, again."
    )

    @staticmethod
    def resolve_person_name(line) -> str:
        return line.person.full_name if line.person is not None else ""

    @staticmethod
    def resolve_carers(line) -> str:
        shows = line.invoice.shows_carer if line.invoice.number else line.invoice.payer.shows_carer
        return line.carers if shows else ""


class VatOut(Schema):
    rate: Decimal
    amount: Decimal


class InvoiceOut(Schema):
    id: int
    kind: str
    status: str
    reference: str = Field(description="Year/number once issued; empty on a draft.")
    year: int | None
    number: int | None
    run_id: int | None
    payer_id: int
    payer_name: str = Field(description="As issued; a draft's payer as it is today.")
    person_id: int | None = Field(description="A family payer's invoice: the one person.")
    first_day: date
    last_day: date
    issued_on: date | None
    due_on: date | None
    credits_id: int | None = Field(description="On a credit note: the invoice it credits.")
    reason: str
    credit_note_ids: list[int]
    einvoice_name: str = Field(description="The FatturaPA file's name, when there is one.")
    net: Decimal
    vat: list[VatOut] = Field(description="The VAT per rate, rounded once per rate.")
    total: Decimal
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_payer_name(invoice) -> str:
        return invoice.payer_name or invoice.payer.name

    @staticmethod
    def resolve_credit_note_ids(invoice) -> list[int]:
        return [note.pk for note in invoice.credit_notes.all()]

    @staticmethod
    def resolve_net(invoice) -> Decimal:
        return invoice.totals().net

    @staticmethod
    def resolve_vat(invoice) -> list[dict]:
        return [{"rate": r, "amount": a} for r, a in invoice.totals().vat.items()]

    @staticmethod
    def resolve_total(invoice) -> Decimal:
        return invoice.totals().total

    @staticmethod
    def resolve_lines(invoice) -> list:
        return list(invoice.lines.all())


class InvoiceRunIn(Schema):
    first_day: Day
    last_day: Day
    payer_id: Id | None = Field(default=None, description="Empty: every payer.")


class InvoiceRunOut(Schema):
    id: int
    first_day: date
    last_day: date
    payer_id: int | None
    invoices: list[InvoiceOut] = Field(description="The drafts the run made.")


class RunProblemOut(Schema):
    code: str
    detail: str
    person_id: int | None
    visit_id: int | None


class RunRefusedOut(Schema):
    detail: str
    code: str = Field(description="The problems' one code, or rule_broken when they have several.")
    errors: list[str] = Field(default_factory=list)
    problems: list[RunProblemOut] = Field(
        default_factory=list,
        description="Every visit that keeps the run from billing the period, with its person.",
    )


class CreditNoteIn(Schema):
    reason: str = Field(min_length=1, max_length=300)
    line_ids: list[Id] = Field(
        default_factory=list,
        max_length=1000,
        description="The lines to credit; empty: every line not credited yet.",
    )
    bill_again: bool = Field(
        default=False,
        description="A later run bills the credited lines again: an invoice run their visits, "
        "as corrected; the next fee run a childcare fee's lines, with the terms then in force.",
    )


class InvoicingDetailsIn(Schema):
    vat_number: str = Field(min_length=1, max_length=30)
    fiscal_code: str = Field(default="", max_length=30)
    street: str = Field(min_length=1, max_length=200)
    street_number: str = Field(default="", max_length=20)
    postcode: str = Field(min_length=1, max_length=10)
    town: str = Field(min_length=1, max_length=120)
    province: str = Field(default="", max_length=2)
    iban: str = Field(default="", max_length=34)
    stamp_duty_exempt: bool = False
    receivable_account: str = Field(default="1200", min_length=1, max_length=20)
    revenue_account: str = Field(default="4000", min_length=1, max_length=20)
    vat_account: str = Field(default="2400", min_length=1, max_length=20)


class InvoicingDetailsOut(Schema):
    vat_number: str
    fiscal_code: str
    street: str
    street_number: str
    postcode: str
    town: str
    province: str
    iban: str
    stamp_duty_exempt: bool
    receivable_account: str
    revenue_account: str
    vat_account: str


def _invoice(request, coop: str, invoice_id: int, roles=READERS) -> Invoice:
    cooperative, _roles = resolve_cooperative(request.auth, coop, roles)
    return get_object_or_404(queries.invoices(cooperative), pk=invoice_id)


@router.get("/{coop}/invoices", response=list[InvoiceOut], summary="Invoices and credit notes")
def list_invoices(
    request,
    coop: str,
    status: InvoiceStatus | None = None,
    payer_id: Id | None = None,
    person_id: Id | None = None,
    first_day: Day | None = None,
    last_day: Day | None = None,
):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    found = list(
        queries.invoices(
            cooperative,
            status=status or "",
            payer_id=payer_id,
            first=first_day,
            last=last_day,
            person_id=person_id,
        )
    )
    for invoice in found:
        access.log_invoice(request.auth, invoice, via="api")
    return found


@router.get(
    "/{coop}/invoices/{invoice_id}",
    response=InvoiceOut,
    summary="An invoice or credit note, with its lines and totals",
)
def get_invoice(request, coop: str, invoice_id: Id):
    found = _invoice(request, coop, invoice_id)
    access.log_invoice(request.auth, found, via="api")
    return found


@router.post(
    "/{coop}/invoice-runs",
    response={201: InvoiceRunOut, 400: RunRefusedOut},
    summary="Draft the invoices of a period, or say every reason the period cannot be billed",
)
def run_invoices(request, coop: str, payload: InvoiceRunIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    payer = (
        None
        if payload.payer_id is None
        else get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=payload.payer_id)
    )
    try:
        run = invoicing.run_invoices(
            cooperative, payload.first_day, payload.last_day, by=request.auth, payer=payer
        )
    except ValidationError as refused:
        problems = [
            {
                "code": problem.code or "rule_broken",
                "detail": problem.messages[0],
                "person_id": (problem.params or {}).get("person"),
                "visit_id": (problem.params or {}).get("visit"),
            }
            for problem in refused.error_list
        ]
        codes = {p["code"] for p in problems}
        return Status(
            400,
            {
                "detail": " ".join(refused.messages),
                "code": codes.pop() if len(codes) == 1 else "rule_broken",
                "errors": refused.messages,
                "problems": problems,
            },
        )
    return Status(
        201,
        {
            "id": run.pk,
            "first_day": run.first_day,
            "last_day": run.last_day,
            "payer_id": run.payer_id,
            "invoices": list(queries.invoices(cooperative).filter(run=run)),
        },
    )


@router.post(
    "/{coop}/invoices/{invoice_id}/issue",
    response=InvoiceOut,
    summary="Issue a draft: its number, dates and FatturaPA file",
)
def issue_invoice(request, coop: str, invoice_id: Id):
    found = _invoice(request, coop, invoice_id, COORDINATOR)
    invoicing.issue(found, by=request.auth)
    return _invoice(request, coop, invoice_id, COORDINATOR)


@router.delete(
    "/{coop}/invoices/{invoice_id}",
    response={204: None},
    summary="Delete a draft (its visits are left to bill)",
)
def delete_invoice(request, coop: str, invoice_id: Id):
    invoicing.delete_draft(_invoice(request, coop, invoice_id, COORDINATOR))
    return Status(204, None)


@router.post(
    "/{coop}/invoices/{invoice_id}/credit-notes",
    response={201: InvoiceOut},
    summary="A credit note against an issued invoice, issued at once",
)
def credit_invoice(request, coop: str, invoice_id: Id, payload: CreditNoteIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    found = get_object_or_404(queries.invoices(cooperative), pk=invoice_id)
    # A line of another invoice is the service's to refuse; one of another cooperative is a 404.
    lines = list(
        InvoiceLine.objects.filter(invoice__cooperative=cooperative, pk__in=payload.line_ids)
    )
    if len(lines) < len(set(payload.line_ids)):
        raise Http404
    note = invoicing.credit(
        found, by=request.auth, reason=payload.reason, lines=lines, bill_again=payload.bill_again
    )
    return Status(201, get_object_or_404(queries.invoices(cooperative), pk=note.pk))


INVOICE_PDF = {
    "responses": {
        200: {
            "description": "The invoice or credit note printed, as a PDF attachment.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
FATTURAPA_XML = {
    "responses": {
        200: {
            "description": "The FatturaPA file issued with the invoice, as an attachment.",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    }
}
JOURNAL_CSV = {
    "responses": {
        200: {
            "description": "The journal of the documents issued in the period, as CSV.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/{coop}/invoices/{invoice_id}/pdf",
    response={200: None},
    summary="An invoice or credit note as a PDF, in its payer's language",
    openapi_extra=INVOICE_PDF,
)
def invoice_pdf(request, coop: str, invoice_id: Id):
    found = _invoice(request, coop, invoice_id)
    access.log_invoice(request.auth, found, via="api")
    return downloads.invoice_pdf(found)


@router.get(
    "/{coop}/invoices/{invoice_id}/fatturapa",
    response={200: None},
    summary="The FatturaPA file of an invoice to an Italian public payer (404 when none)",
    openapi_extra=FATTURAPA_XML,
)
def invoice_einvoice(request, coop: str, invoice_id: Id):
    found = _invoice(request, coop, invoice_id)
    if not found.einvoice_name:
        raise Http404
    access.log_invoice(request.auth, found, via="api")
    return downloads.einvoice(found)


@router.get(
    "/{coop}/invoice-journal",
    response={200: None},
    summary="The journal CSV of the documents issued in a period (this month unless asked)",
    openapi_extra=JOURNAL_CSV,
)
def invoice_journal(request, coop: str, first_day: Day | None = None, last_day: Day | None = None):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    first, last = queries.period(first_day, last_day, timezone.localdate())
    return downloads.journal_csv(cooperative, first, last)


@router.get(
    "/{coop}/invoicing-details",
    response=InvoicingDetailsOut,
    summary="What the cooperative's invoices say of it, and its journal's accounts",
)
def get_invoicing_details(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return get_object_or_404(InvoicingDetails, cooperative=cooperative)


@router.put(
    "/{coop}/invoicing-details",
    response=InvoicingDetailsOut,
    summary="Record what the cooperative's invoices say of it, and its journal's accounts",
)
def set_invoicing_details(request, coop: str, payload: InvoicingDetailsIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    return invoicing.set_invoicing_details(cooperative, payload.dict())


class InvoicePaymentIn(Schema):
    received_on: Day
    amount: PositiveMoney
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: str = Field(default="", max_length=140)


class PaymentWithdrawalIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class PaymentWithdrawalOut(Schema):
    reason: str
    withdrawn_by_id: int
    withdrawn_at: datetime


class InvoicePaymentOut(Schema):
    id: int
    invoice_id: int
    received_on: date
    amount: Decimal
    method: str
    reference: str
    recorded_by_id: int
    recorded_at: datetime
    withdrawal: PaymentWithdrawalOut | None = Field(
        description="Set when the payment was withdrawn: it no longer counts."
    )

    @staticmethod
    def resolve_withdrawal(payment) -> PaymentWithdrawal | None:
        return getattr(payment, "withdrawal", None)


class ReceivableOut(Schema):
    payer_id: int
    payer_name: str
    owed: Decimal = Field(description="What the payer's invoices still ask.")
    overdue: Decimal = Field(description="Of it, what is past its due date.")
    not_due: Decimal
    days_1_30: Decimal = Field(description="Owed 1 to 30 days past the due date.")
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    in_credit: Decimal = Field(description="What the cooperative owes the payer back.")
    invoices_open: int


def _payable(cooperative, invoice_id: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.filter(
            cooperative=cooperative, kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED
        ),
        pk=invoice_id,
    )


@router.get(
    "/{coop}/invoices/{invoice_id}/payments",
    response=list[InvoicePaymentOut],
    summary="An issued invoice's payments, withdrawn ones included",
)
def list_payments(request, coop: str, invoice_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    invoice = _payable(cooperative, invoice_id)
    return queries.payments(cooperative, invoice=invoice)


@router.post(
    "/{coop}/invoices/{invoice_id}/payments",
    response={201: InvoicePaymentOut},
    summary="Record a payment received against an issued invoice",
)
def record_payment(request, coop: str, invoice_id: Id, payload: InvoicePaymentIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    invoice = _payable(cooperative, invoice_id)
    return Status(201, payments.record_payment(invoice, payload.dict(), by=request.auth))


@router.post(
    "/{coop}/invoices/{invoice_id}/payments/{payment_id}/withdrawal",
    response={201: InvoicePaymentOut},
    summary="Withdraw a payment recorded by mistake, saying why",
)
def withdraw_payment(
    request, coop: str, invoice_id: Id, payment_id: Id, payload: PaymentWithdrawalIn
):
    cooperative, _roles = resolve_cooperative(request.auth, coop, COORDINATOR)
    invoice = _payable(cooperative, invoice_id)
    payment = get_object_or_404(queries.payments(cooperative, invoice=invoice), pk=payment_id)
    payments.withdraw_payment(payment, payload.reason, by=request.auth)
    return Status(201, queries.payments(cooperative, invoice=invoice).get(pk=payment.pk))


@router.get(
    "/{coop}/receivables",
    response=list[ReceivableOut],
    summary="What each payer owes on a day, overdue and by days past due",
)
def list_receivables(request, coop: str, on: Day | None = None):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    day = on or on_cooperative_clock(timezone.now(), cooperative).date()
    return [
        {
            "payer_id": row.payer.pk,
            "payer_name": row.payer.name,
            "owed": row.owed,
            "overdue": row.overdue,
            **row.ageing,
            "in_credit": row.in_credit,
            "invoices_open": row.invoices_open,
        }
        for row in queries.receivables(cooperative, day)
    ]


class InvoiceBalanceOut(Schema):
    invoice_id: int
    reference: str = Field(description="Year and number, as printed.")
    person_id: int | None = Field(description="A family's invoice: the person it is for.")
    issued_on: date
    due_on: date | None
    total: Decimal
    credited: Decimal
    paid: Decimal
    owed: Decimal
    overdue: bool


class PayerAccountOut(Schema):
    payer_id: int
    on: date
    total: Decimal
    credited: Decimal
    paid: Decimal
    owed: Decimal = Field(description="What is owed less what is owed back to the payer.")
    overdue: Decimal
    invoices: list[InvoiceBalanceOut] = Field(description="Oldest first.")


@router.get(
    "/{coop}/payers/{payer_id}/account",
    response=PayerAccountOut,
    summary="A payer's issued invoices with their balances on a day, and the totals",
)
def payer_account(request, coop: str, payer_id: Id, on: Day | None = None):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    payer = get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=payer_id)
    day = on or on_cooperative_clock(timezone.now(), cooperative).date()
    found = queries.account(payer, day)
    access.log_invoices(request.auth, [b.invoice for b in found.balances], via="api")
    return {
        "payer_id": payer.pk,
        "on": day,
        "total": found.total,
        "credited": found.credited,
        "paid": found.paid,
        "owed": found.owed,
        "overdue": found.receivable.overdue,
        "invoices": [
            {
                "invoice_id": b.invoice.pk,
                "reference": b.invoice.reference,
                "person_id": b.invoice.person_id,
                "issued_on": b.invoice.issued_on,
                "due_on": b.invoice.due_on,
                "total": b.total,
                "credited": b.credited,
                "paid": b.paid,
                "owed": b.owed,
                "overdue": b.overdue(day),
            }
            for b in found.balances
        ],
    }
