"""The cooperative's indicators, each defined once: what it counts, its formula and its source
(shown on the definitions page), and the function that computes it for a period."""

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.models import Gender, Profile
from coopcare.billing import queries as billing_queries
from coopcare.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PayerKind,
)
from coopcare.care.models import Domain, Funding, PersonCaredFor, ServiceType
from coopcare.childcare import queries as childcare_queries
from coopcare.childcare import rules as childcare_rules
from coopcare.childcare.models import Attendance, Child, Shift
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.governance.models import Assembly, AssemblyStatus
from coopcare.governance.queries import assembly_attendance
from coopcare.household.models import HouseholdContract, HouseholdPayslip
from coopcare.members.models import Member
from coopcare.members.queries import capital_totals
from coopcare.respite import queries as respite_queries
from coopcare.respite.models import GatheringKind
from coopcare.risks.queries import goal_progress
from coopcare.shared.days import month_end
from coopcare.timecredits import queries as time_credits
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from coopcare.voice import queries as voice
from coopcare.voice.models import Outcome
from coopcare.work.models import Contract, ContractKind, Payslip, Training
from coopcare.work.queries import between_days, pay_rules_on, records_between

StrOrPromise = str | Promise

LATE_MINUTES = 15  # a visit begun later than this after its planned time counts as late
AGE_GROUPS = [(0, 17), (18, 64), (65, 79), (80, 200)]
# The money figures come from invoices and hours budgets: only the roles that see billing
# read them (as billing's own pages, `billing.views.READERS`).
BILLING_READERS = (Role.COORDINATOR, Role.BOARD)
# Payers that are organisations, named in a breakdown by payer; the others (a family, the
# person, "other") may be a person, so they are put together under their kind.
NAMED_PAYERS = (
    PayerKind.PUBLIC_BODY,
    PayerKind.HEALTH_AUTHORITY,
    PayerKind.VOUCHER,
    PayerKind.INSURER,
)


@dataclass
class Figure:
    """An indicator's value for a period, with its breakdown as (label, value) pairs.

    ``base``: how many people (or payslips, visits) a rate or median is computed over, so
    that a federation can hold back a figure that could single someone out."""

    value: Decimal | int | None
    parts: Sequence[tuple[str, Decimal | int]] = field(default_factory=list)
    base: int | None = None
    # A ratio's numerator and denominator (hours used and authorised; money owed and
    # invoiced), which a federation adds up across cooperatives before dividing.
    ratio: tuple[Decimal, Decimal] | None = None


class Unit(StrEnum):
    HOURS = "hours"
    PEOPLE = "people"
    VISITS = "visits"
    WORKERS = "workers"
    MEMBERS = "members"
    PERCENT = "percent"
    MONEY = "money"
    MONEY_PER_HOUR = "money_per_hour"
    RATIO = "ratio"
    DAYS = "days"
    CHILDREN = "children"
    HOUSEHOLDS = "households"
    PAYSLIPS = "payslips"


UNIT_LABELS = {
    Unit.HOURS: _("hours"),
    Unit.PEOPLE: _("people"),
    Unit.VISITS: _("visits"),
    Unit.WORKERS: _("workers"),
    Unit.MEMBERS: _("members"),
    Unit.DAYS: _("days"),
    Unit.CHILDREN: _("children"),
    Unit.HOUSEHOLDS: _("households"),
    Unit.PAYSLIPS: _("payslips"),
}


class Across(StrEnum):
    """How a federation puts its cooperatives' figures together."""

    SUM = "sum"  # counts and amounts add up
    MEDIAN = "median"  # rates, pay and ratios do not: the middle cooperative
    # A ratio of two amounts that add up (hours used over hours authorised, money owed over
    # money invoiced): the sums of the cooperatives' numerators and denominators, divided, so
    # that the federation's figure is that of all its cooperatives' books taken together.
    POOLED = "pooled"


@dataclass(frozen=True)
class Indicator:
    key: str
    # Words people read, in their language when read (lazy translations).
    area: StrOrPromise
    title: StrOrPromise
    unit: Unit
    formula: StrOrPromise
    source: StrOrPromise
    compute: Callable[[Cooperative, date, date], Figure]
    across: Across = Across.SUM
    # Whether the value and its parts count people (or their visits): small counts are held
    # back in the federation's figures.
    counts: bool = True
    # Whether the breakdown's labels mean the same in every cooperative (service types, age
    # groups), so that a federation adds them up; a cooperative's own payers do not.
    parts_shared: bool = True
    # From invoices or hours budgets: read only by the roles that see billing.
    billing: bool = False
    # For ``Across.POOLED``: the value from a numerator and a denominator over the period,
    # the one calculation a cooperative's figure and the federation's both use.
    pool: Callable[[Decimal, Decimal, date, date], Decimal | None] | None = None
    # The form of care it measures, as the flag of ``Cooperative`` that says the cooperative
    # runs it (``runs_childcare``); None for the figures every cooperative has.
    form: str | None = None

    def applies(self, cooperative: Cooperative) -> bool:
        """Whether ``cooperative`` has this figure: it runs the form of care it measures."""
        return self.form is None or bool(getattr(cooperative, self.form))


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    return _one_decimal(Decimal(100) * part / whole) if whole else None


def _served(cooperative: Cooperative, start: date, end: date):
    """People cared for with at least one visit done in the period."""
    done = Visit.objects.filter(
        cooperative=cooperative, status=VisitStatus.DONE, **between_days("starts_at", start, end)
    )
    return PersonCaredFor.objects.filter(pk__in=done.values("person"))


def _hours(duration: timedelta | None) -> Decimal:
    return _one_decimal((duration or timedelta()).total_seconds() / 3600)


def _months(start: date, end: date) -> list[tuple[date, date, date]]:
    """Each month the period touches: its first day, and its first and last days within the
    period."""
    found, first = [], start.replace(day=1)
    while first <= end:
        last = month_end(first)
        found.append((first, max(first, start), min(last, end)))
        first = last + timedelta(days=1)
    return found


