"""The actions of a childcare centre, one transaction each: rooms, enrolment, guardians and
the adults who may collect a child, consents, the day's sign-in and sign-out at the door, the
staff rostered to rooms, the ratios the cooperative sets, and observations of a child's
development and learning, shared with the guardians who consented.

A sign-out asked by someone not authorised is refused, and the refusal itself is kept
(``RefusedCollection``) for the staff to see: it is the one write a refusal makes."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import CircleMember
from coopcare.childcare import rules
from coopcare.childcare.models import (
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    ConsentKind,
    Guardian,
    Observation,
    RatioSetting,
    RefusedCollection,
    Room,
    Shift,
)
from coopcare.cooperatives.access import roles_of
from coopcare.cooperatives.models import CooperativeRole, Role


@transaction.atomic
def add_room(cooperative, *, name: str, from_months: int, to_months: int, capacity: int) -> Room:
    """A room, or a group, for children of one age band."""
    problems = rules.check_band(from_months, to_months)
    if problems:
        raise ValidationError(problems)
    return Room.objects.create(
        cooperative=cooperative,
        name=name,
        from_months=from_months,
        to_months=to_months,
        capacity=capacity,
    )


def _check_room(cooperative, room: Room | None) -> None:
    if room is not None and room.cooperative_id != cooperative.pk:
        raise ValidationError(
            _("That room is not this centre's."), code="room_of_another_cooperative"
        )


@transaction.atomic
def enrol(
    cooperative,
    *,
    full_name: str,
    born_on: date,
    enrolled_on: date,
    room: Room | None = None,
    leaves_on: date | None = None,
    health_notes: str = "",
    allergies: str = "",
) -> Child:
    """A child enrolled at the centre, from ``enrolled_on`` (and to ``leaves_on`` if known)."""
    _check_room(cooperative, room)
    if born_on > enrolled_on:
        raise ValidationError(
            _("A child is enrolled after they are born."), code="enrolled_before_birth"
        )
    if leaves_on is not None and leaves_on < enrolled_on:
        raise ValidationError(
            _("The last day is before the first."), code="leaves_before_enrolment"
        )
    return Child.objects.create(
        cooperative=cooperative,
        full_name=full_name,
        born_on=born_on,
        room=room,
        enrolled_on=enrolled_on,
        leaves_on=leaves_on,
        health_notes=health_notes,
        allergies=allergies,
    )


@transaction.atomic
def add_guardian(
    child: Child,
    *,
    by,
    full_name: str = "",
    phone: str = "",
    relation: str = "",
    user=None,
    guardian: Guardian | None = None,
) -> Guardian:
    """A parent or guardian of ``child``: a new one, or ``guardian`` already known (a
    sibling's). They are authorised to collect the child from now on. A guardian's login is
    given the circle role, through which they see their own children."""
    if guardian is None:
        guardian = Guardian.objects.create(
            cooperative=child.cooperative, full_name=full_name, phone=phone, user=user
        )
    elif guardian.cooperative_id != child.cooperative_id:
        raise ValidationError(
            _("That guardian is not this centre's."), code="guardian_of_another_cooperative"
        )
    guardian.children.add(child)
    if not child.adults.filter(guardian=guardian, withdrawn_at__isnull=True).exists():
        AuthorisedAdult.objects.create(
            child=child,
            full_name=guardian.full_name,
            relation=relation or str(_("parent or guardian")),
            guardian=guardian,
            added_by=by,
        )
    if guardian.user is not None:
        CooperativeRole.objects.get_or_create(
            user=guardian.user, cooperative=child.cooperative, role=Role.CIRCLE
        )
    return guardian


@transaction.atomic
def forget_guardians(guardians) -> int:
    """Blank the name, phone and login of ``guardians`` (a query of guardians whose personal
    data is erased, or past its period), and take back the circle role each login had through
    them: without it the login would still reach the pages of the cooperative's circle. A
    login keeps the role while it is still another child's guardian at the centre, or in the
    circle of a person cared for, who gave it the same role. Returns how many were forgotten."""
    found = list(guardians.values_list("pk", "cooperative_id", "user_id"))
    Guardian.objects.filter(pk__in=[pk for pk, _coop, _user in found]).update(
        full_name="", phone="", user=None
    )
    for cooperative_id in {coop for _pk, coop, _user in found}:
        logins = {user for _pk, coop, user in found if coop == cooperative_id and user}
        still = set(
            Guardian.objects.filter(cooperative_id=cooperative_id, user__in=logins).values_list(
                "user", flat=True
            )
        ) | set(
            CircleMember.objects.filter(
                person__cooperative_id=cooperative_id, user__in=logins, revoked_on__isnull=True
            ).values_list("user", flat=True)
        )
        CooperativeRole.objects.filter(
            cooperative_id=cooperative_id, role=Role.CIRCLE, user__in=logins - still
        ).delete()
    return len(found)


@transaction.atomic
def authorise_adult(
    child: Child, *, full_name: str, relation: str, identity_note: str = "", by
) -> AuthorisedAdult:
    """An adult who may sign ``child`` in and out."""
    return AuthorisedAdult.objects.create(
        child=child,
        full_name=full_name,
        relation=relation,
        identity_note=identity_note,
        added_by=by,
    )


@transaction.atomic
def withdraw_adult(adult: AuthorisedAdult, *, by, at: datetime | None = None) -> AuthorisedAdult:
    """``adult`` may no longer sign the child in or out; their past signatures stay."""
    if adult.withdrawn_at is not None:
        raise ValidationError(
            _("That adult's authorisation was already withdrawn."), code="already_withdrawn"
        )
    adult.withdrawn_at = at or timezone.now()
    adult.save(update_fields=["withdrawn_at"])
    return adult


@transaction.atomic
def give_consent(
    child: Child, *, kind: str, guardian: Guardian, given_on: date, by
) -> ChildConsent:
    """A consent ``guardian`` gave for ``child``, from ``given_on``."""
    if not guardian.children.filter(pk=child.pk).exists():
        raise ValidationError(
            _("Only the child's own parent or guardian gives a consent for them."),
            code="not_the_childs_guardian",
        )
    if child.consents.filter(kind=kind, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("This consent is already given."), code="consent_already_given")
    return ChildConsent.objects.create(
        child=child, kind=kind, given_by=guardian, given_on=given_on, recorded_by=by
    )


@transaction.atomic
def withdraw_consent(consent: ChildConsent, *, on: date, by) -> ChildConsent:
    """``consent`` no longer holds from ``on``."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."), code="already_withdrawn")
    if on < consent.given_on:
        raise ValidationError(
            _("A consent is withdrawn after it was given."), code="withdrawn_before_given"
        )
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    return consent


