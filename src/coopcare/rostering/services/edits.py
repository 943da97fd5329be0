"""Coordinators' changes to a roster, each checked against the rules.

Hard rules cannot be overridden: the carer's skills (a valid qualification that day), their
availability, working-time law (``work.rules``), two different carers for a double-handed
visit, a carer the person refused, and being in two places at once. Soft rules (continuity,
the person's choice, time to travel, contracted hours) can be, with a reason that is kept.
The checks that need no records (how many carers, contracted hours) are in
``rostering.rules``; ``check`` reads what the others need. Each action writes in one
transaction.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.wording import skills_in_words
from coopcare.rostering import rules
from coopcare.rostering.models import Assignment, Roster, RosterStatus, Unplaced
from coopcare.rostering.planning import carers_of, travel_minutes
from coopcare.rostering.queries import DayAvailability, WorkingTime, availability, working_times
from coopcare.rostering.wording import name_of
from coopcare.visits.models import KNOWN_WEEKS, Visit, VisitStatus
from coopcare.work.models import Contract
from coopcare.work.queries import skills_on


@dataclass
class Check:
    """What is wrong with giving a visit to some carers: ``hard`` stops it, ``soft`` needs a
    reason."""

    hard: list[ValidationError] = field(default_factory=list)
    soft: list[ValidationError] = field(default_factory=list)


def check(roster: Roster, visit: Visit, carers: list, new=None) -> Check:
    """Every rule that giving ``visit`` to ``carers`` in ``roster`` would break; the rules of
    each carer are checked only for ``new`` ones (default: all), as others already have it."""
    cooperative, found = roster.cooperative, Check()
    found.hard += rules.carer_count_problems([c.pk for c in carers], visit.double_handed)
    day = timezone.localdate(visit.starts_at)
    starts, ends = timezone.localtime(visit.starts_at), timezone.localtime(visit.ends_at)
    rostered = set(
        carers_of(cooperative).filter(pk__in=[c.pk for c in carers]).values_list("pk", flat=True)
    )
    skills = skills_on(cooperative, day)
    free = availability(cooperative, [c.pk for c in carers], day, day)
    refused = set(visit.person.refused_carers.values_list("pk", flat=True))
    checked = carers if new is None else new
    working = working_times(roster, [c.pk for c in checked if c.pk in rostered], day)
    for carer in checked:
        name = name_of(carer)
        if carer.pk not in rostered:
            found.hard.append(
                ValidationError(
                    _("%(name)s is not a carer of this cooperative.") % {"name": name},
                    code="not_a_carer",
                )
            )
            continue
        working_time = working[carer.pk]
        if working_time.contract is None:
            found.hard.append(
                ValidationError(
                    _("%(name)s has no contract on that day.") % {"name": name}, code="no_contract"
                )
            )
        missing = set(visit.task.skill_list) - skills.get(carer.pk, set())
        if missing:
            found.hard.append(
                ValidationError(
                    _("%(name)s has no valid qualification that day for: %(skills)s.")
                    % {"name": name, "skills": skills_in_words(sorted(missing))},
                    code="not_qualified",
                )
            )
        if carer.pk in refused:
            found.hard.append(
                ValidationError(
                    _("%(person)s has refused %(name)s as a carer.")
                    % {"person": visit.person, "name": name},
                    code="carer_refused",
                )
            )
        day_free = free.get((carer.pk, day), DayAvailability(None))
        if not day_free.covers(starts.time(), ends.time()):
            found.hard.append(
                ValidationError(
                    _("%(name)s is not available then (%(when)s).")
                    % {"name": name, "when": day_free.describe()},
                    code="carer_unavailable",
                )
            )
        # The carer's other visits in the roster, read once for every check below.
        theirs = [
            a.visit
            for a in roster.assignments.filter(carer=carer)
            .exclude(visit=visit)
            .select_related("visit__person", "visit__task")
        ]
        others = [v for v in theirs if timezone.localdate(v.starts_at) == day]
        for other in others:
            if other.starts_at < visit.ends_at and visit.starts_at < other.ends_at:
                found.hard.append(
                    ValidationError(
                        _("%(name)s is with %(person)s then (%(start)s–%(end)s).")
                        % {
                            "name": name,
                            "person": other.person,
                            "start": f"{timezone.localtime(other.starts_at):%H:%M}",
                            "end": f"{timezone.localtime(other.ends_at):%H:%M}",
                        },
                        code="carer_busy",
                    )
                )
        found.hard += _new_breaches(working_time, visit, theirs)
        found.soft += _soft(roster, carer, visit, theirs, others, working_time.contract)
    return found


def _new_breaches(
    working_time: WorkingTime, visit: Visit, without: list[Visit]
) -> list[ValidationError]:
    """Working-time breaches the visit would add to the carer's work (past, and ``without``:
    their other visits in the roster)."""
    now, then = working_time.breaches(without), working_time.breaches([*without, visit])
    return [
        ValidationError(str(b.detail), code="working_time_breach")
        for key, b in then.items()
        if key not in now
    ]


def _soft(
    roster: Roster,
    carer,
    visit: Visit,
    theirs: list[Visit],
    others: list[Visit],
    contract: Contract | None,
) -> list[ValidationError]:
    """Soft rules the visit goes against; ``theirs``: the carer's other visits in the roster,
    ``others``: those of the same day; ``contract``: the carer's on the visit's day."""
    name, person, found = name_of(carer), visit.person, []
    preferred = list(person.preferred_carers.all())
    if preferred and carer not in preferred:
        found.append(
            ValidationError(
                _("%(person)s prefers other carers (%(names)s).")
                % {"person": person, "names": ", ".join(name_of(p) for p in preferred)},
                code="carer_not_preferred",
            )
        )
    known = Visit.objects.filter(
        person=person,
        carers=carer,
        starts_at__lt=visit.starts_at,
        starts_at__gte=visit.starts_at - timedelta(weeks=KNOWN_WEEKS),
    ).exclude(status=VisitStatus.CANCELLED)
    if not known.exists():
        found.append(
            ValidationError(
                _("%(person)s does not know %(name)s yet (continuity of care).")
                % {"person": person, "name": name},
                code="carer_not_known",
            )
        )
    before = [o for o in others if o.ends_at <= visit.starts_at]
    if before:
        last = max(before, key=lambda o: o.ends_at)
        # No check while either home is not placed on the map: the travel is unknown.
        travel = travel_minutes(last.person, person)
        gap = (visit.starts_at - last.ends_at).total_seconds() / 60
        if travel is not None and travel > gap:
            found.append(
                ValidationError(
                    _("%(name)s needs about %(travel)s min to come from %(other)s and has %(gap)s.")
                    % {
                        "name": name,
                        "travel": round(travel),
                        "other": last.person,
                        "gap": round(gap),
                    },
                    code="travel_time_short",
                )
            )
    if contract is not None:
        day = timezone.localdate(visit.starts_at)
        monday = day - timedelta(days=day.weekday())
        minutes = sum(
            v.minutes
            for v in theirs
            if monday <= timezone.localdate(v.starts_at) <= monday + timedelta(days=6)
        )
        minutes += visit.minutes
        found += rules.contract_hours_problems(name, minutes, contract.weekly_hours)
    return found


def _editable(roster: Roster, visit: Visit) -> None:
    if roster.status != RosterStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; make a new draft from the published roster."),
            code="roster_not_draft",
        )
    in_roster = (
        roster.assignments.filter(visit=visit).exists()
        or roster.unplaced.filter(visit=visit).exists()
    )
    if not in_roster:
        raise ValidationError(_("That visit is not in this roster."), code="visit_not_in_roster")
    if visit.status != VisitStatus.PLANNED or visit.starts_at <= timezone.now():
        raise ValidationError(
            _("This visit has begun or is over; it can no longer be given."), code="visit_begun"
        )


def allowed(hard: list, soft: list, override_reason: str) -> list:
    """Whether a change the checks found ``hard`` and ``soft`` problems with may go ahead.

    Raises ValidationError with the broken hard rules; with soft ones only, unless a reason to
    go ahead anyway is given. Returns what to keep with the change: the reason, when soft
    rules were set aside."""
    if hard:
        problems = hard
        raise ValidationError(problems)
    override_reason = override_reason.strip()
    if soft and not override_reason:
        problems = [
            *soft,
            ValidationError(
                _("Give a reason to go ahead anyway; it will be kept with the roster."),
                code="override_reason_missing",
            ),
        ]
        raise ValidationError(problems)
    return [["override", {"reason": override_reason}]] if soft else []


def give(roster: Roster, visit: Visit, carers: list, by, override_reason: str = "") -> None:
    """Give ``visit`` to ``carers`` in a draft roster, if the rules allow.

    Raises ValidationError with the broken hard rules; with soft ones only, it needs an
    ``override_reason``, which is kept with the assignment."""
    _editable(roster, visit)
    found = check(roster, visit, carers)
    why = [["coordinator", {"name": name_of(by)}]]
    why += allowed(found.hard, found.soft, override_reason)
    with transaction.atomic():
        roster.assignments.filter(visit=visit).delete()
        roster.unplaced.filter(visit=visit).delete()
        Assignment.objects.bulk_create(
            Assignment(
                roster=roster,
                visit=visit,
                carer=carer,
                reasons=why,
                changed_by=by,
                override_reason=override_reason if found.soft else "",
            )
            for carer in carers
        )


def take_off(roster: Roster, visit: Visit, by) -> None:
    """Leave ``visit`` without carers in a draft roster (it shows as unplaced)."""
    _editable(roster, visit)
    with transaction.atomic():
        roster.assignments.filter(visit=visit).delete()
        why = [["taken_off", {"name": name_of(by)}]]
        Unplaced.objects.update_or_create(roster=roster, visit=visit, defaults={"reasons": why})
