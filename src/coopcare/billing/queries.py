"""Billing's reads, shared by pages and the API, each scoped to one cooperative: payers,
agreements and the versions in force, tariffs and their prices on a day, and the hours
budgets: used, left and over per person, payer and period."""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import F, Max, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.billing import rules
from coopcare.billing.models import (
    Agreement,
    Beyond,
    BudgetPolicy,
    HoursBudget,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payer,
    PayerKind,
    Payment,
    RateKind,
    Tariff,
    TariffVersion,
    Unit,
)
from coopcare.cooperatives.models import Cooperative
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.zones import cooperative_zone, on_cooperative_clock


def payers(cooperative: Cooperative) -> QuerySet[Payer]:
    """The cooperative's payers, by name."""
    return Payer.objects.filter(cooperative=cooperative).select_related("user").order_by("name")


def tariffs(cooperative: Cooperative) -> QuerySet[Tariff]:
    """The cooperative's tariffs, each with its versions (latest first)."""
    return (
        Tariff.objects.filter(cooperative=cooperative)
        .prefetch_related(
            Prefetch("versions", queryset=TariffVersion.objects.order_by("-valid_from"))
        )
        .order_by("name")
    )


def agreements(cooperative: Cooperative, person_id: int | None = None) -> QuerySet[Agreement]:
    """Every version of the cooperative's agreements (a person's, given ``person_id``), with
    their tariffs, co-payment bands and budgets."""
    return _versions(cooperative, person_id).prefetch_related(
        "tariffs__versions", "bands", "budgets"
    )


def _versions(cooperative: Cooperative, person_id: int | None) -> QuerySet[Agreement]:
    found = Agreement.objects.filter(cooperative=cooperative).select_related(
        "person", "payer", "co_payer"
    )
    if person_id is not None:
        found = found.filter(person_id=person_id)
    return found.order_by("person__full_name", "payer__name", "-version")


def in_force(versions: list[Agreement], day: date) -> list[Agreement]:
    """The versions that apply on ``day``: of each person's agreement with each payer, the
    latest from that day or before, unless it has ended."""
    latest: dict[tuple[int, int], Agreement] = {}
    for agreement in versions:
        key = (agreement.person_id, agreement.payer_id)
        if agreement.valid_from <= day and (
            key not in latest or agreement.version > latest[key].version
        ):
            latest[key] = agreement
    return [a for a in latest.values() if a.valid_until is None or a.valid_until >= day]


def budget_policy(cooperative: Cooperative) -> str:
    """What planning beyond a budget does in ``cooperative``: a warning unless it says."""
    policy = BudgetPolicy.objects.filter(cooperative=cooperative).first()
    return policy.beyond if policy else Beyond.WARN


@dataclass(frozen=True)
class BudgetRow:
    """One hours budget in one period: whose, which payer's, and its standing in minutes."""

    budget: HoursBudget
    agreement: Agreement
    first_day: date
    last_day: date
    standing: rules.Standing

    @property
    def authorised_hours(self) -> Decimal:
        return _hours(self.standing.authorised)

    @property
    def done_hours(self) -> Decimal:
        return _hours(self.standing.done)

    @property
    def planned_hours(self) -> Decimal:
        return _hours(self.standing.planned)

    @property
    def left_hours(self) -> Decimal:
        return _hours(self.standing.left)

    @property
    def over_hours(self) -> Decimal:
        return _hours(self.standing.over)

    @property
    def over_when_planned(self) -> bool:
        """Over only with the visits still planned: an overrun that planning can still avoid."""
        return self.standing.over > 0 and self.standing.done <= self.standing.authorised


