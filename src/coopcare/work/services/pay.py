"""New pay rules, and pay runs from approved timesheets. The payroll export and the pay rules
in force are in ``work.queries``."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.cooperatives.models import Cooperative
from coopcare.work import rules
from coopcare.work.models import (
    Contract,
    PayRules,
    PayRun,
    Payslip,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
)
from coopcare.work.queries import (
    contract_in,
    contracts_by_carer,
    pay_rules_lookup,
    records_between,
    summary,
)


@transaction.atomic
def adopt_pay_rules(cooperative: Cooperative, fields: dict, by=None) -> PayRules:
    """Record a new version of the pay rules. A pay run already made is not changed."""
    version = checked_pay_rules(cooperative, fields, by)
    version.save()
    return version


def checked_pay_rules(cooperative: Cooperative, fields: dict, by=None) -> PayRules:
    """The new pay rules ``fields``, checked as ``adopt_pay_rules`` checks them and not saved
    (a motion that would adopt them is checked so when proposed)."""
    paid = PayRun.objects.filter(cooperative=cooperative, ends_on__gte=fields["effective_from"])
    if paid.exists():
        raise ValidationError(
            _("Pay was already run up to %(day)s; new rules can start the day after.")
            % {"day": localise.day(paid.latest("ends_on").ends_on)},
            code="rules_before_last_pay_run",
        )
    version = PayRules(cooperative=cooperative, recorded_by=by, **fields)
    version.full_clean()
    return version


class _RulesByDay:
    """Each day's pay rules and contract, looked up without a query per day."""

    def __init__(self, cooperative: Cooperative, start: date, end: date):
        self.rules = pay_rules_lookup(cooperative)
        self.contracts = contracts_by_carer(cooperative, start, end)
        years = range(start.year, end.year + 1)
        self.holidays = holidays.country_holidays(cooperative.country, years=years)

    def contract(self, carer_id: int, day: date) -> Contract | None:
        return contract_in(self.contracts[carer_id], day)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays


def pay_run_problems(
    cooperative: Cooperative, start: date, end: date, today: date | None = None
) -> list[ValidationError]:
    """Why pay cannot be run for [start, end] yet, each problem with its code; empty when it
    can."""
    if end < start:
        return [
            ValidationError(_("The period ends before it starts."), code="period_ends_before_start")
        ]
    if end >= (today or timezone.localdate()):
        return [
            ValidationError(
                _("Pay is run for days that are over; end the period yesterday at the latest."),
                code="period_not_over",
            )
        ]
    problems = []
    overlap = PayRun.objects.filter(cooperative=cooperative, starts_on__lte=end, ends_on__gte=start)
    for run in overlap:
        problems.append(
            ValidationError(
                _("Pay was already run from %(start)s to %(end)s.")
                % {"start": localise.day(run.starts_on), "end": localise.day(run.ends_on)},
                code="pay_already_run",
            )
        )
    sheets = Timesheet.objects.filter(cooperative=cooperative, day__range=(start, end))
    drafts = sheets.filter(status=TimesheetStatus.DRAFT)
    if drafts.exists():
        problems.append(
            ValidationError(
                _("%(count)s timesheets in the period are not approved yet.")
                % {"count": drafts.count()},
                code="timesheets_not_approved",
            )
        )
    records = records_between(cooperative, start, end).filter(checked_out_at__isnull=False)
    built = set(sheets.values_list("carer_id", "day"))
    missing = {
        (r.carer_id, timezone.localdate(r.checked_in_at))
        for r in records.only("carer_id", "checked_in_at")
    } - built
    if missing:
        problems.append(
            ValidationError(
                _(
                    "%(count)s working days have visit records but no timesheet; build the "
                    "timesheets."
                )
                % {"count": len(missing)},
                code="timesheets_missing",
            )
        )
    if not problems and not sheets.exists():
        problems.append(
            ValidationError(
                _("No approved timesheets in the period: there is nothing to pay."),
                code="nothing_to_pay",
            )
        )
    return problems


