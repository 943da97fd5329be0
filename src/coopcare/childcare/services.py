"""The actions of a childcare centre, one transaction each: rooms, enrolment, guardians and
the adults who may collect a child, consents, the day's sign-in and sign-out at the door, the
staff rostered to rooms, the ratios the cooperative sets, observations of a child's
development and learning, shared with the guardians who consented, and the parents' fees:
fee schedules, subsidies, each child's fee terms and the monthly fee run, billed through
billing's ``bill_charges``.

A sign-out asked by someone not authorised is refused, and the refusal itself is kept
(``RefusedCollection``) for the staff to see: it is the one write a refusal makes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.billing import invoicing
from coopcare.billing import services as billing_services
from coopcare.billing.models import (
    PUBLIC_KINDS,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payer,
    PayerKind,
)
from coopcare.care.models import CircleMember, ServiceType
from coopcare.childcare import rules
from coopcare.childcare.models import (
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    ConsentKind,
    FeeBand,
    FeeCharge,
    FeeSchedule,
    FeeTerms,
    Guardian,
    Observation,
    ProRata,
    RatioSetting,
    RefusedCollection,
    Room,
    Shift,
    Subsidy,
    SubsidyCharge,
    SubsidyKind,
)
from coopcare.cooperatives.access import roles_of
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.shared.days import month_end


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


# Parents' fees, their subsidies and the monthly fee run. The rules are ``rules.fee_band``,
# ``monthly_fee`` and ``subsidies_of``; billing writes the invoices (``bill_charges``).


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_month_ended() -> date:
    """The first day of the last month ended (the centre's day, as the door reads it): the
    month a fee run bills unless told."""
    today = timezone.localdate()
    return _first_of_month(_first_of_month(today) - timedelta(days=1))


@transaction.atomic
def add_fee_schedule(
    cooperative,
    *,
    valid_from: date,
    bands: list[tuple[Decimal | None, Decimal]],
    by,
    part_time_percent: Decimal = Decimal(60),
    vat_rate: Decimal = Decimal(0),
    vat_note: str = "",
    undeclared_pays_top_band: bool = True,
    pro_rata: str = ProRata.CALENDAR_DAYS,
) -> FeeSchedule:
    """A fee schedule from the first day of a month, with its bands as (income up to, monthly
    full-time fee), the top band's ceiling None. It replaces the schedule before from that
    month; it starts after the latest one and after every month already billed, so no billed
    month changes schedule."""
    problems = rules.check_fee_bands([c for c, _f in bands], [f for _c, f in bands])
    if valid_from.day != 1:
        problems.append(
            ValidationError(
                _("A fee schedule starts on the first day of a month."),
                code="fee_schedule_not_month_start",
            )
        )
    latest = FeeSchedule.objects.filter(cooperative=cooperative).order_by("-valid_from").first()
    if latest is not None and latest.valid_from >= valid_from:
        problems.append(
            ValidationError(
                _("A new schedule starts after the latest one, which starts on %(day)s.")
                % {"day": localise.day(latest.valid_from)},
                code="fee_schedule_not_after_latest",
            )
        )
    if FeeCharge.objects.filter(cooperative=cooperative, month__gte=valid_from).exists():
        problems.append(
            ValidationError(
                _("Fees from that month are already billed: a schedule starts after them."),
                code="month_already_billed",
            )
        )
    if problems:
        raise ValidationError(problems)
    schedule = FeeSchedule(
        cooperative=cooperative,
        valid_from=valid_from,
        part_time_percent=part_time_percent,
        vat_rate=vat_rate,
        vat_note=vat_note,
        undeclared_pays_top_band=undeclared_pays_top_band,
        pro_rata=pro_rata,
        recorded_by=by,
    )
    schedule.full_clean()
    schedule.save()
    FeeBand.objects.bulk_create(
        FeeBand(schedule=schedule, income_up_to=ceiling, monthly_fee=fee) for ceiling, fee in bands
    )
    return schedule


@transaction.atomic
def add_subsidy(
    cooperative,
    *,
    name: str,
    payer: Payer,
    kind: str,
    amount: Decimal,
    valid_from: date,
    by,
    valid_until: date | None = None,
    up_to_band: int | None = None,
    from_months: int | None = None,
    to_months: int | None = None,
) -> Subsidy:
    """A subsidy a public body pays towards the children's fees, billed to it: a fixed amount
    a month or a percentage of each fee, for every child or those of the bands up to
    ``up_to_band`` and of the age band given, from ``valid_from`` to ``valid_until``."""
    problems = []
    if payer.cooperative_id != cooperative.pk or payer.kind not in PUBLIC_KINDS:
        problems.append(
            ValidationError(
                _("A subsidy is billed to a public body or health authority of this cooperative."),
                code="subsidy_payer_not_public",
            )
        )
    if kind == SubsidyKind.PERCENT and amount > 100:
        problems.append(
            ValidationError(
                _("A subsidy pays at most 100 % of a fee."), code="subsidy_percent_out_of_range"
            )
        )
    if valid_until is not None and valid_until < valid_from:
        problems.append(
            ValidationError(
                _("The subsidy ends before it starts."), code="period_ends_before_start"
            )
        )
    if (from_months is None) != (to_months is None):
        problems.append(
            ValidationError(_("An age band has both its ends."), code="age_band_invalid")
        )
    elif from_months is not None and to_months is not None:
        problems += rules.check_band(from_months, to_months)
    if problems:
        raise ValidationError(problems)
    subsidy = Subsidy(
        cooperative=cooperative,
        name=name,
        payer=payer,
        kind=kind,
        amount=amount,
        valid_from=valid_from,
        valid_until=valid_until,
        up_to_band=up_to_band,
        from_months=from_months,
        to_months=to_months,
        recorded_by=by,
    )
    subsidy.full_clean()
    subsidy.save()
    return subsidy


def _family_payer(guardian: Guardian) -> Payer:
    """The guardian's family payer: the one linked to their login, or named after them;
    made from the guardian when there is none."""
    payers = Payer.objects.filter(cooperative_id=guardian.cooperative_id, kind=PayerKind.FAMILY)
    found = None
    if guardian.user_id is not None:
        found = payers.filter(user_id=guardian.user_id).first()
    found = found or payers.filter(name=guardian.full_name).first()
    if found is not None:
        return found
    return billing_services.add_payer(
        guardian.cooperative,
        {"kind": PayerKind.FAMILY, "name": guardian.full_name, "user": guardian.user},
    )


@transaction.atomic
def set_fee_terms(
    child: Child,
    *,
    guardian: Guardian,
    valid_from: date,
    by,
    income: Decimal | None = None,
    declared_on: date | None = None,
    part_time: bool = False,
) -> FeeTerms:
    """The child's fee terms from ``valid_from``: the guardian whose family pays (their
    family payer, made if missing), the household income declared and when (none: not
    declared), full or part time. New terms replace the earlier from their day."""
    problems = []
    if not guardian.children.filter(pk=child.pk).exists():
        problems.append(
            ValidationError(
                _("The one who pays is a parent or guardian of the child."),
                code="not_the_childs_guardian",
            )
        )
    if (income is None) != (declared_on is None):
        problems.append(
            ValidationError(
                _("A declared income has the day it was declared, and only then."),
                code="declaration_incomplete",
            )
        )
    if child.fee_terms.filter(valid_from=valid_from).exists():
        problems.append(
            ValidationError(
                _("The child already has fee terms from that day."), code="fee_terms_same_day"
            )
        )
    if problems:
        raise ValidationError(problems)
    terms = FeeTerms(
        child=child,
        guardian=guardian,
        payer=_family_payer(guardian),
        income=income,
        declared_on=declared_on,
        part_time=part_time,
        valid_from=valid_from,
        recorded_by=by,
    )
    terms.full_clean()
    terms.save()
    return terms


@dataclass(frozen=True)
class FeeRow:
    """A child's fee of a month as a run would bill it."""

    child: Child
    terms: FeeTerms
    band: int
    days_enrolled: int
    fee: Decimal
    subsidies: list[tuple[Subsidy, Decimal]]
    family_share: Decimal
    # When the month is billed again: the charge it replaces, and the credit note's line that
    # lets it (``rules.rebilling``).
    replaces: FeeCharge | None = None
    credited_by: InvoiceLine | None = None


