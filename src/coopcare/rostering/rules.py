"""Rostering's rules as pure functions of plain values, each citing where it comes from.

Nothing here reads the database: services hand in plain values and act on what comes back.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def absence_removal_problems(first_day: date, today: date) -> list[ValidationError]:
    """A carer removes only days away that start after today.

    Source: the carer's availability page, where carers keep what is still to come. Days away
    that have begun have already shaped the roster (their visits went to colleagues) and the
    record of the days worked; like absences recorded after the fact
    (``availability.add_absence``), they are a coordinator's to change.
    """
    if first_day <= today:
        return [
            ValidationError(
                _("These days away have begun; ask a coordinator to change them."),
                code="absence_begun",
            )
        ]
    return []


def carer_count_problems(carer_ids: list[int], double_handed: bool) -> list[ValidationError]:
    """A visit goes to one carer, or to two different carers together if it is double-handed.

    Source: the person's care plan: a task marked double-handed (two carers together, as for
    moving someone with a hoist) is done by two people, any other by one. A hard rule of a
    roster edit: no reason overrides it.
    """
    problems = []
    if len(set(carer_ids)) != len(carer_ids):
        problems.append(
            ValidationError(_("The same carer is chosen twice."), code="same_carer_twice")
        )
    if len(carer_ids) != (2 if double_handed else 1):
        problems.append(
            ValidationError(
                _("This is a double-handed visit: it needs two different carers together."),
                code="needs_two_carers",
            )
            if double_handed
            else ValidationError(_("This visit needs one carer."), code="needs_one_carer")
        )
    return problems


def contract_hours_problems(
    name: str, minutes: int, contract_hours: Decimal
) -> list[ValidationError]:
    """``minutes`` of visits in a week should stay within the carer's contracted hours.

    Source: the carer's contract (``work.Contract.weekly_hours``). A soft rule of a roster
    edit: hours over the contract are overtime, which a coordinator may ask for with a reason.
    """
    if minutes <= contract_hours * 60:
        return []
    return [
        ValidationError(
            _(
                "%(name)s would have %(hours)s h of visits that week, over the "
                "%(contract)s h of their contract."
            )
            % {"name": name, "hours": round(minutes / 60, 1), "contract": contract_hours},
            code="over_contract_hours",
        )
    ]
