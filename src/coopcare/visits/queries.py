"""What the coordinators' follow-up page lists: read-only selections of visit records, visits,
incidents and wrong confirmation codes of one cooperative."""

from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from coopcare.visits.models import (
    Incident,
    Visit,
    VisitRecord,
    VisitStatus,
    WrongConfirmationCode,
)

# How far back the follow-up page looks. Two weeks: a record still needing something stays
# listed through a coordinator's week away and the next week's round of timesheets, and the
# lists stay short enough to be worked through; older ones are settled on the timesheets.
# The page says "the last two weeks": change its wording with this.
FOLLOW_UP_WINDOW = timedelta(days=14)
# A check-in with no check-out after this long is listed as left open. Four hours is longer
# than the visits care plans hold (most last under an hour, the longest a few), so such a
# record is almost surely a forgotten check-out rather than a visit still under way. The page
# says "after four hours": change its wording with this.
OPEN_CHECK_IN_AFTER = timedelta(hours=4)


def wrong_codes(cooperative, since: datetime) -> list[dict]:
    """Wrong confirmation codes since ``since``, one row per visit and carer with how many and
    the last one, latest first: repeated failures may be someone guessing the person's code."""
    return list(
        WrongConfirmationCode.objects.filter(visit__cooperative=cooperative, at__gte=since)
        .values(
            "visit_id",
            "visit__starts_at",
            "visit__person_id",
            "visit__person__full_name",
            "carer__first_name",
            "carer__last_name",
            "carer__username",
        )
        .annotate(tries=Count("pk"), last_at=Max("at"))
        .order_by("-last_at")[:50]
    )


def follow_up(cooperative, now: datetime | None = None) -> dict:
    """What needs a coordinator, as of ``now``: visits to verify, late uploads, steps not done,
    check-ins left open, past visits with no record (all of the last ``FOLLOW_UP_WINDOW``),
    open incidents, and wrong confirmation codes."""
    now = now or timezone.now()
    since = now - FOLLOW_UP_WINDOW
    records = VisitRecord.objects.filter(
        visit__cooperative=cooperative, checked_in_at__gte=since
    ).select_related("person", "carer", "visit")
    return {
        "unverified": records.filter(checked_out_at__isnull=False, verified_how="")[:100],
        "late": records.filter(uploaded_late=True)[:50],
        "not_done": records.filter(outcomes__done=False)
        .prefetch_related("outcomes")
        .distinct()[:50],
        "open_checkins": records.filter(
            checked_out_at__isnull=True, checked_in_at__lt=now - OPEN_CHECK_IN_AFTER
        )[:50],
        "unrecorded": Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            ends_at__lt=now,
            ends_at__gte=since,
        ).select_related("person", "task")[:100],
        "incidents": Incident.objects.filter(
            cooperative=cooperative, closed_on=None
        ).select_related("person", "reported_by"),
        "wrong_codes": wrong_codes(cooperative, since),
    }