def period(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days a budgets page shows: those asked for, else this month (a missing end: the
    month's end; a missing start: the month's first day)."""
    month_first, month_last = rules.period_days(first or last or today, "month")
    first, last = first or month_first, last or month_last
    return (first, last) if first <= last else (last, first)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _periods(first: date, last: date, period: str) -> list[tuple[date, date]]:
    found, day = [], first
    while day <= last:
        start, end = rules.period_days(day, period)
        found.append((start, end))
        day = end + timedelta(days=1)
    return found


def budget_rows(
    cooperative: Cooperative,
    first: date,
    last: date,
    person_id: int | None = None,
    *,
    to_do: bool = True,
) -> list[BudgetRow]:
    """Every hours budget in force between ``first`` and ``last``, once per week or month it
    touches: the minutes authorised, done (visits with a verified record, billed minutes after
    the tariff's minimum and rounding) and still planned (planned visits, at their planned
    length, billed the same way), and so what is left or over.

    A period is counted whole, even where it runs past ``first`` or ``last``; the budget of an
    agreement version is that of the version in force on the period's first day (or on the day
    the agreement starts, within the period). With ``person_id``, that person's budgets only.
    Without ``to_do``, for a reader of the minutes done alone (the impact indicators), the
    visits still to do are not read: none are counted planned.
    """
    # Every version (the one in force is the latest), but the budgets and prices only of
    # those with a budget: most agreements have none, and prefetching is most of the time.
    versions = list(_versions(cooperative, person_id))
    budgets = HoursBudget.objects.filter(agreement__cooperative=cooperative)
    if person_id is not None:
        budgets = budgets.filter(agreement__person_id=person_id)
    with_budget = set(budgets.values_list("agreement", flat=True))
    prefetch_related_objects(
        [a for a in versions if a.pk in with_budget], "budgets", "tariffs__versions"
    )

    # The versions in force on a day, found once for each day: the periods of every budget
    # start on the same few days, and finding them scans every version.
    @cache
    def in_force_on(day: date) -> set[int]:
        return {agreement.pk for agreement in in_force(versions, day)}

    rows: list[tuple[HoursBudget, Agreement, date, date]] = []
    for agreement in versions:
        for budget in agreement.budgets.all() if agreement.pk in with_budget else ():
            for start, end in _periods(first, last, budget.period):
                day = max(start, agreement.valid_from)
                if day <= end and agreement.pk in in_force_on(day):
                    rows.append((budget, agreement, start, end))
    if not rows:
        return []
    span_first = min(row[2] for row in rows)
    span_last = max(row[3] for row in rows)
    # Only the visits a budget counts: of the people and the services with one (on a
    # cooperative's own, most of its visits are of others, or of services no budget names).
    budgeted = {(agreement.person_id, budget.service_type) for budget, agreement, _s, _e in rows}
    visits = _visit_minutes(cooperative, span_first, span_last, budgeted, to_do)

    # The prices of an agreement's service, latest first, read once for all its periods.
    @cache
    def prices_of(agreement: Agreement, service_type: str) -> list[tuple[date, rules.Terms]]:
        tariff = next((t for t in agreement.tariffs.all() if t.service_type == service_type), None)
        if tariff is None:
            return []
        return [
            (v.valid_from, rules.Terms.of(v))
            for v in sorted(tariff.versions.all(), key=lambda v: v.valid_from, reverse=True)
        ]

    found = []
    for budget, agreement, start, end in rows:
        prices = prices_of(agreement, budget.service_type)
        done = planned = 0
        theirs = visits.get((agreement.person_id, budget.service_type), [])
        # Only the period's visits: each list is by day, so the period is a slice of it.
        for day, minutes, verified in theirs[
            bisect_left(theirs, (start,)) : bisect_left(theirs, (end + timedelta(days=1),))
        ]:
            terms = next((terms for valid_from, terms in prices if valid_from <= day), None)
            if terms is not None and terms.unit == Unit.HOUR:
                minutes = rules.billable_minutes(terms, minutes)
            if verified:
                done += minutes
            else:
                planned += minutes
        authorised = int(budget.hours * 60)
        found.append(
            BudgetRow(budget, agreement, start, end, rules.Standing(authorised, done, planned))
        )
    found.sort(key=lambda r: (r.agreement.person.full_name, r.agreement.payer.name, r.first_day))
    return found


def _visit_minutes(
    cooperative: Cooperative,
    first: date,
    last: date,
    budgeted: set[tuple[int, str]] | None,
    to_do: bool = True,
) -> dict[tuple[int, str], list[tuple[date, int, bool]]]:
    """Per person and service type (of ``budgeted`` only, unless None), by day, each visit
    from ``first`` to ``last`` that counts against a budget: its local day, its minutes and
    whether they are done. A visit with a verified record counts the minutes recorded (two
    carers' records of one visit are one visit of the person's budget: the longer); a planned
    visit, not yet done, its planned length (none without ``to_do``)."""
    zone = cooperative_zone(cooperative)
    starts = datetime.combine(first, time(), zone)
    ends = datetime.combine(last + timedelta(days=1), time(), zone)
    in_span = Visit.objects.filter(
        cooperative=cooperative, starts_at__gte=starts, starts_at__lt=ends
    )
    if budgeted is not None:
        in_span = in_span.filter(
            person_id__in={person for person, _service in budgeted},
            task__service_type__in={service for _person, service in budgeted},
        )
    # Plain values, not model instances, and as few moments as can be: a year of a
    # cooperative's visits and their records is tens of thousands of rows, and turning each
    # moment into a datetime is most of the time. The database finds each visit's local day
    # and its longest verified record from the records' stored durations, so a done visit is
    # read without a moment; only the rest are read with their start and end, for their
    # planned length.
    # A record counts once it rounds to a minute or more (VisitRecord.minutes rounds half to
    # even: 30 seconds are no minute).
    counted = Q(records__verified_at__isnull=False, records__duration__gt=timedelta(seconds=30))
    local_day = TruncDate("starts_at", tzinfo=zone)
    found: dict[tuple[int, str], list[tuple[date, int, bool]]] = defaultdict(list)
    for person, service_type, day, longest in (
        in_span.filter(counted)
        .values("pk", "person_id", "task__service_type")
        .annotate(day=local_day, longest=Max("records__duration"))
        .values_list("person_id", "task__service_type", "day", "longest")
    ):
        # The minutes of its longest record, as VisitRecord.minutes reckons them: the longest
        # rounded is the longest of those rounded.
        found[(person, service_type)].append((day, round(longest.total_seconds() / 60), True))
    # The others (planned or under way, or verified with no minute recorded), at their
    # planned length, as Visit.minutes reckons it.
    others = (
        in_span.filter(
            Q(status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS])
            | Q(records__verified_at__isnull=False)
        )
        .exclude(pk__in=in_span.filter(counted).values("pk"))
        .values_list("pk", "person_id", "task__service_type", "starts_at", "ends_at")
        .distinct()
    )
    for _pk, person, service_type, starts_at, ends_at in others if to_do else ():
        day = starts_at.astimezone(zone).date()
        minutes = round((ends_at - starts_at).total_seconds() / 60)
        found[(person, service_type)].append((day, minutes, False))
    for theirs in found.values():
        theirs.sort(key=lambda visit: visit[0])
    return found


def overruns(
    cooperative: Cooperative, first: date, last: date, person_id: int | None = None
) -> list[BudgetRow]:
    """The budgets over in some period between ``first`` and ``last`` (planned visits
    included): what a coordinator is warned of before publishing a roster of those days."""
    rows = budget_rows(cooperative, first, last, person_id)
    return [row for row in rows if row.standing.over]


def budget_problems(visit: Visit) -> tuple[list[ValidationError], list[ValidationError]]:
    """Whether planning ``visit`` goes beyond its person's hours budget for the period: the
    budgets of its service that its planned and done visits (itself included) put over, as
    problems that stop a roster change (``hard``) when the cooperative's budget policy
    refuses, or that need a reason (``soft``) when it warns."""
    cooperative = visit.cooperative
    day = on_cooperative_clock(visit.starts_at, cooperative).date()
    problems = [
        ValidationError(
            _(
                "%(person)s would be planned %(over)s beyond the %(hours)s of %(service)s "
                "that %(payer)s authorises from %(first)s to %(last)s."
            )
            % {
                "person": row.agreement.person.full_name,
                "over": localise.hours(row.over_hours),
                "hours": localise.hours(row.authorised_hours),
                "service": row.budget.get_service_type_display(),
                "payer": row.agreement.payer.name,
                "first": localise.day(row.first_day),
                "last": localise.day(row.last_day),
            },
            code="over_hours_budget",
        )
        for row in overruns(cooperative, day, day, visit.person_id)
        if row.budget.service_type == visit.task.service_type
    ]
    if budget_policy(cooperative) == Beyond.REFUSE:
        return problems, []
    return [], problems


@dataclass(frozen=True)
class Balance:
    """What an issued invoice asked, what credit notes took off it, what was paid against it,
    and so what is still owed, on a day."""

    invoice: Invoice
    total: Decimal
    credited: Decimal
    paid: Decimal

    @property
    def owed(self) -> Decimal:
        return self.total - self.credited - self.paid

    def overdue(self, on: date) -> bool:
        """Still owed after its due date."""
        return self.owed > 0 and self.invoice.due_on is not None and self.invoice.due_on < on


CENT = Decimal("0.01")


def balances(
    cooperative: Cooperative,
    on: date,
    *,
    payer: Payer | None = None,
    person_id: int | None = None,
    invoice_id: int | None = None,
) -> list[Balance]:
    """The balance on day ``on`` of each invoice the cooperative had issued by then (of
    ``payer``, of the family invoices for ``person_id``, or the one ``invoice_id``), oldest
    first: credit notes issued and payments received by then count; a withdrawn payment never
    does."""
    invoices = Invoice.objects.filter(
        cooperative=cooperative,
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.ISSUED,
        issued_on__lte=on,
    )
    if payer is not None:
        invoices = invoices.filter(payer=payer)
    if person_id is not None:
        invoices = invoices.filter(person_id=person_id)
    if invoice_id is not None:
        invoices = invoices.filter(pk=invoice_id)
    invoices = invoices.select_related("payer", "person").prefetch_related(
        Prefetch(
            "credit_notes",
            queryset=Invoice.objects.filter(status=InvoiceStatus.ISSUED, issued_on__lte=on).only(
                "credits", "total"
            ),
        ),
        Prefetch(
            "payments",
            queryset=Payment.objects.filter(received_on__lte=on, withdrawal__isnull=True),
        ),
    )
    return [
        Balance(
            invoice=invoice,
            total=invoice.total,
            credited=sum((note.total for note in invoice.credit_notes.all()), Decimal(0)),
            paid=sum((payment.amount for payment in invoice.payments.all()), Decimal(0)),
        )
        for invoice in invoices.order_by("issued_on", "year", "number")
    ]


def owed_on(cooperative: Cooperative, on: date) -> Decimal:
    """What the cooperative's payers owed on day ``on``: the sum of ``balances`` on that day,
    added up by the database from the invoices' kept totals."""
    invoices = Invoice.objects.filter(
        cooperative=cooperative,
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.ISSUED,
        issued_on__lte=on,
    )
    asked = invoices.aggregate(sum=Sum("total"))["sum"] or Decimal(0)
    credited = Invoice.objects.filter(
        credits__in=invoices, status=InvoiceStatus.ISSUED, issued_on__lte=on
    ).aggregate(sum=Sum("total"))["sum"] or Decimal(0)
    paid = Payment.objects.filter(
        invoice__in=invoices, received_on__lte=on, withdrawal__isnull=True
    ).aggregate(sum=Sum("amount"))["sum"] or Decimal(0)
    # Amounts are to the cent; SQLite adds them as floating point numbers.
    return (Decimal(asked) - Decimal(credited) - Decimal(paid)).quantize(CENT)


