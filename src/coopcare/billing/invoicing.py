"""Invoicing's actions: invoice runs (a period's verified, approved visits priced by the
agreement and the tariff version in force on each visit's day, shared between payer and
co-payer, and grouped into draft invoices, one per payer, per person for a family payer),
issuing an invoice with its number, and credit notes. A run that cannot bill every visit it
should is refused with every reason and writes nothing. One transaction each.

What is billable: a visit whose every record is checked out, verified
(``VisitRecord.verified_at``: confirmed by the person, their code, a phone call or location)
and approved (the record's entry is on a timesheet a coordinator approved, ``work``). A
visit done or in progress that is not is a reason to refuse the run. A visit cancelled by
the person or their circle less than the agreement's hours before it was due is billed at the
agreement's percentage of its planned price; a visit the cooperative cancelled or moved, or a
care break cancelled, is not billed.

Travel, where the visit's tariff version bills it, is a line of its own beside the visit's:
the approved travel to the visit, from the very timesheets whose approval makes the visit
billable (a journey sits on its carer's timesheet of the visit's day), so travel never waits
for an approval its visit does not; a visit not approved refuses the run, its travel with it.

Charges that bill no visit (a childcare centre's monthly fees and their subsidies) come from
the app that reckons them as plain values (``Charge``) and are written by ``bill_charges``:
billing never reads that app.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.billing import fatturapa, queries, rules
from coopcare.billing.models import (
    Agreement,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoiceRun,
    InvoiceStatus,
    InvoicingDetails,
    LineKind,
    Payer,
    PayerKind,
    TariffVersion,
)
from coopcare.cooperatives.models import Cooperative
from coopcare.members.rules import compact, iban_format_problems
from coopcare.visits.models import Cancellation, Requester, Visit, VisitRecord, VisitStatus
from coopcare.visits.zones import cooperative_zone, on_cooperative_clock
from coopcare.work.models import TimesheetEntry, TimesheetStatus

# Only a cancellation the person or their circle asked for is theirs to pay.
CHARGEABLE_REQUESTERS = (Requester.PERSON, Requester.CIRCLE)


@dataclass(frozen=True)
class _Line:
    """A priced line before it is written: which payer pays it and how much."""

    payer: Payer
    visit: Visit
    kind: str
    day: date
    agreement: Agreement
    version: TariffVersion
    minutes: int
    carers: str
    double_handed: bool
    stretches: list
    price: Decimal
    share_percent: Decimal
    amount: Decimal


def _problem(visit: Visit, day: date, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("%(person)s, %(day)s %(time)s: %(why)s")
        % {
            "person": visit.person.full_name,
            "day": localise.day(day),
            "time": localise.clock(on_cooperative_clock(visit.starts_at, visit.cooperative)),
            "why": message,
        },
        code=code,
        params={"visit": visit.pk, "person": visit.person_id},
    )


def _approved_records(records: list[VisitRecord]) -> set[int]:
    """The ids of those records whose timesheet entry a coordinator approved."""
    return set(
        TimesheetEntry.objects.filter(
            visit_record__in=records, timesheet__status=TimesheetStatus.APPROVED
        ).values_list("visit_record_id", flat=True)
    )


def _agreement_for(
    versions: list[Agreement], visit: Visit, day: date
) -> tuple[list[Agreement], str]:
    """The agreements in force on ``day`` for the visit's person that pay for its service."""
    service = visit.task.service_type
    return [
        a
        for a in queries.in_force(versions, day)
        if a.person_id == visit.person_id
        and any(t.service_type == service for t in a.tariffs.all())
    ], service


def _co_payment(agreement: Agreement) -> Decimal | None:
    if agreement.co_payer_id is None:
        return None
    if agreement.co_payment_percent is not None:
        return agreement.co_payment_percent
    bands = [(b.income_up_to, b.percent) for b in agreement.bands.all()]
    return rules.co_payment_share(bands, agreement.income)


def _late_cancellation(visit: Visit) -> Cancellation | None:
    """The cancellation the visit's payer may be charged for, if any."""
    found = [
        c
        for c in visit.cancellations.all()
        if c.moved_to_id is None and c.care_break_id is None and c.reinstated_at is None
    ]
    if not found:
        return None
    latest = max(found, key=lambda c: c.cancelled_at)
    return latest if latest.requested_by in CHARGEABLE_REQUESTERS else None


