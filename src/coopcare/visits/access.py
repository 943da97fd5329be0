"""Which visits a user may act on, and who may read and write a person's handover notes, the
same for pages and the API.

Handover notes are part of the care record:

- coordinators read and write them for every person of the cooperative, and alone mark one
  no longer relevant;
- a carer reads and writes them, and marks them read, while they may see the person
  (``care.access.people_visible_to``: 24 hours either side of a visit with them);
- a circle member granted the visit notes (``CircleMember.may_see_notes``) reads them.

Every read is logged in the care record read log (record "handover").
"""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coopcare.care import access as care_access
from coopcare.care.models import CircleMember, PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.visits.models import HandoverNote, Visit
from coopcare.visits.queries import carer_on_days
from coopcare.work.queries import between_days


def visits_of(user, cooperative, roles) -> QuerySet[Visit]:
    """A coordinator's whole cooperative; a carer only the visits they are rostered on."""
    visits = Visit.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR not in roles:
        visits = visits.filter(carers=user)
    return visits


def visits_on_days(user, cooperative, roles, first: date, last: date) -> QuerySet[Visit]:
    """The visits of :func:`visits_of` on local days ``first`` to ``last``: a carer's found by
    their rows of visits and the start on them (``visits.queries.carer_on_days``)."""
    if Role.COORDINATOR in roles:
        return visits_of(user, cooperative, roles).filter(**between_days("starts_at", first, last))
    return carer_on_days(cooperative, user, first, last)


def handover_writer_of(user, cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may write (and read) their handover notes now: a coordinator,
    or a carer within their hours around a visit to them; 404 otherwise."""
    return get_object_or_404(care_access.people_visible_to(user, cooperative, roles), pk=person_id)


def handover_reader_of(user, cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may read their handover notes now: as a writer may, or as a
    circle member granted the visit notes; 404 otherwise."""
    person = care_access.people_visible_to(user, cooperative, roles).filter(pk=person_id).first()
    if person is not None:
        return person
    if Role.CIRCLE in roles:
        grant = (
            CircleMember.objects.filter(
                user=user,
                person_id=person_id,
                person__cooperative=cooperative,
                revoked_on__isnull=True,
                may_see_notes=True,
            )
            .select_related("person")
            .first()
        )
        if grant is not None:
            return grant.person
    raise Http404


def note_to_acknowledge(user, cooperative, note_id: int) -> HandoverNote:
    """A handover note the carer ``user`` may mark read: on a person they may see now as a
    carer (even when they are a coordinator too, since reading is a carer's part); 404
    otherwise."""
    note = get_object_or_404(
        HandoverNote.objects.select_related("person", "written_by"),
        pk=note_id,
        cooperative=cooperative,
    )
    handover_writer_of(user, cooperative, (Role.CARER,), note.person_id)
    return note


def note_of(cooperative, note_id: int) -> HandoverNote:
    """A handover note of ``cooperative``, for a coordinator; 404 otherwise."""
    return get_object_or_404(
        HandoverNote.objects.select_related("person"), pk=note_id, cooperative=cooperative
    )


def log_handover_reads(user, people, via: str = "web") -> None:
    """Log that ``user`` read the handover notes of each of ``people`` (one insert)."""
    care_access.log_reads(user, people, "handover", via)


def request_grant(user, cooperative, person_id: int) -> CircleMember:
    """The circle grant through which ``user`` asks about the person's visits and reads their
    requests: an active grant of the person's visits (``may_see_visits``); 404 otherwise."""
    grant = care_access.circle_grant(user, cooperative, person_id)
    if not grant.may_see_visits:
        raise Http404
    return grant


def log_request_reads(user, people, via: str = "web") -> None:
    """Log that ``user`` read the requests about visits of each of ``people`` (one insert)."""
    care_access.log_reads(user, people, "visit requests", via)
