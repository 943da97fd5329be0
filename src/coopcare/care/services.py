"""Actions on people cared for: admission, edits of the record (with their history), status,
consents, circle, assessments, care plans, and signatures of plans and consents.

Each action writes what belongs together in one transaction and raises ValidationError,
writing nothing, when a rule is broken.
"""

import logging
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopcare.care import queries, rules, scales
from coopcare.care.access import people_visible_to
from coopcare.care.models import (
    CONSENT_TEXTS,
    AdvanceDecision,
    Assessment,
    CarePlan,
    CareRecordEdit,
    CareStatus,
    CareTask,
    CircleMember,
    Condition,
    Consent,
    ConsentKind,
    DoorAccess,
    PersonCaredFor,
    PersonChange,
    Signature,
    StatusChange,
    Verification,
)
from coopcare.cooperatives.access import roles_of
from coopcare.privacy.restriction import refuse_new_processing

log = logging.getLogger(__name__)


@transaction.atomic
def admit_person(
    cooperative,
    *,
    on: date,
    recorded_by=None,
    preferred_carers: Iterable = (),
    refused_carers: Iterable = (),
    **fields,
) -> PersonCaredFor:
    """Record a new person cared for (a referral, or active from ``on``), with the carers
    they choose and refuse (users or their ids, carers of ``cooperative`` only)."""
    preferred, refused = _ids(preferred_carers), _ids(refused_carers)
    _check_carers(cooperative, preferred, refused)
    fields.setdefault("status", CareStatus.REFERRAL)
    fields.setdefault("confirmation_code", new_confirmation_code())
    _check_placed(fields.get("latitude"), fields.get("longitude"))
    person = PersonCaredFor.objects.create(cooperative=cooperative, since=on, **fields)
    person.preferred_carers.set(preferred)
    person.refused_carers.set(refused)
    StatusChange.objects.create(
        person=person, status=person.status, on=on, reason=_("admitted"), recorded_by=recorded_by
    )
    return person


def _ids(users: Iterable) -> set[int]:
    """The ids of ``users``, given as users or as ids."""
    return {getattr(user, "pk", user) for user in users}


def _check_carers(cooperative, preferred: set[int], refused: set[int]) -> None:
    carers = set(queries.carers_of(cooperative).values_list("pk", flat=True))
    problems = rules.carer_choice_problems(preferred, refused, carers)
    if problems:
        raise ValidationError(problems)


# The fields of the record a coordinator edits after admission. The status has its own
# dated history (``change_status``), the visit verification its consent rule
# (``choose_verification``) and the confirmation code its own action.
EDITABLE_FIELDS = (
    "full_name",
    "date_of_birth",
    "phone",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "languages",
    "carer_gender",
    "pets",
    "smoking_home",
    "preferences",
    "funding",
    "preferred_carers",
    "refused_carers",
)
CARER_FIELDS = ("preferred_carers", "refused_carers")
COORDINATE = Decimal("0.000001")  # the columns keep six decimal places


def _check_placed(latitude, longitude) -> None:
    """A home is placed with both coordinates or left to place with neither."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Give both the latitude and the longitude, or neither to place the home later."),
            code="coordinates_incomplete",
        )


def _as_text(value) -> str:
    """A field's value as the history keeps it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _carer_names(ids: set[int]) -> str:
    names = [user.get_full_name() or user.get_username() for user in queries.carers_of_ids(ids)]
    return ", ".join(names)