def invoices(
    cooperative: Cooperative,
    *,
    status: str = "",
    payer_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    person_id: int | None = None,
) -> QuerySet[Invoice]:
    """The cooperative's invoices and credit notes, drafts first and then the latest numbers:
    with ``status`` only those drafted or issued, of ``payer_id``, whose period meets the
    days from ``first`` to ``last``, or with a line of ``person_id``."""
    found = Invoice.objects.filter(cooperative=cooperative)
    if status:
        found = found.filter(status=status)
    if payer_id is not None:
        found = found.filter(payer_id=payer_id)
    if first is not None:
        found = found.filter(last_day__gte=first)
    if last is not None:
        found = found.filter(first_day__lte=last)
    if person_id is not None:
        found = found.filter(
            pk__in=Invoice.objects.filter(
                Q(person_id=person_id) | Q(lines__person_id=person_id)
            ).values("pk")
        )
    return (
        found.select_related("payer", "person", "credits", "run")
        .prefetch_related(
            Prefetch("lines", InvoiceLine.objects.select_related("person", "invoice__payer")),
            "credit_notes",
        )
        .order_by(
            F("year").desc(nulls_first=True),
            F("number").desc(nulls_first=True),
            "-first_day",
            "pk",
        )
    )


def credited_line_ids(invoice: Invoice) -> set[int]:
    """The ids of the invoice's lines a credit note has already credited."""
    return set(
        InvoiceLine.objects.filter(credits__invoice=invoice).values_list("credits_id", flat=True)
    )


