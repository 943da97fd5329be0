"""Checks of the carers' rows of visits (``VisitCarer``) against their visits, for the tests
that write visits every way there is."""

from datetime import timedelta

from django.db.models import F

from coopcare.visits.models import KNOWN_WEEKS, VisitCarer, VisitStatus


def drifted():
    """The rows whose start is not their visit's."""
    return VisitCarer.objects.exclude(starts_at=F("visit__starts_at"))


def misknown() -> list[VisitCarer]:
    """The rows whose person is not their visit's, or whose ``known`` is not what the
    definition gives, worked out row by row: the carer had visited the person, on a visit not
    cancelled, in the ``KNOWN_WEEKS`` before (of two at the same moment, the one made first
    counts as before)."""
    rows = list(VisitCarer.objects.select_related("visit"))
    live = [r for r in rows if r.visit.status != VisitStatus.CANCELLED]

    def knew(row: VisitCarer) -> bool:
        since = row.visit.starts_at - timedelta(weeks=KNOWN_WEEKS)
        return any(
            other.visit.person_id == row.visit.person_id
            and other.carer_id == row.carer_id
            and since <= other.visit.starts_at
            and (other.visit.starts_at, other.visit_id) < (row.visit.starts_at, row.visit_id)
            for other in live
        )

    return [r for r in rows if r.person_id != r.visit.person_id or r.known != knew(r)]
