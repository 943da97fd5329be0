"""Who may see a family caregiver's record, and the log of every read of it.

- Coordinators see the caregivers of their cooperative.
- A carer sees a caregiver only around the respite visits they make to the person the
  caregiver cares for, within ``care.access.CARE_ACCESS_WINDOW`` of the visit, as for the
  person's own records.
- A caregiver with a login sees their own record.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coopcare.care.access import CARE_ACCESS_WINDOW
from coopcare.care.models import ServiceType
from coopcare.cooperatives.models import Role
from coopcare.respite.models import Caregiver, CaregiverRead


def caregivers_visible_to(user, cooperative, roles, now=None) -> QuerySet[Caregiver]:
    """The caregivers whose record ``user`` may open in ``cooperative``."""
    caregivers = Caregiver.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR in roles:
        return caregivers
    seen = Q(user=user)
    if Role.CARER in roles:
        now = now or timezone.now()
        seen |= Q(
            cares_for__visits__carers=user,
            cares_for__visits__task__service_type=ServiceType.SITTING,
            cares_for__visits__starts_at__lte=now + CARE_ACCESS_WINDOW,
            cares_for__visits__ends_at__gte=now - CARE_ACCESS_WINDOW,
        )
    return caregivers.filter(seen).distinct()


def visible_caregiver(user, cooperative, roles, caregiver_id: int) -> Caregiver:
    """The caregiver, if ``user`` may see them now; 404 otherwise."""
    return get_object_or_404(
        caregivers_visible_to(user, cooperative, roles).select_related("cares_for"),
        pk=caregiver_id,
    )


# What a read of a caregiver showed: their record, or their line in the list of caregivers.
RECORD = "record"
LIST = "list"


def log_read(user, caregiver: Caregiver, record: str = RECORD, via: str = "web") -> None:
    """Record that ``user`` read ``record`` of ``caregiver`` (GDPR art. 9 and 30)."""
    CaregiverRead.objects.create(
        cooperative_id=caregiver.cooperative_id,
        caregiver=caregiver,
        user=user,
        record=record,
        via=via,
    )


def log_reads(user, caregivers, record: str = LIST, via: str = "web") -> None:
    """Record that ``user`` read ``record`` of each of ``caregivers`` (one insert for all)."""
    CaregiverRead.objects.bulk_create(
        CaregiverRead(
            cooperative_id=c.cooperative_id, caregiver=c, user=user, record=record, via=via
        )
        for c in caregivers
    )