def _already_billed(visits: list[Visit]) -> set[tuple[int, int, str]]:
    """(visit, payer, kind) of the lines already on an invoice, draft or issued, unless a
    credit note credited them to be billed again: never billed twice."""
    again = set(
        InvoiceLine.objects.filter(visit__in=visits, bill_again=True).values_list(
            "credits_id", flat=True
        )
    )
    return {
        (visit, payer, kind)
        for pk, visit, payer, kind in InvoiceLine.objects.filter(
            visit__in=visits, invoice__kind=InvoiceKind.INVOICE
        ).values_list("pk", "visit_id", "invoice__payer_id", "kind")
        if pk not in again
    }


def price_period(
    cooperative: Cooperative, first: date, last: date, payer: Payer | None = None
) -> tuple[list[_Line], list[ValidationError]]:
    """Every line a run from ``first`` to ``last`` (for ``payer``, or every payer) would bill,
    and every reason it cannot, each naming the person and the visit."""
    zone = cooperative_zone(cooperative)
    starts = datetime.combine(first, time(), zone)
    ends = datetime.combine(last + timedelta(days=1), time(), zone)
    visits = list(
        Visit.objects.filter(cooperative=cooperative, starts_at__gte=starts, starts_at__lt=ends)
        .exclude(status__in=[VisitStatus.PLANNED, VisitStatus.MISSED])
        .select_related("person", "task", "cooperative")
        .prefetch_related(
            Prefetch("records", queryset=VisitRecord.objects.select_related("carer")),
            "cancellations",
        )
        .order_by("person__full_name", "starts_at")
    )
    versions = list(queries.agreements(cooperative))
    records = [r for v in visits for r in v.records.all()]
    approved = _approved_records(records)
    travel = _travel_to(cooperative, records)
    billed = _already_billed(visits)
    days_off = holidays.country_holidays(
        cooperative.country, years=range(first.year, last.year + 1)
    )
    lines: list[_Line] = []
    problems: list[ValidationError] = []
    for visit in visits:
        day = on_cooperative_clock(visit.starts_at, cooperative).date()
        covering, service = _agreement_for(versions, visit, day)
        if payer is not None:
            covering = [a for a in covering if payer.pk in (a.payer_id, a.co_payer_id)]
            if not covering:
                continue
        cancellation = None
        if visit.status == VisitStatus.CANCELLED:
            cancellation = _late_cancellation(visit)
            if cancellation is None:
                continue
        else:
            records = list(visit.records.all())
            unready = [
                r
                for r in records
                if r.checked_out_at is None or r.verified_at is None or r.pk not in approved
            ]
            if not records or visit.status != VisitStatus.DONE or unready:
                problems.append(
                    _problem(
                        visit,
                        day,
                        _("the visit is not yet checked out, verified and its timesheet approved."),
                        "visit_not_verified",
                    )
                )
                continue
        if not covering:
            problems.append(
                _problem(
                    visit,
                    day,
                    _("no agreement in force pays for %(service)s.")
                    % {"service": visit.task.get_service_type_display()},
                    "visit_without_agreement",
                )
            )
            continue
        if len(covering) > 1:
            problems.append(
                _problem(
                    visit,
                    day,
                    _("%(payers)s all pay for this service; end all agreements but one.")
                    % {"payers": ", ".join(a.payer.name for a in covering)},
                    "visit_agreements_overlap",
                )
            )
            continue
        [agreement] = covering
        tariff = next(t for t in agreement.tariffs.all() if t.service_type == service)
        version = next(
            (
                v
                for v in sorted(tariff.versions.all(), key=lambda v: v.valid_from, reverse=True)
                if v.valid_from <= day
            ),
            None,
        )
        if version is None:
            problems.append(
                _problem(
                    visit,
                    day,
                    _("the tariff %(tariff)s has no prices on that day.") % {"tariff": tariff.name},
                    "visit_without_tariff_version",
                )
            )
            continue
        lines.extend(
            _priced(visit, day, agreement, version, cancellation, days_off, payer, billed, travel)
        )
    return lines, problems


