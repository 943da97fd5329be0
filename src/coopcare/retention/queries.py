"""Reads of retention shared by the pages, the API and the daily run, each scoped to one
cooperative: the periods in force, the people held, the holds and the runs."""

from dataclasses import dataclass

from django.db.models import QuerySet

from coopcare.cooperatives.models import Cooperative
from coopcare.retention import rules
from coopcare.retention.models import LegalHold, RetentionPeriod, RetentionRun
from coopcare.retention.rules import Kind
from coopcare.visits.models import Incident
from coopcare.voice.models import Complaint, Step


@dataclass(frozen=True)
class PeriodInForce:
    """A kind's period in force: the cooperative's own (with its reason) or the default (with
    its source)."""

    kind: Kind
    years: int
    source: str
    own: RetentionPeriod | None

    @property
    def counted_from(self):
        return rules.COUNTED_FROM[self.kind]


def periods(cooperative: Cooperative) -> list[PeriodInForce]:
    """Every kind's period in force in ``cooperative``, in the order of ``Kind``."""
    latest: dict[str, RetentionPeriod] = {}
    for row in RetentionPeriod.objects.filter(cooperative=cooperative).select_related("set_by"):
        latest.setdefault(row.kind, row)  # ordered newest first
    found = []
    for kind in Kind:
        own = latest.get(kind)
        if own is not None:
            found.append(PeriodInForce(kind, own.years, own.reason, own))
        else:
            default = rules.default_period(cooperative.country, kind)
            found.append(PeriodInForce(kind, default.years, default.source, None))
    return found


def period_history(cooperative: Cooperative) -> QuerySet[RetentionPeriod]:
    """Every period the cooperative set, newest first."""
    return RetentionPeriod.objects.filter(cooperative=cooperative).select_related("set_by")


def holds(cooperative: Cooperative) -> QuerySet[LegalHold]:
    """The cooperative's legal holds, open ones first, newest first."""
    return (
        LegalHold.objects.filter(cooperative=cooperative)
        .select_related("person", "placed_by", "released_by")
        .order_by("released_at", "-placed_at", "-pk")
    )


def held_people(cooperative: Cooperative) -> set[int]:
    """The ids of the people whose records nothing may anonymise or delete now: an open legal
    hold, an incident not closed yet (under investigation) or a complaint not closed."""
    held = set(
        LegalHold.objects.filter(cooperative=cooperative, released_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    held |= set(
        Incident.objects.filter(cooperative=cooperative, closed_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    held |= set(
        Complaint.objects.filter(cooperative=cooperative)
        .exclude(status=Step.CLOSED)
        .values_list("person_id", flat=True)
    )
    return held


def runs(cooperative: Cooperative) -> QuerySet[RetentionRun]:
    """The cooperative's retention runs, newest first."""
    return RetentionRun.objects.filter(cooperative=cooperative).select_related("run_by")
