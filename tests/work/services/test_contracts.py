"""Contracts: their terms, no overlap, a change keeps the history, and their end."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.work import queries
from coopcare.work.models import (
    Contract,
    ContractKind,
)
from coopcare.work.services import contracts
from tests import factories
from tests.work.conftest import contract

# -- contracts ------------------------------------------------------------------------------


def test_zero_hours_contracts_are_refused_unless_the_cooperative_allows_them(coop, carer):
    with pytest.raises(ValidationError, match="Zero-hours contracts are not allowed"):
        contract(coop, carer, kind=ContractKind.ZERO_HOURS, weekly_hours=Decimal(0))
    rules = queries.work_rules_of(coop)
    rules.allows_zero_hours = True
    rules.save()
    made = contract(coop, carer, kind=ContractKind.ZERO_HOURS, weekly_hours=Decimal(0))
    assert made.kind == ContractKind.ZERO_HOURS


def test_a_fixed_term_contract_needs_an_end_and_hours(coop, carer):
    with pytest.raises(ValidationError) as refused:
        contract(coop, carer, kind=ContractKind.FIXED_TERM, weekly_hours=Decimal(0))
    assert len(refused.value.messages) == 2
    assert not Contract.objects.exists()


def test_overlapping_contracts_are_refused_and_a_change_keeps_the_history(coop, carer):
    first = contract(coop, carer, starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="overlaps the permanent contract") as refused:
        contract(coop, carer, starts_on=date(2026, 6, 1), weekly_hours=Decimal(36))
    assert refused.value.code == "contract_overlaps"
    second = contracts.start_contract(
        coop,
        carer,
        {
            "kind": ContractKind.PERMANENT,
            "weekly_hours": Decimal(36),
            "starts_on": date(2026, 6, 1),
        },
        replace_current=True,
    )
    first.refresh_from_db()
    assert first.ends_on == date(2026, 5, 31)
    assert queries.contract_on(coop, carer, date(2026, 5, 31)) == first
    assert queries.contract_on(coop, carer, date(2026, 6, 1)) == second
    with pytest.raises(ValidationError, match="overlaps"):
        contract(
            coop,
            carer,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
            kind=ContractKind.FIXED_TERM,
        )


def test_a_contract_ends_on_a_day_from_its_start_and_not_after_it_ended(coop, carer):
    current = contract(coop, carer, starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        contracts.end_contract(current, date(2025, 12, 31))
    assert refused.value.code == "contract_ends_before_start"
    contracts.end_contract(current, date(2026, 6, 30))
    current.refresh_from_db()
    assert current.ends_on == date(2026, 6, 30)
    with pytest.raises(ValidationError) as refused:
        contracts.end_contract(current, date(2026, 7, 31))
    assert refused.value.code == "contract_already_ended"
    # Ending it earlier than it ended is a correction, and allowed.
    contracts.end_contract(current, date(2026, 5, 31))
    current.refresh_from_db()
    assert current.ends_on == date(2026, 5, 31)


def test_only_the_cooperatives_workers_get_contracts(coop):
    outsider = factories.UserFactory()
    with pytest.raises(ValidationError, match="does not work for this cooperative"):
        contract(coop, outsider)
