"""Coordinators' changes to a roster, each checked against the rules.

Hard rules cannot be overridden: the carer's skills (a valid qualification that day), their
availability, working-time law (``work.rules``), two different carers for a double-handed
visit, a carer the person refused, and being in two places at once. Soft rules (continuity,
the person's choice, time to travel, contracted hours) can be, with a reason that is kept.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.rostering.availability import DayAvailability, availability
from coopcare.rostering.models import Assignment, Roster, RosterStatus, Unplaced
from coopcare.rostering.planning import KNOWN_WEEKS, carers_of, travel_minutes
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work import rules
from coopcare.work.models import Contract, WorkRules
from coopcare.work.services import (
    contract_in,
    contracts_by_carer,
    pay_rules_lookup,
    skills_on,
    work_rules_of,
)
from coopcare.work.timesheets import planned_work, worked_intervals_of


@dataclass
class Check:
    """What is wrong with giving a visit to some carers: ``hard`` stops it, ``soft`` needs a
    reason."""

    hard: list[ValidationError] = field(default_factory=list)
    soft: list[ValidationError] = field(default_factory=list)


def name_of(user) -> str:
    """How a user is named on rosters: full name, else login."""
    return user.get_full_name() or user.get_username()


def check(roster: Roster, visit: Visit, carers: list, new=None) -> Check:
    """Every rule that giving ``visit`` to ``carers`` in ``roster`` would break; the rules of
    each carer are checked only for ``new`` ones (default: all), as others already have it."""
    cooperative, found = roster.cooperative, Check()
    needed = 2 if visit.double_handed else 1
    if len({c.pk for c in carers}) != len(carers):
        found.hard.append(
            ValidationError(_("The same carer is chosen twice."), code="same_carer_twice")
        )
    if len(carers) != needed:
        found.hard.append(
            ValidationError(
                _("This is a double-handed visit: it needs two different carers together."),
                code="needs_two_carers",
            )
            if visit.double_handed
            else ValidationError(_("This visit needs one carer."), code="needs_one_carer")
        )
    day = timezone.localdate(visit.starts_at)
    starts, ends = timezone.localtime(visit.starts_at), timezone.localtime(visit.ends_at)
    rostered = set(
        carers_of(cooperative).filter(pk__in=[c.pk for c in carers]).values_list("pk", flat=True)
    )
    skills = skills_on(cooperative, day)
    free = availability(cooperative, [c.pk for c in carers], day, day)
    refused = set(visit.person.refused_carers.values_list("pk", flat=True))
    checked = carers if new is None else new
    working = _working_times(roster, [c.pk for c in checked if c.pk in rostered], day)
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
                    % {"name": name, "skills": ", ".join(sorted(missing))},
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


class _WorkingTime:
    """A carer's working-time breaches with the past (timesheets, published visits) as it
    is and a given set of the roster's visits; ``_working_times`` reads what it needs."""

    def __init__(
        self,
        limits: WorkRules,
        pay_rules_on: Callable,
        before: list,
        contract: Contract | None,
    ):
        self.limits, self.pay_rules_on, self.before = limits, pay_rules_on, before
        self.contract = contract  # on the day checked: its own weekly limit, if lower
        self.weekly = contract.max_average_weekly_hours if contract else None

    def breaches(self, visits) -> dict:
        work = self.before + planned_work(visits, self.pay_rules_on)
        found = rules.working_time_breaches(work, self.limits, weekly_limit=self.weekly)
        return {(b.rule, b.at): b for b in found}


