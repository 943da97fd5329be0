"""Contracts: a new one (ending the open-ended one it follows, if asked) and the end of one.
A contract is never rewritten: a change is a new contract."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.cooperatives.models import Cooperative
from coopcare.work import rules
from coopcare.work.models import Contract
from coopcare.work.queries import work_rules_of
from coopcare.work.services._common import check_worker


@transaction.atomic
def start_contract(
    cooperative: Cooperative, carer, fields: dict, by=None, replace_current: bool = False
) -> Contract:
    """Record a new contract. With ``replace_current``, the open-ended contract it follows
    ends the day before; any other overlap is refused, so history is never rewritten."""
    check_worker(cooperative, carer)
    problems = rules.contract_problems(fields, work_rules_of(cooperative))
    if problems:
        raise ValidationError(problems)
    mine = Contract.objects.select_for_update().filter(cooperative=cooperative, carer=carer)
    starts_on, ends_on = fields["starts_on"], fields.get("ends_on")
    current = mine.filter(ends_on__isnull=True, starts_on__lt=starts_on).first()
    if replace_current and current:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    clash = mine.overlapping(starts_on, ends_on or None).first()
    if clash:
        raise ValidationError(
            _(
                "This contract overlaps the %(kind)s contract from %(start)s; end that one first "
                "or start this one after it."
            )
            % {"kind": clash.get_kind_display(), "start": localise.day(clash.starts_on)},
            code="contract_overlaps",
        )
    return Contract.objects.create(cooperative=cooperative, carer=carer, recorded_by=by, **fields)


@transaction.atomic
def end_contract(contract: Contract, on: date) -> Contract:
    """End a contract on ``on`` (its last day)."""
    if on < contract.starts_on:
        raise ValidationError(
            _("The contract cannot end before it starts."), code="contract_ends_before_start"
        )
    if contract.ends_on and contract.ends_on < on:
        raise ValidationError(
            _("The contract already ended on %(day)s.") % {"day": localise.day(contract.ends_on)},
            code="contract_already_ended",
        )
    contract.ends_on = on
    contract.save(update_fields=["ends_on"])
    return contract
