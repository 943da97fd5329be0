"""The actions on visits, each one transaction that writes everything or nothing.

Generation: visits come from care plans for a horizon; generating again never duplicates a
visit, and leaves out the days of a person's care breaks (a pause, a hospital stay, the end of
care).

Cancelling: visits cancelled for a care break or one by one, each with who asked and why
(``Cancellation``); a break's visits are planned again when care resumes. Taking them off
rosters and telling carers is rostering's part (``rostering.services.care_status`` and
``rostering.services.visit_changes`` call these).

Recording: check-in, check-out, verification, missed visits and incidents; handover notes for
the next carer (written at check-out or on their own), read and marked no longer relevant.
Check-ins and check-outs carry the time on the carer's device and an id the device made, so
that an upload retried after a lost connection is recognised and never doubled, and an upload
that arrives late is accepted and flagged for the coordinators. An action raises
ValidationError and writes nothing when a rule (``visits.rules``) says no; the one exception is
a wrong confirmation code, whose record outlives the refused check-out so that guessing the
code is limited (see ``check_out``).
"""

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopcare import localise
from coopcare.care.models import CarePlan, CareStatus, ConsentKind, PersonCaredFor, Verification
from coopcare.care.services import active_consent, change_status
from coopcare.privacy.restriction import refuse_new_processing
from coopcare.shared import days
from coopcare.visits import conditions, rules
from coopcare.visits.models import (
    BreakKind,
    Cancellation,
    CareBreak,
    HandoverAcknowledgement,
    HandoverNote,
    Incident,
    Requester,
    StepOutcome,
    VerifiedHow,
    Visit,
    VisitCarer,
    VisitRecord,
    VisitStatus,
    WrongConfirmationCode,
    reckon_known,
    touched,
    touched_by,
)

# -- the carers of a visit ---------------------------------------------------------------------
# Every row of a visit's carers carries the visit's start and person (``VisitCarer``), which the
# carer's pages find their visits by, and whether the person knew the carer: rows are written
# here, never by ``visit.carers.add`` alone.


def carer_row(visit: Visit, carer_id: int) -> VisitCarer:
    """The unsaved row that puts the carer ``carer_id`` on ``visit``, with its start and
    person (``put_carers`` saves such rows)."""
    return VisitCarer(visit=visit, carer_id=carer_id, **_copies(visit))


@transaction.atomic
def put_carers(rows: Iterable[VisitCarer]) -> list[VisitCarer]:
    """Save new rows of carers on visits (``carer_row``) at once, and whether each person
    knew each carer, and the carers' later visits to them."""
    created = VisitCarer.objects.bulk_create(rows)
    reckon_known((row.person_id, row.carer_id, row.starts_at) for row in created)
    return created


@transaction.atomic
def take_off(rows: QuerySet[VisitCarer]) -> None:
    """Take carers off visits: delete ``rows``, and work out again whether the people knew
    those carers on their later visits."""
    were = touched(rows)
    rows.delete()
    reckon_known(were)


@transaction.atomic
def set_carers(visit: Visit, carers: Iterable) -> None:
    """Make ``carers`` (users or their ids) the carers of ``visit``, and no one else."""
    touched = touched_by([visit.pk])
    visit.carers.set(carers, through_defaults=_copies(visit))
    reckon_known(touched + touched_by([visit.pk]))


@transaction.atomic
def add_carer(visit: Visit, carer) -> None:
    """Put ``carer`` (a user or their id) on ``visit`` beside its other carers."""
    visit.carers.add(carer, through_defaults=_copies(visit))
    reckon_known(touched_by([visit.pk]))


def _copies(visit: Visit) -> dict:
    """What each carer's row copies from its visit."""
    return {"starts_at": visit.starts_at, "person_id": visit.person_id}


# -- generating visits from care plans ---------------------------------------------------------

HORIZON_DAYS = 28


def local_moment(day: date, at: time = time.min) -> datetime:
    """``day`` at ``at`` in the cooperative's time zone (the install's, ``settings.TIME_ZONE``).
    The clock arithmetic is ``shared.days``; this binds the zone."""
    return days.local_moment(day, at, ZoneInfo(settings.TIME_ZONE))


def _plan_windows(person: PersonCaredFor, start: date, end: date):
    """Each plan version with the dates it applies to within [start, end]."""
    plans = list(person.plans.order_by("valid_from", "version").prefetch_related("tasks"))
    for plan, following in zip(plans, [*plans[1:], None], strict=True):
        first = max(start, plan.valid_from)
        last = min(end, following.valid_from - timedelta(days=1)) if following else end
        if first <= last:
            yield plan, first, last


def _occurrences(plan: CarePlan, task, first: date, last: date):
    rule = rrulestr(task.rrule, dtstart=local_moment(plan.valid_from, task.start_time))
    # A second before midnight, so that a task at 00:00 on the first day is not left out
    # (``between`` without ``inc`` excludes an occurrence on the bound itself).
    after = local_moment(first) - timedelta(seconds=1)
    return rule.between(after, local_moment(last + timedelta(days=1)), inc=False)


