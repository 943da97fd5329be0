"""Rostering's rules as pure functions of plain values, each citing where it comes from.

Nothing here reads the database: services hand in plain values and act on what comes back.
"""

from datetime import date

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