def _care_time_by_month(cooperative, start: date, end: date) -> dict[date, timedelta]:
    """The time of care delivered in each local month of the period that has some: what the
    hours of care and their months both add up, read once for the two.

    Added up by the database from the records' stored durations, a sum for each month's
    local days: no row goes through Python, nor through the Python functions SQLite would
    call to find a row's month and subtract its moments."""

    def months() -> dict[date, timedelta]:
        each = _months(start, end)
        found = records_between(cooperative, start, end).aggregate(
            **{
                f"month{n}": Sum("duration", filter=Q(**between_days("checked_in_at", a, b)))
                for n, (_first, a, b) in enumerate(each)
            }
        )
        return {
            first: found[f"month{n}"]
            for n, (first, _a, _b) in enumerate(each)
            if found[f"month{n}"] is not None
        }

    return _once(("care_time_by_month", cooperative.pk, start, end), months)


def care_hours(cooperative, start, end) -> Figure:
    # The months' sums add up to the period's: every record falls in one month.
    months = _care_time_by_month(cooperative, start, end)
    return Figure(_hours(sum(months.values(), timedelta())))


def care_hours_by_month(cooperative, start: date, end: date) -> list[tuple[date, Decimal]]:
    """Hours of care delivered in each month of the period (local months), oldest first."""
    months = _care_time_by_month(cooperative, start, end)
    return [(first, _hours(months.get(first))) for first, _a, _b in _months(start, end)]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def people_cared_for(cooperative, start, end) -> Figure:
    births = list(_served(cooperative, start, end).values_list("date_of_birth", flat=True))
    ages: Counter[str] = Counter()
    for born in births:
        if born is None:
            ages[str(_("age not recorded"))] += 1
            continue
        age = _age(born, end)
        low, high = next(g for g in AGE_GROUPS if g[0] <= age <= g[1])
        ages[str(_("%(low)s and over") % {"low": low}) if high >= 200 else f"{low}–{high}"] += 1
    # Youngest group first; "not recorded" last.
    return Figure(len(births), sorted(ages.items(), key=lambda i: (not i[0][0].isdigit(), i[0])))


def people_by_funding(cooperative, start, end) -> Figure:
    funding = Counter(_served(cooperative, start, end).values_list("funding", flat=True))
    parts = [(str(Funding(kind).label), funding[kind]) for kind in Funding.values if funding[kind]]
    return Figure(sum(funding.values()), parts)


def people_by_need(cooperative, start, end) -> Figure:
    people = _served(cooperative, start, end)
    assessed = (
        people.filter(assessments__on__lte=end).values_list("pk", "assessments__domain").distinct()
    )
    domains = Counter(domain for _person, domain in assessed)
    return Figure(
        len({person for person, _domain in assessed}),
        [(str(Domain(d).label), domains[d]) for d in Domain.values if domains[d]],
    )


def visits(cooperative, start, end) -> Figure:
    planned = Visit.objects.filter(cooperative=cooperative, **between_days("starts_at", start, end))
    status = dict(planned.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    status = Counter(status)
    late = (
        records_between(cooperative, start, end)
        .filter(checked_in_at__gt=F("visit__starts_at") + timedelta(minutes=LATE_MINUTES))
        .count()
    )
    parts = [(str(VisitStatus(s).label), status[s]) for s in VisitStatus.values if status[s]]
    parts.append((str(_("begun more than 15 minutes late")), late))
    return Figure(status[VisitStatus.DONE], parts)


def continuity_of_care(cooperative, start, end) -> Figure:
    """Counted by the database from each carer's row of a visit: whether the person knew
    the carer (``VisitCarer.known``), the definition the roster's report counts with too."""
    live = Visit.objects.filter(cooperative=cooperative).exclude(status=VisitStatus.CANCELLED)
    in_period = live.filter(**between_days("starts_at", start, end))
    visits = in_period.filter(Exists(VisitCarer.objects.filter(visit=OuterRef("pk")))).count()
    by_new = in_period.filter(
        Exists(VisitCarer.objects.filter(visit=OuterRef("pk"), known=False))
    ).count()
    return Figure(_percent(visits - by_new, visits), base=visits)


def goals_improved(cooperative, start, end) -> Figure:
    better, compared = goal_progress(cooperative, start, end)
    return Figure(
        better,
        [(str(_("improved")), better), (str(_("not improved")), compared - better)],
        base=compared,
    )


def _contracts_on(cooperative, day):
    return Contract.objects.in_force(day).filter(cooperative=cooperative)


def workforce(cooperative, start, end) -> Figure:
    kinds = Counter(_contracts_on(cooperative, end).values_list("kind", flat=True))
    parts = [(str(ContractKind(k).label), kinds[k]) for k in ContractKind.values if kinds[k]]
    return Figure(sum(kinds.values()), parts)


def workforce_by_gender(cooperative, start, end) -> Figure:
    carers = _contracts_on(cooperative, end).values("carer")
    said = Counter(Profile.objects.filter(user__in=carers).values_list("gender", flat=True))
    workers = _contracts_on(cooperative, end).count()
    said[Gender.UNSAID] += workers - sum(said.values())  # no profile: nothing said
    parts = [(str(Gender(g).label), said[g]) for g in Gender.values if said[g]]
    return Figure(workers, parts)


def underemployment(cooperative, start, end) -> Figure:
    in_force = _contracts_on(cooperative, end)
    wished = {
        user: hours
        for user, hours in Profile.objects.filter(
            user__in=in_force.values("carer"), desired_weekly_hours__isnull=False
        ).values_list("user", "desired_weekly_hours")
        if hours is not None  # the filter's doing; the type checker cannot see it
    }
    gaps = [
        wished[carer] - (hours or 0)
        for carer, hours in in_force.filter(carer__in=wished.keys()).values_list(
            "carer", "weekly_hours"
        )
    ]
    short = [gap for gap in gaps if gap > 0]
    return Figure(
        _percent(len(short), len(gaps)),
        [
            (str(_("workers who said the hours they want")), len(gaps)),
            (str(_("wanting more hours")), len(short)),
            (
                str(_("hours a week short, on average")),
                _one_decimal(sum(short) / len(short)) if short else Decimal(0),
            ),
        ],
        base=len(gaps),
    )


def permanent_share(cooperative, start, end) -> Figure:
    kinds = Counter(_contracts_on(cooperative, end).values_list("kind", flat=True))
    workers = sum(kinds.values())
    return Figure(_percent(kinds[ContractKind.PERMANENT], workers), base=workers)


def turnover(cooperative, start, end) -> Figure:
    at_start = set(_contracts_on(cooperative, start).values_list("carer", flat=True))
    at_end = set(_contracts_on(cooperative, end).values_list("carer", flat=True))
    left = at_start - at_end
    return Figure(
        _percent(len(left), len(at_start)), [(str(_("left")), len(left))], base=len(at_start)
    )


def training_hours(cooperative, start, end) -> Figure:
    total = Training.objects.filter(cooperative=cooperative, on__range=(start, end)).aggregate(
        hours=Sum("hours")
    )["hours"]
    return Figure(_one_decimal(total or 0))


def _payslips(cooperative, start, end):
    return Payslip.objects.filter(
        pay_run__cooperative=cooperative, pay_run__ends_on__range=(start, end)
    )


def median_true_hourly_pay(cooperative, start, end) -> Figure:
    slips = list(_payslips(cooperative, start, end).values_list("true_hourly_pay", "minimum_wage"))
    if not slips:
        return Figure(None)
    below = sum(pay < minimum for pay, minimum in slips)
    median = Decimal(statistics.median(pay for pay, _minimum in slips)).quantize(Decimal("0.01"))
    return Figure(
        median,
        [
            (str(_("minimum wage")), max(minimum for _pay, minimum in slips)),
            (str(_("payslips below the minimum wage")), below),
        ],
        base=len(slips),
    )


def pay_ratio(cooperative, start, end) -> Figure:
    base = pay_rules_on(cooperative, end).base_rate
    rates = [c.hourly_rate or base for c in _contracts_on(cooperative, end)]
    if not rates or not min(rates):
        return Figure(None)
    return Figure(
        (max(rates) / min(rates)).quantize(Decimal("0.01")),
        [(str(_("highest")), max(rates)), (str(_("lowest")), min(rates))],
        base=len(rates),
    )


def members(cooperative, start, end) -> Figure:
    current = Member.objects.filter(cooperative=cooperative, admitted_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end)
    )
    classes = Counter(current.values_list("stakeholder_class__name", flat=True))
    return Figure(sum(classes.values()), sorted(classes.items()))


