"""Actions on people cared for: admission, status, consents, circle, assessments, care plans.

Each action writes what belongs together in one transaction and raises ValidationError,
writing nothing, when a rule is broken.
"""

import logging
import re
import secrets
from datetime import date, datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care import scales
from coopcare.care.models import (
    Assessment,
    CarePlan,
    CareStatus,
    CareTask,
    CircleMember,
    Consent,
    ConsentKind,
    PersonCaredFor,
    StatusChange,
    Verification,
)

log = logging.getLogger(__name__)


@transaction.atomic
def admit_person(cooperative, *, on: date, recorded_by=None, **fields) -> PersonCaredFor:
    """Record a new person cared for (a referral, or active from ``on``)."""
    fields.setdefault("status", CareStatus.REFERRAL)
    fields.setdefault("confirmation_code", new_confirmation_code())
    person = PersonCaredFor.objects.create(cooperative=cooperative, since=on, **fields)
    StatusChange.objects.create(
        person=person, status=person.status, on=on, reason=_("admitted"), recorded_by=recorded_by
    )
    return person


def new_confirmation_code() -> str:
    """A six-digit code the person keeps, to confirm visits on the carer's phone."""
    return f"{secrets.randbelow(10**6):06d}"


@transaction.atomic
def renew_confirmation_code(person: PersonCaredFor, by) -> str:
    """Give the person a new confirmation code and return it; the old one stops working now.

    For when the code may be known to someone else (wrong codes on the coordinators'
    follow-up page, a carer who saw it typed) or the person forgot it. The caller shows the
    code once, to the coordinator who gives it to the person; it is not shown again.
    """
    locked = PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    code = new_confirmation_code()
    # A "new" code equal to the old one would leave a leaked code working.
    while code == locked.confirmation_code:
        code = new_confirmation_code()
    locked.confirmation_code = person.confirmation_code = code
    locked.save(update_fields=["confirmation_code"])
    # Who renewed it, for the operators' log (never the code itself): the record keeps no
    # history of codes.
    log.info("person %s: confirmation code renewed by user %s", person.pk, by.pk)
    return code


@transaction.atomic
def change_status(person: PersonCaredFor, status: str, on: date, reason: str = "", by=None):
    """Move a person to another care status from a date; the history keeps each change."""
    if status == person.status:
        raise ValidationError(_("The person already has this status."), code="status_unchanged")
    last = person.statuses.order_by("-on").first()
    if last and on < last.on:
        raise ValidationError(
            _("A status change cannot be dated before the previous one."),
            code="status_dated_before_previous",
        )
    person.status = status
    person.save(update_fields=["status"])
    StatusChange.objects.create(person=person, status=status, on=on, reason=reason, recorded_by=by)
    return person


def active_consent(person: PersonCaredFor, kind: str) -> Consent | None:
    return person.consents.filter(kind=kind, withdrawn_on__isnull=True).first()


@transaction.atomic
def give_consent(person, kind: str, given_by: str, on: date, by=None) -> Consent:
    """Record a consent from the person or their legal representative."""
    if active_consent(person, kind):
        raise ValidationError(
            _("This consent is already recorded and has not been withdrawn."),
            code="consent_already_given",
        )
    return Consent.objects.create(
        person=person, kind=kind, given_by=given_by, given_on=on, recorded_by=by
    )


@transaction.atomic
def withdraw_consent(person, kind: str, on: date) -> Consent:
    """Withdraw a consent. Withdrawing location consent ends location verification."""
    consent = active_consent(person, kind)
    if consent is None:
        raise ValidationError(_("There is no such consent to withdraw."), code="no_such_consent")
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    if kind == ConsentKind.LOCATION and person.verification == Verification.LOCATION:
        person.verification = Verification.CONFIRMATION
        person.save(update_fields=["verification"])
    return consent


def choose_verification(person: PersonCaredFor, method: str) -> PersonCaredFor:
    """The person chooses how visits are verified. Location needs their recorded consent, and
    is then taken at check-in and check-out only (21st Century Cures Act §12006 EVV; DESIGN.md)."""
    if method == Verification.LOCATION and not active_consent(person, ConsentKind.LOCATION):
        raise ValidationError(
            _(
                "Location verification needs the person's recorded consent to location at "
                "check-in and check-out."
            ),
            code="location_consent_missing",
        )
    person.verification = method
    person.save(update_fields=["verification"])
    return person


def add_to_circle(person: PersonCaredFor, **fields) -> CircleMember:
    """Add someone to the person's circle with what the person grants them to see."""
    user = fields.get("user")
    if user and person.circle.filter(user=user, revoked_on__isnull=True).exists():
        raise ValidationError(
            _("This login is already in the person's circle."), code="already_in_circle"
        )
    return CircleMember.objects.create(person=person, **fields)


def revoke_from_circle(member: CircleMember, on: date) -> CircleMember:
    if member.revoked_on:
        raise ValidationError(_("This grant was already revoked."), code="already_revoked")
    member.revoked_on = on
    member.save(update_fields=["revoked_on"])
    return member


