"""The coordinators' week at a glance, for the dashboard and the API: each figure is counted
by the query of the app it belongs to; this module only gathers them. Also the history of
the forms of care the cooperative runs."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from coopcare.cooperatives.models import Cooperative, FormOfCareChange
from coopcare.risks import queries as risks
from coopcare.rostering import queries as rostering
from coopcare.visits import queries as visits
from coopcare.work import queries as work


@dataclass(frozen=True)
class ThisWeek:
    """What a coordinator handles first on a Monday morning (each with the span it counts)."""

    short_of_carers: int  # visits in the next ``short_of_carers_days`` without enough carers
    short_of_carers_days: int
    carers_away: int  # carers away today
    late_to_start: int  # visits nobody has checked in to, past the grace
    open_incidents: int
    reviews_due: int  # reviews of care plans and risks due within ``reviews_due_days``
    reviews_due_days: int
    qualifications_expiring: int  # within ``qualifications_expiring_days``
    qualifications_expiring_days: int


def this_week(cooperative: Cooperative, now: datetime | None = None) -> ThisWeek:
    """``cooperative``'s week at ``now``, as the lists behind each figure count it: the
    roster's board (``rostering.queries.short_of_carers``), who is away
    (``carers_away_on``), the visits late to start (``visits.queries.late_to_start``), the
    follow-up page's open incidents, the reviews due (``risks.queries.people_due``) and the
    qualifications expiring (``work.queries.expiring``). A bounded number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return ThisWeek(
        short_of_carers=rostering.short_of_carers(cooperative, now),
        short_of_carers_days=rostering.SHORT_OF_CARERS_DAYS,
        carers_away=rostering.carers_away_on(cooperative, today),
        late_to_start=visits.late_to_start(cooperative, now).count(),
        open_incidents=visits.open_incidents(cooperative).count(),
        reviews_due=len(risks.people_due(cooperative, today)),
        reviews_due_days=risks.DUE_SOON_DAYS,
        qualifications_expiring=len(work.expiring(cooperative, today)),
        qualifications_expiring_days=work.EXPIRING_WITHIN_DAYS,
    )


def forms_of_care_changes(cooperative: Cooperative) -> QuerySet[FormOfCareChange]:
    """Each form of care switched on or off, newest first, with who did it."""
    return FormOfCareChange.objects.filter(cooperative=cooperative).select_related("by")