def line_rates(line: InvoiceLine) -> str:
    """Each stretch of a line's visit with its rate and why ("60 min weekday 22.00"), as the
    printed invoice says it."""
    parts = [f"{s['minutes']} min {RateKind(s['kind']).label} {s['rate']}" for s in line.stretches]
    if line.double_handed:
        parts.append(str(_("two carers")))
    return "; ".join(parts)


def balance_of(invoice: Invoice, on: date) -> Balance | None:
    """The balance of one issued invoice on day ``on`` (None for a draft, a credit note, or an
    invoice issued after that day)."""
    found = balances(invoice.cooperative, on, invoice_id=invoice.pk)
    return found[0] if found else None


def payments(
    cooperative: Cooperative, *, invoice: Invoice | None = None, payer: Payer | None = None
) -> QuerySet[Payment]:
    """Every payment recorded against the cooperative's invoices (of ``invoice``, or of
    ``payer``'s), withdrawn ones included, latest received first, with who recorded and who
    withdrew them."""
    found = Payment.objects.filter(cooperative=cooperative)
    if invoice is not None:
        found = found.filter(invoice=invoice)
    if payer is not None:
        found = found.filter(invoice__payer=payer)
    return found.select_related(
        "invoice", "recorded_by", "withdrawal", "withdrawal__withdrawn_by"
    ).order_by("-received_on", "-pk")