def _may_sign(child: Child, adult: AuthorisedAdult | None) -> bool:
    return adult is not None and adult.child_id == child.pk and adult.withdrawn_at is None


def _not_authorised() -> ValidationError:
    return ValidationError(
        _(
            "This adult is not authorised to collect the child. Do not hand the child over; "
            "the refusal is recorded for the office."
        ),
        code="not_authorised",
    )


@transaction.atomic
def sign_in(child: Child, *, adult: AuthorisedAdult, by, at: datetime | None = None) -> Attendance:
    """``child`` arrives, brought by ``adult`` (one of the child's authorised adults)."""
    at = at or timezone.now()
    if child.room is None:
        raise ValidationError(_("The child has no room yet."), code="child_without_room")
    if not _may_sign(child, adult):
        raise ValidationError(
            _("Only an adult on the child's list signs them in."), code="not_authorised"
        )
    day = timezone.localdate(at)
    problems = rules.check_sign_in(Attendance.objects.filter(child=child, day=day).exists())
    if problems:
        raise ValidationError(problems)
    return Attendance.objects.create(
        cooperative=child.cooperative,
        child=child,
        room=child.room,
        day=day,
        signed_in_at=at,
        brought_by=adult,
        signed_in_by=by,
    )


def sign_out(
    child: Child,
    *,
    adult: AuthorisedAdult | None,
    by,
    person_name: str = "",
    at: datetime | None = None,
) -> Attendance:
    """``child`` leaves with ``adult``. Anyone else (``adult`` None, named by
    ``person_name``, or an adult whose authorisation was withdrawn) is refused with
    ``not_authorised``, and the refusal is kept for the staff."""
    at = at or timezone.now()
    if not _may_sign(child, adult):
        with transaction.atomic():
            RefusedCollection.objects.create(
                cooperative=child.cooperative,
                child=child,
                at=at,
                person_name=(adult.full_name if adult is not None else person_name)[:200],
                adult=adult if adult is not None and adult.child_id == child.pk else None,
                recorded_by=by,
            )
        # Raised once the refusal has committed: raising inside the block would undo it.
        raise _not_authorised()
    return _sign_out(child, adult, by, at)