@dataclass(frozen=True)
class FeePreview:
    """What a run of ``month`` would bill (``rows``), the children already billed, the
    schedule, and every reason it cannot run."""

    month: date
    schedule: FeeSchedule | None
    rows: list[FeeRow]
    already_billed: list[Child]
    problems: list[ValidationError]


def _enrolled_days(child: Child, first: date, last: date) -> int:
    start = max(first, child.enrolled_on)
    end = min(last, child.leaves_on) if child.leaves_on else last
    return (end - start).days + 1


def _subsidy_applies(subsidy: Subsidy, child: Child, band: int, first: date, last: date) -> bool:
    if subsidy.valid_from > last or (subsidy.valid_until and subsidy.valid_until < first):
        return False
    if subsidy.up_to_band is not None and band > subsidy.up_to_band:
        return False
    if subsidy.from_months is not None and subsidy.to_months is not None:
        months = rules.age_in_months(child.born_on, max(first, child.enrolled_on))
        return subsidy.from_months <= months < subsidy.to_months
    return True


def _line_credit(line: InvoiceLine) -> rules.LineCredit:
    credit = next(iter(line.credited_by.all()), None)
    if credit is None:
        return rules.LineCredit.STANDING
    return rules.LineCredit.AGAIN if credit.bill_again else rules.LineCredit.KEPT


