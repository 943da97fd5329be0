"""Carers' availability: their usual weekly hours and their days away (leave, sickness).
What they give here is read by the planner and the roster edits through
``rostering.queries.availability``."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.rostering import rules
from coopcare.rostering.models import Absence, Availability
from coopcare.rostering.queries import published_visits_between


@transaction.atomic
def add_slot(
    cooperative: Cooperative, carer, weekday: int, starts: time, ends: time
) -> Availability:
    """Add usual hours on a weekday; slots of one day may not overlap."""
    if ends <= starts:
        raise ValidationError(_("The end must be after the start."), code="slot_ends_before_start")
    clash = Availability.objects.filter(
        cooperative=cooperative, carer=carer, weekday=weekday, starts__lt=ends, ends__gt=starts
    ).first()
    if clash:
        raise ValidationError(
            _("This overlaps your hours %(slot)s; change that one instead.") % {"slot": clash},
            code="slot_overlaps",
        )
    return Availability.objects.create(
        cooperative=cooperative, carer=carer, weekday=weekday, starts=starts, ends=ends
    )


@transaction.atomic
def add_absence(cooperative: Cooperative, carer, fields: dict) -> tuple[Absence, int]:
    """Record days away; returns the absence and how many published visits it clashes with
    (the coordinators see those on the roster page and give them to someone else)."""
    first, last = fields["first_day"], fields["last_day"]
    if last < first:
        raise ValidationError(
            _("The last day must be on or after the first."), code="period_reversed"
        )
    if last < timezone.localdate():
        raise ValidationError(
            _("These days are over; tell a coordinator about past absences."),
            code="absence_in_past",
        )
    clash = Absence.objects.filter(
        cooperative=cooperative, carer=carer, first_day__lte=last, last_day__gte=first
    ).first()
    if clash:
        raise ValidationError(
            _("You already recorded %(absence)s for some of these days.") % {"absence": clash},
            code="absence_overlaps",
        )
    absence = Absence.objects.create(cooperative=cooperative, carer=carer, **fields)
    return absence, published_visits_between(cooperative, carer, first, last).count()


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