def _scale_problem(scale: str, problem: scales.NotScorable) -> ValidationError:
    """The service's error for answers that give no total, naming the items concerned."""
    items = scales.SCALES[scale].items
    names = ", ".join(
        f"{items[key].label} ({key})" if key in items else key for key in problem.items
    )
    if problem.code == "unknown_item":
        message = _("Not items of %(scale)s: %(items)s.")
    elif problem.code == "invalid_answer":
        message = _("Not one of the scale's answers for: %(items)s. Choose one of its options.")
    else:
        message = _(
            "Every item of %(scale)s must be answered; not answered: %(items)s. An item left "
            "out is not scored as 0."
        )
    code = "incomplete_assessment" if problem.code == "incomplete" else problem.code
    return ValidationError(
        message % {"scale": scales.SCALES[scale].name, "items": names}, code=code
    )


@transaction.atomic
def record_assessment(
    person, *, domain: str, on: date, assessor, scale: str = "", items=None, notes: str = ""
) -> Assessment:
    """Record a needs assessment. With a standard scale, every item is answered with one of the
    scale's options and the total is scored; an incomplete one is refused, never scored as if
    the missing items were 0 (see :mod:`coopcare.care.scales`)."""
    items = dict(items or {})
    if scale:
        if scale not in scales.SCALES:
            raise ValidationError(_("Unknown assessment scale."), code="unknown_scale")
        try:
            total = scales.score(scale, items)
        except scales.NotScorable as problem:
            raise _scale_problem(scale, problem) from problem
    elif items:
        raise ValidationError(
            _("Items are recorded only with a standard scale."), code="items_without_scale"
        )
    else:
        total = None
    if not scale and not notes.strip():
        raise ValidationError(
            _("An assessment without a scale needs written notes."), code="notes_needed"
        )
    return Assessment.objects.create(
        person=person,
        domain=domain,
        on=on,
        assessor=assessor,
        scale=scale,
        items=items,
        score=total,
        notes=notes,
    )


ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY"}


def rrule_problem(rule: str) -> ValidationError | None:
    """What is wrong with an iCalendar RRULE for a care task, if anything."""
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if "DTSTART" in text:
        return ValidationError(
            _("Give only the repeat rule; the start comes from the plan's date and time."),
            code="repeat_rule_with_start",
        )
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", text)
    try:
        rrulestr(text, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError):
        frequency = None
    if frequency is None:
        return ValidationError(
            _("This is not a valid repeat rule (iCalendar RRULE), e.g. FREQ=WEEKLY;BYDAY=MO."),
            code="invalid_repeat_rule",
        )
    if frequency.group(1) not in ALLOWED_FREQUENCIES:
        return ValidationError(
            _("Care tasks repeat daily, weekly or monthly."), code="repeat_frequency_not_allowed"
        )
    return None


@transaction.atomic
def new_care_plan(
    person,
    *,
    valid_from: date,
    goals: str,
    tasks: list[dict],
    by=None,
    today: date | None = None,
    horizon_days: int | None = None,
) -> CarePlan:
    """Write the next version of the person's care plan, applying from ``valid_from``, with
    its visits, in one transaction: a plan is never saved without them.

    Visits already done (or under way) are never changed; planned visits of earlier versions
    from ``valid_from`` on are cancelled and generated again from this version. Then the
    visits of the next ``horizon_days`` (the visits' horizon, four weeks, unless told; 0
    plans none) are planned from ``valid_from`` or ``today`` (the local date unless given),
    whichever is later; how many were new is left on the plan as ``visits_planned``.
    """
    # Imported here, not at the top: visits builds on care (its models, and visit records
    # read consents through care.services), so a module-level import of visits from care
    # would make the two apps import each other.
    from coopcare.visits.services import HORIZON_DAYS, generate_horizon, replace_planned_visits

    if not tasks:
        raise ValidationError(_("A care plan needs at least one task."), code="no_tasks")
    problems = [
        ValidationError(
            _("Task “%(task)s”: %(problem)s") % {"task": task["title"], "problem": problem.message},
            code=problem.code,
        )
        for task in tasks
        if (problem := rrule_problem(task["rrule"]))
    ]
    if problems:
        raise ValidationError(problems)
    PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    latest = person.plans.aggregate(v=Max("version"), d=Max("valid_from"))
    if latest["d"] and valid_from < latest["d"]:
        raise ValidationError(
            _("A new version cannot apply before the current one (from %(date)s).")
            % {"date": latest["d"]},
            code="plan_before_current_version",
        )
    plan = CarePlan.objects.create(
        person=person,
        version=(latest["v"] or 0) + 1,
        valid_from=valid_from,
        goals=goals,
        created_by=by,
    )
    CareTask.objects.bulk_create(CareTask(plan=plan, **task) for task in tasks)
    replace_planned_visits(person, valid_from)
    start = max(valid_from, today or timezone.localdate())
    days = HORIZON_DAYS if horizon_days is None else horizon_days
    plan.visits_planned = generate_horizon(person, start, days)
    return plan


def current_plan(person, on: date) -> CarePlan | None:
    """The version of the care plan that applies on ``on``."""
    return person.plans.filter(valid_from__lte=on).order_by("-valid_from", "-version").first()