@transaction.atomic
def generate_visits(person: PersonCaredFor, start: date, end: date) -> int:
    """Create the planned visits of ``person`` from ``start`` to ``end`` (inclusive) from the
    plan version that applies on each day, except on the days of a care break. Returns how
    many were new."""
    before = Visit.objects.filter(person=person).count()
    breaks = list(person.care_breaks.all())
    visits = [
        Visit(
            cooperative_id=person.cooperative_id,
            person=person,
            plan=plan,
            task=task,
            starts_at=when,
            # Added on UTC: on a clock-change night, local wall time would gain or lose an hour.
            ends_at=when.astimezone(UTC) + timedelta(minutes=task.duration_minutes),
            double_handed=task.double_handed,
        )
        for plan, first, last in _plan_windows(person, start, end)
        for task in plan.tasks.all()
        for when in _occurrences(plan, task, first, last)
        if not any(b.covers(when.date()) for b in breaks)
    ]
    # The unique (task, start) constraint makes re-running a no-op for visits already there.
    Visit.objects.bulk_create(visits, ignore_conflicts=True)
    return Visit.objects.filter(person=person).count() - before


def generate_horizon(person: PersonCaredFor, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate ``days`` of visits from ``start`` (four weeks by default)."""
    return generate_visits(person, start, start + timedelta(days=days - 1))


def generate_for_cooperative(cooperative, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate the coming ``days`` of visits for every person in care: active, paused (the
    days after the pause), or ending after ``start`` (the days before the end). Pauses whose
    last day is over first end (``end_pauses_due``)."""
    end_pauses_due(cooperative, timezone.localdate())
    people = PersonCaredFor.objects.filter(cooperative=cooperative).filter(
        Q(status=CareStatus.ACTIVE)
        | Q(
            status=CareStatus.PAUSED,
            care_breaks__resumed_on__isnull=True,
            care_breaks__last_day__gte=start,
        )
        | Q(
            status=CareStatus.ENDED,
            care_breaks__kind=BreakKind.END,
            care_breaks__resumed_on__isnull=True,
            care_breaks__first_day__gt=start,
        )
    )
    return sum(generate_horizon(person, start, days) for person in people.distinct())


def replace_planned_visits(person: PersonCaredFor, valid_from: date) -> None:
    """After a new plan version: drop the visits still only planned from ``valid_from`` on and
    generate them again, up to where visits had been generated. Done visits stay as they were."""
    # The new version has no visits yet, so every planned visit from its date is an old one.
    # Ids first, then writes by id: a plain plan whatever the table statistics say.
    stale = dict(
        Visit.objects.filter(
            person=person,
            starts_at__gte=local_moment(valid_from),
            status=VisitStatus.PLANNED,
            extra=False,
        ).values_list("pk", "starts_at")
    )
    if not stale:
        return
    # Planned visits already given to carers are kept as cancelled, so carers see the change.
    given = set(VisitCarer.objects.filter(visit_id__in=stale).values_list("visit_id", flat=True))
    Visit.objects.filter(pk__in=given).update(status=VisitStatus.CANCELLED)
    Visit.objects.filter(pk__in=stale.keys() - given).delete()
    horizon = max(stale.values()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    generate_visits(person, valid_from, horizon)


# -- care breaks and cancellations ------------------------------------------------------------


def open_break(person: PersonCaredFor) -> CareBreak | None:
    """The person's care break that care has not resumed from, if any (the latest)."""
    return person.care_breaks.filter(resumed_on__isnull=True).order_by("-first_day").first()


def end_pauses_due(cooperative, today: date) -> int:
    """Pauses and hospital stays whose last day is over end: the person is active again from
    the day after (the visits of those days were never cancelled). Returns how many ended."""
    due = CareBreak.objects.filter(
        cooperative=cooperative,
        kind__in=[BreakKind.PAUSE, BreakKind.HOSPITAL],
        resumed_on__isnull=True,
        last_day__lt=today,
        person__status=CareStatus.PAUSED,
    ).select_related("person")
    ended = 0
    for care_break in due:
        with transaction.atomic():
            resumed = cast(date, care_break.last_day) + timedelta(days=1)
            change_status(care_break.person, CareStatus.ACTIVE, resumed, _("End of the pause."))
            care_break.resumed_on = resumed
            care_break.save(update_fields=["resumed_on"])
            ended += 1
    return ended


def _cancel(
    visits: list[Visit],
    requested_by: str,
    reason: str,
    by,
    now: datetime,
    care_break: CareBreak | None = None,
    moved_to: Visit | None = None,
) -> list[Cancellation]:
    """Mark ``visits`` cancelled and record why, who asked and whether at short notice."""
    Visit.objects.filter(pk__in=[v.pk for v in visits]).update(
        status=VisitStatus.CANCELLED, status_reason=reason[:300]
    )
    for visit in visits:
        visit.status, visit.status_reason = VisitStatus.CANCELLED, reason[:300]
    return Cancellation.objects.bulk_create(
        Cancellation(
            visit=visit,
            requested_by=requested_by,
            reason=reason[:300],
            cancelled_at=now,
            cancelled_by=by,
            # A move is not a cancellation the person could be charged for.
            short_notice=moved_to is None and rules.short_notice(visit.starts_at, now),
            care_break=care_break,
            moved_to=moved_to,
        )
        for visit in visits
    )


def _not_in_past(day: date, now: datetime) -> None:
    if day < timezone.localdate(now):
        raise ValidationError(
            _("A change of care that acts on visits cannot be dated in the past."),
            code="status_date_in_past",
        )


@transaction.atomic
def start_break(
    person: PersonCaredFor,
    kind: str,
    first_day: date,
    by,
    last_day: date | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> tuple[CareBreak, list[Visit]]:
    """Record a care break of ``person`` and cancel their planned visits in its days (from
    ``first_day`` on for the end of care). Visits under way or begun are left as they are.
    Returns the break and the visits cancelled; the care status is the caller's to record."""
    now = now or timezone.now()
    _not_in_past(first_day, now)
    if kind == BreakKind.END:
        last_day = None
    elif last_day is not None and last_day < first_day:
        raise ValidationError(
            _("The pause cannot end before it starts."), code="pause_ends_before_start"
        )
    care_break = CareBreak.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        reason=reason.strip(),
        recorded_by=by,
    )
    span = Visit.objects.select_for_update().filter(
        person=person,
        status=VisitStatus.PLANNED,
        starts_at__gt=now,
        starts_at__gte=local_moment(first_day),
    )
    if last_day is not None:
        span = span.filter(starts_at__lt=local_moment(last_day + timedelta(days=1)))
    visits = list(span)
    why = care_break.get_kind_display()
    if care_break.reason:
        why = f"{why}: {care_break.reason}"
    _cancel(visits, Requester.CARE_STATUS, str(why), by, now, care_break=care_break)
    return care_break, visits


@transaction.atomic
def resume_care(
    person: PersonCaredFor, on: date, now: datetime | None = None
) -> tuple[CareBreak | None, list[Visit]]:
    """Care resumes from ``on``: the open care break ends, its visits from then on that were
    cancelled for it are planned again (never those cancelled for another reason), and the
    visits of the horizon the break kept from being generated are generated. Returns the break
    (None if there was none) and the visits planned again."""
    now = now or timezone.now()
    _not_in_past(on, now)
    care_break = open_break(person)
    if care_break is None:
        return None, []
    last = care_break.last_day
    care_break.resumed_on = on if last is None or on <= last else last + timedelta(days=1)
    care_break.save(update_fields=["resumed_on"])
    cancellations = list(
        Cancellation.objects.select_related("visit")
        .select_for_update()
        .filter(
            care_break=care_break,
            reinstated_at__isnull=True,
            visit__status=VisitStatus.CANCELLED,
            visit__starts_at__gt=now,
            visit__starts_at__gte=local_moment(care_break.resumed_on),
        )
    )
    visits = [c.visit for c in cancellations]
    Visit.objects.filter(pk__in=[v.pk for v in visits]).update(
        status=VisitStatus.PLANNED, status_reason=""
    )
    Cancellation.objects.filter(pk__in=[c.pk for c in cancellations]).update(reinstated_at=now)
    for visit in visits:
        visit.status, visit.status_reason = VisitStatus.PLANNED, ""
    generate_horizon(person, care_break.resumed_on)
    return care_break, visits


def still_to_come(visit: Visit, now: datetime | None = None) -> Visit:
    """``visit`` locked for a change, if it is planned and has not begun."""
    now = now or timezone.now()
    visit = _lock(visit)
    if visit.status != VisitStatus.PLANNED or visit.starts_at <= now:
        raise ValidationError(
            _("This visit has begun or is over; it can no longer be changed."),
            code="visit_begun",
        )
    return visit


@transaction.atomic
def cancel_visit(
    visit: Visit, requested_by: str, reason: str, by, now: datetime | None = None
) -> Cancellation:
    """Cancel one planned visit that has not begun, recording who asked (the person, their
    circle, the cooperative, a carer), why, and whether it was at short notice."""
    now = now or timezone.now()
    if requested_by not in Requester.values or requested_by == Requester.CARE_STATUS:
        raise ValidationError(_("Say who asked for the cancellation."), code="requester_missing")
    if not reason.strip():
        raise ValidationError(_("Say why the visit is cancelled."), code="reason_missing")
    visit = still_to_come(visit, now)
    return _cancel([visit], requested_by, reason.strip(), by, now)[0]


@transaction.atomic
def add_visit(
    person: PersonCaredFor,
    task,
    starts_at: datetime,
    minutes: int,
    double_handed: bool = False,
    now: datetime | None = None,
) -> Visit:
    """A one-off visit for ``person``: a task of the care plan in force that day, at
    ``starts_at``, for ``minutes``. Refused in the past, outside care (a referral, or a day of a
    care break), at the very time the task already has a visit, and while the person's records
    are restricted (GDPR art. 18)."""
    refuse_new_processing(person)
    return _one_off(person, task, starts_at, minutes, double_handed, now)


def _one_off(
    person: PersonCaredFor,
    task,
    starts_at: datetime,
    minutes: int,
    double_handed: bool,
    now: datetime | None,
) -> Visit:
    now = now or timezone.now()
    if starts_at <= now:
        raise ValidationError(_("A visit cannot be added in the past."), code="visit_in_past")
    day = timezone.localdate(starts_at)
    if person.status == CareStatus.REFERRAL or any(b.covers(day) for b in person.care_breaks.all()):
        raise ValidationError(
            _("%(person)s is not in care on that day.") % {"person": person},
            code="not_in_care_that_day",
        )
    plan = person.plans.filter(valid_from__lte=day).order_by("-valid_from", "-version").first()
    if plan is None or task.plan_id != plan.pk:
        raise ValidationError(
            _("The task is not one of the care plan in force that day."),
            code="task_not_in_plan",
        )
    if Visit.objects.filter(task=task, starts_at=starts_at).exists():
        raise ValidationError(_("This task already has a visit at that time."), code="visit_exists")
    return Visit.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        plan=plan,
        task=task,
        starts_at=starts_at,
        ends_at=starts_at.astimezone(UTC) + timedelta(minutes=minutes),
        double_handed=double_handed,
        extra=True,
    )


@transaction.atomic
def move_visit(
    visit: Visit, starts_at: datetime, reason: str, by, now: datetime | None = None
) -> tuple[Visit, Visit]:
    """Move a planned visit that has not begun to ``starts_at``: a one-off visit of the same
    task and length takes its place and the visit is cancelled, recorded as moved (a move is
    never charged as a cancellation). Returns the cancelled visit and the new one."""
    now = now or timezone.now()
    visit = still_to_come(visit, now)
    if starts_at == visit.starts_at:
        raise ValidationError(_("The visit is already at that time."), code="visit_not_moved")
    # A move keeps a visit already agreed, at another time: not new processing, so a
    # restriction of the person's records does not refuse it.
    moved = _one_off(visit.person, visit.task, starts_at, visit.minutes, visit.double_handed, now)
    why = reason.strip() or _("moved")
    _cancel([visit], Requester.COOPERATIVE, why, by, now, moved_to=moved)
    return visit, moved


# -- recording visits: check-in, check-out, verification, missed visits, incidents -------------


@dataclass(frozen=True)
class Recorded:
    """The outcome of a check-in or check-out: ``created`` is False for a retried upload;
    ``advice`` tells the carer what to do when location did not verify the visit."""

    record: VisitRecord
    created: bool
    location_kept: bool = False
    advice: str = ""


class OutsideCheckInWindow(ValidationError):
    """A check-in refused as too early or too late, with the window it is taken in (the API
    gives both times as fields of its error)."""

    def __init__(self, allowed_from: datetime, allowed_until: datetime, *, code: str):
        self.allowed_from, self.allowed_until = allowed_from, allowed_until
        super().__init__(
            _(
                "Check-in to this visit is taken from %(from)s until %(until)s; it is outside "
                "that time, so it is probably for another visit."
            )
            % {"from": _local_moment(allowed_from), "until": _local_moment(allowed_until)},
            code=code,
        )


def _local_time(moment: datetime) -> str:
    return localise.clock(moment)


def _local_moment(moment: datetime) -> str:
    """The day and time of ``moment`` on the cooperative's clock, in the reader's format."""
    return localise.moment(moment)


def _check_device_time(at: datetime, now: datetime) -> None:
    problem = rules.device_time_problem(at, now)
    if problem is not None:
        raise problem


def _location(person, latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    """The coordinates to keep: only with the person's consent to location (DESIGN.md)."""
    if latitude is None or longitude is None:
        return None, None
    if not active_consent(person, ConsentKind.LOCATION):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError(
            _("The location is not a valid latitude and longitude."), code="invalid_location"
        )
    return Decimal(str(round(latitude, 6))), Decimal(str(round(longitude, 6)))


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("person", "task").get(pk=visit.pk)


def _new_id(client_id) -> uuid.UUID:
    try:
        return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError as exc:
        raise ValidationError(
            _("The upload id is not a valid UUID."), code="invalid_upload_id"
        ) from exc


@transaction.atomic
def check_in(
    visit: Visit, carer, *, client_id, at: datetime, latitude=None, longitude=None, now=None
) -> Recorded:
    """Record that ``carer`` arrived for ``visit`` at ``at`` (the device's time)."""
    now = now or timezone.now()
    client_id = _new_id(client_id)
    visit = _lock(visit)
    earlier = VisitRecord.objects.filter(check_in_id=client_id).first()
    if earlier is not None:
        if earlier.visit_id != visit.pk or earlier.carer_id != carer.pk:
            raise ValidationError(
                _("This upload id was already used for another check-in."), code="upload_id_reused"
            )
        # The record's visit, carer and person are the ones just read: the answer (the
        # record's verification items) reads none of them again (issue 27).
        earlier.visit, earlier.carer = visit, carer
        if earlier.person_id == visit.person_id:
            earlier.person = visit.person
        return Recorded(earlier, created=False, location_kept=earlier.check_in_latitude is not None)
    if not visit.carers.filter(pk=carer.pk).exists():
        raise ValidationError(_("You are not rostered on this visit."), code="not_rostered")
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.MISSED):
        raise ValidationError(
            _("This visit is %(status)s; it cannot be checked in.")
            % {"status": visit.get_status_display()},
            code="visit_cancelled_or_missed",
        )
    existing = visit.records.filter(carer=carer).first()
    if existing is not None:
        raise ValidationError(
            _("You already checked in to this visit at %(time)s.")
            % {"time": _local_time(existing.checked_in_at)},
            code="already_checked_in",
        )
    _check_device_time(at, now)
    if rules.far_from_plan(at, visit.starts_at, visit.ends_at):
        raise OutsideCheckInWindow(
            *rules.check_in_window(visit.starts_at, visit.ends_at), code="check_in_far_from_plan"
        )
    lat, lon = _location(visit.person, latitude, longitude)
    record = VisitRecord.objects.create(
        visit=visit,
        carer=carer,
        person=visit.person,
        service=visit.task.title,
        place=visit.person.home,
        checked_in_at=at,
        check_in_id=client_id,
        check_in_received_at=now,
        uploaded_late=rules.uploaded_late(at, now),
        check_in_latitude=lat,
        check_in_longitude=lon,
        verification=visit.person.verification,
    )
    if visit.status == VisitStatus.PLANNED:
        visit.status = VisitStatus.IN_PROGRESS
        visit.save(update_fields=["status"])
    advice = _location_advice(record, visit.person)
    return Recorded(record, created=True, location_kept=lat is not None, advice=advice)


def _location_advice(record: VisitRecord, person) -> str:
    """What the carer should do when the person chose verification by location and the
    locations kept so far (at check-in, and at check-out once made) do not verify the visit;
    empty otherwise. The person chose location, so the visit is then confirmed the other way
    coopcare has for them: a coordinator phones the person, which the carer asks for by
    telling the office."""
    if record.verification != Verification.LOCATION:
        return ""
    places = [(record.check_in_latitude, record.check_in_longitude)]
    if record.checked_out_at is not None:
        places.append((record.check_out_latitude, record.check_out_longitude))
    problems = [rules.location_problem(person.point, lat, lon) for lat, lon in places]
    problem = next((p for p in problems if p is not None), None)
    if problem is None:
        return ""
    why = {
        rules.LocationProblem.HOME_NOT_PLACED: _(
            "The home of %(name)s is not on the map yet, so location cannot verify this visit."
        ),
        rules.LocationProblem.NOT_SHARED: _(
            "Your phone sent no location (or %(name)s has no consent to location recorded), "
            "so location cannot verify this visit: turn location on for coopcare."
        ),
        rules.LocationProblem.FAR_FROM_HOME: _(
            "Your location at check-in or check-out was more than %(metres)s m from the home "
            "of %(name)s, so it does not verify this visit."
        ),
    }[problem] % {"name": person.full_name, "metres": rules.LOCATION_RADIUS_M}
    return (
        why
        + " "
        + _(
            "Call the office: a coordinator will phone %(name)s (or their family) to confirm the "
            "visit instead."
        )
        % {"name": person.full_name}
    )


def _outcomes(visit: Visit, steps: list[dict]) -> list[StepOutcome]:
    """One outcome for each step of the task; a step not done needs a reason."""
    expected = visit.task.step_list
    given = [str(s.get("step", "")).strip() for s in steps]
    unknown = [name for name in given if name not in expected]
    if unknown:
        raise ValidationError(
            _("Not a step of this visit's task: %(steps)s. The steps are: %(expected)s.")
            % {"steps": ", ".join(unknown), "expected": ", ".join(expected)},
            code="unknown_step",
        )
    if len(set(given)) != len(given):
        raise ValidationError(_("Each step is reported once."), code="step_reported_twice")
    missing = [name for name in expected if name not in given]
    if missing:
        raise ValidationError(
            _("Say whether these steps were done: %(steps)s.") % {"steps": ", ".join(missing)},
            code="steps_missing",
        )
    outcomes = []
    for name, step in zip(given, steps, strict=True):
        done, reason = bool(step.get("done")), str(step.get("reason") or "").strip()
        if not done and not reason:
            raise ValidationError(
                _("Say why “%(step)s” was not done.") % {"step": name}, code="step_reason_missing"
            )
        outcomes.append(StepOutcome(step=name, done=done, reason="" if done else reason))
    return outcomes


def _wrong_code_times(wrong_codes, limit: int, now: datetime) -> list[datetime]:
    """The times of the latest ``limit`` of ``wrong_codes`` within the hour before ``now``."""
    return list(
        wrong_codes.filter(at__gt=now - rules.WRONG_CODE_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )


def _limits_reached(visit: Visit, carer, now: datetime) -> datetime | None:
    """Until when codes are refused for ``carer`` on ``visit``, or None if they are taken."""
    per_visit, per_carer = rules.WRONG_CODES_PER_VISIT, rules.WRONG_CODES_PER_CARER
    limits = (
        rules.refused_until(
            _wrong_code_times(WrongConfirmationCode.objects.filter(visit=visit), per_visit, now),
            per_visit,
        ),
        rules.refused_until(
            _wrong_code_times(WrongConfirmationCode.objects.filter(carer=carer), per_carer, now),
            per_carer,
        ),
    )
    return max((until for until in limits if until), default=None)


def _tries_left(visit: Visit, carer, now: datetime) -> int:
    """Wrong codes still allowed within the hour, the lower of the two limits."""
    recent = WrongConfirmationCode.objects.filter(at__gt=now - rules.WRONG_CODE_WINDOW)
    return rules.tries_left(recent.filter(visit=visit).count(), recent.filter(carer=carer).count())


def _too_many(until: datetime) -> ValidationError:
    return ValidationError(
        _(
            "Too many wrong codes: confirm by tapping with the person, or the coordinator will "
            "phone them. Codes, even the right one, are refused until %(time)s."
        )
        % {"time": _local_time(until)},
        code="too_many_wrong_codes",
    )


def _wrong(tries_left: int, refused_until: datetime | None) -> ValidationError:
    if refused_until is not None:
        then = _(
            "That was the last try: codes, even the right one, are refused until %(time)s. "
            "Confirm by tapping with the person, or the coordinator will phone them."
        ) % {"time": _local_time(refused_until)}
    else:
        then = ngettext(
            "%(count)s more try before codes are refused for a while.",
            "%(count)s more tries before codes are refused for a while.",
            tries_left,
        ) % {"count": tries_left}
    return ValidationError(
        _("That is not the person's confirmation code.") + " " + then,
        code="wrong_confirmation_code",
    )


def _code_confirms(visit: Visit, carer, code: str, now: datetime) -> bool:
    """Whether ``code`` is the person's confirmation code, checked before check-out's own
    transaction so that a wrong code stays recorded when the check-out is refused.

    Raises ValidationError for a wrong code (recorded, and committed first) or when too many
    wrong codes were typed within the hour, for this visit or by this carer (then the code is
    not compared at all). False when the code is not what verifies this check-out: the person
    chose another method, or check-out will be refused or answered as a resend anyway.
    """
    with transaction.atomic():
        # The visit's row, then the carer's, are held until the wrong code is written, so that
        # requests sent at once cannot all be compared under the limit (on SQLite the
        # transaction holds the one write lock from its start, which does the same).
        visit = _lock(visit)
        get_user_model().objects.select_for_update().filter(pk=carer.pk).values_list("pk").get()
        record = visit.records.filter(carer=carer).first()
        if (
            record is None
            or record.check_out_id is not None
            or record.verification != Verification.CONFIRMATION
        ):
            return False
        limited_until = _limits_reached(visit, carer, now)
        if limited_until is None:
            expected = visit.person.confirmation_code
            # Compared in constant time, so the time taken tells nothing of how many digits
            # were right; a person without a code has none that could match.
            if expected and secrets.compare_digest(code.encode(), expected.encode()):
                return True
            WrongConfirmationCode.objects.create(visit=visit, carer=carer, at=now)
            refused_until = _limits_reached(visit, carer, now)
            tries_left = _tries_left(visit, carer, now)
    # Raised only here, once the block above committed: raising inside it would roll back the
    # record of the wrong code with everything else.
    if limited_until is not None:
        raise _too_many(limited_until)
    raise _wrong(tries_left, refused_until)


def _verification(record: VisitRecord, person, *, tapped: bool, code_confirms: bool) -> str:
    """How the visit is verified at check-out (``rules.verified_how``); a confirmation code was
    checked before (``_code_confirms``)."""
    home = person.point  # None while the home is not placed: nothing is near it
    return rules.verified_how(
        record.verification,
        tapped=tapped,
        code_confirms=code_confirms,
        check_in_near=rules.near_home(home, record.check_in_latitude, record.check_in_longitude),
        check_out_near=rules.near_home(home, record.check_out_latitude, record.check_out_longitude),
    )


def check_out(
    visit: Visit,
    carer,
    *,
    client_id,
    at: datetime,
    steps: list[dict],
    notes: str = "",
    handover: str = "",
    tapped: bool = False,
    code: str = "",
    latitude=None,
    longitude=None,
    reason: str = "",
    now=None,
) -> Recorded:
    """Record that ``carer`` left ``visit`` at ``at``, with each step done or not and why, and
    what the next carer must know (``handover``, a handover note, when given).

    A record the plausibility rules flag (``rules.implausible``: far shorter than planned, an
    incident far outside the visit) is kept all the same, flagged; ``reason`` is the carer's
    word on it, which they may also give afterwards (``explain_record``).

    A confirmation code is checked first, in a transaction of its own: a wrong one is recorded
    and stays recorded although the check-out is refused, and past the limits (see
    ``rules.WRONG_CODES_PER_VISIT``) codes are refused without being compared. The check-out itself
    is then one transaction. Call this outside any transaction of the caller's, or a wrong
    code's record would be rolled back with it.
    """
    now = now or timezone.now()
    client_id = _new_id(client_id)
    code = code.strip()
    code_confirms = bool(code) and _code_confirms(visit, carer, code, now)
    return _check_out(
        visit,
        carer,
        client_id=client_id,
        at=at,
        steps=steps,
        notes=notes,
        handover=handover,
        tapped=tapped,
        code_confirms=code_confirms,
        latitude=latitude,
        longitude=longitude,
        reason=reason,
        now=now,
    )


@transaction.atomic
def _check_out(
    visit: Visit,
    carer,
    *,
    client_id: uuid.UUID,
    at: datetime,
    steps: list[dict],
    notes: str,
    handover: str,
    tapped: bool,
    code_confirms: bool,
    latitude,
    longitude,
    reason: str,
    now: datetime,
) -> Recorded:
    visit = _lock(visit)
    record = visit.records.filter(carer=carer).first()
    if record is None:
        if VisitRecord.objects.filter(check_out_id=client_id).exists():
            raise ValidationError(
                _("This upload id was already used for another check-out."),
                code="upload_id_reused",
            )
        raise ValidationError(
            _("Check in to this visit before checking out."), code="not_checked_in"
        )
    if record.check_out_id == client_id:
        return Recorded(record, created=False, location_kept=record.check_out_latitude is not None)
    if record.check_out_id is not None:
        # The check-out's time is written with its id, below.
        checked_out_at = cast(datetime, record.checked_out_at)
        raise ValidationError(
            _("You already checked out of this visit at %(time)s.")
            % {"time": _local_time(checked_out_at)},
            code="already_checked_out",
        )
    if VisitRecord.objects.filter(check_out_id=client_id).exists():
        raise ValidationError(
            _("This upload id was already used for another check-out."), code="upload_id_reused"
        )
    _check_device_time(at, now)
    if at <= record.checked_in_at:
        raise ValidationError(
            _("Check-out (%(out)s) must be after check-in (%(in)s).")
            % {"out": _local_time(at), "in": _local_time(record.checked_in_at)},
            code="check_out_before_check_in",
        )
    outcomes = _outcomes(visit, steps)
    _handover_text(handover, required=False)
    conditions.check_out_allowed(visit, carer, at)
    lat, lon = _location(visit.person, latitude, longitude)
    record.checked_out_at = at
    record.check_out_id = client_id
    record.check_out_received_at = now
    record.uploaded_late = record.uploaded_late or rules.uploaded_late(at, now)
    record.check_out_latitude, record.check_out_longitude = lat, lon
    record.notes = notes.strip()
    record.verified_how = _verification(
        record, visit.person, tapped=tapped, code_confirms=code_confirms
    )
    _flag(record, visit)
    if reason.strip():
        record.carer_reason, record.carer_reason_at = _reason_text(reason), now
    _settle(record, now)
    record.save()
    for outcome in outcomes:
        outcome.record = record
    StepOutcome.objects.bulk_create(outcomes)
    if handover.strip():
        _new_handover(visit.person, carer, handover, visit=visit, at=at)
    finished = visit.records.filter(checked_out_at__isnull=False).count()
    if finished >= visit.carers.count():
        visit.status = VisitStatus.DONE
        visit.save(update_fields=["status"])
    conditions.checked_out(visit, carer, at)
    advice = "" if record.verified_how else _location_advice(record, visit.person)
    return Recorded(record, created=True, location_kept=lat is not None, advice=advice)


# The longest reason a carer gives for an implausible record: a sentence or two.
REASON_MAX_LENGTH = 500


def _reason_text(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the visit went as recorded."), code="implausible_reason_missing"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason holds at most %(count)s characters.") % {"count": REASON_MAX_LENGTH},
            code="implausible_reason_too_long",
        )
    return reason


def _flag(record: VisitRecord, visit: Visit) -> None:
    """Set ``record.implausible`` from the plausibility rules: its times against the visit's
    planned ones, and the times of the incidents its carer reported on the visit."""
    events = list(
        Incident.objects.filter(visit=visit, reported_by_id=record.carer_id).values_list(
            "occurred_at", flat=True
        )
    )
    record.implausible = " ".join(
        rules.implausible(
            planned=(visit.starts_at, visit.ends_at),
            checked_in_at=record.checked_in_at,
            checked_out_at=record.checked_out_at,
            events=events,
        )
    )


def _settle(record: VisitRecord, now: datetime) -> None:
    """The one place that decides whether a record counts as verified (``verified_at``, which
    billing, budgets and indicators read): confirmed in one of the person's ways, and either
    plausible or accepted by a coordinator after review."""
    if record.verified_how and not record.held_back:
        record.verified_at = record.verified_at or now
    else:
        record.verified_at = None


@transaction.atomic
def explain_record(record: VisitRecord, carer, reason: str, now=None) -> VisitRecord:
    """The carer of ``record`` says why it is as recorded (a visit far shorter than planned,
    an incident timed far outside it), for the coordinator who reviews it."""
    record = VisitRecord.objects.select_for_update().get(pk=record.pk)
    if record.carer_id != carer.pk:
        raise ValidationError(
            _("Only the carer who recorded the visit can say why."), code="not_your_record"
        )
    if record.accepted_at is not None:
        raise ValidationError(
            _("A coordinator has already accepted this record."), code="record_already_accepted"
        )
    record.carer_reason, record.carer_reason_at = _reason_text(reason), now or timezone.now()
    record.save(update_fields=["carer_reason", "carer_reason_at"])
    return record


@transaction.atomic
def accept_record(record: VisitRecord, by, now=None) -> VisitRecord:
    """A coordinator reviewed an implausible record and its carer's reason, and accepts it:
    it counts as verified from now if the person confirmed it. Kept with who and when."""
    now = now or timezone.now()
    record = VisitRecord.objects.select_for_update().get(pk=record.pk)
    if not record.implausible:
        raise ValidationError(
            _("This record is not flagged as implausible."), code="record_not_implausible"
        )
    if record.accepted_at is not None:
        raise ValidationError(
            _("A coordinator has already accepted this record."), code="record_already_accepted"
        )
    if not record.carer_reason:
        raise ValidationError(
            _("The carer has not said why yet: ask them before accepting the record."),
            code="carer_reason_missing",
        )
    record.accepted_at, record.accepted_by = now, by
    _settle(record, now)
    record.save(update_fields=["accepted_at", "accepted_by", "verified_at"])
    return record


@transaction.atomic
def confirm_by_phone(record: VisitRecord, by, now=None) -> VisitRecord:
    """A coordinator phoned the person (or their circle) and they confirmed the visit."""
    record = VisitRecord.objects.select_for_update().get(pk=record.pk)
    if record.checked_out_at is None:
        raise ValidationError(_("The visit is not checked out yet."), code="not_checked_out")
    if record.verified_how:
        raise ValidationError(_("This visit is already verified."), code="already_verified")
    record.verified_how, record.verified_by = VerifiedHow.PHONE, by
    _settle(record, now or timezone.now())
    record.save(update_fields=["verified_how", "verified_at", "verified_by"])
    return record


@transaction.atomic
def confirm_many_by_phone(records: Iterable[VisitRecord], by, now=None) -> list[VisitRecord]:
    """A coordinator phoned about several visits and each was confirmed: all are verified, or
    none is. The refusal names every record that cannot be, each with its reason, so the
    coordinator can take those out and confirm the rest."""
    now = now or timezone.now()
    done, problems = [], []
    for record in sorted(records, key=lambda r: (r.checked_in_at, r.pk)):
        try:
            with transaction.atomic():
                done.append(confirm_by_phone(record, by, now=now))
        except ValidationError as refused:
            problems.append(
                ValidationError(
                    _("%(visit)s, %(person)s: %(reason)s"),
                    code="not_confirmable",
                    params={
                        "visit": _local_moment(record.checked_in_at),
                        "person": record.person.full_name,
                        "reason": " ".join(refused.messages),
                    },
                )
            )
    if problems:
        raise ValidationError(problems)
    if not done:
        raise ValidationError(_("Choose at least one visit."), code="no_visit_chosen")
    return done


@transaction.atomic
def mark_missed(visit: Visit, reason: str) -> Visit:
    """Record that a planned visit did not take place, and why."""
    visit = _lock(visit)
    if visit.status != VisitStatus.PLANNED or visit.records.exists():
        raise ValidationError(
            _("Only a visit nobody checked in to can be marked missed."), code="not_missable"
        )
    if not reason.strip():
        raise ValidationError(_("Say why the visit did not take place."), code="reason_missing")
    visit.status, visit.status_reason = VisitStatus.MISSED, reason.strip()
    visit.save(update_fields=["status", "status_reason"])
    return visit


@transaction.atomic
def report_incident(
    visit: Visit | None, reported_by, person: PersonCaredFor | None = None, **fields
) -> Incident:
    """Report an incident that happened on (or around) ``visit``, or to ``person`` outside
    any visit (a mark a coordinator found on the body map, say)."""
    if fields["occurred_at"] > timezone.now() + rules.CLOCK_SKEW:
        raise ValidationError(
            _("An incident cannot be reported for a time in the future."),
            code="incident_in_future",
        )
    if not str(fields.get("description", "")).strip():
        raise ValidationError(_("Describe what happened."), code="description_missing")
    if visit is not None:
        person = visit.person
    if person is None:
        raise ValueError("An incident is reported on a visit or for a person.")
    incident = Incident.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        visit=visit,
        reported_by=reported_by,
        **fields,
    )
    if visit is not None:
        record = visit.records.select_for_update().filter(carer=reported_by).first()
        if record is not None:
            # The reporter's record of the visit is checked again with this incident's time.
            _flag(record, visit)
            _settle(record, timezone.now())
            record.save(update_fields=["implausible", "verified_at"])
    return incident


