"""When carers can work: their usual weekly hours, and days away (leave, sickness)."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.rostering.models import Absence, Availability
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work.services import between_days


@dataclass(frozen=True)
class DayAvailability:
    """One carer on one day. ``slots`` None: they gave no usual hours, so any time will do."""

    slots: tuple[tuple[time, time], ...] | None
    absence: Absence | None = None

    @property
    def away(self) -> bool:
        return self.absence is not None or self.slots == ()

    def covers(self, start: time, end: time) -> bool:
        """Whether the carer can work from ``start`` to ``end`` (local times of this day)."""
        if self.absence is not None:
            return False
        if self.slots is None:
            return True
        return any(a <= start and end <= b for a, b in self.slots)

    def describe(self) -> str:
        if self.absence is not None:
            return _("away (%(why)s)") % {"why": self.absence.get_kind_display()}
        if self.slots is None:
            return _("any time")
        if not self.slots:
            return _("not available")
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.slots)


def availability(
    cooperative: Cooperative, carer_ids, first: date, last: date
) -> dict[tuple[int, date], DayAvailability]:
    """Each carer's availability on each day from ``first`` to ``last`` (two queries)."""
    carer_ids = list(carer_ids)
    usual: dict[int, dict[int, list]] = {carer: {} for carer in carer_ids}
    for slot in Availability.objects.filter(cooperative=cooperative, carer_id__in=carer_ids):
        usual[slot.carer_id].setdefault(slot.weekday, []).append((slot.starts, slot.ends))
    away = {}
    for absence in Absence.objects.filter(
        cooperative=cooperative, carer_id__in=carer_ids, first_day__lte=last, last_day__gte=first
    ).order_by("-first_day"):
        day = max(absence.first_day, first)
        while day <= min(absence.last_day, last):
            away[absence.carer_id, day] = absence
            day += timedelta(days=1)
    found = {}
    for carer in carer_ids:
        day = first
        while day <= last:
            slots = None
            if usual[carer]:
                slots = tuple(sorted(usual[carer].get(day.weekday(), ())))
            found[carer, day] = DayAvailability(slots, away.get((carer, day)))
            day += timedelta(days=1)
    return found


def add_slot(cooperative: Cooperative, carer, weekday: int, starts: time, ends: time):
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


def published_visits_between(cooperative: Cooperative, carer, first: date, last: date):
    """The carer's planned visits (from the published roster) from ``first`` to ``last``."""
    return Visit.objects.filter(
        cooperative=cooperative,
        carers=carer,
        status=VisitStatus.PLANNED,
        **between_days("starts_at", first, last),
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