def _rebilling(charge: FeeCharge, month: date) -> InvoiceLine | ValidationError | None:
    """The credit note's line that lets ``charge``'s month be billed again (the family's,
    else the first subsidy's), the reason the run cannot until more is credited, or None when
    the month stays billed (``rules.rebilling``)."""
    lines = ([charge.line] if charge.line else []) + [s.line for s in charge.subsidies.all()]
    found = rules.rebilling([_line_credit(line) for line in lines])
    if found == rules.Rebilling.STAYS_BILLED:
        return None
    if found == rules.Rebilling.CREDIT_THE_REST:
        standing = [
            line.invoice.payer.name
            for line in lines
            if _line_credit(line) == rules.LineCredit.STANDING
        ]
        return ValidationError(
            _(
                "%(child)s, %(month)s: the fee is credited to be billed again, but the line "
                "billed to %(payers)s is not; credit it too, to be billed again, so that no "
                "one is billed twice."
            )
            % {
                "child": charge.child.full_name,
                "month": localise.month(month),
                "payers": ", ".join(standing),
            },
            code="fee_line_not_credited",
            params={"child": charge.child_id},
        )
    return next(c for line in lines for c in line.credited_by.all())


def preview_fees(cooperative, month: date) -> FeePreview:
    """What the fee run of ``month`` would bill: every child enrolled for a day of it and not
    billed for it yet, with their band, fee, subsidies and family's share; and every reason it
    cannot (no schedule, a child without fee terms, an income not declared where the
    schedule does not bill one), each naming the child. Reads only."""
    first, last = _first_of_month(month), month_end(month)
    schedule = (
        FeeSchedule.objects.filter(cooperative=cooperative, valid_from__lte=first)
        .order_by("-valid_from")
        .prefetch_related("bands")
        .first()
    )
    children = list(
        Child.objects.filter(cooperative=cooperative, enrolled_on__lte=last)
        .exclude(leaves_on__lt=first)
        .prefetch_related("fee_terms")
        .order_by("full_name", "pk")
    )
    standing = {
        c.child_id: c
        for c in FeeCharge.objects.filter(
            cooperative=cooperative, month=first, credited_by__isnull=True
        )
        .select_related("child", "line__invoice__payer")
        .prefetch_related(
            "line__credited_by", "subsidies__line__credited_by", "subsidies__line__invoice__payer"
        )
    }
    problems: list[ValidationError] = []
    again: dict[int, InvoiceLine] = {}
    for charge in standing.values():
        found = _rebilling(charge, first)
        if isinstance(found, ValidationError):
            problems.append(found)
        elif found is not None:
            again[charge.child_id] = found
    billed = {pk for pk in standing if pk not in again}
    if schedule is None:
        problems.append(
            ValidationError(
                _("No fee schedule is in force in %(month)s.") % {"month": localise.month(first)},
                code="no_fee_schedule",
            )
        )
    bands = sorted(
        schedule.bands.all() if schedule else [],
        key=lambda b: (b.income_up_to is None, b.income_up_to or 0),
    )
    subsidies = list(Subsidy.objects.filter(cooperative=cooperative).order_by("pk"))
    rows = []
    for child in (c for c in children if c.pk not in billed):
        last_day = min(last, child.leaves_on) if child.leaves_on else last
        terms = max(
            (t for t in child.fee_terms.all() if t.valid_from <= last_day),
            key=lambda t: t.valid_from,
            default=None,
        )
        if terms is None:
            problems.append(
                ValidationError(
                    _("%(child)s has no fee terms.") % {"child": child.full_name},
                    code="no_fee_terms",
                    params={"child": child.pk},
                )
            )
            continue
        if schedule is None:
            continue
        if terms.income is None and not schedule.undeclared_pays_top_band:
            problems.append(
                ValidationError(
                    _("%(child)s: the household's income is not declared.")
                    % {"child": child.full_name},
                    code="income_not_declared",
                    params={"child": child.pk},
                )
            )
            continue
        band = rules.fee_band([b.income_up_to for b in bands], terms.income)
        if band is None:
            continue
        days = _enrolled_days(child, first, last)
        fee = rules.monthly_fee(
            bands[band - 1].monthly_fee,
            part_time=terms.part_time,
            part_time_percent=schedule.part_time_percent,
            days_enrolled=days,
            days_in_month=(last - first).days + 1,
            pro_rata=schedule.pro_rata == ProRata.CALENDAR_DAYS,
        )
        applying = [s for s in subsidies if _subsidy_applies(s, child, band, first, last)]
        paid = rules.subsidies_of(
            fee,
            [rules.SubsidyTerms(s.kind == SubsidyKind.PERCENT, s.amount) for s in applying],
        )
        shares = [(s, amount) for s, amount in zip(applying, paid, strict=True) if amount]
        rows.append(
            FeeRow(
                child=child,
                terms=terms,
                band=band,
                days_enrolled=days,
                fee=fee,
                subsidies=shares,
                family_share=fee - sum((a for _s, a in shares), Decimal(0)),
                replaces=standing.get(child.pk) if child.pk in again else None,
                credited_by=again.get(child.pk),
            )
        )
    return FeePreview(
        month=first,
        schedule=schedule,
        rows=rows,
        already_billed=[c for c in children if c.pk in billed],
        problems=problems,
    )


