"""API: the retention periods in force (and setting one, with its reason), legal holds placed
and released, and the reports of retention runs (and a run now, or a dry run that writes
nothing)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Id
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.retention import queries, services
from coopcare.retention.models import HoldReason, LegalHold, RetentionRun
from coopcare.retention.rules import MAX_YEARS, MIN_YEARS, Kind

router = Router(tags=["retention"])
READERS = (Role.COORDINATOR, Role.BOARD)
OFFICE = (Role.COORDINATOR,)


class PeriodOut(Schema):
    kind: Kind
    years: int
    counted_from: str = Field(description="The event the period is counted from, in words.")
    source: str = Field(description="The default's source, or the reason the cooperative gave.")
    own: bool = Field(description="Set by the cooperative (false: the country's default).")


class PeriodIn(Schema):
    kind: Kind
    years: int = Field(ge=MIN_YEARS, le=MAX_YEARS)
    reason: str = Field(min_length=1, max_length=2000)


class HoldOut(Schema):
    id: int
    person_id: int
    reason: HoldReason
    note: str
    placed_by_id: int
    placed_at: datetime
    released_by_id: int | None
    released_at: datetime | None


class HoldIn(Schema):
    person_id: Id
    reason: HoldReason
    note: str = Field(default="", max_length=2000)


class KindCount(Schema):
    kind: str
    done: int = Field(description="Rows anonymised or deleted (or, dry, that would be).")
    held: int = Field(description="Rows past their period kept by a hold.")


class RunOut(Schema):
    id: int | None = Field(description="The saved report; null for a dry run.")
    ran_at: datetime | None
    run_by_id: int | None
    counts: list[KindCount]


class RunIn(Schema):
    dry_run: bool = Field(default=False, description="Count what is due, write nothing.")


def _period(period: queries.PeriodInForce) -> PeriodOut:
    return PeriodOut(
        kind=period.kind,
        years=period.years,
        counted_from=str(period.counted_from),
        source=period.source,
        own=period.own is not None,
    )


def _counts(counts: dict) -> list[KindCount]:
    return [KindCount(kind=kind, done=n["done"], held=n["held"]) for kind, n in counts.items()]


def _run(run: RetentionRun) -> RunOut:
    return RunOut(id=run.pk, ran_at=run.ran_at, run_by_id=run.run_by_id, counts=_counts(run.counts))


@router.get(
    "/{coop}/retention/periods", response=list[PeriodOut], summary="Retention periods in force"
)
def periods(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return [_period(p) for p in queries.periods(cooperative)]


@router.post(
    "/{coop}/retention/periods", response={201: PeriodOut}, summary="Set a retention period"
)
def set_period(request, coop: str, payload: PeriodIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    services.set_period(cooperative, payload.kind, payload.years, payload.reason, by=request.auth)
    found = next(p for p in queries.periods(cooperative) if p.kind == payload.kind)
    return Status(201, _period(found))


@router.get("/{coop}/retention/holds", response=list[HoldOut], summary="Legal holds")
def holds(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return list(queries.holds(cooperative))


@router.post("/{coop}/retention/holds", response={201: HoldOut}, summary="Hold a person's records")
def place_hold(request, coop: str, payload: HoldIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, OFFICE)
    person = get_object_or_404(PersonCaredFor, pk=payload.person_id, cooperative=cooperative)
    return Status(
        201, services.place_hold(cooperative, person, payload.reason, payload.note, by=request.auth)
    )


@router.post(
    "/{coop}/retention/holds/{hold_id}/release", response=HoldOut, summary="Release a legal hold"
)
def release_hold(request, coop: str, hold_id: Id):
    cooperative, _roles = resolve_cooperative(request.auth, coop, OFFICE)
    hold = get_object_or_404(LegalHold, pk=hold_id, cooperative=cooperative)
    return services.release_hold(hold, by=request.auth)


@router.get("/{coop}/retention/runs", response=list[RunOut], summary="Reports of retention runs")
def runs(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, READERS)
    return [_run(run) for run in queries.runs(cooperative)[:50]]


@router.post("/{coop}/retention/runs", response={201: RunOut}, summary="Run retention now")
def run_now(request, coop: str, payload: RunIn):
    cooperative, _roles = resolve_cooperative(request.auth, coop, OFFICE)
    report = services.run_retention(cooperative, by=request.auth, dry_run=payload.dry_run)
    if report.run is None:
        return Status(
            201, RunOut(id=None, ran_at=None, run_by_id=None, counts=_counts(report.counts))
        )
    return Status(201, _run(report.run))
