"""Cover for days away: a carer reports sick (or a coordinator does for them), coopcare proposes
who could do each published visit the days away leave without them, and a coordinator accepts
all or some of the proposal.

The proposal repairs each day's published roster with the planner
(``rostering.planning.repair_day``): the rest of the day stays as it is unless nothing else
covers a visit. Nothing changes until a coordinator accepts; accepting changes each chosen
visit through the same path as a decided request (``publishing.change_published``, checked by
``edits.check``: hard rules always, soft ones with a reason), in one transaction, then tells
the carers concerned and the person's circle who is coming.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare import localise
from coopcare.cooperatives.models import Cooperative
from coopcare.notify import Notice, Topic, send, to_user
from coopcare.rostering.models import Absence, AbsenceKind, CoverChange, CoverProposal
from coopcare.rostering.planning import Period, repair_day
from coopcare.rostering.queries import published_roster_of, visits_left_by
from coopcare.rostering.services.availability import add_absence
from coopcare.rostering.services.edits import allowed, check
from coopcare.rostering.services.publishing import change_published, tell_changes
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from coopcare.work.queries import between_days

# Seconds of search for each pass of each day: the proposal answers while the coordinator
# waits (``benchmarks/cover.py`` times it on the demo cooperative).
SECONDS = 2


@dataclass
class Accepted:
    """What accepting did: the visits changed, how many carers and circle members are told
    by email, and the visits whose person the coordinator should phone."""

    changed: list[CoverChange] = field(default_factory=list)
    carers_told: int = 0  # carers whose visits changed, each told once of all their changes
    circle_told: int = 0
    to_phone: list[CoverChange] = field(default_factory=list)


def report_sick(cooperative: Cooperative, carer, last_day: date, note: str = "") -> Absence:
    """``carer`` is sick from today until ``last_day``: days away of kind sickness, under the
    rules of ``availability.add_absence``."""
    absence, _clashing = add_absence(
        cooperative,
        carer,
        {
            "kind": AbsenceKind.SICKNESS,
            "first_day": timezone.localdate(),
            "last_day": last_day,
            "note": note,
        },
    )
    return absence


def propose(absence: Absence, by, seconds: float = SECONDS, solution_limit=None) -> CoverProposal:
    """Propose cover for each published visit still to come that ``absence`` leaves without
    its carer, one day at a time (``planning.repair_day``); the proposal is written in one
    transaction, after the search, so searching holds no lock.

    ``seconds`` bounds each pass of each day; ``solution_limit`` makes the search
    deterministic (tests, the demo)."""
    cooperative, absent = absence.cooperative, absence.carer_id
    left = list(visits_left_by(absence))
    if not left:
        raise ValidationError(
            _("No published visit to come falls in these days away."), code="nothing_to_cover"
        )
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for visit in left:
        by_day[timezone.localdate(visit.starts_at)].append(visit)
    began = time.monotonic()
    repairs, had = [], {}
    for day in sorted(by_day):
        visits, current = _day_of(cooperative, day)
        period = Period.load(cooperative, day, day)
        repairs.append(repair_day(period, day, visits, current, absent, seconds, solution_limit))
        had.update({pk: sorted(carers) for pk, carers in current.items()})
    took = time.monotonic() - began
    affected = {v.pk for v in left}
    with transaction.atomic():
        proposal = CoverProposal.objects.create(
            cooperative=cooperative, absence=absence, proposed_by=by, seconds=round(took, 2)
        )
        for repair in repairs:
            for visit_id, (carers, why) in repair.proposed.items():
                change = CoverChange.objects.create(
                    proposal=proposal,
                    visit_id=visit_id,
                    covers=visit_id in affected,
                    had=had[visit_id],
                    reasons=why,
                )
                change.carers.set(carers)
            for visit_id, why in repair.uncovered.items():
                CoverChange.objects.create(
                    proposal=proposal, visit_id=visit_id, had=had[visit_id], reasons=why
                )
    return proposal


def _day_of(cooperative: Cooperative, day: date) -> tuple[list[Visit], dict[int, set[int]]]:
    """The day's visits still to come that have carers, and their carers."""
    visits = list(
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            starts_at__gt=timezone.now(),
            carers__isnull=False,
            **between_days("starts_at", day, day),
        )
        .distinct()
        .select_related("person", "task")
        .order_by("starts_at", "pk")
    )
    return visits, _carers_of(visits)


def _carers_of(visits: list[Visit]) -> dict[int, set[int]]:
    current: dict[int, set[int]] = {v.pk: set() for v in visits}
    for visit_id, carer in VisitCarer.objects.filter(visit__in=visits).values_list(
        "visit_id", "carer_id"
    ):
        current[visit_id].add(carer)
    return current