def _working_times(
    roster: Roster, carer_ids: list[int], day: date, contracts=None
) -> dict[int, _WorkingTime]:
    """The ``_WorkingTime`` of each of ``carer_ids``, with their contract in force on ``day``.

    The cooperative's work and pay rules are read once, and the carers' contracts, home
    places, timesheet entries and planned visits in one query each for all of them, however
    many they are. ``contracts`` (``work.services.contracts_by_carer`` days that include ``day``)
    are read here unless given."""
    ids = list(dict.fromkeys(carer_ids))
    if not ids:
        return {}
    cooperative = roster.cooperative
    limits = work_rules_of(cooperative)
    pay_rules_on = pay_rules_lookup(cooperative)
    since = roster.first_day - timedelta(weeks=limits.reference_weeks)
    before = worked_intervals_of(
        cooperative, ids, since, roster.first_day - timedelta(days=1), pay_rules_on
    )
    if contracts is None:
        contracts = contracts_by_carer(cooperative, day, day, ids)
    return {
        pk: _WorkingTime(limits, pay_rules_on, before[pk], contract_in(contracts.get(pk, []), day))
        for pk in ids
    }


def _new_breaches(
    working_time: _WorkingTime, visit: Visit, without: list[Visit]
) -> list[ValidationError]:
    """Working-time breaches the visit would add to the carer's work (past, and ``without``:
    their other visits in the roster)."""
    now, then = working_time.breaches(without), working_time.breaches([*without, visit])
    return [
        ValidationError(str(b.detail), code="working_time_breach")
        for key, b in then.items()
        if key not in now
    ]


def roster_breaches(roster: Roster, contracts=None) -> list[tuple]:
    """Each carer's working-time breaches within the roster's days, as (carer, details).

    The planner keeps the daily rest, the working-day span and the week's hours; breaks
    (art. 4) and the weekly rest (art. 5) it leaves to availability, so a draft is checked
    in full before it is published. A bounded number of queries, however many carers and
    visits: ``contracts`` (``work.services.contracts_by_carer`` the roster's days) are read here
    unless given."""
    visits = defaultdict(list)
    for assignment in roster.assignments.select_related("carer", "visit__person"):
        visits[assignment.carer].append(assignment.visit)
    working = _working_times(roster, [carer.pk for carer in visits], roster.first_day, contracts)
    found = []
    for carer, theirs in sorted(visits.items(), key=lambda item: name_of(item[0])):
        breaches = working[carer.pk].breaches(theirs).values()
        listed = [str(b.detail) for b in breaches if b.at.date() >= roster.first_day]
        if listed:
            found.append((carer, listed))
    return found


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
        travel = travel_minutes(last.person, person)
        gap = (visit.starts_at - last.ends_at).total_seconds() / 60
        if travel > gap:
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
            v.task.duration_minutes
            for v in theirs
            if monday <= timezone.localdate(v.starts_at) <= monday + timedelta(days=6)
        )
        minutes += visit.task.duration_minutes
        if minutes > contract.weekly_hours * 60:
            found.append(
                ValidationError(
                    _(
                        "%(name)s would have %(hours)s h of visits that week, over the "
                        "%(contract)s h of their contract."
                    )
                    % {
                        "name": name,
                        "hours": round(minutes / 60, 1),
                        "contract": contract.weekly_hours,
                    },
                    code="over_contract_hours",
                )
            )
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


def give(roster: Roster, visit: Visit, carers: list, by, override_reason: str = "") -> None:
    """Give ``visit`` to ``carers`` in a draft roster, if the rules allow.

    Raises ValidationError with the broken hard rules; with soft ones only, it needs an
    ``override_reason``, which is kept with the assignment."""
    _editable(roster, visit)
    found = check(roster, visit, carers)
    if found.hard:
        problems = found.hard
        raise ValidationError(problems)
    override_reason = override_reason.strip()
    if found.soft and not override_reason:
        problems = [
            *found.soft,
            ValidationError(
                _("Give a reason to go ahead anyway; it will be kept with the roster."),
                code="override_reason_missing",
            ),
        ]
        raise ValidationError(problems)
    why = [["coordinator", {"name": name_of(by)}]]
    if found.soft:
        why.append(["override", {"reason": override_reason}])
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
