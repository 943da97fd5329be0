"""Who may see a carer's photo.

The carer sees their own, and the cooperative's coordinators see every carer's. The circle
of a person cared for sees the photo of a carer who is coming to the person in the next 7
days or came in the last 6 weeks (the person's team, ``care.queries.team_of``), and only
while the carer agrees that it is shown (``CarerPhoto.shown_since``). Anyone else gets a 404,
the same as for a carer with no photo, so that the answer says nothing of whether there is
one. The file is never a public URL: the views and the API answer it through
``photo_response``, which no shared cache keeps.
"""

from datetime import datetime

from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control

from coopcare.care.models import CircleMember
from coopcare.care.queries import TEAM_AHEAD, TEAM_BEHIND
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.visits.models import VisitRecord, VisitStatus
from coopcare.visits.queries import carer_between
from coopcare.work.models import CarerPhoto


def serves_circle_of(user, cooperative: Cooperative, carer_id: int, now: datetime) -> bool:
    """Whether ``carer_id`` is coming in the next 7 days, or came in the last 6 weeks, to a
    person in whose circle ``user`` holds an active grant."""
    people = CircleMember.objects.filter(
        user=user, person__cooperative=cooperative, revoked_on__isnull=True
    ).values("person_id")
    coming = carer_between(cooperative, carer_id, now, now + TEAM_AHEAD).filter(
        person_id__in=people, status=VisitStatus.PLANNED
    )
    came = VisitRecord.objects.filter(
        person_id__in=people,
        carer_id=carer_id,
        checked_in_at__gte=now - TEAM_BEHIND,
        checked_in_at__lt=now,
    )
    return coming.exists() or came.exists()


def visible_photo(
    user, cooperative: Cooperative, roles, carer_id: int, now: datetime
) -> CarerPhoto:
    """The carer's photo, if ``user`` may see it; 404 otherwise."""
    photo = CarerPhoto.objects.filter(cooperative=cooperative, carer_id=carer_id).first()
    if photo is None:
        raise Http404
    if carer_id == user.pk or Role.COORDINATOR in roles:
        return photo
    if photo.shown and Role.CIRCLE in roles and serves_circle_of(user, cooperative, carer_id, now):
        return photo
    raise Http404


def photo_response(photo: CarerPhoto) -> FileResponse:
    """The photo's file, shown in the page, kept by no cache: withdrawing the agreement
    hides it at the next request."""
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
