"""The cooperative's indicators, each defined once: what it counts, its formula and its source
(shown on the definitions page), and the function that computes it for a period."""

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import Domain, Funding, PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.governance.models import Assembly, AssemblyStatus
from coopcare.governance.services import assembly_attendance
from coopcare.members.models import Member
from coopcare.members.queries import capital_totals
from coopcare.rostering.reports import continuity
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work.models import Contract, ContractKind, Payslip, Training
from coopcare.work.services import between_days, pay_rules_on, records_between

LATE_MINUTES = 15  # a visit begun later than this after its planned time counts as late
AGE_GROUPS = [(0, 17), (18, 64), (65, 79), (80, 200)]


@dataclass
class Figure:
    """An indicator's value for a period, with its breakdown as (label, value) pairs."""

    value: Decimal | int | None
    parts: list[tuple[str, Decimal | int]] = field(default_factory=list)


@dataclass(frozen=True)
class Indicator:
    key: str
    area: str
    title: str
    unit: str
    formula: str
    source: str
    compute: Callable[[Cooperative, date, date], Figure]


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


def care_hours(cooperative, start, end) -> Figure:
    minutes = 0
    for record in records_between(cooperative, start, end).filter(checked_out_at__isnull=False):
        minutes += (record.checked_out_at - record.checked_in_at).total_seconds() / 60
    return Figure(_one_decimal(minutes / 60))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def people_cared_for(cooperative, start, end) -> Figure:
    people = list(_served(cooperative, start, end))
    ages = Counter()
    for person in people:
        if person.date_of_birth is None:
            ages[_("age not recorded")] += 1
            continue
        age = _age(person.date_of_birth, end)
        low, high = next(g for g in AGE_GROUPS if g[0] <= age <= g[1])
        ages[_("%(low)s and over") % {"low": low} if high >= 200 else f"{low}–{high}"] += 1
    funding = Counter(p.funding for p in people)
    parts = [(str(label), n) for label, n in sorted(ages.items(), key=lambda i: str(i[0]))]
    parts += [(str(Funding(kind).label), funding[kind]) for kind in Funding.values if funding[kind]]
    return Figure(len(people), parts)


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
    status = Counter(planned.values_list("status", flat=True))
    late = sum(
        1
        for starts, checked_in in records_between(cooperative, start, end).values_list(
            "visit__starts_at", "checked_in_at"
        )
        if checked_in - starts > timedelta(minutes=LATE_MINUTES)
    )
    parts = [(str(VisitStatus(s).label), status[s]) for s in VisitStatus.values if status[s]]
    parts.append((str(_("begun more than 15 minutes late")), late))
    return Figure(status[VisitStatus.DONE], parts)


def continuity_of_care(cooperative, start, end) -> Figure:
    rows = continuity(cooperative, start, end)
    visits_with_carer = sum(r.visits for r in rows)
    return Figure(_percent(sum(r.by_known for r in rows), visits_with_carer))


def _contracts_on(cooperative, day):
    return Contract.objects.filter(cooperative=cooperative, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def workforce(cooperative, start, end) -> Figure:
    kinds = Counter(_contracts_on(cooperative, end).values_list("kind", flat=True))
    parts = [(str(ContractKind(k).label), kinds[k]) for k in ContractKind.values if kinds[k]]
    return Figure(sum(kinds.values()), parts)


def permanent_share(cooperative, start, end) -> Figure:
    kinds = Counter(_contracts_on(cooperative, end).values_list("kind", flat=True))
    return Figure(_percent(kinds[ContractKind.PERMANENT], sum(kinds.values())))


def turnover(cooperative, start, end) -> Figure:
    at_start = set(_contracts_on(cooperative, start).values_list("carer", flat=True))
    at_end = set(_contracts_on(cooperative, end).values_list("carer", flat=True))
    left = at_start - at_end
    return Figure(_percent(len(left), len(at_start)), [(str(_("left")), len(left))])


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
    )


