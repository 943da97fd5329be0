"""Recording visits: check-in, check-out, verification, missed visits and incidents.

Check-ins and check-outs carry the time on the carer's device and an id the device made, so
that an upload retried after a lost connection is recognised and never doubled, and an upload
that arrives late is accepted and flagged for the coordinators. Every action writes what
belongs together in one transaction, or raises ValidationError and writes nothing; the one
exception is a wrong confirmation code, whose record outlives the refused check-out so that
guessing the code is limited (see ``check_out``).
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopcare.care.models import ConsentKind, Verification
from coopcare.care.services import active_consent
from coopcare.shared.geo import haversine_m
from coopcare.visits.models import (
    Incident,
    StepOutcome,
    VerifiedHow,
    Visit,
    VisitRecord,
    VisitStatus,
    WrongConfirmationCode,
)

# A device clock may run a little fast; more than this ahead of the server is refused.
CLOCK_SKEW = timedelta(minutes=5)
# An upload received this long after the time it records is flagged as late.
LATE_UPLOAD_AFTER = timedelta(minutes=15)
# A check-in this far from the visit's planned time is almost surely the wrong visit.
FAR_FROM_PLAN = timedelta(hours=6)
# Location verifies a visit when both check-in and check-out are this close to the home.
LOCATION_RADIUS_M = 250

# Limits on wrong confirmation codes, counted over a sliding hour. The code has six digits
# (10**6 values). With 5 wrong codes per visit per hour, a guesser has at most 5 chances in
# 1,000,000, 1 in 200,000, per visit-hour; a carer who mistypes (or a person who misremembers)
# rarely needs more than two or three tries, and can then confirm by tapping. The per-carer
# limit, across all their visits, stops one account spreading its guesses over several
# visits of the same person (or of several people) to get more tries; 10 is two visits' worth,
# which a carer honestly struggling with codes on two visits in the same hour still gets.
# Past either limit, codes are refused without being compared, even the right one, until the
# wrong codes within the hour fall below the limit again; tapping and the coordinator's phone
# call still verify the visit.
WRONG_CODE_WINDOW = timedelta(hours=1)
WRONG_CODES_PER_VISIT = 5
WRONG_CODES_PER_CARER = 10


@dataclass(frozen=True)
class Recorded:
    """The outcome of a check-in or check-out: ``created`` is False for a retried upload."""

    record: VisitRecord
    created: bool
    location_kept: bool = False


def _local_time(moment: datetime) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def _device_time(at: datetime, now: datetime) -> None:
    if timezone.is_naive(at):
        raise ValidationError(
            _("Give the time with its UTC offset, e.g. 2026-11-22T09:00+01:00."),
            code="time_without_offset",
        )
    if at > now + CLOCK_SKEW:
        raise ValidationError(
            _("The time given is in the future; check the phone's clock."), code="time_in_future"
        )


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
    _device_time(at, now)
    if not visit.starts_at - FAR_FROM_PLAN <= at <= visit.ends_at + FAR_FROM_PLAN:
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
        uploaded_late=now - at > LATE_UPLOAD_AFTER,
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


def _near_home(person, lat, lon) -> bool:
    if lat is None:
        return False
    distance = haversine_m(float(lat), float(lon), float(person.latitude), float(person.longitude))
    return distance <= LOCATION_RADIUS_M


def _refused_until(wrong_codes, limit: int, now: datetime) -> datetime | None:
    """When codes are taken again, if ``limit`` of ``wrong_codes`` fall within the hour before
    ``now``: the ``limit``-th most recent one leaves the hour then. None if under the limit."""
    recent = list(
        wrong_codes.filter(at__gt=now - WRONG_CODE_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    return recent[-1] + WRONG_CODE_WINDOW if len(recent) == limit else None


def _limits_reached(visit: Visit, carer, now: datetime) -> datetime | None:
    """Until when codes are refused for ``carer`` on ``visit``, or None if they are taken."""
    limits = (
        _refused_until(
            WrongConfirmationCode.objects.filter(visit=visit), WRONG_CODES_PER_VISIT, now
        ),
        _refused_until(
            WrongConfirmationCode.objects.filter(carer=carer), WRONG_CODES_PER_CARER, now
        ),
    )
    return max((until for until in limits if until), default=None)


def _tries_left(visit: Visit, carer, now: datetime) -> int:
    """Wrong codes still allowed within the hour, the lower of the two limits."""
    recent = WrongConfirmationCode.objects.filter(at__gt=now - WRONG_CODE_WINDOW)
    return min(
        WRONG_CODES_PER_VISIT - recent.filter(visit=visit).count(),
        WRONG_CODES_PER_CARER - recent.filter(carer=carer).count(),
    )


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
        refused_until = _limits_reached(visit, carer, now)
        compared = refused_until is None
        if compared:
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
    if not compared:
        raise _too_many(refused_until)
    raise _wrong(tries_left, refused_until)


def _verification(record: VisitRecord, person, *, tapped: bool, code_confirms: bool) -> str:
    """How the visit is verified at check-out, by the method the person chose; '' if not yet.
    A confirmation code was checked before (``_code_confirms``)."""
    if record.verification == Verification.CONFIRMATION:
        if code_confirms:
            return VerifiedHow.CODE
        return VerifiedHow.TAP if tapped else ""
    if record.verification == Verification.LOCATION:
        both_near = _near_home(
            person, record.check_in_latitude, record.check_in_longitude
        ) and _near_home(person, record.check_out_latitude, record.check_out_longitude)
        return VerifiedHow.LOCATION if both_near else ""
    return ""  # a phone call is confirmed afterwards by a coordinator


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
    ``WRONG_CODES_PER_VISIT``) codes are refused without being compared. The check-out itself
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
        raise ValidationError(
            _("You already checked out of this visit at %(time)s.")
            % {"time": _local_time(record.checked_out_at)},
            code="already_checked_out",
        )
    if VisitRecord.objects.filter(check_out_id=client_id).exists():
        raise ValidationError(
            _("This upload id was already used for another check-out."), code="upload_id_reused"
        )
    _device_time(at, now)
    if at <= record.checked_in_at:
        raise ValidationError(
            _("Check-out (%(out)s) must be after check-in (%(in)s).")
            % {"out": _local_time(at), "in": _local_time(record.checked_in_at)},
            code="check_out_before_check_in",
        )
    outcomes = _outcomes(visit, steps)
    lat, lon = _location(visit.person, latitude, longitude)
    record.checked_out_at = at
    record.check_out_id = client_id
    record.check_out_received_at = now
    record.uploaded_late = record.uploaded_late or now - at > LATE_UPLOAD_AFTER
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


def report_incident(visit: Visit, reported_by, **fields) -> Incident:
    """Report an incident that happened on (or around) ``visit``."""
    if fields["occurred_at"] > timezone.now() + CLOCK_SKEW:
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


def close_incident(incident: Incident, on, outcome: str) -> Incident:
    """A coordinator closes an incident with what was done about it."""
    if incident.closed_on:
        raise ValidationError(_("This incident is already closed."), code="incident_closed")
    if not outcome.strip():
        raise ValidationError(_("Say what was done about the incident."), code="outcome_missing")
    incident.closed_on, incident.outcome = on, outcome.strip()
    incident.save(update_fields=["closed_on", "outcome"])
    return incident