# The ageing of receivables, as accounts present it: by days past the due date.
AGE_BANDS = ("not_due", "days_1_30", "days_31_60", "days_61_90", "over_90")


def age_band(balance: Balance, on: date) -> str:
    """Which of ``AGE_BANDS`` an invoice's balance falls in on day ``on``: not yet due (or
    due that day), 1 to 30, 31 to 60, 61 to 90 or more than 90 days past its due date."""
    due = balance.invoice.due_on
    late = (on - due).days if due is not None else 0
    if late <= 0:
        return "not_due"
    if late <= 30:
        return "days_1_30"
    if late <= 60:
        return "days_31_60"
    if late <= 90:
        return "days_61_90"
    return "over_90"


@dataclass(frozen=True)
class Receivable:
    """What one payer owes the cooperative on a day: in all, past due, by age, and what the
    cooperative owes it back (an invoice paid and then credited)."""

    payer: Payer
    owed: Decimal
    overdue: Decimal
    ageing: dict[str, Decimal]
    in_credit: Decimal
    invoices_open: int


def _receivable(payer: Payer, found: list[Balance], on: date) -> Receivable:
    ageing = dict.fromkeys(AGE_BANDS, Decimal("0.00"))
    for balance in found:
        if balance.owed > 0:
            ageing[age_band(balance, on)] += balance.owed
    return Receivable(
        payer=payer,
        owed=sum((b.owed for b in found if b.owed > 0), Decimal("0.00")),
        overdue=sum((b.owed for b in found if b.overdue(on)), Decimal("0.00")),
        ageing=ageing,
        in_credit=sum((-b.owed for b in found if b.owed < 0), Decimal("0.00")),
        invoices_open=sum(1 for b in found if b.owed > 0),
    )