@dataclass(frozen=True)
class Reported:
    """An incident sent with the id its device made: ``created`` is False for a resend."""

    incident: Incident
    created: bool


@transaction.atomic
def report_incident_once(visit: Visit, reported_by, *, client_id=None, **fields) -> Reported:
    """Report an incident on ``visit`` as ``report_incident`` does, sent with ``client_id``,
    the id the carer's phone (or the page) made for it: sending the same id again, as a phone
    that was out of signal does, returns the incident already reported and records nothing.
    Without an id every call is a new incident."""
    if client_id is None:
        return Reported(report_incident(visit, reported_by, **fields), created=True)
    client_id = _new_id(client_id)
    visit = _lock(visit)
    earlier = Incident.objects.filter(
        cooperative_id=visit.cooperative_id, client_id=client_id
    ).first()
    if earlier is not None:
        if earlier.visit_id != visit.pk or earlier.reported_by_id != reported_by.pk:
            raise ValidationError(
                _("This upload id was already used for another incident."),
                code="upload_id_reused",
            )
        return Reported(earlier, created=False)
    incident = report_incident(visit, reported_by, client_id=client_id, **fields)
    return Reported(incident, created=True)


@transaction.atomic
def close_incident(incident: Incident, on, outcome: str) -> Incident:
    """A coordinator closes an incident with what was done about it."""
    if incident.closed_on:
        raise ValidationError(_("This incident is already closed."), code="incident_closed")
    if not outcome.strip():
        raise ValidationError(_("Say what was done about the incident."), code="outcome_missing")
    incident.closed_on, incident.outcome = on, outcome.strip()
    incident.save(update_fields=["closed_on", "outcome"])
    return incident


