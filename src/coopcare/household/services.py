"""Actions of household employment, one transaction each: an employer recorded, a contract in
the household's name and its end, and a month's payslip made (again) from the visit records."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.household import queries, rules
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from coopcare.shared.days import month_end
from coopcare.work.services._common import check_worker


def check_runs_household_employment(cooperative: Cooperative) -> None:
    """Refuse unless the cooperative supports households that employ a carer."""
    if not cooperative.runs_household_employment:
        raise ValidationError(
            _("This cooperative does not support households that employ a carer."),
            code="household_employment_off",
        )


@transaction.atomic
def add_employer(cooperative: Cooperative, person: PersonCaredFor, fields: dict) -> Employer:
    """Record the household employing a carer for ``person``: the employer's name, NIF or NIE,
    Social Security employer account and address."""
    check_runs_household_employment(cooperative)
    if person.cooperative_id != cooperative.pk:
        raise ValidationError(
            _("This person is not cared for by this cooperative."), code="person_elsewhere"
        )
    fields = fields | {
        "tax_id": fields["tax_id"].strip().upper().replace(" ", "").replace("-", ""),
        "social_security_account": "".join(
            ch for ch in fields["social_security_account"] if ch.isdigit()
        ),
    }
    problems = rules.employer_problems(fields)
    if problems:
        raise ValidationError(problems)
    return Employer.objects.create(cooperative=cooperative, person=person, **fields)


@transaction.atomic
def start_contract(employer: Employer, carer, fields: dict) -> HouseholdContract:
    """A contract in the household's name for ``carer``, who must work for the cooperative,
    at an hourly rate that reaches the minimum wage of household employees."""
    cooperative = employer.cooperative
    check_runs_household_employment(cooperative)
    check_worker(cooperative, carer)
    starts_on, ends_on = fields["starts_on"], fields.get("ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            _("The contract cannot end before it starts."), code="contract_ends_before_start"
        )
    problems = rules.minimum_wage_problems(fields["hourly_rate"], starts_on)
    if problems:
        raise ValidationError(problems)
    # Locked, so two contracts recorded at once cannot both pass the check below.
    theirs = HouseholdContract.objects.select_for_update().filter(employer=employer, carer=carer)
    clash = (
        theirs.filter(
            Q(ended_on__gte=starts_on)
            | Q(ended_on__isnull=True, ends_on__gte=starts_on)
            | Q(ended_on__isnull=True, ends_on__isnull=True)
        )
        .filter(starts_on__lte=ends_on or date.max)
        .first()
    )
    if clash:
        raise ValidationError(
            _(
                "The carer already has a contract with this household from %(start)s; end "
                "that one first or start this one after it."
            )
            % {"start": localise.day(clash.starts_on)},
            code="contract_overlaps",
        )
    return HouseholdContract.objects.create(
        cooperative=cooperative, employer=employer, carer=carer, **fields
    )


@transaction.atomic
def end_contract(contract: HouseholdContract, on: date) -> HouseholdContract:
    """End ``contract`` on ``on``, its last day. A fixed-term contract stays fixed-term and a
    permanent one permanent: the end is kept apart from the agreed end (``ended_on``)."""
    contract = HouseholdContract.objects.select_for_update().get(pk=contract.pk)
    if on < contract.starts_on:
        raise ValidationError(
            _("The contract cannot end before it starts."), code="contract_ends_before_start"
        )
    if contract.last_day is not None and contract.last_day < on:
        raise ValidationError(
            _("The contract already ended on %(day)s.") % {"day": localise.day(contract.last_day)},
            code="contract_already_ended",
        )
    later = contract.payslips.filter(month__gt=on).order_by("month").first()
    if later is not None:
        raise ValidationError(
            _("A payslip was made for %(month)s, after that day.")
            % {"month": later.month.strftime("%Y-%m")},
            code="payslip_after_end",
        )
    contract.ended_on = on
    contract.save(update_fields=["ended_on"])
    return contract


@transaction.atomic
def make_payslip(contract: HouseholdContract, month: date) -> HouseholdPayslip:
    """The payslip of ``month`` (any day of it) from the carer's visit records there, made
    again if it was made before; the month's minimum wage and contribution table must exist."""
    month = month.replace(day=1)
    if month > (contract.last_day or month) or month_end(month) < contract.starts_on:
        raise ValidationError(
            _("The contract does not cover %(month)s.") % {"month": month.strftime("%Y-%m")},
            code="month_outside_contract",
        )
    problems = rules.minimum_wage_problems(contract.hourly_rate, month)
    if problems:
        raise ValidationError(problems)
    figures = rules.month_pay(
        month,
        queries.hours_worked(contract, month),
        contract.hourly_rate,
        extras_prorated=contract.extras_prorated,
        earlier_salary=queries.half_year_salary(contract, month),
        fixed_term=contract.fixed_term,
        large_family=contract.employer.large_family,
        contract_starts_on=contract.starts_on,
    )
    slip, _created = HouseholdPayslip.objects.update_or_create(
        contract=contract,
        month=month,
        defaults={
            "hours": figures.hours,
            "salary": figures.salary,
            "extras": figures.extras,
            "gross": figures.gross,
            "bracket": figures.bracket,
            "base": figures.base,
            "employer_total": figures.employer_total,
            "worker_total": figures.worker_total,
            "net": figures.net,
            "lines": [
                {
                    "key": line.key,
                    "payer": line.payer,
                    "base": str(line.base),
                    "rate": str(line.rate),
                    "amount": str(line.amount),
                }
                for line in figures.lines
            ],
        },
    )
    return slip
