"""Actions on family caregivers' support, one transaction each: a caregiver registered, their
support ended or their consent withdrawn, a support plan's new version, a support group or
training session planned, caregivers enrolled and their attendance recorded."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import CircleMember, PersonCaredFor
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.respite import rules
from coopcare.respite.models import Caregiver, Enrolment, Gathering, SupportPlan


def _check(problems: list[ValidationError]) -> None:
    if problems:
        raise ValidationError(problems)


def _check_runs_respite(cooperative) -> None:
    if not cooperative.runs_respite:
        raise ValidationError(
            _("This cooperative does not support family caregivers in their own right."),
            code="respite_off",
        )


@transaction.atomic
def register_caregiver(
    cooperative,
    *,
    full_name: str,
    cares_for_whom: str,
    hours_caring_a_week: int,
    consent_given_on: date,
    since: date,
    phone: str = "",
    cares_for: PersonCaredFor | None = None,
    circle_member: CircleMember | None = None,
    asks_respite: bool = False,
    asks_group: bool = False,
    asks_training: bool = False,
    notes: str = "",
    user=None,
    by=None,
) -> Caregiver:
    """Register a family caregiver the cooperative supports from ``since``, on their consent
    given on ``consent_given_on``. ``cares_for`` is the person they care for when the
    cooperative cares for them too, and ``circle_member`` their entry in that person's circle."""
    _check_runs_respite(cooperative)
    _check(rules.support_problems(since, consent_given_on, None, None))
    if cares_for is not None and cares_for.cooperative_id != cooperative.pk:
        raise ValidationError(_("No such person cared for."), code="person_not_found")
    if (
        user is not None
        and not CooperativeRole.objects.filter(cooperative=cooperative, user=user).exists()
    ):
        raise ValidationError(
            _("The login must be someone of this cooperative."), code="caregiver_login_elsewhere"
        )
    if circle_member is not None and (cares_for is None or circle_member.person_id != cares_for.pk):
        raise ValidationError(
            _("The circle member is not in the circle of the person they care for."),
            code="circle_member_elsewhere",
        )
    return Caregiver.objects.create(
        cooperative=cooperative,
        full_name=full_name,
        phone=phone,
        user=user,
        cares_for=cares_for,
        circle_member=circle_member,
        cares_for_whom=cares_for_whom,
        hours_caring_a_week=hours_caring_a_week,
        asks_respite=asks_respite,
        asks_group=asks_group,
        asks_training=asks_training,
        notes=notes,
        consent_given_on=consent_given_on,
        since=since,
        recorded_by=by,
    )


@transaction.atomic
def end_support(caregiver: Caregiver, on: date, *, consent_withdrawn: bool = False) -> Caregiver:
    """End the caregiver's support on ``on`` (their last day); with ``consent_withdrawn``, they
    withdrew their consent that day, which ends it too."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if caregiver.ended_on is not None:
        raise ValidationError(_("This support has already ended."), code="support_ended")
    withdrawn = on if consent_withdrawn else None
    _check(rules.support_problems(caregiver.since, caregiver.consent_given_on, withdrawn, on))
    caregiver.ended_on = on
    caregiver.consent_withdrawn_on = withdrawn
    caregiver.save(update_fields=["ended_on", "consent_withdrawn_on"])
    return caregiver


def _still_supported(caregiver: Caregiver, on: date) -> None:
    if not rules.supported_on(
        on, caregiver.since, caregiver.ended_on, caregiver.consent_withdrawn_on
    ):
        raise ValidationError(
            _("%(caregiver)s is not supported on %(date)s.") % {"caregiver": caregiver, "date": on},
            code="caregiver_not_supported",
        )


@transaction.atomic
def new_support_plan(
    caregiver: Caregiver, *, valid_from: date, goals: str, respite_hours_a_month: int, by=None
) -> SupportPlan:
    """Write the next version of the caregiver's support plan, applying from ``valid_from``."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    _still_supported(caregiver, valid_from)
    latest = caregiver.plans.aggregate(v=Max("version"), d=Max("valid_from"))
    if latest["d"] and valid_from < latest["d"]:
        raise ValidationError(
            _("A new version cannot apply before the current one (from %(date)s).")
            % {"date": latest["d"]},
            code="plan_before_current_version",
        )
    return SupportPlan.objects.create(
        caregiver=caregiver,
        version=(latest["v"] or 0) + 1,
        valid_from=valid_from,
        goals=goals,
        respite_hours_a_month=respite_hours_a_month,
        created_by=by,
    )