def _travel_to(cooperative: Cooperative, records: list[VisitRecord]) -> dict[int, int]:
    """The approved minutes of travel to each of ``records`` (by record id): read from the
    whole working day of each approved timesheet that holds one of them, since the journey to
    a visit is the day's travel stretch before it (``rules.travel_to_visits``). A coordinator's
    corrected times are the times counted."""
    # The days' ids are read first, on their own: as a subquery, PostgreSQL with stale
    # statistics (a freshly loaded month) planned it as a nested loop taking minutes.
    sheets = set(
        TimesheetEntry.objects.filter(
            visit_record__in=records,
            timesheet__cooperative=cooperative,
            timesheet__status=TimesheetStatus.APPROVED,
        ).values_list("timesheet_id", flat=True)
    )
    entries = (
        TimesheetEntry.objects.filter(timesheet_id__in=sheets)
        .only("timesheet_id", "kind", "starts_at", "ends_at", "visit_record_id")
        .order_by("timesheet_id", "starts_at", "pk")
    )
    days: dict[int, list[tuple[str, int, int | None]]] = defaultdict(list)
    for entry in entries:
        days[entry.timesheet_id].append((entry.kind, entry.minutes, entry.visit_record_id))
    found: dict[int, int] = {}
    for day in days.values():
        found.update(rules.travel_to_visits(day))
    return found


@dataclass(frozen=True)
class _Charge:
    """What one line bills before it is shared between payer and co-payer."""

    kind: str
    minutes: int
    carers: str
    stretches: list
    price: Decimal


def _name(record: VisitRecord) -> str:
    return record.carer.get_full_name() or record.carer.get_username()


def _priced(
    visit, day, agreement, version, cancellation, days_off, only, billed, travel
) -> list[_Line]:
    """The visit's lines for its payer and co-payer (those not billed yet, of ``only``): the
    visit (or its late cancellation) and, when the tariff bills it, the travel to it."""
    terms = rules.Terms.of(version)
    records = list(visit.records.all())
    double_handed = visit.double_handed and len(records) > 1
    if cancellation is None:
        # Two carers' records of one double-handed visit are one line: the longer record.
        longest = max(records, key=lambda r: r.minutes or 0)
        start, end = longest.checked_in_at, longest.checked_out_at
        carers = ", ".join(sorted(_name(r) for r in records))
        kind = LineKind.VISIT
        # Travel is billed for each carer whose time the visit's price bills: both carers of
        # a double-handed visit (the tariff's factor bills the second one), else the one
        # record billed. Each carer's own journey is counted, as the factor prices the care
        # the two give together, not journeys that differ in length.
        travellers = records if double_handed else [longest]
    else:
        start, end, carers, kind = visit.starts_at, visit.ends_at, "", LineKind.LATE_CANCELLATION
        travellers = []
    travel_minutes = sum(travel.get(r.pk, 0) for r in travellers)
    priced = rules.price_visit(
        terms,
        on_cooperative_clock(start, visit.cooperative),
        on_cooperative_clock(end, visit.cooperative),
        double_handed=double_handed,
        is_holiday=lambda d: d in days_off,
        travel_minutes=travel_minutes,
    )
    price = priced.amount
    if cancellation is not None:
        notice = Decimal((visit.starts_at - cancellation.cancelled_at).total_seconds()) / 3600
        price = rules.late_cancellation_charge(
            price,
            notice,
            agreement.late_cancellation_hours,
            agreement.late_cancellation_percent,
        )
        if not price:
            return []
    stretches = [
        {"kind": s.kind, "minutes": s.minutes, "rate": str(s.rate)} for s in priced.stretches
    ]
    charges = [_Charge(kind, priced.billable_minutes, carers, stretches, price)]
    if priced.travel_amount:
        # The travel rate is the tariff version's, so a travel line has no stretches by time.
        names = ", ".join(sorted(_name(r) for r in travellers if travel.get(r.pk)))
        charges.append(_Charge(LineKind.TRAVEL, travel_minutes, names, [], priced.travel_amount))
    co_percent = _co_payment(agreement)
    lines = []
    for charge in charges:
        split = rules.split_line(charge.price, co_percent)
        shares = [(agreement.payer, split.payer, Decimal(100) - (co_percent or 0))]
        if agreement.co_payer is not None and split.co_payer:
            shares.append((agreement.co_payer, split.co_payer, co_percent or Decimal(0)))
        lines += [
            _Line(
                payer=payer,
                visit=visit,
                kind=charge.kind,
                day=day,
                agreement=agreement,
                version=version,
                minutes=charge.minutes,
                carers=charge.carers,
                double_handed=priced.double_handed,
                stretches=charge.stretches,
                price=charge.price,
                share_percent=percent,
                amount=amount,
            )
            for payer, amount, percent in shares
            if (only is None or payer.pk == only.pk)
            and (visit.pk, payer.pk, charge.kind) not in billed
        ]
    return lines