@transaction.atomic
def _sign_out(child: Child, adult, by, at: datetime) -> Attendance:
    attendance = (
        Attendance.objects.select_for_update()
        .filter(child=child, day=timezone.localdate(at))
        .first()
    )
    problems = rules.check_sign_out(
        attendance is not None, attendance is not None and attendance.signed_out_at is not None
    )
    if problems:
        raise ValidationError(problems)
    assert attendance is not None  # noqa: S101 - check_sign_out refused a missing sign-in
    attendance.signed_out_at = at
    attendance.collected_by = adult
    attendance.signed_out_by = by
    attendance.save(update_fields=["signed_out_at", "collected_by", "signed_out_by"])
    return attendance


@transaction.atomic
def roster(room: Room, *, worker, starts_at: datetime, ends_at: datetime) -> Shift:
    """``worker`` (a coordinator or carer of the cooperative) in ``room`` from ``starts_at``
    to ``ends_at``, on one day."""
    roles = roles_of(worker, room.cooperative)
    if not roles & {Role.COORDINATOR, Role.CARER}:
        raise ValidationError(
            _("Only a worker of the cooperative is rostered to a room."), code="not_a_worker"
        )
    if ends_at <= starts_at or timezone.localdate(starts_at) != timezone.localdate(ends_at):
        raise ValidationError(
            _("A shift ends after it starts, on the same day."), code="shift_times_invalid"
        )
    if Shift.objects.filter(worker=worker, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError(
            _("The worker is already rostered at that time."), code="shift_overlaps"
        )
    return Shift.objects.create(
        cooperative=room.cooperative,
        room=room,
        worker=worker,
        starts_at=starts_at,
        ends_at=ends_at,
    )


@transaction.atomic
def remove_shift(shift: Shift) -> None:
    """Take ``shift`` off the roster."""
    shift.delete()


@transaction.atomic
def set_ratio(
    cooperative, *, from_months: int, to_months: int, children_per_adult: int, reason: str, by
) -> RatioSetting:
    """The cooperative's ratio for an age band from now on, with its reason (a law of its
    region, a qualified teacher in the room, its own choice above the law's minimum)."""
    problems = rules.check_band(from_months, to_months)
    if not 1 <= children_per_adult <= rules.MAX_CHILDREN_PER_ADULT:
        problems.append(
            ValidationError(
                _("One adult looks after between 1 and 30 children."), code="ratio_out_of_range"
            )
        )
    if not reason.strip():
        problems.append(ValidationError(_("Say why."), code="reason_missing"))
    if problems:
        raise ValidationError(problems)
    return RatioSetting.objects.create(
        cooperative=cooperative,
        from_months=from_months,
        to_months=to_months,
        children_per_adult=children_per_adult,
        reason=reason,
        set_by=by,
    )


@transaction.atomic
def observe(
    child: Child, *, observed_on: date, area: str, text: str, by, share: bool = False
) -> Observation:
    """A worker's observation of ``child`` on ``observed_on`` in one area of development;
    with ``share``, shared with the guardians at once (refused without their consent)."""
    problems = rules.check_observation(observed_on, timezone.localdate())
    if share:
        problems += _sharing_problems(child)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    return Observation.objects.create(
        cooperative=child.cooperative,
        child=child,
        observed_on=observed_on,
        area=area,
        text=text,
        recorded_by=by,
        shared_at=now if share else None,
        shared_by=by if share else None,
    )


def _sharing_problems(child: Child) -> list[ValidationError]:
    return rules.check_sharing(
        child.consents.filter(kind=ConsentKind.OBSERVATIONS, withdrawn_on__isnull=True).exists()
    )


@transaction.atomic
def share_observation(observation: Observation, *, by) -> Observation:
    """Show ``observation`` to the child's guardians from now on, if they consented."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.shared_at is not None:
        raise ValidationError(
            _("This observation is already shared."), code="observation_already_shared"
        )
    problems = _sharing_problems(observation.child)
    if problems:
        raise ValidationError(problems)
    observation.shared_at, observation.shared_by = timezone.now(), by
    observation.save(update_fields=["shared_at", "shared_by"])
    return observation