@transaction.atomic
def accept(
    proposal: CoverProposal, change_ids: list[int], by, override_reason: str = ""
) -> Accepted:
    """Apply the chosen changes of ``proposal``, all or none.

    Each goes through the published roster as a coordinator's change does: the hard rules
    of ``edits.check`` always hold, and soft ones (continuity, choice, travel, contracted
    hours) need ``override_reason``, kept with the roster. Moves of other visits go first, so
    the cover that needs their room finds it. A chosen "no cover found" takes the absent
    carer off the visit, which is then open for colleagues to ask for. A visit whose carers
    changed since the proposal is refused: the proposal is out of date for it."""
    chosen = list(
        proposal.changes.filter(pk__in=change_ids, accepted_at__isnull=True).select_related(
            "visit__person", "visit__task"
        )
    )
    if not chosen or len(chosen) != len(set(change_ids)):
        raise ValidationError(
            _("Choose changes of this proposal that are not accepted yet."),
            code="nothing_chosen",
        )
    absent = proposal.absence.carer
    override_reason = override_reason.strip()
    soft: list[ValidationError] = []
    done = Accepted()
    changes = []
    for change in sorted(chosen, key=lambda c: (c.covers, c.visit.starts_at, c.pk)):
        found, changed = _apply(change, absent, by, override_reason)
        soft += found
        changes += changed
        done.changed.append(change)
    # Soft rules set aside across the changes need the one reason to go ahead anyway.
    allowed([], soft, override_reason)
    # Each carer concerned gets one message listing all their changes, not one per visit.
    done.carers_told = tell_changes(changes)
    for change in done.changed:
        if change.carers.exists():
            change.told = _tell_circle(change)
            done.circle_told += change.told
            if not change.told:
                done.to_phone.append(change)
        change.save(update_fields=["accepted_at", "accepted_by", "told"])
    return done


def _apply(change: CoverChange, absent, by, override_reason: str) -> tuple[list, list]:
    """Change one visit as ``change`` says; the soft rules it goes against, and the changes
    of carers, told by ``accept`` once every change is applied."""
    visit = Visit.objects.select_related("person", "task").get(pk=change.visit_id)
    if visit.status != VisitStatus.PLANNED or visit.starts_at <= timezone.now():
        raise ValidationError(
            _("The visit of %(when)s has begun or is over.") % {"when": _when(visit)},
            code="visit_begun",
        )
    roster = published_roster_of(visit)
    if roster is None:
        raise ValidationError(
            _("This visit is not in a published roster."), code="visit_not_published"
        )
    current = list(visit.carers.all())
    if sorted(c.pk for c in current) != sorted(change.had):
        raise ValidationError(
            _("The carers of the visit of %(when)s changed since this proposal; propose again.")
            % {"when": _when(visit)},
            code="cover_out_of_date",
        )
    carers = list(change.carers.all())
    soft: list[ValidationError] = []
    if carers:
        found = check(roster, visit, carers, new=[c for c in carers if c not in current])
        if found.hard:
            problems = found.hard
            raise ValidationError(problems)
        soft = found.soft
        kind = "cover" if change.covers else "cover_move"
        reasons = [[kind, {"name": name_of(by)}], *change.reasons]
        if soft and override_reason:
            reasons.append(["override", {"reason": override_reason}])
    else:  # no cover found: the visit is left open for colleagues to take
        carers = [c for c in current if c.pk != absent.pk]
        reasons = [["taken_off", {"name": name_of(by)}]]
    changes = change_published(roster, visit, carers, reasons, by, notify=False)
    change.accepted_at, change.accepted_by = timezone.now(), by
    return soft, changes


def _when(visit: Visit) -> str:
    return localise.short_moment(visit.starts_at)


def _tell_circle(change: CoverChange) -> int:
    """Tell the person's circle members who may see visits and have a login with an email
    who is coming: the visit's time and the carers' first names, nothing more. How many
    notices go out (none: the coordinator phones the person)."""
    members = change.visit.person.circle.filter(
        revoked_on__isnull=True, may_see_visits=True, user__isnull=False
    ).select_related("user__profile")
    names = [c.first_name or c.get_username() for c in change.carers.all()]
    return send(
        Notice(
            to_user(member.user),
            gettext_lazy("Who is coming on %(day)s"),
            "rostering/mail_cover.txt",
            {"visit": change.visit, "names": names},
            {"day": localise.lazy_day(change.visit.starts_at)},
            topic=Topic.COVER,
        )
        for member in members
    )