@transaction.atomic
def run_invoices(
    cooperative: Cooperative, first: date, last: date, *, by, payer: Payer | None = None
) -> InvoiceRun:
    """Draft the invoices of the period from ``first`` to ``last`` (for ``payer``, or every
    payer): one per payer, one per person for a family payer. Refused, writing nothing, with
    every reason when some visit cannot be billed yet; a visit already on an invoice of its
    payer is not billed again."""
    if last < first:
        raise ValidationError(
            _("The period ends before it starts."), code="period_ends_before_start"
        )
    if payer is not None and payer.cooperative_id != cooperative.pk:
        raise ValidationError(_("A payer of another cooperative."), code="payer_elsewhere")
    lines, problems = price_period(cooperative, first, last, payer)
    if problems:
        raise ValidationError(problems)
    if not lines:
        raise ValidationError(
            _("No visit of this period is left to bill."), code="nothing_to_invoice"
        )
    run = InvoiceRun.objects.create(
        cooperative=cooperative, first_day=first, last_day=last, payer=payer, started_by=by
    )
    grouped: dict[tuple[int, int | None], list[_Line]] = defaultdict(list)
    for line in lines:
        person = line.visit.person_id if line.payer.kind == PayerKind.FAMILY else None
        grouped[(line.payer.pk, person)].append(line)
    for (_payer_id, person_id), group in grouped.items():
        invoice = Invoice.objects.create(
            cooperative=cooperative,
            run=run,
            payer=group[0].payer,
            person_id=person_id,
            first_day=first,
            last_day=last,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                visit=line.visit,
                kind=line.kind,
                person=line.visit.person,
                day=line.day,
                service_type=line.visit.task.service_type,
                agreement=line.agreement,
                tariff_version=line.version,
                minutes=line.minutes,
                carers=line.carers,
                double_handed=line.double_handed,
                stretches=line.stretches,
                price=line.price,
                share_percent=line.share_percent,
                amount=line.amount,
                vat_rate=line.version.tariff.vat_rate,
                vat_note=line.version.tariff.vat_note,
            )
            for line in group
        )
    return run


@dataclass(frozen=True)
class Charge:
    """One thing to bill that is no visit, reckoned by the app it belongs to: who pays it, the
    day it is billed for, what it bills in words, its net amount, the VAT rate and the note
    that gives the rate's legal ground."""

    payer: Payer
    day: date
    description: str
    amount: Decimal
    vat_rate: Decimal
    vat_note: str
    service_type: str


@dataclass(frozen=True)
class Billed:
    """What ``bill_charges`` wrote: its run, the draft invoices, and each charge's line in the
    order the charges were given."""

    run: InvoiceRun
    invoices: list[Invoice]
    lines: list[InvoiceLine]


@transaction.atomic
def bill_charges(
    cooperative: Cooperative, charges: list[Charge], first: date, last: date, *, by
) -> Billed:
    """Draft invoices of ``charges`` for the period from ``first`` to ``last``: one per payer,
    a line per charge, in one run. Refused, writing nothing, when there is nothing to bill,
    when the period ends before it starts, or when a charge is of another cooperative's payer,
    of a day outside the period, without words, or of an amount below zero. The caller keeps
    the lines it is given to link its own records to them."""
    if last < first:
        raise ValidationError(
            _("The period ends before it starts."), code="period_ends_before_start"
        )
    if not charges:
        raise ValidationError(
            _("Nothing of this period is left to bill."), code="nothing_to_invoice"
        )
    problems = []
    for charge in charges:
        if charge.payer.cooperative_id != cooperative.pk:
            problems.append(
                ValidationError(_("A payer of another cooperative."), code="payer_elsewhere")
            )
        if not first <= charge.day <= last:
            problems.append(
                ValidationError(
                    _("%(what)s: its day is outside the period.") % {"what": charge.description},
                    code="charge_outside_period",
                )
            )
        if not charge.description.strip():
            problems.append(
                ValidationError(_("A charge says what it bills."), code="charge_undescribed")
            )
        if charge.amount < 0:
            problems.append(
                ValidationError(
                    _("%(what)s: an amount below zero is a credit note's, not a charge's.")
                    % {"what": charge.description},
                    code="charge_below_zero",
                )
            )
    if problems:
        raise ValidationError(problems)
    run = InvoiceRun.objects.create(
        cooperative=cooperative, first_day=first, last_day=last, started_by=by
    )
    invoices: dict[int, Invoice] = {}
    lines = []
    for charge in charges:
        invoice = invoices.get(charge.payer.pk)
        if invoice is None:
            invoice = invoices[charge.payer.pk] = Invoice.objects.create(
                cooperative=cooperative, run=run, payer=charge.payer, first_day=first, last_day=last
            )
        lines.append(
            InvoiceLine(
                invoice=invoice,
                kind=LineKind.FEE,
                day=charge.day,
                service_type=charge.service_type,
                description=charge.description.strip(),
                minutes=0,
                price=charge.amount,
                amount=charge.amount,
                vat_rate=charge.vat_rate,
                vat_note=charge.vat_note,
            )
        )
    # bulk_create sets the ids on PostgreSQL and SQLite alike, so the caller can link them.
    written = InvoiceLine.objects.bulk_create(lines)
    return Billed(run=run, invoices=list(invoices.values()), lines=written)