def assembly_participation(cooperative, start, end) -> Figure:
    held = Assembly.objects.filter(
        cooperative=cooperative,
        status=AssemblyStatus.CLOSED,
        **between_days("starts_at", start, end),
    )
    entitled = taking_part = 0
    for assembly in held:
        counts, _quorum = assembly_attendance(assembly)
        entitled += sum(c.entitled for c in counts)
        taking_part += sum(c.taking_part for c in counts)
    return Figure(
        _percent(taking_part, entitled), [(str(_("assemblies held")), held.count())], base=entitled
    )


def share_capital(cooperative, start, end) -> Figure:
    totals = capital_totals(cooperative, until=end)
    return Figure(totals["paid"], [(str(_("subscribed")), totals["capital"])])


# What more than one indicator reads (the hours budgets' periods, the care invoiced), kept
# while ``compute`` computes them all and only then: an indicator computed alone reads afresh.
_shared: ContextVar[dict | None] = ContextVar("impact_shared", default=None)


def _once(key: tuple, read: Callable[[], Any]) -> Any:
    """``read()``, or what it gave for ``key`` earlier in the same ``compute`` (or ``sharing``)."""
    kept = _shared.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return kept[key]


@contextmanager
def sharing() -> Iterator[None]:
    """What several indicators read is read once while it lasts (for a page that shows more
    than ``compute`` gives, such as the social report's hours by month); within one already
    open, it changes nothing."""
    if _shared.get() is not None:
        yield
        return
    shared = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(shared)