# -- handover notes ----------------------------------------------------------------------------

# The longest handover note: a few lines read on a phone at the door, not a report.
HANDOVER_MAX_LENGTH = 1000


def _handover_text(text: str, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise ValidationError(
            _("Write what the next carer must know."), code="handover_text_missing"
        )
    if len(text) > HANDOVER_MAX_LENGTH:
        raise ValidationError(
            _("A handover note holds at most %(count)s characters.")
            % {"count": HANDOVER_MAX_LENGTH},
            code="handover_too_long",
        )
    return text


def _new_handover(
    person: PersonCaredFor, by, text: str, visit: Visit | None, at: datetime
) -> HandoverNote:
    if visit is not None and visit.person_id != person.pk:
        raise ValidationError(
            _("That visit is to someone else."), code="handover_visit_of_someone_else"
        )
    return HandoverNote.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        visit=visit,
        text=_handover_text(text),
        written_by=by,
        written_at=at,
    )


@transaction.atomic
def write_handover(
    person: PersonCaredFor,
    by,
    text: str,
    visit: Visit | None = None,
    now: datetime | None = None,
) -> HandoverNote:
    """A handover note on ``person`` for the carers who visit next, written by ``by`` (a carer
    at ``visit``, or a coordinator). Who may write is the caller's to check (``visits.access``)."""
    return _new_handover(person, by, text, visit, now or timezone.now())


@transaction.atomic
def acknowledge_handover(
    note: HandoverNote, carer, now: datetime | None = None
) -> HandoverAcknowledgement:
    """``carer`` read ``note``. Reading it again keeps the first time it was read."""
    if note.written_by_id == carer.pk:
        raise ValidationError(
            _("This is your own handover note: it is for the other carers."),
            code="handover_note_own",
        )
    acknowledgement, _created = HandoverAcknowledgement.objects.get_or_create(
        note=note, carer=carer, defaults={"at": now or timezone.now()}
    )
    return acknowledgement


@transaction.atomic
def retire_handover(note: HandoverNote, by, now: datetime | None = None) -> HandoverNote:
    """A coordinator marks ``note`` no longer relevant: carers stop seeing it on their visit
    cards. It is kept, with who marked it and when."""
    note = HandoverNote.objects.select_for_update().get(pk=note.pk)
    if note.retired_at is not None:
        raise ValidationError(
            _("This handover note is already marked no longer relevant."),
            code="handover_already_retired",
        )
    note.retired_at, note.retired_by = now or timezone.now(), by
    note.save(update_fields=["retired_at", "retired_by"])
    return note
