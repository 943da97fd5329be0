"""Sharing out a financial year's surplus per the statutes (reserve, mutual fund, refunds)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.cooperatives.models import Cooperative
from coopcare.work import rules
from coopcare.work.models import PatronageRefund, SurplusAllocation
from coopcare.work.queries import member_hours


def allocation_problems(cooperative, fields: dict) -> list[ValidationError]:
    """What is wrong with a surplus allocation, each problem with its code."""
    problems = []
    if fields["surplus"] <= 0:
        problems.append(
            ValidationError(
                _(
                    "Only a surplus is shared out. A loss is covered from the reserves, as the "
                    "statutes say, and nothing is distributed."
                ),
                code="no_surplus",
            )
        )
    if fields["ends_on"] <= fields["starts_on"]:
        problems.append(
            ValidationError(
                _("The financial year ends before it starts."), code="year_ends_before_start"
            )
        )
    if fields["reserve_percent"] + fields["mutual_fund_percent"] > 100:
        problems.append(
            ValidationError(
                _("The reserve and the mutual fund cannot take more than the surplus."),
                code="funds_above_surplus",
            )
        )
    clash = SurplusAllocation.objects.filter(
        cooperative=cooperative, starts_on__lte=fields["ends_on"], ends_on__gte=fields["starts_on"]
    ).first()
    if clash:
        problems.append(
            ValidationError(
                _("The surplus of the year from %(day)s was already shared out.")
                % {"day": localise.day(clash.starts_on)},
                code="surplus_already_shared",
            )
        )
    return problems


@transaction.atomic
def allocate_surplus(cooperative: Cooperative, fields: dict, by) -> SurplusAllocation:
    """Share out a year's surplus: legal reserve, mutual fund, then patronage refunds to worker
    members in proportion to hours worked (c.c. art. 2545-sexies), the rest to reserves.

    Every amount is exact to the cent and the parts add up to the surplus.
    """
    list(SurplusAllocation.objects.select_for_update().filter(cooperative=cooperative))
    problems = allocation_problems(cooperative, fields)
    hours = {} if problems else member_hours(cooperative, fields["starts_on"], fields["ends_on"])
    if not problems and not hours:
        problems.append(
            ValidationError(
                _("No worker member has approved hours in that year, so refunds cannot be shared."),
                code="no_member_hours",
            )
        )
    if problems:
        raise ValidationError(problems)
    split = rules.split_surplus(
        fields["surplus"],
        fields["reserve_percent"],
        fields["mutual_fund_percent"],
        fields["refund_percent"],
    )
    allocation = SurplusAllocation.objects.create(
        cooperative=cooperative,
        reserve=split.reserve,
        mutual_fund=split.mutual_fund,
        refunds=split.refunds,
        other_reserves=split.other_reserves,
        hours_worked=sum(hours.values()),
        decided_by=by,
        **fields,
    )
    amounts = rules.split_to_cent(split.refunds, list(hours.values()))
    PatronageRefund.objects.bulk_create(
        PatronageRefund(allocation=allocation, member=member, hours=worked, amount=amount)
        for (member, worked), amount in zip(hours.items(), amounts, strict=True)
    )
    return allocation