def _cents(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _care_invoiced(cooperative, start, end) -> list[tuple[str, str, str, Decimal]]:
    """The lines of issued invoices and credit notes for care given from ``start`` to ``end``
    (by the local day of each line's visit), added up by the database per payer, service and
    kind of document: (payer's kind, payer's name, service, net amount), a credit note's
    amount taken off."""

    def lines():
        return [
            # Amounts are to the cent; SQLite adds them as floating point numbers.
            (kind, name, service, _cents(-net if document == InvoiceKind.CREDIT_NOTE else net))
            for kind, name, service, document, net in (
                InvoiceLine.objects.filter(
                    invoice__cooperative=cooperative,
                    invoice__status=InvoiceStatus.ISSUED,
                    day__range=(start, end),
                )
                .order_by()
                .values(
                    "invoice__payer__kind",
                    "invoice__payer__name",
                    "service_type",
                    "invoice__kind",
                )
                .annotate(net=Sum("amount"))
                .values_list(
                    "invoice__payer__kind",
                    "invoice__payer__name",
                    "service_type",
                    "invoice__kind",
                    "net",
                )
            )
        ]

    return _once(("care_invoiced", cooperative.pk, start, end), lines)


def revenue_by_service(cooperative, start, end) -> Figure:
    net: defaultdict[str, Decimal] = defaultdict(Decimal)
    for _kind, _name, service, amount in _care_invoiced(cooperative, start, end):
        net[service] += amount
    parts = [(str(ServiceType(s).label), _cents(net[s])) for s in ServiceType.values if net[s]]
    return Figure(_cents(sum(net.values(), Decimal(0))), parts)


def revenue_by_payer(cooperative, start, end) -> Figure:
    """Organisations by name; families, the people themselves and other payers each put
    together, never named (a family payer is named after a person)."""
    named: defaultdict[str, Decimal] = defaultdict(Decimal)
    together: defaultdict[str, Decimal] = defaultdict(Decimal)
    for kind, name, _service, amount in _care_invoiced(cooperative, start, end):
        if kind in NAMED_PAYERS:
            named[name] += amount
        else:
            together[kind] += amount
    labels = {
        PayerKind.FAMILY: _("families and people paying for their own care"),
        PayerKind.OTHER: _("other payers"),
    }
    parts = [(name, _cents(named[name])) for name in sorted(named) if named[name]]
    parts += [(str(labels[k]), _cents(together[k])) for k in labels if together[k]]
    total = sum(named.values(), Decimal(0)) + sum(together.values(), Decimal(0))
    return Figure(_cents(total), parts)


def _budget_periods(cooperative, start, end) -> list[billing_queries.BudgetRow]:
    """Each week or month of an hours budget that ended in the period, so that a budget
    period counts once, in the reporting period it ends in, and only once it is over."""
    rows = _once(
        ("budget_rows", cooperative.pk, start, end),
        # The indicators count the minutes done, never those still planned.
        lambda: billing_queries.budget_rows(cooperative, start, end, to_do=False),
    )
    return [row for row in rows if row.last_day <= end]


def share_used(done, authorised, start: date, end: date) -> Decimal | None:
    """Hours done as a percentage of the hours authorised."""
    return _percent(done, authorised)


def budget_use(cooperative, start, end) -> Figure:
    rows = _budget_periods(cooperative, start, end)
    if not rows:
        return Figure(None, base=0)
    # Hours done only, not those still planned: a visit of a period that is over and still
    # planned never took place.
    done = sum(row.standing.done for row in rows)
    authorised = sum(row.standing.authorised for row in rows)
    people = {row.agreement.person_id for row in rows}
    return Figure(
        share_used(done, authorised, start, end),
        [
            (str(_("hours authorised")), _one_decimal(Decimal(authorised) / 60)),
            (str(_("hours done")), _one_decimal(Decimal(done) / 60)),
        ],
        base=len(people),
        ratio=(Decimal(done), Decimal(authorised)),
    )


def people_over_budget(cooperative, start, end) -> Figure:
    rows = _budget_periods(cooperative, start, end)
    over = {row.agreement.person_id for row in rows if row.standing.done > row.standing.authorised}
    people = {row.agreement.person_id for row in rows}
    if not people:
        return Figure(0)
    return Figure(len(over), [(str(_("people with an hours budget")), len(people))])


def days_outstanding(owed, invoiced, start: date, end: date) -> Decimal | None:
    """Receivables at the period's end ÷ the period's invoiced revenue × its days."""
    if invoiced <= 0:
        return None
    return _one_decimal(Decimal(owed) * ((end - start).days + 1) / Decimal(invoiced))


def _invoiced(cooperative, start, end) -> Decimal:
    """What the invoices issued from ``start`` to ``end`` asked (VAT included), less the
    credit notes issued in those days."""
    totals = Invoice.objects.filter(
        cooperative=cooperative, status=InvoiceStatus.ISSUED, issued_on__range=(start, end)
    ).aggregate(
        asked=Sum("total", filter=Q(kind=InvoiceKind.INVOICE)),
        credited=Sum("total", filter=Q(kind=InvoiceKind.CREDIT_NOTE)),
    )
    # Amounts are to the cent; SQLite adds them as floating point numbers.
    return _cents(Decimal(totals["asked"] or 0) - Decimal(totals["credited"] or 0))


def dso(cooperative, start, end) -> Figure:
    owed = billing_queries.owed_on(cooperative, end)
    invoiced = _invoiced(cooperative, start, end)
    if not owed and not invoiced:
        return Figure(None)
    return Figure(
        days_outstanding(owed, invoiced, start, end),
        [
            (str(_("owed on the last day")), _cents(owed)),
            (str(_("invoiced in the period")), _cents(invoiced)),
        ],
        ratio=(owed, invoiced),
    )


CARE, WORK, COOPERATIVE = _("Care"), _("Decent work"), _("The cooperative")
MONEY = _("Money in")
# Each form of care beside home care has its own area, under the name of its pages.
CHILDCARE = _("Childcare")
RESPITE = _("Family caregivers")
HOUSEHOLD = _("Households employing a carer")
# Time credits: informal help between members, kept apart from the care the cooperative's
# carers are paid for (never in the hours of care, timesheets or pay).
INFORMAL = _("Informal care")
# The order of the areas on every page, in the report and in the federation's table.
AREAS: list[StrOrPromise] = [
    CARE,
    CHILDCARE,
    RESPITE,
    HOUSEHOLD,
    INFORMAL,
    WORK,
    COOPERATIVE,
    MONEY,
]

INDICATORS = [
    Indicator(
        "care_hours",
        CARE,
        _("Hours of care delivered"),
        Unit.HOURS,
        _("Sum of (check-out − check-in) over the visit records checked in during the period."),
        _("Visit records (carers' check-in and check-out)."),
        care_hours,
        counts=False,
    ),
    Indicator(
        "people_cared_for",
        CARE,
        _("People cared for"),
        Unit.PEOPLE,
        _("People with at least one visit done in the period, by age at the end of the period."),
        _("Visits and the register of people cared for."),
        people_cared_for,
    ),
    Indicator(
        "people_by_funding",
        CARE,
        _("People cared for, by funding"),
        Unit.PEOPLE,
        _("People with at least one visit done in the period, by who pays for their care."),
        _("Visits and the register of people cared for."),
        people_by_funding,
    ),
    Indicator(
        "people_by_need",
        CARE,
        _("People cared for, by need domain"),
        Unit.PEOPLE,
        _(
            "Of the people cared for in the period, those with a needs assessment in each "
            "domain up to its end (a person may count in several domains)."
        ),
        _("Needs assessments."),
        people_by_need,
    ),
    Indicator(
        "visits",
        CARE,
        _("Visits completed"),
        Unit.VISITS,
        _(
            "Visits planned in the period by status; late: the carer checked in more than "
            "15 minutes after the planned time."
        ),
        _("Visits and visit records."),
        visits,
    ),
    Indicator(
        "continuity",
        CARE,
        _("Continuity of care"),
        Unit.PERCENT,
        _(
            "Visits by carers who had visited the person in the eight weeks before ÷ visits "
            "with a carer."
        ),
        _("Visits and their carers (published rosters)."),
        continuity_of_care,
        across=Across.MEDIAN,
    ),
    Indicator(
        "goals_improved",
        CARE,
        _("People whose goal ratings improved between reviews"),
        Unit.PEOPLE,
        _(
            "People with a goal rated at a review held in the period and at an earlier one, "
            "whose rating of such a goal rose from the review before (Goal Attainment Scaling, "
            "-2 to +2)."
        ),
        _("Reviews of care and the person's own goals (Kiresuk and Sherman, 1968)."),
        goals_improved,
    ),
    Indicator(
        "workforce",
        WORK,
        _("Workers under contract"),
        Unit.WORKERS,
        _("Contracts in force on the last day of the period, by kind."),
        _("Contracts."),
        workforce,
    ),
    Indicator(
        "workforce_by_gender",
        WORK,
        _("Workers by gender"),
        Unit.WORKERS,
        _(
            "Workers under contract on the last day of the period, by the gender they "
            "declared on their account (or none)."
        ),
        _("Contracts and workers' own accounts."),
        workforce_by_gender,
    ),
    Indicator(
        "underemployment",
        WORK,
        _("Workers wanting more hours"),
        Unit.PERCENT,
        _(
            "Of the workers under contract on the last day who said how many hours a week "
            "they want: those whose contracted weekly hours are fewer (underemployment)."
        ),
        _("Contracts and workers' own accounts."),
        underemployment,
        across=Across.MEDIAN,
    ),
    Indicator(
        "permanent_share",
        WORK,
        _("Permanent contracts"),
        Unit.PERCENT,
        _("Permanent contracts ÷ contracts in force on the last day of the period."),
        _("Contracts."),
        permanent_share,
        across=Across.MEDIAN,
    ),
    Indicator(
        "turnover",
        WORK,
        _("Turnover"),
        Unit.PERCENT,
        _(
            "Workers under contract on the first day with none on the last ÷ workers under "
            "contract on the first day."
        ),
        _("Contracts."),
        turnover,
        across=Across.MEDIAN,
    ),
    Indicator(
        "training_hours",
        WORK,
        _("Training hours"),
        Unit.HOURS,
        _("Sum of the hours of training courses held in the period."),
        _("Training records."),
        training_hours,
        counts=False,
    ),
    Indicator(
        "median_true_hourly_pay",
        WORK,
        _("Median true hourly pay"),
        Unit.MONEY_PER_HOUR,
        _(
            "Median over the payslips of pay runs ending in the period of gross pay ÷ hours "
            "from first visit start to last visit end of each day worked."
        ),
        _("Payslips."),
        median_true_hourly_pay,
        across=Across.MEDIAN,
        counts=False,
    ),
    Indicator(
        "pay_ratio",
        WORK,
        _("Pay ratio, highest to lowest"),
        Unit.RATIO,
        _("Highest ÷ lowest hourly rate of the contracts in force on the last day."),
        _("Contracts and pay rules."),
        pay_ratio,
        across=Across.MEDIAN,
        counts=False,
    ),
    Indicator(
        "members",
        COOPERATIVE,
        _("Members"),
        Unit.MEMBERS,
        _("Members admitted by the last day of the period and not gone, by stakeholder class."),
        _("The member register."),
        members,
    ),
    Indicator(
        "assembly_participation",
        COOPERATIVE,
        _("Participation in assemblies"),
        Unit.PERCENT,
        _(
            "Over the assemblies held in the period: members present or represented by proxy "
            "÷ members entitled to take part."
        ),
        _("Assembly attendance and proxies."),
        assembly_participation,
        across=Across.MEDIAN,
    ),
    Indicator(
        "share_capital",
        COOPERATIVE,
        _("Share capital paid up"),
        Unit.MONEY,
        _("Sum of payments in the share ledger up to the last day of the period."),
        _("The share capital ledger."),
        share_capital,
        counts=False,
    ),
    Indicator(
        "revenue_by_service",
        MONEY,
        _("Revenue, by service"),
        Unit.MONEY,
        _(
            "Net amounts (VAT left out) of the lines of issued invoices less those of credit "
            "notes, for the visits of the period: a line counts on the day of its visit, so the "
            "figure is the care given in the period, as invoiced by the day it is read; by the "
            "service the visit gave."
        ),
        _(
            "Issued invoices and credit notes (revenue recognised as the service is rendered, "
            "IFRS 15 and OIC 34; a credit note corrects an invoice, art. 26 DPR 633/1972)."
        ),
        revenue_by_service,
        counts=False,
        billing=True,
    ),
    Indicator(
        "revenue_by_payer",
        MONEY,
        _("Revenue, by payer"),
        Unit.MONEY,
        _(
            "The same net revenue by who was invoiced: public bodies, health authorities, "
            "voucher schemes and insurers by name; families and people paying for their own "
            "care, and other payers, each together."
        ),
        _(
            "Issued invoices and credit notes; a social report states its public and private "
            "sources of revenue apart (Linee guida per la redazione del bilancio sociale degli "
            "enti del Terzo settore, DM 4 July 2019: the economic and financial situation)."
        ),
        revenue_by_payer,
        counts=False,
        parts_shared=False,
        billing=True,
    ),
    Indicator(
        "budget_use",
        MONEY,
        _("Hours budgets used"),
        Unit.PERCENT,
        _(
            "Over the weeks and months of people's hours budgets that ended in the period: "
            "hours done (visits with a verified record, as billed: after the tariff's minimum "
            "and rounding) ÷ hours authorised."
        ),
        _("Payers' agreements and their hours budgets; verified visit records."),
        budget_use,
        across=Across.POOLED,
        billing=True,
        pool=share_used,
    ),
    Indicator(
        "people_over_budget",
        MONEY,
        _("People over an hours budget"),
        Unit.PEOPLE,
        _(
            "People whose hours done went beyond what a budget authorised in at least one "
            "week or month of it that ended in the period."
        ),
        _("Payers' agreements and their hours budgets; verified visit records."),
        people_over_budget,
        billing=True,
    ),
    Indicator(
        "dso",
        MONEY,
        _("Days sales outstanding"),
        Unit.DAYS,
        _(
            "Owed on the last day of the period on issued invoices (after credit notes and "
            "payments) ÷ invoiced in the period (invoices issued, VAT included, less credit "
            "notes issued) × the days of the period."
        ),
        _(
            "The simple (period-end) DSO of the Credit Research Foundation: ending receivables "
            "× days in the period ÷ credit sales of the period. Not the count-back method: "
            "the simple ratio adds up across cooperatives, and care is invoiced about evenly "
            "month by month. Payment terms: Directive 2011/7/EU art. 4 (public bodies pay in "
            "30 days, public health care in 60)."
        ),
        dso,
        across=Across.POOLED,
        counts=False,
        billing=True,
        pool=days_outstanding,
    ),
]


def compute(
    cooperative: Cooperative, start: date, end: date, *, billing: bool = True
) -> list[tuple[Indicator, Figure]]:
    """Every indicator for the period ``start``..``end`` (days included); without
    ``billing``, none of those that come from invoices and hours budgets; none of a form of
    care the cooperative does not run. In the order of ``AREAS``. What several
    indicators read (``_once``) is read once for them all."""
    with sharing():
        return [
            (indicator, indicator.compute(cooperative, start, end))
            for indicator in INDICATORS
            if (billing or not indicator.billing) and indicator.applies(cooperative)
        ]


def may_see_billing(roles) -> bool:
    """Whether a reader with ``roles`` reads the money figures (``Indicator.billing``)."""
    return any(role in roles for role in BILLING_READERS)


# Feedback and complaints, for the social report.


def satisfaction(cooperative, start, end) -> Figure:
    given = voice.satisfaction(cooperative, start, end)
    parts: list[tuple[str, Decimal | int]] = [(str(_("feedback given")), given.given)]
    if given.mean is not None:
        parts.insert(0, (str(_("mean score, 1 to 5")), given.mean))
    return Figure(_percent(given.satisfied, given.given), parts, base=given.given)


def complaints(cooperative, start, end) -> Figure:
    figures = voice.complaint_figures(cooperative, start, end)
    parts: list[tuple[str, Decimal | int]] = [(str(_("received")), figures.received)]
    parts += [(str(Outcome(o).label), n) for o, n in figures.outcomes.items()]
    parts.append((str(_("acknowledged on time")), figures.acknowledged_on_time))
    return Figure(
        _percent(figures.acknowledged_on_time, figures.received), parts, base=figures.received
    )


INDICATORS += [
    Indicator(
        "satisfaction",
        CARE,
        _("Satisfaction with visits"),
        Unit.PERCENT,
        _(
            "Of the feedback given on the visits of the period (a score from 1 to 5), the "
            "share scoring 4 or 5; with the mean score and how many gave feedback."
        ),
        _(
            "Feedback from the people cared for and their circle after visits; the share of the "
            "two best scores is the usual customer satisfaction score (CSAT)."
        ),
        satisfaction,
        across=Across.MEDIAN,
    ),
    Indicator(
        "complaints",
        CARE,
        _("Complaints acknowledged on time"),
        Unit.PERCENT,
        _(
            "Of the complaints received in the period, the share acknowledged by their day; "
            "with how many were received and how they ended (upheld, partly, not upheld)."
        ),
        _(
            "The complaints register; the day to acknowledge by after the Local Authority "
            "Social Services and NHS Complaints (England) Regulations 2009, reg. 13."
        ),
        complaints,
        across=Across.MEDIAN,
    ),
]


def survey_satisfaction(cooperative, start, end) -> Figure:
    figures = voice.survey_figures(cooperative, start, end)
    parts: list[tuple[str, Decimal | int]] = [(str(_("answers")), figures.answers)]
    if figures.mean is not None:
        parts.insert(0, (str(_("mean score, 1 to 5")), figures.mean))
    value = _percent(figures.satisfied, figures.scores) if figures.scores else None
    return Figure(value, parts, base=figures.answers)


INDICATORS += [
    Indicator(
        "survey_satisfaction",
        CARE,
        _("Satisfaction in the yearly survey"),
        Unit.PERCENT,
        _(
            "Of the scores (1 to 5) given in the satisfaction surveys that closed in the period, "
            "the share of 4 or 5; with the mean score and how many answered. Nothing but the "
            "number of answers is shown under 5 answers."
        ),
        _(
            "The cooperative's yearly satisfaction survey of the people cared for, their circle "
            "and its carers, answered on their phones or by telephone."
        ),
        survey_satisfaction,
        across=Across.MEDIAN,
    ),
]


# Family caregivers the cooperative supports in their own right (respite, support groups,
# training), from the respite app: only for a cooperative that runs respite.


def _respite(cooperative, start, end) -> respite_queries.Respite:
    return _once(
        ("respite", cooperative.pk, start, end),
        lambda: respite_queries.respite_given(cooperative, start, end),
    )


def _attendance(cooperative, start, end) -> list[tuple[str, int, bool]]:
    """(kind, caregiver id, came) of each enrolment recorded in the period's gatherings."""
    return _once(
        ("attendance", cooperative.pk, start, end),
        lambda: list(
            respite_queries.attendances(cooperative, start, end)
            .filter(attended__isnull=False)
            .values_list("gathering__kind", "caregiver_id", "attended")
        ),
    )


def caregivers_supported(cooperative, start, end) -> Figure:
    came = _attendance(cooperative, start, end)
    kinds = [(str(_("Respite visits")), set(_respite(cooperative, start, end).visits))] + [
        (str(GatheringKind(kind).label), {c for k, c, attended in came if attended and k == kind})
        for kind in GatheringKind.values
    ]
    supported = set().union(*(caregivers for _label, caregivers in kinds))
    return Figure(len(supported), [(label, len(caregivers)) for label, caregivers in kinds])


def respite_hours(cooperative, start, end) -> Figure:
    return Figure(_hours(_respite(cooperative, start, end).time))


def gathering_attendance(cooperative, start, end) -> Figure:
    recorded = _attendance(cooperative, start, end)
    parts: list[tuple[str, Decimal | int]] = [
        (str(GatheringKind(kind).label), sum(1 for k, _c, came in recorded if came and k == kind))
        for kind in GatheringKind.values
    ]
    came = sum(1 for _k, _c, attended in recorded if attended)
    return Figure(_percent(came, len(recorded)), parts, base=len(recorded))


INDICATORS += [
    Indicator(
        "caregivers_supported",
        RESPITE,
        _("Family caregivers supported"),
        Unit.PEOPLE,
        _(
            "Family caregivers given a respite visit done in the period, or who came to a "
            "support group or a training session held in it; by kind of support (a caregiver "
            "may count in several)."
        ),
        _(
            "The register of family caregivers, visit records and attendance; caregivers are "
            "among those the social and solidarity economy serves (ILO, Resolution concerning "
            "decent work and the social and solidarity economy, 2022; UN General Assembly "
            "resolution 77/281, 2023)."
        ),
        caregivers_supported,
        form="runs_respite",
    ),
    Indicator(
        "respite_hours",
        RESPITE,
        _("Hours of respite given"),
        Unit.HOURS,
        _(
            "Sum of (last check-out − first check-in) over the respite visits done in the "
            "period: visits of the task “sitting and respite” to the person a supported "
            "caregiver cares for, each counted once."
        ),
        _("Visit records (carers' check-in and check-out) and the register of caregivers."),
        respite_hours,
        counts=False,
        form="runs_respite",
    ),
    Indicator(
        "gathering_attendance",
        RESPITE,
        _("Attendance at support groups and training"),
        Unit.PERCENT,
        _(
            "Of the caregivers enrolled in the support groups and training sessions held in "
            "the period whose attendance was recorded, the share who came; with how many came "
            "to each kind."
        ),
        _("The attendance recorded for each support group meeting and training session."),
        gathering_attendance,
        across=Across.MEDIAN,
        form="runs_respite",
    ),
]


# Time credits' figures, from the timecredits app: only for a cooperative that exchanges them.


def _exchanged(cooperative, start, end) -> time_credits.Exchanged:
    return _once(
        ("time_credits", cooperative.pk, start, end),
        lambda: time_credits.exchanged(cooperative, start, end),
    )


def informal_hours(cooperative, start, end) -> Figure:
    return Figure(_one_decimal(_exchanged(cooperative, start, end).hours))


def members_giving(cooperative, start, end) -> Figure:
    return Figure(_exchanged(cooperative, start, end).giving)


def members_receiving(cooperative, start, end) -> Figure:
    return Figure(_exchanged(cooperative, start, end).receiving)


TIME_CREDITS_SOURCE = _("The time credit ledger (exchanges confirmed by their receiver).")

INDICATORS += [
    Indicator(
        "informal_hours",
        INFORMAL,
        _("Informal hours exchanged"),
        Unit.HOURS,
        _(
            "Hours of help members gave one another in exchanges done in the period, as their "
            "receivers confirmed them, less the exchanges reversed."
        ),
        TIME_CREDITS_SOURCE,
        informal_hours,
        counts=False,
        form="runs_time_credits",
    ),
    Indicator(
        "members_giving",
        INFORMAL,
        _("Members giving informal care"),
        Unit.MEMBERS,
        _("Members who gave help in at least one of those exchanges."),
        TIME_CREDITS_SOURCE,
        members_giving,
        form="runs_time_credits",
    ),
    Indicator(
        "members_receiving",
        INFORMAL,
        _("Members receiving informal care"),
        Unit.MEMBERS,
        _("Members who received help in at least one of those exchanges."),
        TIME_CREDITS_SOURCE,
        members_receiving,
        form="runs_time_credits",
    ),
]


# A childcare centre's figures, from the childcare app: only for a cooperative that runs one.
# Age bands in months, the same in every cooperative so that a federation adds them up.
CHILD_AGE_BANDS = [(0, 11), (12, 23), (24, 35), (36, None)]


def _band(months: int) -> str:
    low, high = next(b for b in CHILD_AGE_BANDS if b[1] is None or months <= b[1])
    return str(_("%(low)s and over") % {"low": low}) if high is None else f"{low}–{high}"


def children_enrolled(cooperative, start, end) -> Figure:
    """Children enrolled on the last day of the period (enrolled by then and not left before
    it), by their age in whole months that day (``childcare.rules.age_in_months``)."""
    births = childcare_queries.enrolled(cooperative, end).values_list("born_on", flat=True)
    bands = Counter(_band(childcare_rules.age_in_months(born, end)) for born in births)
    labels = [_band(low) for low, _high in CHILD_AGE_BANDS]
    return Figure(sum(bands.values()), [(label, bands[label]) for label in labels if bands[label]])


def _pooled_percent(part, whole, start: date, end: date) -> Decimal | None:
    return _percent(part, whole)


def attendance_rate(cooperative, start, end) -> Figure:
    """Days attended ÷ days expected. The centre's open days are the days of the period on
    which it signed in at least one child (it keeps no calendar of its own); a child is
    expected on each open day from their enrolment to their leaving, and attended on each of
    those days they were signed in."""
    signed_in = set(
        Attendance.objects.filter(cooperative=cooperative, day__range=(start, end)).values_list(
            "child_id", "day"
        )
    )
    open_days = sorted({day for _child, day in signed_in})
    expected = attended = 0
    children = 0
    enrolments = Child.objects.filter(cooperative=cooperative, enrolled_on__lte=end).filter(
        Q(leaves_on__isnull=True) | Q(leaves_on__gte=start)
    )
    for child, enrolled_on, leaves_on in enrolments.values_list("pk", "enrolled_on", "leaves_on"):
        days = [d for d in open_days if enrolled_on <= d and (leaves_on is None or d <= leaves_on)]
        expected += len(days)
        attended += sum((child, d) in signed_in for d in days)
        children += bool(days)
    return Figure(
        _percent(attended, expected),
        base=children,
        ratio=(Decimal(attended), Decimal(expected)),
    )


def _room_days(cooperative, start, end) -> list[tuple[date, list, list]]:
    """Each room's day in the period: its day, the children's stays in it (child, sign-in,
    sign-out, birth) and the staff's shifts in the room (start, end). A stay not signed out
    has no known end: it is left out."""
    stays: defaultdict[tuple[int, date], list] = defaultdict(list)
    for room, day, *stay in Attendance.objects.filter(
        cooperative=cooperative, day__range=(start, end), signed_out_at__isnull=False
    ).values_list("room_id", "day", "child_id", "signed_in_at", "signed_out_at", "child__born_on"):
        stays[room, day].append(stay)
    shifts: defaultdict[int, list] = defaultdict(list)
    # A night's shift may begin the day before.
    for room, *shift in Shift.objects.filter(
        cooperative=cooperative, **between_days("starts_at", start - timedelta(days=1), end)
    ).values_list("room_id", "starts_at", "ends_at"):
        shifts[room].append(shift)
    return [(day, children, shifts[room]) for (room, day), children in stays.items()]


def ratio_compliance(cooperative, start, end) -> Figure:
    """Of the time children were in a room in the period, the share with at least the staff
    the ratios in force ask for (``childcare.rules.staff_needed``, with the ratios of
    ``childcare.queries.ratios``). A room's day is cut at every sign-in, sign-out and shift's
    start and end; each stretch with a child in counts its length, and counts as compliant
    when the staff on shift then are as many as the children present need."""
    ratios = [r.as_rule() for r in childcare_queries.ratios(cooperative)]
    present = compliant = timedelta()
    children: set[int] = set()
    for day, stays, shifts in _room_days(cooperative, start, end):
        cuts = sorted({t for stay in stays for t in stay[1:3]} | {t for s in shifts for t in s})
        for begins, ends in pairwise(cuts):
            ages = [
                childcare_rules.age_in_months(born, day)
                for _child, signed_in, signed_out, born in stays
                if signed_in <= begins and ends <= signed_out
            ]
            if not ages:
                continue
            staff = sum(1 for on, off in shifts if on <= begins and ends <= off)
            present += ends - begins
            if not childcare_rules.staff_needed(ages, ratios, staff).over_ratio:
                compliant += ends - begins
        children.update(child for child, *_rest in stays)
    seconds = (Decimal(compliant.total_seconds()), Decimal(present.total_seconds()))
    return Figure(
        _percent(*seconds), [(str(_("hours")), _hours(present))], base=len(children), ratio=seconds
    )


def households_supported(cooperative, start, end) -> Figure:
    """Households (employers) with a contract for a carer in force on a day of the period."""
    contracts = HouseholdContract.objects.filter(cooperative=cooperative, starts_on__lte=end)
    in_force = contracts.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    return Figure(in_force.values("employer").distinct().count())


def household_payslips(cooperative, start, end) -> Figure:
    """Payslips made for the households' contracts for the months the period touches (a
    payslip is for a month, dated by its first day)."""
    slips = HouseholdPayslip.objects.filter(
        contract__cooperative=cooperative, month__range=(start.replace(day=1), end)
    )
    return Figure(slips.count())


INDICATORS += [
    Indicator(
        "children_enrolled",
        CHILDCARE,
        _("Children enrolled"),
        Unit.CHILDREN,
        _(
            "Children enrolled on the last day of the period, by their age that day in whole "
            "months."
        ),
        _("The register of children enrolled at the childcare centre."),
        children_enrolled,
        form="runs_childcare",
    ),
    Indicator(
        "attendance_rate",
        CHILDCARE,
        _("Attendance rate"),
        Unit.PERCENT,
        _(
            "Days attended ÷ days expected: on each day of the period the centre signed a "
            "child in, every child enrolled that day is expected, and attended if signed in."
        ),
        _("The children's sign-in and sign-out at the door."),
        attendance_rate,
        across=Across.POOLED,
        pool=_pooled_percent,
        form="runs_childcare",
    ),
    Indicator(
        "ratio_compliance",
        CHILDCARE,
        _("Time within the child-to-staff ratios"),
        Unit.PERCENT,
        _(
            "Of the hours children were in a room (signed in and out), the share with at least "
            "the staff on shift that the ratios in force ask for the children present."
        ),
        _(
            "Sign-in and sign-out, staff in rooms and the child-to-staff ratios in force, "
            "each with its source (the country's rule or the cooperative's own)."
        ),
        ratio_compliance,
        across=Across.POOLED,
        pool=_pooled_percent,
        form="runs_childcare",
    ),
    Indicator(
        "households_supported",
        HOUSEHOLD,
        _("Households employing a carer"),
        Unit.HOUSEHOLDS,
        _("Households with a contract for a carer in force on a day of the period."),
        _("Household contracts."),
        households_supported,
        form="runs_household_employment",
    ),
    Indicator(
        "household_payslips",
        HOUSEHOLD,
        _("Payslips made for households"),
        Unit.PAYSLIPS,
        _("Payslips of the households' contracts for the months of the period."),
        _("Household payslips."),
        household_payslips,
        form="runs_household_employment",
    ),
]
# Every page, the report and the federation take the areas in one order.
INDICATORS.sort(key=lambda indicator: AREAS.index(indicator.area))