@transaction.atomic
def run_pay(
    cooperative: Cooperative, start: date, end: date, by, today: date | None = None
) -> PayRun:
    """Pay every worker for [start, end] from approved timesheets, one payslip each.

    Each day is paid by the pay rules and the contract of that day. Refused, with nothing
    written, when any time in the period is unapproved or a day worked has no contract.
    """
    # Lock the cooperative's pay runs so that two runs of one period cannot both pass.
    list(PayRun.objects.select_for_update().filter(cooperative=cooperative))
    problems = pay_run_problems(cooperative, start, end, today)
    if problems:
        raise ValidationError(problems)
    lookup = _RulesByDay(cooperative, start, end)
    entries = defaultdict(list)
    for entry in (
        TimesheetEntry.objects.filter(
            timesheet__cooperative=cooperative, timesheet__day__range=(start, end)
        )
        .select_related("timesheet__carer")
        .order_by("starts_at")
    ):
        entries[(entry.timesheet.carer, entry.timesheet.day)].append(entry)
    run = PayRun.objects.create(cooperative=cooperative, starts_on=start, ends_on=end, made_by=by)
    slips: dict[int, dict] = {}
    no_contract = []
    for (carer, day), day_entries in sorted(entries.items(), key=lambda item: item[0][1]):
        contract = lookup.contract(carer.pk, day)
        if contract is None:
            no_contract.append(f"{carer.get_full_name() or carer} ({localise.day(day)})")
            continue
        pay_rules = lookup.rules(day)
        rate = contract.hourly_rate or pay_rules.base_rate
        day_pay = rules.pay_for_day(
            [
                (e.kind, timezone.localtime(e.starts_at), timezone.localtime(e.ends_at))
                for e in day_entries
            ],
            rate,
            pay_rules,
            lookup.is_holiday,
        )
        slip = slips.setdefault(carer.pk, _blank_slip(carer))
        _add_day(slip, day_entries, day_pay, pay_rules)
    if no_contract:
        raise ValidationError(
            _("No contract covers these working days: %(days)s.")
            % {"days": ", ".join(no_contract[:10])},
            code="days_without_contract",
        )
    minimum = lookup.rules(end).minimum_wage
    for carer_id, slip in slips.items():
        basic, premium = rules.to_cents(slip.pop("basic")), rules.to_cents(slip.pop("premium"))
        gross = basic + premium
        Payslip.objects.create(
            pay_run=run,
            basic_pay=basic,
            premium_pay=premium,
            gross_pay=gross,
            mileage=rules.to_cents(slip.pop("mileage")),
            true_hourly_pay=rules.true_hourly_pay(gross, slip["span_minutes"]),
            minimum_wage=minimum,
            contracted_hours=_contracted_hours(lookup.contracts[carer_id], start, end),
            **slip,
        )
    return run


def _blank_slip(carer) -> dict:
    return {
        "carer": carer,
        "days": 0,
        "visit_minutes": 0,
        "travel_minutes": 0,
        "waiting_minutes": 0,
        "break_minutes": 0,
        "span_minutes": 0,
        "premium_minutes": 0,
        "km": Decimal(0),
        "basic": Fraction(0),
        "premium": Fraction(0),
        "mileage": Fraction(0),
    }


def _add_day(slip: dict, entries: list[TimesheetEntry], day_pay: rules.DayPay, pay_rules) -> None:
    figures = summary(entries)
    slip["days"] += 1
    for kind, minutes in figures["minutes"].items():
        slip[f"{kind}_minutes"] += minutes
    slip["km"] += figures["km"]
    slip["mileage"] += Fraction(figures["km"]) * Fraction(pay_rules.mileage_rate)
    slip["span_minutes"] += figures["span"]
    slip["premium_minutes"] += day_pay.premium_minutes
    slip["basic"] += day_pay.basic
    slip["premium"] += day_pay.premium


def _contracted_hours(contracts: list[Contract], start: date, end: date) -> Decimal:
    """Contracted weekly hours pro rata over the days of the period each contract covers."""
    total = Decimal(0)
    for contract in contracts:
        first = max(start, contract.starts_on)
        last = min(end, contract.ends_on or end)
        if first <= last:
            total += contract.weekly_hours * ((last - first).days + 1) / 7
    return total.quantize(rules.CENT)
