"""Actions of rostering: the home of its actions that change state, from now on.

Each action writes what belongs together in one transaction, checks its rules (pure checks in
``rostering.rules``) and raises ``ValidationError``, writing nothing, when one is broken.
Actions written before this module (in ``availability``, ``edits``, ``publishing``, ``runs``
and ``voice``) move here as they are next changed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coopcare.rostering import rules
from coopcare.rostering.models import Absence, Availability


@transaction.atomic
def remove_slot(slot: Availability) -> None:
    """Remove usual hours a carer gave; the next roster runs without them."""
    slot.delete()


@transaction.atomic
def remove_absence(absence: Absence, today: date | None = None) -> None:
    """Remove days away a carer recorded, if they start after ``today`` (the local date
    unless given): ``rules.absence_removal_problems``."""
    problems = rules.absence_removal_problems(absence.first_day, today or timezone.localdate())
    if problems:
        raise ValidationError(problems)
    absence.delete()
