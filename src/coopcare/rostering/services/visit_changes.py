"""A coordinator's one-off changes to visits: cancel one, add a one-off visit, move one to
another time or give it to other carers.

The visit itself changes in ``visits.services`` (``cancel_visit``, ``add_visit``,
``move_visit``); here the published roster follows, under the same rules as a coordinator's
roster edit (``rostering.services.edits.check``: hard rules always, soft ones with a reason
kept), and the carers concerned are told. Each action is one transaction: on a refusal
nothing is written and nobody is told.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.billing.queries import budget_problems
from coopcare.care.models import CareTask, PersonCaredFor
from coopcare.rostering.models import Roster, RosterStatus, Unplaced
from coopcare.rostering.queries import published_roster_of
from coopcare.rostering.services.edits import allowed, check
from coopcare.rostering.services.publishing import (
    change_published,
    take_off_cancelled,
    tell_cancelled,
    tell_changes,
)
from coopcare.rostering.wording import name_of
from coopcare.visits import services as visits
from coopcare.visits.models import Cancellation, Visit


@transaction.atomic
def cancel(visit: Visit, requested_by: str, reason: str, by, now=None) -> Cancellation:
    """Cancel one visit (who asked, why, at short notice or not), take it off the rosters and
    tell its carers the time they no longer go."""
    cancellation = visits.cancel_visit(visit, requested_by, reason, by, now=now)
    tell_cancelled(take_off_cancelled([cancellation.visit]))
    return cancellation


def _published_on(visit: Visit) -> Roster | None:
    day = timezone.localdate(visit.starts_at)
    return Roster.objects.filter(
        cooperative_id=visit.cooperative_id,
        status=RosterStatus.PUBLISHED,
        first_day__lte=day,
        last_day__gte=day,
    ).first()


def _give(
    roster: Roster,
    visit: Visit,
    carers: list,
    by,
    override_reason: str,
    new=None,
    added_hours: bool = False,
) -> list:
    """Give ``visit`` to ``carers`` in the published ``roster`` if the rules allow (and, for
    ``added_hours``, the person's hours budget); the changes, not yet told."""
    found = check(roster, visit, carers, new=new)
    if added_hours:
        over_hard, over_soft = budget_problems(visit)
        found.hard += over_hard
        found.soft += over_soft
    reasons = [["coordinator", {"name": name_of(by)}]]
    reasons += allowed(found.hard, found.soft, override_reason)
    return change_published(roster, visit, carers, reasons, by, notify=False)


def _left_open(roster: Roster, visit: Visit, by, override_reason: str) -> None:
    """Leave ``visit``, just added to the person's hours, open in ``roster`` if their hours
    budget allows it (a reason kept when the policy only warns)."""
    over_hard, over_soft = budget_problems(visit)
    reasons = [["added", {"name": name_of(by)}]]
    reasons += allowed(over_hard, over_soft, override_reason)
    Unplaced.objects.create(roster=roster, visit=visit, reasons=reasons)


@transaction.atomic
def add(
    person: PersonCaredFor,
    task: CareTask,
    starts_at: datetime,
    minutes: int,
    by,
    double_handed: bool = False,
    carers=(),
    override_reason: str = "",
    now=None,
) -> Visit:
    """Add a one-off visit for ``person``. In the period of a published roster it goes into
    it: to ``carers`` if given (under the rules of a roster edit, and they are told), else as
    an open visit. Elsewhere the next roster run plans it."""
    visit = visits.add_visit(person, task, starts_at, minutes, double_handed, now=now)
    roster = _published_on(visit)
    carers = list(carers)
    if roster is None:
        if carers:
            raise ValidationError(
                _("No published roster covers that day: the next roster run will plan it."),
                code="visit_not_published",
            )
        return visit
    # Only a visit added (or moved to another time) changes the hours planned for the
    # person, so only then is their hours budget checked; giving a visit to other carers
    # (cover for a sick colleague included) never is.
    if carers:
        tell_changes(_give(roster, visit, carers, by, override_reason, added_hours=True))
    else:
        _left_open(roster, visit, by, override_reason)
    return visit


@transaction.atomic
def move(
    visit: Visit,
    by,
    starts_at: datetime | None = None,
    carers=None,
    reason: str = "",
    override_reason: str = "",
    now=None,
) -> Visit:
    """Move a visit to ``starts_at`` and/or give it to ``carers`` (default: the carers it has),
    checked as a roster edit. A move in time cancels the visit, recorded as moved, and puts a
    one-off visit in its place. The carers concerned get one message with the times taken off
    them and given to them. Returns the visit as it now is (the new one after a move)."""
    current = list(visit.carers.all())
    wanted = current if carers is None else list(carers)
    if starts_at is None or starts_at == visit.starts_at:
        roster = published_roster_of(visit)
        if roster is None:
            raise ValidationError(
                _("This visit is not in a published roster: change it on the draft."),
                code="visit_not_published",
            )
        visits.still_to_come(visit, now)
        new = [c for c in wanted if c not in current]
        tell_changes(_give(roster, visit, wanted, by, override_reason, new=new))
        return visit
    old, moved = visits.move_visit(visit, starts_at, reason, by, now=now)
    changes = take_off_cancelled([old])
    roster = _published_on(moved)
    if roster is None:
        if carers:
            raise ValidationError(
                _("No published roster covers that day: the next roster run will plan it."),
                code="visit_not_published",
            )
        tell_cancelled(changes)
        return moved
    if wanted:
        changes += _give(roster, moved, wanted, by, override_reason, added_hours=True)
    else:
        _left_open(roster, moved, by, override_reason)
    tell_changes(changes)
    return moved