def pay_ratio(cooperative, start, end) -> Figure:
    base = pay_rules_on(cooperative, end).base_rate
    rates = [c.hourly_rate or base for c in _contracts_on(cooperative, end)]
    if not rates or not min(rates):
        return Figure(None)
    return Figure(
        (max(rates) / min(rates)).quantize(Decimal("0.01")),
        [(str(_("highest")), max(rates)), (str(_("lowest")), min(rates))],
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
    return Figure(_percent(taking_part, entitled), [(str(_("assemblies held")), held.count())])


def share_capital(cooperative, start, end) -> Figure:
    totals = capital_totals(cooperative, until=end)
    return Figure(totals["paid"], [(str(_("subscribed")), totals["capital"])])


CARE, WORK, COOPERATIVE = _("Care"), _("Decent work"), _("The cooperative")

INDICATORS = [
    Indicator(
        "care_hours",
        CARE,
        _("Hours of care delivered"),
        _("hours"),
        _("Sum of (check-out − check-in) over the visit records checked in during the period."),
        _("Visit records (carers' check-in and check-out)."),
        care_hours,
    ),
    Indicator(
        "people_cared_for",
        CARE,
        _("People cared for"),
        _("people"),
        _(
            "People with at least one visit done in the period; by age at the end of the "
            "period and by funding."
        ),
        _("Visits and the register of people cared for."),
        people_cared_for,
    ),
    Indicator(
        "people_by_need",
        CARE,
        _("People cared for, by need domain"),
        _("people"),
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
        _("visits"),
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
        "%",
        _(
            "Visits by carers who had visited the person in the eight weeks before ÷ visits "
            "with a carer."
        ),
        _("Visits and their carers (published rosters)."),
        continuity_of_care,
    ),
    Indicator(
        "workforce",
        WORK,
        _("Workers under contract"),
        _("workers"),
        _("Contracts in force on the last day of the period, by kind."),
        _("Contracts."),
        workforce,
    ),
    Indicator(
        "permanent_share",
        WORK,
        _("Permanent contracts"),
        "%",
        _("Permanent contracts ÷ contracts in force on the last day of the period."),
        _("Contracts."),
        permanent_share,
    ),
    Indicator(
        "turnover",
        WORK,
        _("Turnover"),
        "%",
        _(
            "Workers under contract on the first day with none on the last ÷ workers under "
            "contract on the first day."
        ),
        _("Contracts."),
        turnover,
    ),
    Indicator(
        "training_hours",
        WORK,
        _("Training hours"),
        _("hours"),
        _("Sum of the hours of training courses held in the period."),
        _("Training records."),
        training_hours,
    ),
    Indicator(
        "median_true_hourly_pay",
        WORK,
        _("Median true hourly pay"),
        _("per hour"),
        _(
            "Median over the payslips of pay runs ending in the period of gross pay ÷ hours "
            "from first visit start to last visit end of each day worked."
        ),
        _("Payslips."),
        median_true_hourly_pay,
    ),
    Indicator(
        "pay_ratio",
        WORK,
        _("Pay ratio, highest to lowest"),
        "×",
        _("Highest ÷ lowest hourly rate of the contracts in force on the last day."),
        _("Contracts and pay rules."),
        pay_ratio,
    ),
    Indicator(
        "members",
        COOPERATIVE,
        _("Members"),
        _("members"),
        _("Members admitted by the last day of the period and not gone, by stakeholder class."),
        _("The member register."),
        members,
    ),
    Indicator(
        "assembly_participation",
        COOPERATIVE,
        _("Participation in assemblies"),
        "%",
        _(
            "Over the assemblies held in the period: members present or represented by proxy "
            "÷ members entitled to take part."
        ),
        _("Assembly attendance and proxies."),
        assembly_participation,
    ),
    Indicator(
        "share_capital",
        COOPERATIVE,
        _("Share capital paid up"),
        _("currency"),
        _("Sum of payments in the share ledger up to the last day of the period."),
        _("The share capital ledger."),
        share_capital,
    ),
]


def compute(cooperative: Cooperative, start: date, end: date) -> list[tuple[Indicator, Figure]]:
    """Every indicator for the period ``start``..``end`` (days included)."""
    return [(indicator, indicator.compute(cooperative, start, end)) for indicator in INDICATORS]