def _fee_words(row: FeeRow, month: date, language: str) -> str:
    with translation.override(language):
        return _("Fee for %(month)s, %(child)s, %(time)s, band %(band)s") % {
            "month": localise.month(month),
            "child": row.child.full_name,
            "time": _("part time") if row.terms.part_time else _("full time"),
            "band": row.band,
        }


def _subsidy_words(subsidy: Subsidy, row: FeeRow, month: date, language: str) -> str:
    with translation.override(language):
        return _("%(subsidy)s, %(month)s, %(child)s, band %(band)s") % {
            "subsidy": subsidy.name,
            "month": localise.month(month),
            "child": row.child.full_name,
            "band": row.band,
        }


@transaction.atomic
def run_fees(cooperative, month: date, *, by) -> list[FeeCharge]:
    """Bill the month's fees: for every child enrolled for a day of it and not yet billed for
    it, a ``FeeCharge`` and draft invoices through billing: the family's share on its family
    payer's invoice, each subsidy on its public body's, a line per child. Refused, writing
    nothing, with every reason when a child cannot be billed (``no_fee_terms`` naming each);
    a month whose every child is billed already is refused (``fees_already_billed``): a second
    run bills only the children the first did not, and those whose every line of the month a
    credit note credited to be billed again (``rules.rebilling``), with the terms in force
    now; a child with some lines so credited and others standing refuses the run
    (``fee_line_not_credited``)."""
    found = preview_fees(cooperative, month)
    problems = found.problems
    if problems:
        raise ValidationError(problems)
    named = {"month": localise.month(found.month)}
    if not found.rows and found.already_billed:
        raise ValidationError(
            _("Every child's fee of %(month)s is billed already.") % named,
            code="fees_already_billed",
        )
    if not found.rows:
        raise ValidationError(
            _("No child is enrolled in %(month)s.") % named, code="nothing_to_invoice"
        )
    # Without a problem, a schedule is in force.
    schedule, first = cast(FeeSchedule, found.schedule), found.month
    charges: list[invoicing.Charge] = []
    owners: list[tuple[FeeRow, Subsidy | None]] = []
    for row in found.rows:
        parts: list[tuple[Payer, str, Decimal, Subsidy | None]] = []
        if row.family_share:
            payer = row.terms.payer
            parts.append((payer, _fee_words(row, first, payer.language), row.family_share, None))
        for granted, amount in row.subsidies:
            words = _subsidy_words(granted, row, first, granted.payer.language)
            parts.append((granted.payer, words, amount, granted))
        for payer, words, amount, source in parts:
            charges.append(
                invoicing.Charge(
                    payer=payer,
                    day=first,
                    description=words,
                    amount=amount,
                    vat_rate=schedule.vat_rate,
                    vat_note=schedule.vat_note,
                    service_type=ServiceType.CHILDCARE,
                )
            )
            owners.append((row, source))
    billed = invoicing.bill_charges(cooperative, charges, first, month_end(first), by=by)
    made: dict[int, FeeCharge] = {}
    for row in found.rows:
        if row.replaces is not None:
            # The charge credited no longer counts, so the new one may stand beside it.
            row.replaces.credited_by = row.credited_by
            row.replaces.save(update_fields=["credited_by"])
    for (row, subsidy), line in zip(owners, billed.lines, strict=True):
        charge = made.get(row.child.pk)
        if charge is None:
            charge = made[row.child.pk] = FeeCharge.objects.create(
                cooperative=cooperative,
                child=row.child,
                month=first,
                schedule=schedule,
                terms=row.terms,
                band=row.band,
                income_declared=row.terms.income is not None,
                part_time=row.terms.part_time,
                days_enrolled=row.days_enrolled,
                days_in_month=(month_end(first) - first).days + 1,
                fee=row.fee,
                subsidised=row.fee - row.family_share,
                family_share=row.family_share,
                billed_by=by,
            )
        if subsidy is None:
            charge.line = line
            charge.save(update_fields=["line"])
        else:
            SubsidyCharge.objects.create(
                charge=charge, subsidy=subsidy, amount=line.amount, line=line
            )
    return list(made.values())