@transaction.atomic
def plan_gathering(
    cooperative,
    *,
    kind: str,
    topic: str,
    starts_at: datetime,
    minutes: int,
    facilitator,
    place: str = "",
    online_link: str = "",
) -> Gathering:
    """Plan a support group meeting or a training session, led by one of the cooperative's
    workers (a coordinator or a carer)."""
    _check_runs_respite(cooperative)
    _check(rules.gathering_problems(place, online_link))
    works_here = CooperativeRole.objects.filter(
        cooperative=cooperative, user=facilitator, role__in=(Role.COORDINATOR, Role.CARER)
    ).exists()
    if not works_here:
        raise ValidationError(
            _("The facilitator is one of the cooperative's workers."),
            code="facilitator_not_a_worker",
        )
    return Gathering.objects.create(
        cooperative=cooperative,
        kind=kind,
        topic=topic,
        starts_at=starts_at,
        minutes=minutes,
        place=place,
        online_link=online_link,
        facilitator=facilitator,
    )


@transaction.atomic
def enrol(gathering: Gathering, caregiver: Caregiver) -> Enrolment:
    """Enrol a caregiver of the gathering's cooperative, supported on its day."""
    if caregiver.cooperative_id != gathering.cooperative_id:
        raise ValidationError(_("No such caregiver."), code="caregiver_not_found")
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    _still_supported(caregiver, timezone.localdate(gathering.starts_at))
    if gathering.enrolments.filter(caregiver=caregiver).exists():
        raise ValidationError(
            _("%(caregiver)s is already enrolled.") % {"caregiver": caregiver},
            code="already_enrolled",
        )
    return Enrolment.objects.create(gathering=gathering, caregiver=caregiver)


@transaction.atomic
def record_attendance(
    gathering: Gathering, attended: set[int], now: datetime | None = None
) -> list[Enrolment]:
    """Record who came: the enrolled caregivers whose ids are in ``attended`` came, the others
    did not. Every id must be of someone enrolled; nothing is saved otherwise."""
    _check(rules.attendance_problems(gathering.starts_at, now or timezone.now()))
    enrolments = list(gathering.enrolments.select_for_update().select_related("caregiver"))
    unknown = attended - {e.caregiver_id for e in enrolments}
    if unknown:
        raise ValidationError(
            _("Only caregivers enrolled in the gathering can attend it."), code="not_enrolled"
        )
    for enrolment in enrolments:
        enrolment.attended = enrolment.caregiver_id in attended
    Enrolment.objects.bulk_update(enrolments, ["attended"])
    return enrolments


def forget_caregivers(cooperative, before: date, *, dry_run: bool = False) -> int:
    """Anonymise the caregivers whose support ended before ``before``: their care records'
    retention period counts from the end of their support (``retention``'s kind
    ``care_records``). Their name, contact, notes, login and support plans' goals are blanked;
    what they were given (respite, attendance) stays for the indicators of past years.
    Returns how many; with ``dry_run``, only counts. Run inside the retention's transaction."""
    due = Caregiver.objects.filter(cooperative=cooperative, ended_on__lt=before).exclude(
        full_name=""
    )
    count = due.count()
    if not dry_run:
        forget(due)
    return count


def forget(caregivers) -> None:
    """Blank the name, contact, notes, login and support plans' goals of ``caregivers`` (a
    query): their record is past its period, or erased at their request. Run inside the
    caller's transaction."""
    SupportPlan.objects.filter(caregiver__in=caregivers).update(goals="")
    caregivers.update(
        full_name="", phone="", notes="", cares_for_whom="", user=None, circle_member=None
    )
