"""The actions on visits, each one transaction that writes everything or nothing.

Generation: visits come from care plans for a horizon; generating again never duplicates a
visit.

Recording: check-in, check-out, verification, missed visits and incidents. Check-ins and
check-outs carry the time on the carer's device and an id the device made, so that an upload
retried after a lost connection is recognised and never doubled, and an upload that arrives
late is accepted and flagged for the coordinators. An action raises ValidationError and writes
nothing when a rule (``visits.rules``) says no; the one exception is a wrong confirmation
code, whose record outlives the refused check-out so that guessing the code is limited (see
``check_out``).
"""

import secrets
import uuid
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
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopcare.care.models import CarePlan, CareStatus, ConsentKind, PersonCaredFor, Verification
from coopcare.care.services import active_consent
from coopcare.shared import days
from coopcare.visits import conditions, rules
from coopcare.visits.models import (
    Incident,
    StepOutcome,
    VerifiedHow,
    Visit,
    VisitRecord,
    VisitStatus,
    WrongConfirmationCode,
)

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
    plan version that applies on each day. Returns how many were new."""
    before = Visit.objects.filter(person=person).count()
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
    ]
    # The unique (task, start) constraint makes re-running a no-op for visits already there.
    Visit.objects.bulk_create(visits, ignore_conflicts=True)
    return Visit.objects.filter(person=person).count() - before


def generate_horizon(person: PersonCaredFor, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate ``days`` of visits from ``start`` (four weeks by default)."""
    return generate_visits(person, start, start + timedelta(days=days - 1))


def generate_for_cooperative(cooperative, start: date, days: int = HORIZON_DAYS) -> int:
    """Generate the coming ``days`` of visits for every active person of the cooperative."""
    people = PersonCaredFor.objects.filter(cooperative=cooperative, status=CareStatus.ACTIVE)
    return sum(generate_horizon(person, start, days) for person in people)


def replace_planned_visits(person: PersonCaredFor, valid_from: date) -> None:
    """After a new plan version: drop the visits still only planned from ``valid_from`` on and
    generate them again, up to where visits had been generated. Done visits stay as they were."""
    # The new version has no visits yet, so every planned visit from its date is an old one.
    # Ids first, then writes by id: a plain plan whatever the table statistics say.
    stale = dict(
        Visit.objects.filter(
            person=person, starts_at__gte=local_moment(valid_from), status=VisitStatus.PLANNED
        ).values_list("pk", "starts_at")
    )
    if not stale:
        return
    # Planned visits already given to carers are kept as cancelled, so carers see the change.
    given = set(
        Visit.carers.through.objects.filter(visit_id__in=stale).values_list("visit_id", flat=True)
    )
    Visit.objects.filter(pk__in=given).update(status=VisitStatus.CANCELLED)
    Visit.objects.filter(pk__in=stale.keys() - given).delete()
    horizon = max(stale.values()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    generate_visits(person, valid_from, horizon)


# -- recording visits: check-in, check-out, verification, missed visits, incidents -------------


@dataclass(frozen=True)
class Recorded:
    """The outcome of a check-in or check-out: ``created`` is False for a retried upload."""

    record: VisitRecord
    created: bool
    location_kept: bool = False


def _local_time(moment: datetime) -> str:
    return time_format(timezone.localtime(moment), "H:i")


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
        raise ValidationError(
            _("The check-in time is more than six hours from the visit's planned time."),
            code="check_in_far_from_plan",
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
    return Recorded(record, created=True, location_kept=lat is not None)


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
    home = (float(person.latitude), float(person.longitude))
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
    tapped: bool = False,
    code: str = "",
    latitude=None,
    longitude=None,
    now=None,
) -> Recorded:
    """Record that ``carer`` left ``visit`` at ``at``, with each step done or not and why.

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
        tapped=tapped,
        code_confirms=code_confirms,
        latitude=latitude,
        longitude=longitude,
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
    tapped: bool,
    code_confirms: bool,
    latitude,
    longitude,
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
    conditions.check_out_allowed(visit, carer, at)
    lat, lon = _location(visit.person, latitude, longitude)
    record.checked_out_at = at
    record.check_out_id = client_id
    record.check_out_received_at = now
    record.uploaded_late = record.uploaded_late or rules.uploaded_late(at, now)
    record.check_out_latitude, record.check_out_longitude = lat, lon
    record.notes = notes.strip()
    how = _verification(record, visit.person, tapped=tapped, code_confirms=code_confirms)
    if how:
        record.verified_how, record.verified_at = how, now
    record.save()
    for outcome in outcomes:
        outcome.record = record
    StepOutcome.objects.bulk_create(outcomes)
    finished = visit.records.filter(checked_out_at__isnull=False).count()
    if finished >= visit.carers.count():
        visit.status = VisitStatus.DONE
        visit.save(update_fields=["status"])
    return Recorded(record, created=True, location_kept=lat is not None)


@transaction.atomic
def confirm_by_phone(record: VisitRecord, by, now=None) -> VisitRecord:
    """A coordinator phoned the person (or their circle) and they confirmed the visit."""
    record = VisitRecord.objects.select_for_update().get(pk=record.pk)
    if record.checked_out_at is None:
        raise ValidationError(_("The visit is not checked out yet."), code="not_checked_out")
    if record.verified_how:
        raise ValidationError(_("This visit is already verified."), code="already_verified")
    record.verified_how, record.verified_at, record.verified_by = (
        VerifiedHow.PHONE,
        now or timezone.now(),
        by,
    )
    record.save(update_fields=["verified_how", "verified_at", "verified_by"])
    return record


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
def report_incident(visit: Visit, reported_by, **fields) -> Incident:
    """Report an incident that happened on (or around) ``visit``."""
    if fields["occurred_at"] > timezone.now() + rules.CLOCK_SKEW:
        raise ValidationError(
            _("An incident cannot be reported for a time in the future."),
            code="incident_in_future",
        )
    if not str(fields.get("description", "")).strip():
        raise ValidationError(_("Describe what happened."), code="description_missing")
    return Incident.objects.create(
        cooperative_id=visit.cooperative_id,
        person_id=visit.person_id,
        visit=visit,
        reported_by=reported_by,
        **fields,
    )


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