@transaction.atomic
def delete_fee_lines(invoice: Invoice) -> None:
    """Before a draft invoice of fees is deleted: delete, in the same transaction, the
    charges of the children it bills and their lines on the run's other drafts (the family's
    share and the public bodies' subsidies of one fee are billed together or not at all), and
    those drafts once left without lines. Refused (``fee_line_issued``) when one of those
    lines is on an issued invoice: a credit note corrects that one. Billing calls it from
    ``invoicing.delete_draft``."""
    lines = set(invoice.lines.values_list("pk", flat=True))
    charges = list(
        FeeCharge.objects.filter(cooperative=invoice.cooperative)
        .filter(models.Q(line__in=lines) | models.Q(subsidies__line__in=lines))
        .distinct()
        .select_related("child", "line__invoice")
        .prefetch_related("subsidies__line__invoice")
    )
    if not charges:
        return
    all_lines = [
        line
        for charge in charges
        for line in ([charge.line] if charge.line else [])
        + [s.line for s in charge.subsidies.all()]
    ]
    issued = [line for line in all_lines if line.invoice.status != InvoiceStatus.DRAFT]
    problems = [
        ValidationError(
            _(
                "%(what)s is billed on the issued invoice %(invoice)s too: the draft is not "
                "deleted alone; a credit note corrects the issued invoice."
            )
            % {"what": line.description, "invoice": line.invoice.reference},
            code="fee_line_issued",
        )
        for line in issued
    ]
    if problems:
        raise ValidationError(problems)
    others = {line.invoice for line in all_lines if line.invoice.pk != invoice.pk}
    FeeCharge.objects.filter(pk__in=[c.pk for c in charges]).delete()
    InvoiceLine.objects.filter(
        pk__in=[line.pk for line in all_lines if line.invoice_id != invoice.pk]
    ).delete()
    for other in others:
        if not other.lines.exists():
            other.delete()
