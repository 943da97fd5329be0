"""Who takes part in a person's conversation, the same for pages, the API and the notices.

A conversation holds care records, so it is as narrow as the person's record:

- the office: the coordinators of the person's cooperative;
- the person's circle: members whose active grant lets them write (``CircleMember.may_message``),
  with a login and the circle role;
- the person's regular carers: carers of the cooperative rostered on a visit to the person
  (not cancelled) that began in the last 6 weeks or begins in the next 7 days, the weeks of
  the team the circle chooses from (``care.queries.team_of``), unless the person refused them.
  A carer who no longer comes loses the thread once their last visit is 6 weeks old, as their
  reach to the record itself ends with their window (``care.access``).

Everyone else gets 404, another cooperative's user included. Every read of the thread is
logged in the care record read log (record "conversation").
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coopcare.care import access as care_access
from coopcare.care.models import CircleMember, PersonCaredFor
from coopcare.care.queries import TEAM_AHEAD, TEAM_BEHIND
from coopcare.conversations.models import Message, Side
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.queries import carer_between

# The roles that may open a conversation at all; each is narrowed to its people below.
TAKING_PART = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)


def _serving_visits(cooperative, now: datetime) -> QuerySet[Visit]:
    return Visit.objects.filter(
        cooperative=cooperative,
        starts_at__gte=now - TEAM_BEHIND,
        starts_at__lt=now + TEAM_AHEAD,
    ).exclude(status=VisitStatus.CANCELLED)


def _carer_serving(cooperative, carer, now: datetime) -> QuerySet[Visit]:
    """The carer's visits of :func:`_serving_visits`, found by the carer's rows of visits."""
    return carer_between(cooperative, carer, now - TEAM_BEHIND, now + TEAM_AHEAD).exclude(
        status=VisitStatus.CANCELLED
    )


def _messaging_grants(cooperative) -> QuerySet[CircleMember]:
    return CircleMember.objects.filter(
        person__cooperative=cooperative,
        revoked_on__isnull=True,
        may_message=True,
        user__isnull=False,
        user__cooperative_roles__cooperative=cooperative,
        user__cooperative_roles__role=Role.CIRCLE,
    )


def side_of(user, cooperative, roles, person: PersonCaredFor, now=None) -> Side | None:
    """The capacity in which ``user`` takes part in the person's conversation, or None: the
    office first, for someone who is a coordinator and a carer too."""
    if person.cooperative_id != cooperative.pk:
        return None
    if Role.COORDINATOR in roles:
        return Side.OFFICE
    now = now or timezone.now()
    if (
        Role.CARER in roles
        and _carer_serving(cooperative, user, now).filter(person=person).exists()
        and not person.refused_carers.filter(pk=user.pk).exists()
    ):
        return Side.CARER
    if (
        Role.CIRCLE in roles
        and _messaging_grants(cooperative).filter(person=person, user=user).exists()
    ):
        return Side.CIRCLE
    return None


def conversation_of(user, cooperative, roles, person_id: int, now=None):
    """The person and the capacity in which ``user`` takes part in their conversation; 404
    for anyone who does not."""
    person = get_object_or_404(PersonCaredFor, pk=person_id, cooperative=cooperative)
    side = side_of(user, cooperative, roles, person, now)
    if side is None:
        raise Http404
    return person, side


def message_of(cooperative, message_id: int) -> Message:
    """A message of ``cooperative``, for the office; 404 otherwise."""
    return get_object_or_404(
        Message.objects.select_related("conversation__person", "author"),
        pk=message_id,
        conversation__cooperative=cooperative,
    )


def people_of(user, cooperative, roles, now=None) -> QuerySet[PersonCaredFor]:
    """The people in whose conversation ``user`` takes part."""
    people = PersonCaredFor.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR in roles:
        return people
    now = now or timezone.now()
    ids: set[int] = set()
    if Role.CARER in roles:
        ids |= set(
            _carer_serving(cooperative, user, now)
            .exclude(person__refused_carers=user)
            # Each person once, from the database: the carer's six weeks of visits are a few
            # hundred rows for a dozen people (issue 27).
            .order_by()
            .values_list("person_id", flat=True)
            .distinct()
        )
    if Role.CIRCLE in roles:
        ids |= set(
            _messaging_grants(cooperative).filter(user=user).values_list("person_id", flat=True)
        )
    return people.filter(pk__in=ids)


def participants(person: PersonCaredFor, now=None) -> list:
    """Everyone who takes part in the person's conversation now: the coordinators, the circle
    members who may write, the regular carers."""
    cooperative = person.cooperative
    now = now or timezone.now()
    holding = CooperativeRole.objects.filter(cooperative=cooperative)
    coordinators = holding.filter(role=Role.COORDINATOR).values("user_id")
    carers = holding.filter(role=Role.CARER).values("user_id")
    serving = _serving_visits(cooperative, now).filter(person=person).values("carers")
    circle = _messaging_grants(cooperative).filter(person=person).values("user_id")
    regular = Q(pk__in=serving) & Q(pk__in=carers) & ~Q(pk__in=person.refused_carers.values("pk"))
    return list(
        get_user_model()
        .objects.filter(Q(pk__in=coordinators) | regular | Q(pk__in=circle))
        .select_related("profile")
        .order_by("pk")
    )


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's conversation (GDPR art. 9 and 30)."""
    care_access.log_read(user, person, "conversation", via=via)