@transaction.atomic
def edit_person(person: PersonCaredFor, by, *, via: str = "web", **fields) -> list[PersonChange]:
    """Change fields of the person's record (any of ``EDITABLE_FIELDS``; the carers as users
    or ids) and keep each change in its history: who, when, which field, before and after.

    Fields given with the value they already have are not changes: an edit that changes
    nothing writes nothing, not even a line in the log. The edit is logged as a care record
    edit (GDPR art. 30), as reads are. Visits and travel read the home from the person, so
    a new address and coordinates apply to every visit from now on.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    locked = PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    changed: list[tuple[str, str, str]] = []
    for name in EDITABLE_FIELDS:
        if name in CARER_FIELDS or name not in fields:
            continue
        new = fields[name]
        if name in ("latitude", "longitude") and new is not None:
            new = Decimal(str(new)).quantize(COORDINATE)
        old = getattr(locked, name)
        if _as_text(old) != _as_text(new):
            changed.append((name, _as_text(old), _as_text(new)))
            setattr(locked, name, new)
    _check_placed(locked.latitude, locked.longitude)
    carers = {
        name: set(getattr(locked, name).values_list("pk", flat=True)) for name in CARER_FIELDS
    }
    wanted = {name: _ids(fields[name]) if name in fields else carers[name] for name in CARER_FIELDS}
    if any(name in fields for name in CARER_FIELDS):
        _check_carers(locked.cooperative, wanted["preferred_carers"], wanted["refused_carers"])
    for name in CARER_FIELDS:
        if wanted[name] != carers[name]:
            changed.append((name, _carer_names(carers[name]), _carer_names(wanted[name])))
            getattr(locked, name).set(wanted[name])
    if not changed:
        return []
    plain = [name for name, _old, _new in changed if name not in CARER_FIELDS]
    if plain:
        locked.save(update_fields=plain)
        for name in plain:
            setattr(person, name, getattr(locked, name))
    edit = CareRecordEdit.objects.create(
        cooperative_id=locked.cooperative_id,
        person=locked,
        user=by,
        record="record",
        changed=", ".join(name for name, _old, _new in changed),
        via=via,
    )
    return PersonChange.objects.bulk_create(
        PersonChange(edit=edit, person=locked, field=name, old=old, new=new)
        for name, old, new in changed
    )


DOOR_ACCESS_FIELDS = ("key_safe_code", "entry", "parking", "hazards", "emergency_contacts")
# The history says the key safe code changed, never what it was or became: the history is
# read and exported more widely than the code may be shown.
CODE_IN_HISTORY = "****"


def _conditions_text(conditions: Iterable[dict]) -> str:
    return "\n".join(c["name"] + (f" ({c['notes']})" if c.get("notes") else "") for c in conditions)


def _decisions_text(decisions: Iterable[dict]) -> str:
    return "\n".join(
        f"{d['kind']} {_as_text(d['made_on'])}: {d['kept_where']}"
        + (f" ({d['notes']})" if d.get("notes") else "")
        + ("" if d.get("current", True) else " [not in force]")
        for d in decisions
    )


def _door_checked(conditions: list[dict], decisions: list[dict]) -> tuple[list, list]:
    """The lists as they are kept (trimmed), once every entry names what it must."""
    problems = []
    kept_conditions = [
        {"name": c["name"].strip(), "notes": c.get("notes", "").strip()} for c in conditions
    ]
    if any(not c["name"] for c in kept_conditions):
        problems.append(
            ValidationError(_("Name each health condition."), code="condition_name_missing")
        )
    kept_decisions = [
        {
            "kind": d["kind"],
            "made_on": d["made_on"],
            "kept_where": d["kept_where"].strip(),
            "notes": d.get("notes", "").strip(),
            "current": d.get("current", True),
        }
        for d in decisions
    ]
    if any(not d["kept_where"] for d in kept_decisions):
        problems.append(
            ValidationError(
                _("Say who holds the original of each advance decision, or where it is kept."),
                code="decision_place_missing",
            )
        )
    if any(d["made_on"] > timezone.localdate() for d in kept_decisions):
        problems.append(
            ValidationError(
                _("An advance decision cannot be made after today."), code="decision_in_future"
            )
        )
    if problems:
        raise ValidationError(problems)
    return kept_conditions, kept_decisions


@transaction.atomic
def set_door_facts(
    person: PersonCaredFor,
    by,
    *,
    conditions: list[dict],
    decisions: list[dict],
    access: dict,
    via: str = "web",
) -> list[PersonChange]:
    """Replace what a carer must know at the door: the person's health conditions (each a
    ``name`` and ``notes``), advance decisions (``kind``, ``made_on``, ``kept_where``,
    ``notes``, ``current``) and access (``DOOR_ACCESS_FIELDS``).

    Each list is replaced as a whole; the record's history keeps the list before and after,
    and each access field changed, as an edit of the record does (the key safe code only as
    changed). A request that changes nothing writes nothing.
    """
    kept_conditions, kept_decisions = _door_checked(conditions, decisions)
    locked = PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    door = DoorAccess.objects.filter(person=locked).first() or DoorAccess(person=locked)
    old_conditions = [dict(c) for c in locked.conditions.values("name", "notes")]
    old_decisions = [
        dict(d)
        for d in locked.advance_decisions.values(
            "kind", "made_on", "kept_where", "notes", "current"
        )
    ]
    changed: list[tuple[str, str, str]] = []
    if _conditions_text(old_conditions) != _conditions_text(kept_conditions):
        changed.append(
            ("conditions", _conditions_text(old_conditions), _conditions_text(kept_conditions))
        )
        locked.conditions.all().delete()
        Condition.objects.bulk_create(
            Condition(person=locked, position=i, **c) for i, c in enumerate(kept_conditions)
        )
    if _decisions_text(old_decisions) != _decisions_text(kept_decisions):
        changed.append(
            ("advance_decisions", _decisions_text(old_decisions), _decisions_text(kept_decisions))
        )
        locked.advance_decisions.all().delete()
        AdvanceDecision.objects.bulk_create(
            AdvanceDecision(person=locked, position=i, **d) for i, d in enumerate(kept_decisions)
        )
    for name in DOOR_ACCESS_FIELDS:
        old, new = getattr(door, name), access.get(name, getattr(door, name)).strip()
        if old != new:
            if name == "key_safe_code":
                changed.append(
                    (name, CODE_IN_HISTORY if old else "", CODE_IN_HISTORY if new else "")
                )
            else:
                changed.append((name, old, new))
            setattr(door, name, new)
    if not changed:
        return []
    door.save()
    edit = CareRecordEdit.objects.create(
        cooperative_id=locked.cooperative_id,
        person=locked,
        user=by,
        record="door",
        changed=", ".join(name for name, _old, _new in changed),
        via=via,
    )
    return PersonChange.objects.bulk_create(
        PersonChange(edit=edit, person=locked, field=name, old=old, new=new)
        for name, old, new in changed
    )


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
def give_consent(
    person, kind: str, given_by: str, on: date, by=None, capacity: str = ""
) -> Consent:
    """Record a consent from the person or their legal representative (``capacity``: in
    which capacity ``given_by`` consents, a ``Capacity``)."""
    if active_consent(person, kind):
        raise ValidationError(
            _("This consent is already recorded and has not been withdrawn."),
            code="consent_already_given",
        )
    return Consent.objects.create(
        person=person,
        kind=kind,
        given_by=given_by,
        capacity=capacity,
        given_on=on,
        recorded_by=by,
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


@transaction.atomic
def choose_carers(
    grant: CircleMember, *, preferred: Iterable, refused: Iterable, via: str = "web"
) -> list[PersonChange]:
    """The person's circle sets the carers the person prefers and refuses (users or ids).

    Only a member granted the choice, or the person's legal representative, may (else
    PermissionDenied). A carer newly named must be one the person knows (``queries.team_of``):
    one who came, is coming, or was already named. A refusal asks for no reason; the planner
    reads it from the next roster, and published visits stay for the coordinator to see. The
    change is kept in the record's history as the member's edit.
    """
    if not grant.can_choose_carers:
        raise PermissionDenied
    person = grant.person
    wanted_preferred, wanted_refused = _ids(preferred), _ids(refused)
    known = {carer.id for carer in queries.team_of(person, timezone.now())}
    if (wanted_preferred | wanted_refused) - known:
        raise ValidationError(
            _("You can choose or refuse only carers who have come or are coming to you."),
            code="carer_not_met",
        )
    return edit_person(
        person,
        grant.user,
        via=via,
        preferred_carers=wanted_preferred,
        refused_carers=wanted_refused,
    )


def choose_carer(grant: CircleMember, carer_id: int, choice: str, *, via: str = "web"):
    """One carer marked as preferred (also after a trial or cover visit, to keep them),
    refused, or neither (``choice`` "preferred", "refused" or ""), the others as they were."""
    if choice not in queries.CHOICES:
        raise ValidationError(
            _("Choose preferred, refused or neither."), code="carer_choice_unknown"
        )
    person = grant.person
    preferred = set(person.preferred_carers.values_list("pk", flat=True)) - {carer_id}
    refused = set(person.refused_carers.values_list("pk", flat=True)) - {carer_id}
    if choice == "preferred":
        preferred.add(carer_id)
    elif choice == "refused":
        refused.add(carer_id)
    return choose_carers(grant, preferred=preferred, refused=refused, via=via)


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

    refuse_new_processing(person)
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


def plan_content(plan: CarePlan) -> dict:
    """What is signed of a care plan version: the version, its date, goals and tasks, as the
    signing page shows it and the signature keeps it."""
    tasks = sorted(plan.tasks.all(), key=lambda t: (t.start_time, t.title, t.pk))
    return {
        "signed": "care_plan",
        "person": plan.person.full_name,
        "version": plan.version,
        "applies_from": plan.valid_from.isoformat(),
        "goals": plan.goals,
        "tasks": [
            {
                "task": t.title,
                "how": t.instructions,
                "steps": t.step_list,
                "repeats": t.rrule,
                "at": t.start_time.strftime("%H:%M"),
                "minutes": t.duration_minutes,
                "skills": t.skill_list,
                "two_carers": t.double_handed,
            }
            for t in tasks
        ],
    }


def consent_content(person: PersonCaredFor, kind: str) -> dict:
    """What is signed of a consent: its text in the language shown, for the person."""
    return {
        "signed": "consent",
        "person": person.full_name,
        "consent_to": kind,
        "text": str(CONSENT_TEXTS[ConsentKind(kind)]),
        "language": translation.get_language() or "",
    }


def _may_collect(person: PersonCaredFor, by) -> None:
    """A signature is collected on the screen of someone who may see the person now: a
    coordinator of their cooperative, or a carer who serves them (``care.access``)."""
    roles = roles_of(by, person.cooperative)
    if not people_visible_to(by, person.cooperative, roles).filter(pk=person.pk).exists():
        raise PermissionDenied


def _signature(
    person: PersonCaredFor,
    content: dict,
    *,
    signer_name: str,
    capacity: str,
    drawing: bytes | None,
    typed_name: str,
    confirmed: bool,
    shown_sha256: str,
    by,
    via: str,
    **signed,
) -> Signature:
    """Check the signature against what was shown, keep it with the snapshot, log the edit."""
    problems = rules.signature_problems(signer_name, drawing, typed_name, confirmed)
    if problems:
        raise ValidationError(problems)
    text, digest = rules.snapshot(content)
    if shown_sha256 and shown_sha256 != digest:
        raise ValidationError(
            _("What is to be signed has changed since it was shown; read it again and sign."),
            code="signed_content_changed",
        )
    signature = Signature.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        signer_name=signer_name.strip(),
        capacity=capacity,
        drawing=drawing,
        typed_name="" if drawing is not None else typed_name.strip(),
        content=text,
        content_sha256=digest,
        collected_by=by,
        **signed,
    )
    CareRecordEdit.objects.create(
        cooperative_id=person.cooperative_id,
        person=person,
        user=by,
        record="signature",
        changed=content["signed"],
        via=via,
    )
    return signature


@transaction.atomic
def sign_care_plan(
    plan: CarePlan,
    *,
    signer_name: str,
    capacity: str,
    by,
    drawing: bytes | None = None,
    typed_name: str = "",
    confirmed: bool = False,
    shown_sha256: str = "",
    via: str = "web",
) -> Signature:
    """The person, or someone for them in ``capacity``, signs a version of their care plan
    on the screen of ``by`` (a coordinator, or a carer who serves them).

    The signature keeps a snapshot of the version and its tasks with its SHA-256; with
    ``shown_sha256`` (the digest of what the page showed) a plan that changed in between is
    refused. Each version is signed once; a later version needs its own signature.
    """
    person = plan.person
    _may_collect(person, by)
    PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    if Signature.objects.filter(plan=plan).exists():
        raise ValidationError(
            _("This version of the care plan is already signed."), code="plan_already_signed"
        )
    return _signature(
        person,
        plan_content(plan),
        signer_name=signer_name,
        capacity=capacity,
        drawing=drawing,
        typed_name=typed_name,
        confirmed=confirmed,
        shown_sha256=shown_sha256,
        by=by,
        via=via,
        plan=plan,
    )


@transaction.atomic
def sign_consent(
    person: PersonCaredFor,
    kind: str,
    *,
    signer_name: str,
    capacity: str,
    by,
    on: date,
    drawing: bytes | None = None,
    typed_name: str = "",
    confirmed: bool = False,
    shown_sha256: str = "",
    via: str = "web",
) -> Signature:
    """The person, or someone for them in ``capacity``, signs a consent (its text, as shown)
    on the screen of ``by``: the consent is recorded from ``on``, given by the signer, and
    its signature kept with a snapshot of the text, in one transaction."""
    _may_collect(person, by)
    content = consent_content(person, kind)
    # The signature's own checks run after the consent is written: a refusal undoes both.
    consent = give_consent(person, kind, signer_name.strip(), on, by, capacity=capacity)
    return _signature(
        person,
        content,
        signer_name=signer_name,
        capacity=capacity,
        drawing=drawing,
        typed_name=typed_name,
        confirmed=confirmed,
        shown_sha256=shown_sha256,
        by=by,
        via=via,
        consent=consent,
    )