DraftDeleted = Callable[[Invoice], None]

_DRAFT_DELETED: list[DraftDeleted] = []


def on_draft_deleted(effect: DraftDeleted) -> DraftDeleted:
    """Register ``effect(invoice)`` to run in ``delete_draft``'s transaction before the draft
    and its lines go: the app whose charges it bills (childcare's fees) deletes its own
    records, and the lines billed with them, or refuses with a coded ``ValidationError``.
    Billing reads nothing of that app. Once per function, so ``ready`` running twice in tests
    registers nothing twice."""
    if effect not in _DRAFT_DELETED:
        _DRAFT_DELETED.append(effect)
    return effect


@transaction.atomic
def delete_draft(invoice: Invoice) -> None:
    """Delete a draft invoice and its lines: its visits may be billed again by a new run.
    An issued invoice is never deleted (a credit note corrects it). What other apps
    registered with ``on_draft_deleted`` runs first, in the same transaction."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(
            _("An issued invoice is never deleted; a credit note corrects it."),
            code="invoice_issued",
        )
    for effect in _DRAFT_DELETED:
        effect(invoice)
    invoice.lines.all().delete()
    invoice.delete()


def _number(invoice: Invoice, by, today: date | None) -> Invoice:
    """Give ``invoice`` the next number of its cooperative's year, its dates and its payer's
    details of the day, build an Italian public payer's electronic invoice (refused with the
    reasons when it would not validate), and keep it issued. The counter row is locked until
    the transaction ends, so two issues never share a number, and an issue that fails later in
    the same transaction gives its number back."""
    cooperative = invoice.cooperative
    today = today or on_cooperative_clock(timezone.now(), cooperative).date()
    InvoiceCounter.objects.get_or_create(cooperative=cooperative, year=today.year)
    counter = InvoiceCounter.objects.select_for_update().get(
        cooperative=cooperative, year=today.year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    payer = invoice.payer
    invoice.year, invoice.number = today.year, counter.last
    invoice.issued_on = today
    invoice.due_on = today + timedelta(days=payer.payment_days)
    invoice.issued_by = by
    invoice.payer_name, invoice.payer_address = payer.name, payer.address
    invoice.payer_vat_number, invoice.payer_fiscal_code = payer.vat_number, payer.fiscal_code
    invoice.payer_office_code, invoice.language = payer.office_code, payer.language
    invoice.shows_carer = payer.shows_carer
    if payer.office_code:
        built = fatturapa.build(invoice, invoice.issued_on, invoice.due_on)
        invoice.einvoice_name, invoice.einvoice_xml = built.filename, built.xml
    invoice.total = invoice.totals().total
    invoice.status = InvoiceStatus.ISSUED
    invoice.save()
    return invoice


@transaction.atomic
def issue(invoice: Invoice, *, by, today: date | None = None) -> Invoice:
    """Issue a draft invoice: its number (the next of the cooperative's year, without gaps),
    the issue date, the due date (the payer's payment days later) and the payer's details as
    they are today. From then on it is never changed.

    Source: DPR 633/1972 art. 21 (an invoice's date and a number that identifies it uniquely,
    in a continuous sequence; the supplier's and customer's details)."""
    invoice = (
        Invoice.objects.select_for_update()
        .select_related("payer", "cooperative")
        .get(pk=invoice.pk)
    )
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("This invoice is already issued."), code="invoice_issued")
    if not invoice.lines.exists():
        raise ValidationError(_("An invoice without lines is not issued."), code="invoice_empty")
    return _number(invoice, by, today)


@transaction.atomic
def credit(
    invoice: Invoice,
    *,
    by,
    reason: str,
    lines: list[InvoiceLine] | None = None,
    bill_again: bool = False,
    today: date | None = None,
) -> Invoice:
    """A credit note against an issued invoice, for the lines chosen (every line not credited
    yet, unless told), issued at once with its own number in the same sequence. With
    ``bill_again``, a later run may bill the credited visits again (the corrected invoice);
    for a line that bills no visit (a fee), the app that billed it reads ``bill_again`` on the
    credit note's line to know whether it may bill the charge again.

    Source: DPR 633/1972 art. 26 (an issued invoice is corrected by a credit note, a "nota di
    variazione", never by an edit); the FatturaPA document type TD04 numbered in the
    supplier's one sequence."""
    invoice = (
        Invoice.objects.select_for_update()
        .select_related("payer", "cooperative")
        .get(pk=invoice.pk)
    )
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        raise ValidationError(
            _("Only an issued invoice is credited."), code="invoice_not_creditable"
        )
    if not reason.strip():
        raise ValidationError(_("Say why the invoice is credited."), code="reason_missing")
    credited = set(
        InvoiceLine.objects.filter(credits__invoice=invoice).values_list("credits_id", flat=True)
    )
    own = {line.pk: line for line in invoice.lines.all()}
    chosen = [line.pk for line in lines] if lines else [pk for pk in own if pk not in credited]
    if any(pk not in own for pk in chosen):
        raise ValidationError(
            _("A line of another invoice cannot be credited on this one."), code="line_elsewhere"
        )
    if not chosen or any(pk in credited for pk in chosen):
        raise ValidationError(_("These lines are already credited."), code="line_already_credited")
    note = Invoice.objects.create(
        cooperative=invoice.cooperative,
        kind=InvoiceKind.CREDIT_NOTE,
        credits=invoice,
        reason=reason.strip(),
        payer=invoice.payer,
        person=invoice.person,
        first_day=invoice.first_day,
        last_day=invoice.last_day,
    )
    for pk in chosen:
        line = own[pk]
        InvoiceLine.objects.create(
            invoice=note,
            visit_id=line.visit_id,
            kind=line.kind,
            person_id=line.person_id,
            day=line.day,
            service_type=line.service_type,
            description=line.description,
            agreement_id=line.agreement_id,
            tariff_version_id=line.tariff_version_id,
            minutes=line.minutes,
            carers=line.carers,
            double_handed=line.double_handed,
            stretches=line.stretches,
            price=line.price,
            share_percent=line.share_percent,
            amount=line.amount,
            vat_rate=line.vat_rate,
            vat_note=line.vat_note,
            credits=line,
            bill_again=bill_again,
        )
    return _number(note, by, today)


INVOICING_FIELDS = (
    "vat_number",
    "fiscal_code",
    "street",
    "street_number",
    "postcode",
    "town",
    "province",
    "iban",
    "stamp_duty_exempt",
    "receivable_account",
    "revenue_account",
    "vat_account",
)


@transaction.atomic
def set_invoicing_details(cooperative: Cooperative, fields: dict) -> InvoicingDetails:
    """Record what the cooperative's invoices say of it (VAT number, fiscal code, address,
    IBAN) and the accounts of its journal export; the fields not given keep their value."""
    details = InvoicingDetails.objects.filter(cooperative=cooperative).first()
    details = details or InvoicingDetails(cooperative=cooperative)
    for name in INVOICING_FIELDS:
        if name in fields:
            setattr(details, name, fields[name])
    details.vat_number = rules.compact_vat_number(cooperative.country, details.vat_number)
    details.fiscal_code, details.iban = compact(details.fiscal_code), compact(details.iban)
    problems = rules.tax_number_problems(
        cooperative.country, details.vat_number, details.fiscal_code
    )
    if details.iban:
        problems += iban_format_problems(details.iban)
    if problems:
        raise ValidationError(problems)
    details.full_clean()
    details.save()
    return details