def receivables(cooperative: Cooperative, on: date) -> list[Receivable]:
    """Per payer with something owed either way on day ``on``, by name: what it owes, what is
    overdue, the ageing of what it owes (``AGE_BANDS``), and any credit in its favour."""
    per_payer: dict[int, list[Balance]] = defaultdict(list)
    for balance in balances(cooperative, on):
        per_payer[balance.invoice.payer_id].append(balance)
    found = [
        _receivable(found[0].invoice.payer, found, on)
        for found in per_payer.values()
        if any(b.owed for b in found)
    ]
    return sorted(found, key=lambda r: r.payer.name)


@dataclass(frozen=True)
class Account:
    """A payer's account on a day: each issued invoice's balance, oldest first, and the
    totals (``receivable`` sums what it owes, by age)."""

    payer: Payer
    balances: list[Balance]
    receivable: Receivable

    @property
    def total(self) -> Decimal:
        return sum((b.total for b in self.balances), Decimal("0.00"))

    @property
    def credited(self) -> Decimal:
        return sum((b.credited for b in self.balances), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((b.paid for b in self.balances), Decimal("0.00"))

    @property
    def owed(self) -> Decimal:
        """What the payer owes less what is owed back to it: the account's balance."""
        return self.total - self.credited - self.paid


def account(payer: Payer, on: date) -> Account:
    """``payer``'s account on day ``on``: the invoices issued to it by then and their totals."""
    found = balances(payer.cooperative, on, payer=payer)
    return Account(payer=payer, balances=found, receivable=_receivable(payer, found, on))


def family_payers(cooperative: Cooperative, user) -> QuerySet[Payer]:
    """The cooperative's family payers whose login is ``user``: the payers whose invoices that
    user sees as their own."""
    return Payer.objects.filter(cooperative=cooperative, user=user, kind=PayerKind.FAMILY)


@dataclass(frozen=True)
class Statement:
    """What a family sees of its own billing on a day: its issued invoices with their
    balances, the credit notes against them, and the payments recorded."""

    balances: list[Balance]
    credit_notes: list[Invoice]
    payments: list[Payment]

    @property
    def owed(self) -> Decimal:
        return sum((b.owed for b in self.balances), Decimal("0.00"))


def statement(cooperative: Cooperative, user, on: date) -> Statement | None:
    """The statement of the family payers ``user`` logs in for, on day ``on``; None when the
    user pays for nobody in ``cooperative``. Drafts are never part of it."""
    mine = list(family_payers(cooperative, user))
    if not mine:
        return None
    found = [b for payer in mine for b in balances(cooperative, on, payer=payer)]
    found.sort(key=lambda b: (b.invoice.issued_on, b.invoice.year, b.invoice.number))
    notes = (
        Invoice.objects.filter(
            cooperative=cooperative,
            payer__in=mine,
            kind=InvoiceKind.CREDIT_NOTE,
            status=InvoiceStatus.ISSUED,
            issued_on__lte=on,
        )
        .select_related("credits", "person")
        .prefetch_related("lines")
        .order_by("issued_on", "year", "number")
    )
    paid = Payment.objects.filter(
        cooperative=cooperative, invoice__payer__in=mine, received_on__lte=on
    ).select_related("invoice", "withdrawal")
    return Statement(
        balances=found, credit_notes=list(notes), payments=list(paid.order_by("-received_on"))
    )
